import { describe, expect, it } from 'vitest';
import type { Calibration } from '../bench/calibration.js';
import { bandwidthFor, deviceModelFromBench, deviceModelFromPeaks, kernelMs, outputSeconds, predictModel, singleThreadBandwidthFor, type DeviceModel } from './cost-model.js';
import type { ProfileNode } from './types.js';

const node = (name: string, opType: string, over: Partial<ProfileNode> = {}): ProfileNode => ({
  name, opType, outputShape: [1, 64, 56, 56], params: 0, macs: 0, flops: 0, otherOps: 0, bytesRead: 0, bytesWritten: 0, intensity: 0, block: null, counted: true, ...over,
});

const calibration: Calibration = {
  threads: 2,
  gemm: [
    { batch: 1, m: 1, n: 768, k: 768, gflops: 10, medianSeconds: 1 },
    { batch: 1, m: 512, n: 512, k: 512, gflops: 200, medianSeconds: 1 },
  ],
  conv: [
    { channels: 64, groups: 1, size: 56, kernel: 3, stride: 1, gflops: 150, medianSeconds: 1 },
    { channels: 64, groups: 64, size: 56, kernel: 3, stride: 1, gflops: 8, medianSeconds: 1 },
  ],
  overheadUs: 4,
  method: 'test',
};

const device: DeviceModel = {
  calibration,
  computeGflops: 200,
  bandwidth: [{ bytes: 32 << 10, GBs: 200 }, { bytes: 1 << 20, GBs: 100 }, { bytes: 64 << 20, GBs: 20 }],
  dramGBs: 15,
  overheadUs: 5,
  basis: 'test device',
  measured: true,
};

