// Fuzz test for the ONNX loader: thousands of seeded random mutations of valid models (bit flips,
// truncations, insertions, deletions, random varints) must each end, quickly, in a ModelIR or an
// ApiFailure naming the file — never another exception, a hang or a crash. Reproduce a failure
// with FUZZ_SEED=<seed printed in the log> npx vitest run src-main/services/onnx/load-model.fuzz.test.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { buildModel, TensorDataType } from './build-graph.js';
import { loadModel, loadModelFromBytes, readInitializer } from './load-model.js';
import { AttributeType, DataLocation, ModelProto } from './onnx-schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-load-model-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** mulberry32: a tiny seeded PRNG, so every mutation sequence reproduces from the seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f32 = (n: number, scale = 1): Uint8Array => new Uint8Array(Float32Array.from({ length: n }, (_, i) => Math.sin(i) * scale).buffer);
const enc = new TextEncoder();
const vi = (name: string, shape: Array<number | string>) => ({
  name,
  type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

function baseModels(): Record<string, Uint8Array> {
  const mlp = buildModel({
    inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: ['batch', 16] }],
    outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: ['batch', 4] }],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'w1'], outputs: ['h'] },
      { opType: 'Relu', inputs: ['h'], outputs: ['r'] },
      { opType: 'MatMul', inputs: ['r', 'w2'], outputs: ['y'] },
    ],
    initializers: [
      { name: 'w1', dataType: TensorDataType.FLOAT, dims: [16, 8], raw: f32(128) },
      { name: 'w2', dataType: TensorDataType.FLOAT, dims: [8, 4], raw: f32(32) },
    ],
  });
  const conv = buildModel({
    inputs: [{ name: 'img', elemType: TensorDataType.FLOAT, shape: ['n', 3, 32, 32] }],
    outputs: [{ name: 'logits', elemType: TensorDataType.FLOAT, shape: ['n', 10] }],
    nodes: [
      {
        opType: 'Conv', inputs: ['img', 'conv.w', 'conv.b'], outputs: ['c'], name: 'conv1',
        attributes: [
          { name: 'kernel_shape', type: 'ints', value: [3, 3] }, { name: 'pads', type: 'ints', value: [1, 1, 1, 1] },
          { name: 'strides', type: 'ints', value: [2, 2] }, { name: 'group', type: 'int', value: 1 },
          { name: 'auto_pad', type: 'string', value: 'NOTSET' },
        ],
      },
      { opType: 'BatchNormalization', inputs: ['c', 's', 'b', 'm', 'v'], outputs: ['bn'], attributes: [{ name: 'epsilon', type: 'float', value: 1e-5 }] },
      { opType: 'MaxPool', inputs: ['bn'], outputs: ['p'], attributes: [{ name: 'kernel_shape', type: 'ints', value: [2, 2] }] },
      { opType: 'Reshape', inputs: ['p', 'shape'], outputs: ['flat'] },
      { opType: 'Gemm', inputs: ['flat', 'fc.w'], outputs: ['logits'], attributes: [{ name: 'alpha', type: 'float', value: 1 }, { name: 'transB', type: 'int', value: 1 }, { name: 'scales', type: 'floats', value: [0.5, 2] }] },
    ],
    initializers: [
      { name: 'conv.w', dataType: TensorDataType.FLOAT, dims: [8, 3, 3, 3], raw: f32(216) },
      { name: 'conv.b', dataType: TensorDataType.FLOAT, dims: [8], raw: f32(8) },
      ...['s', 'b', 'm', 'v'].map((name) => ({ name, dataType: TensorDataType.FLOAT, dims: [8], raw: f32(8) })),
      { name: 'shape', dataType: TensorDataType.INT64, dims: [2], raw: new Uint8Array(BigInt64Array.from([-1n, 512n]).buffer) },
      { name: 'fc.w', dataType: TensorDataType.FLOAT16, dims: [10, 512], raw: new Uint8Array(10240).fill(0x3c) },
    ],
  });
  const branch = (name: string, op: string) => ({
    name,
    node: [{ opType: op, input: ['k', `${name}.c`], output: ['out'] }],
    initializer: [{ name: `${name}.c`, dataType: TensorDataType.FLOAT, dims: [2], rawData: f32(2) }],
    output: [vi('out', [2])],
  });
  const control = ModelProto.encode(ModelProto.fromObject({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
    producerName: 'fuzz',
    graph: {
      name: 'control',
      node: [
        { opType: 'Constant', output: ['k'], attribute: [{ name: 'value', type: AttributeType.TENSOR, t: { dataType: TensorDataType.FLOAT, dims: [2], floatData: [1, 2] } }] },
        { opType: 'Constant', output: ['k64'], attribute: [{ name: 'value', type: AttributeType.TENSOR, t: { dataType: TensorDataType.INT64, dims: [3], int64Data: [1, -1, 7] } }] },
        {
          opType: 'If', input: ['cond'], output: ['z'], name: 'if',
          attribute: [{ name: 'then_branch', type: AttributeType.GRAPH, g: branch('then', 'Add') }, { name: 'else_branch', type: AttributeType.GRAPH, g: branch('else', 'Sub') }],
        },
        { opType: 'Loop', input: ['trip', 'cond'], output: ['l'], attribute: [{ name: 'body', type: AttributeType.GRAPH, g: branch('body', 'Mul') }] },
        { opType: 'Custom', domain: 'com.microsoft', output: ['c'], attribute: [{ name: 'names', type: AttributeType.STRINGS, strings: [enc.encode('a'), enc.encode('b')] }] },
      ],
      input: [{ name: 'cond', type: { tensorType: { elemType: TensorDataType.BOOL, shape: { dim: [] } } } }, vi('trip', [1])],
      output: [vi('z', [2])],
      valueInfo: [vi('k', [2])],
    },
  })).finish();
  fs.writeFileSync(path.join(dir, 'weights.bin'), f32(64));
  const external = ModelProto.encode(ModelProto.fromObject({
    irVersion: 9,
    opsetImport: [{ version: 19 }],
    graph: {
      node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }],
      input: [vi('x', ['b', 8])],
      initializer: [
        { name: 'W', dataType: TensorDataType.FLOAT, dims: [8, 8], dataLocation: DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '256' }] },
        { name: 'half', dataType: TensorDataType.FLOAT16, dims: [2], int32Data: [0x3c00, 0x4000] },
        { name: 'many', dataType: TensorDataType.FLOAT, dims: [5000], floatData: Array.from({ length: 5000 }, (_, i) => i) },
      ],
      sparseInitializer: [{ values: { name: 'sp', dataType: TensorDataType.FLOAT, dims: [2], floatData: [1, 2] }, indices: { dataType: TensorDataType.INT64, dims: [2], int64Data: [0, 3] }, dims: [4] }],
    },
  })).finish();
  // Plain Uint8Array copies: protobufjs returns Node Buffers, whose slice() is a view — mutating
  // one would corrupt the base model for every later iteration.
  return Object.fromEntries(Object.entries({ mlp, conv, control, external }).map(([k, v]) => [k, Uint8Array.from(v)]));
}

type Mutation = (b: Uint8Array, rnd: () => number) => [Uint8Array, string];
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}

const mutations: Record<string, Mutation> = {
  flip: (b, rnd) => {
    const out = b.slice();
    const n = 1 + int(rnd, 4);
    for (let i = 0; i < n; i++) { const at = int(rnd, out.length); out[at] = out[at]! ^ (1 << int(rnd, 8)); }
    return [out, `flip×${n}`];
  },
  truncate: (b, rnd) => { const at = int(rnd, b.length); return [b.slice(0, at), `truncate@${at}`]; },
  insert: (b, rnd) => {
    const at = int(rnd, b.length + 1);
    const junk = Uint8Array.from({ length: 1 + int(rnd, 16) }, () => int(rnd, 256));
    const out = new Uint8Array(b.length + junk.length);
    out.set(b.subarray(0, at)); out.set(junk, at); out.set(b.subarray(at), at + junk.length);
    return [out, `insert ${junk.length}@${at}`];
  },
  delete: (b, rnd) => {
    const at = int(rnd, b.length);
    const n = 1 + int(rnd, 16);
    const rest = b.subarray(Math.min(b.length, at + n));
    const out = new Uint8Array(at + rest.length);
    out.set(b.subarray(0, at)); out.set(rest, at);
    return [out, `delete ${n}@${at}`];
  },
  varint: (b, rnd) => {
    // Lengths are the dangerous part: small, just over a byte, huge, and 10-byte (negative int64).
    const magnitudes = [int(rnd, 128), 128 + int(rnd, 16256), int(rnd, 2 ** 35), 2 ** 53 - 1 - int(rnd, 1000), 2 ** 63];
    const v = varintBytes(magnitudes[int(rnd, magnitudes.length)]!);
    const at = int(rnd, b.length);
    const out = b.slice();
    out.set(v.slice(0, out.length - at), at);
    return [out, `varint ${v.length}B@${at}`];
  },
  byte: (b, rnd) => {
    const interesting = [0x00, 0xff, 0x7f, 0x80, 0x08, 0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x3a, 0x42, 0x4a, 0x72];
    const at = int(rnd, b.length);
    const out = b.slice();
    out[at] = interesting[int(rnd, interesting.length)]!;
    return [out, `byte@${at}`];
  },
  duplicate: (b, rnd) => {
    const from = int(rnd, b.length);
    const n = 1 + int(rnd, 64);
    const slice = b.slice(from, from + n);
    const at = int(rnd, b.length + 1);
    const out = new Uint8Array(b.length + slice.length);
    out.set(b.subarray(0, at)); out.set(slice, at); out.set(b.subarray(at), at + slice.length);
    return [out, `dup ${slice.length}@${at}`];
  },
};