describe('cost model', () => {
  it('times a kernel given by its work as it times the same graph node: products by shape, memory kernels by working set', () => {
    const bytes = 768 * 768 * 4 + 768 * 8;
    const asNode = predictModel(
      { nodes: [{ name: 'fc', opType: 'MatMul', inputs: ['x'], outputs: ['y'] }], inputs: ['x'] },
      [node('fc', 'MatMul', { outputShape: [1, 768], macs: 768 * 768, flops: 2 * 768 * 768, bytesRead: bytes })],
      device,
    ).nodes[0]!.ms;
    expect(kernelMs(device, { kind: 'product', rows: 1, n: 768, k: 768, bytes })).toBeCloseTo(asNode, 12);
    // A 4 MiB softmax-like kernel: its bytes at the sweep's bandwidth for 4 MiB, plus the overhead.
    const big = 4 << 20;
    expect(kernelMs(device, { kind: 'memory', bytes: big })).toBeCloseTo((big / (bandwidthFor(device, big) * 1e9)) * 1000 + 0.004, 12);
    // A refinement factor for the op class scales the part above the overhead.
    const refined: DeviceModel = { ...device, refinement: { factors: [{ opType: 'MatMul', factor: 2, units: 9, models: 3 }], fittedOn: ['a', 'b', 'c'] } };
    expect(kernelMs(refined, { kind: 'product', rows: 1, n: 768, k: 768, bytes })).toBeCloseTo(0.004 + (asNode - 0.004) * 2, 12);
  });

  it('bandwidth follows the working set: L1 figure below the sweep, log-interpolated inside, DRAM beyond', () => {
    expect(bandwidthFor(device, 1024)).toBe(200);
    expect(bandwidthFor(device, 1 << 20)).toBeCloseTo(100, 9);
    const mid = bandwidthFor(device, 8 << 20);
    expect(mid).toBeLessThan(100);
    expect(mid).toBeGreaterThan(20);
    expect(bandwidthFor(device, 1 << 30)).toBe(15);
  });

  it('one-thread bandwidth comes from the one-thread sweep, its end points beyond it, none without one', () => {
    const one: DeviceModel = { ...device, bandwidth1: [{ bytes: 1 << 20, GBs: 60 }, { bytes: 64 << 20, GBs: 30 }] };
    expect(singleThreadBandwidthFor(one, 1024)).toBe(60);
    expect(singleThreadBandwidthFor(one, 8 << 20)).toBeCloseTo(Math.exp(Math.log(60) + 0.5 * (Math.log(30) - Math.log(60))), 9);
    expect(singleThreadBandwidthFor(one, 1 << 30)).toBe(30);
    expect(singleThreadBandwidthFor(device, 1 << 20)).toBeNull();
  });

  it('a product runs at the throughput of its nearest calibrated shape, not one peak', () => {
    const flops = 2 * 768 * 768;
    const skinny = node('fc', 'MatMul', { outputShape: [1, 768], macs: 768 * 768, flops, bytesRead: 768 * 768 * 4, bytesWritten: 768 * 4 });
    const square = node('mm', 'MatMul', { outputShape: [512, 512], macs: 512 ** 3, flops: 2 * 512 ** 3, bytesRead: 2 * 512 * 512 * 4, bytesWritten: 512 * 512 * 4 });
    const p = predictModel({ nodes: [{ name: 'fc', opType: 'MatMul', inputs: ['x'], outputs: ['y'] }, { name: 'mm', opType: 'MatMul', inputs: ['x'], outputs: ['z'] }], inputs: ['x'] }, [skinny, square], device);
    const [fc, mm] = p.nodes;
    // fc: max(1.18 MFLOP at 10 GFLOP/s, 2.36 MB at the sweep) + 4 µs.
    expect(fc!.ms).toBeCloseTo(Math.max(flops / 10e9, (768 * 768 * 4 + 768 * 4) / (bandwidthFor(device, 768 * 768 * 4 + 768 * 4) * 1e9)) * 1000 + 0.004, 9);
    expect(mm!.ms).toBeCloseTo((2 * 512 ** 3) / 200e9 * 1000 + 0.004, 9);
    expect(mm!.bound).toBe('compute');
    expect(p.latencyMs).toBeCloseTo(fc!.ms + mm!.ms, 12);
  });

  it('depthwise convolutions use the depthwise points; epilogues and constants cost no kernel', () => {
    const out = [1, 64, 56, 56];
    const elems = 64 * 56 * 56;
    const dw = node('dw', 'Conv', { outputShape: out, macs: elems * 9, flops: 2 * elems * 9, params: 64 * 9, bytesRead: elems * 4, bytesWritten: elems * 4 });
    const relu = node('relu', 'Relu', { outputShape: out, otherOps: elems, bytesRead: elems * 4, bytesWritten: elems * 4 });
    const shape = node('shape', 'Shape', { outputShape: [4] });
    const folded = node('w2', 'Mul', { outputShape: [64], otherOps: 64, bytesRead: 512, bytesWritten: 256 });
    const graph = {
      nodes: [
        { name: 'dw', opType: 'Conv', inputs: ['x', 'w'], outputs: ['a'] },
        { name: 'relu', opType: 'Relu', inputs: ['a'], outputs: ['b'] },
        { name: 'shape', opType: 'Shape', inputs: ['b'], outputs: ['s'] },
        { name: 'w2', opType: 'Mul', inputs: ['w', 'w'], outputs: ['w3'] },
      ],
      inputs: ['x'],
    };
    const p = predictModel(graph, [dw, relu, shape, folded], device);
    const by = new Map(p.nodes.map((n) => [n.name, n] as const));
    expect(by.get('dw')!.ms).toBeCloseTo(Math.max((2 * elems * 9) / 8e9, (elems * 8) / (bandwidthFor(device, elems * 8) * 1e9)) * 1000 + 0.004, 9);
    expect(by.get('relu')!.bound).toBe('epilogue');
    // MLAS applies a fused activation in a pass over the output the convolution wrote: that output
    // read and written at the bandwidth of its size, without a kernel's overhead…
    const pass = ((2 * elems * 4) / (bandwidthFor(device, 2 * elems * 4) * 1e9)) * 1000;
    expect(by.get('relu')!.ms).toBeCloseTo(pass, 12);
    // …except a Relu inside its NCHWc convolution kernels (a Clip still takes the pass there).
    const convAct = (op: string) => predictModel(
      { nodes: [{ name: 'dw', opType: 'Conv', inputs: ['x', 'w'], outputs: ['a'] }, { name: 'act', opType: op, inputs: ['a'], outputs: ['b'] }], inputs: ['x'] },
      [dw, { ...relu, name: 'act', opType: op }],
      { ...device, nchwc: true },
    ).nodes.find((n) => n.name === 'act')!;
    expect(convAct('Relu')).toMatchObject({ bound: 'epilogue', ms: expect.closeTo((elems / 200e9) * 1000, 12) });
    expect(convAct('Clip')).toMatchObject({ bound: 'epilogue', ms: expect.closeTo(pass, 12) });
    expect(by.get('shape')).toMatchObject({ ms: 0, bound: 'folded' });
    expect(by.get('w2')).toMatchObject({ ms: 0, bound: 'folded' });
  });

  it('a 1×1 convolution is predicted as the product it is (rows = H·W, n = C_out, k = C_in), from its attributes', () => {
    const out = [1, 512, 512, 1];
    const pw = node('pw', 'Conv', { outputShape: out, macs: 512 * 512 * 512, flops: 2 * 512 ** 3, params: 512 * 512, bytesRead: 4 * 512 * 512 * 2, bytesWritten: 4 * 512 * 512 });
    const attrs = { kernel_shape: { type: 'ints' as const, value: [1, 1] }, group: { type: 'int' as const, value: 1 } };
    const p = predictModel({ nodes: [{ name: 'pw', opType: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: attrs }], inputs: ['x'] }, [pw], device);
    // The 512³ GEMM point (200 GFLOP/s), not the dense 3×3 convolution's 150.
    expect(p.nodes[0]!.ms).toBeCloseTo((2 * 512 ** 3) / 200e9 * 1000 + 0.004, 9);
  });

  it('with 1×1 convolution points in the calibration, a 1×1 convolution uses them (nearest in size and channel pair), not the GEMM points', () => {
    const pointwise: DeviceModel = {
      ...device,
      calibration: {
        ...calibration,
        conv: [
          ...calibration.conv,
          { channels: 144, inChannels: 24, groups: 1, size: 56, kernel: 1, stride: 1, gflops: 90, medianSeconds: 1 },
          { channels: 1024, inChannels: 256, groups: 1, size: 14, kernel: 1, stride: 1, gflops: 300, medianSeconds: 1 },
          { channels: 64, groups: 1, size: 1, kernel: 1, stride: 1, gflops: 3, medianSeconds: 2e-6 },
        ],
      },
    };
    const attrs = { kernel_shape: { type: 'ints' as const, value: [1, 1] }, group: { type: 'int' as const, value: 1 } };
    // A projection 144 → 24 at 56²: the expansion/projection pair's point exactly (either direction).
    const macs = 56 * 56 * 144 * 24;
    const proj = node('proj', 'Conv', { outputShape: [1, 24, 56, 56], macs, flops: 2 * macs, params: 144 * 24, bytesRead: 4 * 56 * 56 * 144, bytesWritten: 4 * 56 * 56 * 24 });
    const p = predictModel({ nodes: [{ name: 'proj', opType: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: attrs }], inputs: ['x'] }, [proj], pointwise);
    expect(p.nodes[0]!.ms).toBeCloseTo(Math.max((2 * macs) / 90e9, (4 * 56 * 56 * 168) / (bandwidthFor(device, 4 * 56 * 56 * 168) * 1e9)) * 1000 + 0.004, 9);
    // A dense 3×3 convolution never takes a 1×1 point (the 64-channel dense point alone is its kind).
    const denseMacs = 56 * 56 * 64 * 64 * 9;
    const dense = node('dense', 'Conv', { outputShape: [1, 64, 56, 56], macs: denseMacs, flops: 2 * denseMacs });
    const d = predictModel({ nodes: [{ name: 'dense', opType: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: { kernel_shape: { type: 'ints' as const, value: [3, 3] } } }], inputs: ['x'] }, [dense], pointwise);
    expect(d.nodes[0]!.ms).toBeCloseTo(Math.max((2 * denseMacs) / 150e9, 0) * 1000 + 0.004, 9);
  });

  it('a BatchNormalization whose statistics come from Constant nodes is still the convolution\'s epilogue (ORT folds them, then fuses)', () => {
    const out = [1, 64, 56, 56];
    const elems = 64 * 56 * 56;
    const graph = {
      nodes: [
        { name: 'mean', opType: 'Constant', inputs: [], outputs: ['m'] },
        { name: 'var', opType: 'Constant', inputs: [], outputs: ['v'] },
        { name: 'dw', opType: 'Conv', inputs: ['x', 'w'], outputs: ['a'] },
        { name: 'bn', opType: 'BatchNormalization', inputs: ['a', 'g', 'b', 'm', 'v'], outputs: ['y'] },
      ],
      inputs: ['x'],
    };
    const p = predictModel(graph, [node('mean', 'Constant', { outputShape: [64] }), node('var', 'Constant', { outputShape: [64] }), node('dw', 'Conv', { outputShape: out, macs: elems * 9, flops: 2 * elems * 9 }), node('bn', 'BatchNormalization', { outputShape: out, otherOps: 2 * elems, bytesRead: elems * 4, bytesWritten: elems * 4 })], device);
    expect(p.nodes.find((n) => n.name === 'bn')).toMatchObject({ bound: 'epilogue' });
  });

  it('a bias Add after a MatMul of rank 3 is fused only with static shapes and not after attention (ORT\'s MatMulAddFusion)', () => {
    const x = [1, 16, 64];
    const nodes = [
      node('sm', 'Softmax', { outputShape: [1, 4, 16, 16] }),
      node('av', 'MatMul', { outputShape: [1, 4, 16, 16] }),
      node('tr', 'Transpose', { outputShape: [1, 16, 4, 16] }),
      node('rs', 'Reshape', { outputShape: x }),
      node('proj', 'MatMul', { outputShape: x, macs: 16 * 64 * 64, flops: 2 * 16 * 64 * 64 }),
      node('proj_bias', 'Add', { outputShape: x, otherOps: 1024, bytesRead: 8192, bytesWritten: 4096 }),
      node('fc', 'MatMul', { outputShape: x, macs: 16 * 64 * 64, flops: 2 * 16 * 64 * 64 }),
      node('fc_bias', 'Add', { outputShape: x, otherOps: 1024, bytesRead: 8192, bytesWritten: 4096 }),
    ];
    const links = (symbolicInputs: boolean) => ({
      nodes: [
        { name: 'sm', opType: 'Softmax', inputs: ['s'], outputs: ['p'] },
        { name: 'av', opType: 'MatMul', inputs: ['p', 'v'], outputs: ['o'] },
        { name: 'tr', opType: 'Transpose', inputs: ['o'], outputs: ['t'] },
        { name: 'rs', opType: 'Reshape', inputs: ['t', 'shape'], outputs: ['r'] },
        { name: 'proj', opType: 'MatMul', inputs: ['r', 'w'], outputs: ['h'] },
        { name: 'proj_bias', opType: 'Add', inputs: ['h', 'b'], outputs: ['y'] },
        { name: 'fc', opType: 'MatMul', inputs: ['y', 'w'], outputs: ['h2'] },
        { name: 'fc_bias', opType: 'Add', inputs: ['b', 'h2'], outputs: ['z'] },
      ],
      inputs: ['s', 'v'],
      outputs: ['z'],
      constantDims: new Map([['w', [64, 64]], ['b', [64]], ['shape', [3]]]),
      symbolicInputs,
    });
    const bound = (symbolic: boolean) => new Map(predictModel(links(symbolic), nodes, device).nodes.map((p) => [p.name, p.bound] as const));
    expect(bound(false).get('fc_bias')).toBe('epilogue');
    expect(bound(false).get('proj_bias')).not.toBe('epilogue');
    expect(bound(true).get('fc_bias')).not.toBe('epilogue');
    // Given by hand without the graph's constants: taken as fused, as before.
    const { constantDims: _, ...bare } = links(true);
    expect(new Map(predictModel(bare, nodes, device).nodes.map((p) => [p.name, p.bound] as const)).get('fc_bias')).toBe('epilogue');
  });

  it('adds handing back the graph outputs, at the seconds per byte measured for the nearest output sizes', () => {
    const outputs = [{ bytes: 1 << 20, seconds: 0.002 }, { bytes: 16 << 20, seconds: 0.064 }];
    // Per byte: 1.9 ns at 1 MiB, 3.8 ns at 16 MiB; log-interpolated between, the end rates beyond.
    expect(outputSeconds(outputs, 1 << 19)).toBeCloseTo(0.001, 12);
    expect(outputSeconds(outputs, 4 << 20)).toBeCloseTo((4 << 20) * (0.002 / (1 << 20) + 0.5 * (0.064 / (16 << 20) - 0.002 / (1 << 20))), 12);
    expect(outputSeconds(outputs, 64 << 20)).toBeCloseTo(0.256, 12);
    expect(outputSeconds(undefined, 1 << 20)).toBeNull();
    const logits = node('head', 'MatMul', { outputShape: [1, 128, 50257], macs: 1, flops: 2, bytesWritten: 8 << 20 });
    const hidden = node('ln', 'Relu', { outputShape: [1, 128, 768], otherOps: 1, bytesRead: 4, bytesWritten: 4 });
    const graph = { nodes: [{ name: 'ln', opType: 'Relu', inputs: ['x'], outputs: ['h'] }, { name: 'head', opType: 'MatMul', inputs: ['h', 'w'], outputs: ['logits'] }], inputs: ['x'], outputs: ['logits'], constantDims: new Map([['w', [768, 50257]]]), symbolicInputs: false };
    const plain = predictModel(graph, [hidden, logits], device);
    expect(plain.outputsMs).toBeUndefined();
    const measured = predictModel(graph, [hidden, logits], { ...device, calibration: { ...calibration, outputs } });
    expect(measured.outputsMs).toBeCloseTo(outputSeconds(outputs, 8 << 20)! * 1000, 12);
    expect(measured.latencyMs).toBeCloseTo(plain.latencyMs + measured.outputsMs!, 12);
    expect(measured.nodes).toEqual(plain.nodes);
    expect(measured.basis).toMatch(/graph outputs 8\.0 MiB handed back per run/);
  });

  it('the Mul of a SiLU (x·sigmoid(x)) costs only its operations: ORT runs the pair as one QuickGelu kernel', () => {
    const out = [1, 64, 56, 56];
    const elems = 64 * 56 * 56;
    const sig = node('sig', 'Sigmoid', { outputShape: out, otherOps: elems, bytesRead: elems * 4, bytesWritten: elems * 4 });
    const mul = node('mul', 'Mul', { outputShape: out, otherOps: elems, bytesRead: elems * 8, bytesWritten: elems * 4 });
    const graph = { nodes: [{ name: 'sig', opType: 'Sigmoid', inputs: ['x'], outputs: ['s'] }, { name: 'mul', opType: 'Mul', inputs: ['x', 's'], outputs: ['y'] }], inputs: ['x'] };
    const p = predictModel(graph, [sig, mul], device);
    expect(p.nodes[1]).toMatchObject({ bound: 'epilogue' });
    expect(p.nodes[1]!.ms).toBeCloseTo((elems / 200e9) * 1000, 12);
    expect(p.nodes[0]!.bound).not.toBe('epilogue');
  });

  it('charges ORT\'s layout reorders around a per-channel scale from the nearest measured shape, on the unit of the node that feeds each, once per tensor', () => {
    const big = [1, 64, 56, 56];
    const elems = 64 * 56 * 56;
    const conv = (name: string) => node(name, 'Conv', { outputShape: big, macs: elems * 64, flops: 2 * elems * 64, params: 64 * 64, bytesRead: elems * 4, bytesWritten: elems * 4 });
    const nodes = [
      conv('conv1'),
      node('sig', 'Sigmoid', { outputShape: [1, 64, 1, 1], otherOps: 64, bytesRead: 256, bytesWritten: 256 }),
      node('scale', 'Mul', { outputShape: big, otherOps: elems, bytesRead: elems * 4 + 256, bytesWritten: elems * 4 }),
      conv('conv2'),
      conv('conv3'),
    ];
    const graph = {
      nodes: [
        { name: 'conv1', opType: 'Conv', inputs: ['x', 'w1'], outputs: ['a'] },
        { name: 'sig', opType: 'Sigmoid', inputs: ['z'], outputs: ['s'] },
        { name: 'scale', opType: 'Mul', inputs: ['a', 's'], outputs: ['m'] },
        { name: 'conv2', opType: 'Conv', inputs: ['m', 'w2'], outputs: ['b'] },
        { name: 'conv3', opType: 'Conv', inputs: ['m', 'w3'], outputs: ['c'] },
      ],
      inputs: ['x', 'z'],
    };
    // The [1, 64, 56, 56] point is the nearest (exact); the [1, 1024, 7, 7] one is far in both channels and image size.
    const layout = [
      { channels: 1024, size: 7, reorderInputSeconds: 1e-3, reorderOutputSeconds: 1e-3, broadcastMulSeconds: 1e-3 },
      { channels: 64, size: 56, reorderInputSeconds: 30e-6, reorderOutputSeconds: 20e-6, broadcastMulSeconds: 40e-6 },
    ];
    const plain = predictModel(graph, nodes, { ...device, nchwc: true });
    const measured = predictModel(graph, nodes, { ...device, nchwc: true, calibration: { ...calibration, layout } });
    const ms = (p: typeof plain, name: string) => p.nodes.find((n) => n.name === name)!.ms;
    const overhead = calibration.overheadUs / 1000;
    // ReorderOutput (blocked `a` into the plain Mul) joins conv1's unit: only its charge changes.
    const copy = (elems * 8) / (bandwidthFor(device, elems * 8) * 1e9) * 1000;
    expect(ms(measured, 'conv1') - ms(plain, 'conv1')).toBeCloseTo(0.020 - copy, 9);
    // The Mul: the measured broadcast Mul, plus the ReorderInput of its output, once although two Convs read it.
    expect(ms(measured, 'scale')).toBeCloseTo(overhead + 0.040 + overhead + 0.030, 9);
    // Timed from the calibration's own point, it takes no Mul factor fitted on other models' Muls.
    const refinement = { factors: [{ opType: 'Mul', factor: 3, units: 9, models: 3 }], fittedOn: ['a', 'b', 'c'] };
    expect(ms(predictModel(graph, nodes, { ...device, nchwc: true, calibration: { ...calibration, layout }, refinement }), 'scale')).toBeCloseTo(ms(measured, 'scale'), 12);
    expect(ms(measured, 'conv2')).toBeCloseTo(ms(plain, 'conv2'), 12);
    expect(ms(measured, 'conv3')).toBeCloseTo(ms(plain, 'conv3'), 12);
    // A tensor twice the channels of the nearest point costs twice its time.
    const wide = nodes.map((n) => (n.outputShape?.[1] === 64 && n.outputShape.length === 4 && n.name !== 'sig' ? { ...n, outputShape: [1, 128, 56, 56] } : n));
    const twice = predictModel(graph, wide, { ...device, nchwc: true, calibration: { ...calibration, layout } });
    expect(twice.nodes.find((n) => n.name === 'scale')!.ms).toBeCloseTo(overhead + 0.080 + overhead + 0.060, 9);
  });

  it('a Clip with constant bounds after a convolution stays in the blocked layout: no reorder is charged (ORT fuses it into the Conv)', () => {
    const big = [1, 64, 56, 56];
    const elems = 64 * 56 * 56;
    const conv = (name: string) => node(name, 'Conv', { outputShape: big, macs: elems * 64, flops: 2 * elems * 64, params: 64 * 64, bytesRead: elems * 4, bytesWritten: elems * 4 });
    const nodes = [conv('conv1'), node('lo', 'Constant', { outputShape: [] }), node('hi', 'Constant', { outputShape: [] }), node('clip', 'Clip', { outputShape: big, otherOps: elems, bytesRead: elems * 4, bytesWritten: elems * 4 }), conv('conv2')];
    const graph = {
      nodes: [
        { name: 'conv1', opType: 'Conv', inputs: ['x', 'w1'], outputs: ['a'] },
        { name: 'lo', opType: 'Constant', inputs: [], outputs: ['min'] },
        { name: 'hi', opType: 'Constant', inputs: [], outputs: ['max'] },
        { name: 'clip', opType: 'Clip', inputs: ['a', 'min', 'max'], outputs: ['c'] },
        { name: 'conv2', opType: 'Conv', inputs: ['c', 'w2'], outputs: ['b'] },
      ],
      inputs: ['x'],
    };
    const layout = [{ channels: 64, size: 56, reorderInputSeconds: 30e-6, reorderOutputSeconds: 20e-6, broadcastMulSeconds: 40e-6 }];
    const blocked = predictModel(graph, nodes, { ...device, nchwc: true, calibration: { ...calibration, layout } });
    const plainLayout = predictModel(graph, nodes, { ...device, nchwc: false, calibration: { ...calibration, layout } });
    expect(blocked.latencyMs).toBeCloseTo(plainLayout.latencyMs, 12);
  });

  it('a benchmark without a calibration and a machine without a benchmark say so in the basis', () => {
    const old = deviceModelFromBench({ gemm: { best: { fp32: 120 } }, memory: { sweep: [], levels: [{ name: 'DRAM', GBs: 18 }], triadGBs: 17 } }, 'run 3', { computeGflops: 300, dramGBs: 20 });
    // DRAM is STREAM triad, the roofline's DRAM ceiling: one figure for every consumer of the benchmark.
    expect(old).toMatchObject({ computeGflops: 120, dramGBs: 17, calibration: null, measured: true });
    expect(old.basis).toMatch(/no per-shape calibration/);
    const none = deviceModelFromPeaks(380, 20, 'theoretical fp32 peak');
    expect(none.measured).toBe(false);
    expect(none.basis).toMatch(/no benchmark stored/);
  });
});