type Outcome = { ok: true; initializers: number } | { ok: false; message: string };

async function outcome(p: Promise<{ graph: { initializers: unknown[] } }>, name: string, what: string): Promise<Outcome> {
  try {
    const m = await p;
    return { ok: true, initializers: m.graph.initializers.length };
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw new Error(`${what}: ${name} threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
    if (!e.message.includes(name)) throw new Error(`${what}: message does not name the file: ${e.message}`);
    return { ok: false, message: e.message };
  }
}

describe('loadModel fuzz', () => {
  it('survives thousands of mutated models with an IR or an ApiFailure naming the file', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 0x5eed);
    const iterations = Number(process.env.FUZZ_ITERATIONS ?? 4000);
    const rnd = mulberry32(seed);
    const bases = Object.entries(baseModels());
    // Every base loads before mutation.
    for (const [name, bytes] of bases) {
      const file = path.join(dir, `${name}.onnx`);
      fs.writeFileSync(file, bytes);
      await loadModel(file);
    }
    const names = Object.keys(mutations);
    const stats = { ok: 0, failures: 0, reads: 0, readFailures: 0, kinds: {} as Record<string, number> };
    let slowest = { ms: 0, what: '' };
    const started = performance.now();
    for (let it = 0; it < iterations; it++) {
      const [baseName, base] = bases[int(rnd, bases.length)]!;
      let bytes = base;
      const applied: string[] = [];
      for (let k = 1 + int(rnd, 3); k > 0; k--) {
        const [out, label] = mutations[names[int(rnd, names.length)]!]!(bytes, rnd);
        bytes = out;
        applied.push(label);
      }
      const what = `seed ${seed} iteration ${it} (${baseName}: ${applied.join(', ')})`;
      const name = `fuzz-${baseName}.onnx`;
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const t0 = performance.now();
      const fromFile = await outcome(loadModel(file), name, what);
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, what };
      // The in-memory path walks the same bytes through a different source: same answer.
      const fromBytes = await outcome(loadModelFromBytes(bytes, name, { baseDir: dir }), name, what);
      expect(fromBytes, what).toEqual(fromFile);
      if (fromFile.ok) {
        stats.ok++;
        const m = await loadModel(file, { maxInlineRawValues: 0 });
        for (const init of m.graph.initializers.slice(0, 4)) {
          stats.reads++;
          try {
            await readInitializer(file, init);
          } catch (e) {
            if (!(e instanceof ApiFailure)) throw new Error(`${what}: readInitializer threw ${String(e)}`);
            stats.readFailures++;
          }
        }
      } else {
        stats.failures++;
        // Bucket messages by shape: names → '…', numbers → N, parentheticals dropped.
        const kind = fromFile.message.replace(name, 'FILE').replace(/'[^']*'/g, "'…'").replace(/\([^)]*\)/g, '').replace(/\d+/g, 'N').replace(/\s+/g, ' ').slice(0, 110);
        stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
      }
    }
    const totalMs = performance.now() - started;
    console.log(`fuzz seed ${seed}: ${iterations} mutants in ${(totalMs / 1000).toFixed(1)} s; ${stats.ok} loaded, ${stats.failures} ApiFailures; ` +
      `${stats.reads} readInitializer calls (${stats.readFailures} ApiFailures); slowest load ${slowest.ms.toFixed(1)} ms (${slowest.what})`);
    console.log(`most common failures:\n${Object.entries(stats.kinds).sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, n]) => `${String(n).padStart(6)}  ${k}`).join('\n')}`);
    expect(stats.ok + stats.failures).toBe(iterations);
    expect(stats.failures).toBeGreaterThan(iterations / 10);
    expect(slowest.ms).toBeLessThan(1000);
    expect(totalMs).toBeLessThan(20_000);
  }, 60_000);
});
