// Tests for the lazy ONNX loader and on-demand tensor reads: round trips of models built with
// build-graph.ts / the schema, initializer offsets, external data, and every error message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { AttributeValue, GraphIR, Initializer } from '../../../src-shared/profiler/ir.js';
import { buildModel, TensorDataType } from './build-graph.js';
import { loadModel, loadModelFromBytes, readInitializer } from './load-model.js';
import { AttributeType, DataLocation, GraphProto, ModelProto, TensorProto } from './onnx-schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-load-model-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const enc = new TextEncoder();
const write = (name: string, bytes: Uint8Array | string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};
const encodeModel = (model: object): Uint8Array => ModelProto.encode(ModelProto.fromObject(model)).finish();
const vi = (name: string, elemType: number, shape: Array<number | string>) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}
/** A length-delimited field, for splicing hand-made fields into encoded messages. */
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const field = (no: number, payload: Uint8Array): Uint8Array => concat(Uint8Array.from([...varint((no << 3) | 2), ...varint(payload.length)]), payload);

/** Expects `p` to reject with an ApiFailure whose message matches. */
async function failsWith(p: Promise<unknown>, message: RegExp | string, code = 'INVALID_REQUEST'): Promise<ApiFailure> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiFailure);
  const f = e as ApiFailure;
  expect(f.code).toBe(code);
  if (typeof message === 'string') expect(f.message).toBe(message);
  else expect(f.message).toMatch(message);
  return f;
}

function mlp(): { bytes: Uint8Array; w1: Float32Array; b1: Float32Array; w2: Float32Array } {
  const w1 = Float32Array.from({ length: 8 * 16 }, (_, i) => Math.sin(i));
  const b1 = Float32Array.from({ length: 16 }, (_, i) => i / 16);
  const w2 = Float32Array.from({ length: 16 * 4 }, (_, i) => Math.cos(i));
  const bytes = buildModel({
    graphName: 'mlp',
    inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: ['batch', 8] }],
    outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: ['batch', 4] }],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'fc1.weight'], outputs: ['h0'], name: 'fc1/MatMul' },
      { opType: 'Add', inputs: ['h0', 'fc1.bias'], outputs: ['h1'], name: 'fc1/Add' },
      { opType: 'Gelu', inputs: ['h1'], outputs: ['h2'], domain: 'com.microsoft' },
      { opType: 'MatMul', inputs: ['h2', 'fc2.weight'], outputs: ['y'], name: 'fc2/MatMul' },
    ],
    initializers: [
      { name: 'fc1.weight', dataType: TensorDataType.FLOAT, dims: [8, 16], raw: bytesOf(w1) },
      { name: 'fc1.bias', dataType: TensorDataType.FLOAT, dims: [16], raw: bytesOf(b1) },
      { name: 'fc2.weight', dataType: TensorDataType.FLOAT, dims: [16, 4], raw: bytesOf(w2) },
    ],
    opset: 17,
    extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
  });
  return { bytes, w1, b1, w2 };
}

describe('loadModel: round trips', () => {
  it('describes an MLP built with build-graph, without reading its weights', async () => {
    const { bytes, w1, b1, w2 } = mlp();
    const file = write('mlp.onnx', bytes);
    const m = await loadModel(file, { maxInlineRawValues: 0 });
    expect(m.source).toBe('mlp.onnx');
    expect(m.fileBytes).toBe(bytes.length);
    expect(m.irVersion).toBe(8);
    expect(m.opsets).toEqual({ '': 17, 'com.microsoft': 1 });
    expect(m.producer).toBe('flopscope 0.1');
    const g = m.graph;
    expect(g.name).toBe('mlp');
    expect(g.inputs).toEqual([{ name: 'x', elemType: 'float32', shape: ['batch', 8] }]);
    expect(g.outputs).toEqual([{ name: 'y', elemType: 'float32', shape: ['batch', 4] }]);
    expect(g.nodes.map((n) => [n.name, n.opType, n.domain, n.inputs, n.outputs])).toEqual([
      ['fc1/MatMul', 'MatMul', '', ['x', 'fc1.weight'], ['h0']],
      ['fc1/Add', 'Add', '', ['h0', 'fc1.bias'], ['h1']],
      ['Gelu_2', 'Gelu', 'com.microsoft', ['h1'], ['h2']],
      ['fc2/MatMul', 'MatMul', '', ['h2', 'fc2.weight'], ['y']],
    ]);
    const expected: Array<[string, number[], Float32Array]> = [['fc1.weight', [8, 16], w1], ['fc1.bias', [16], b1], ['fc2.weight', [16, 4], w2]];
    expect(g.initializers.map((i) => [i.name, i.elemType, i.dims])).toEqual(expected.map(([n, d]) => [n, 'float32', d]));
    for (const [k, init] of g.initializers.entries()) {
      const values = expected[k]![2];
      // The recorded (offset, length) is exactly the raw_data bytes in the file…
      expect(init.location).toEqual({ kind: 'raw', offset: expect.any(Number), length: values.byteLength });
      const loc = init.location as { offset: number; length: number };
      expect(Array.from(bytes.subarray(loc.offset, loc.offset + loc.length))).toEqual(Array.from(bytesOf(values)));
      // …and readInitializer reads them back from the file, or from the same bytes in memory.
      expect(await readInitializer(file, init)).toEqual(values);
      expect(await readInitializer(bytes, init)).toEqual(values);
    }
    // Same description from memory.
    expect(await loadModelFromBytes(bytes, 'mlp.onnx', { maxInlineRawValues: 0 })).toEqual(m);
  });

  it('inlines small raw initializers (shape constants) by default, and typed-field tensors up to maxInlineValues', async () => {
    const shape = new BigInt64Array([-1n, 16n]);
    const bytes = encodeModel({
      irVersion: 9,
      opsetImport: [{ domain: 'ai.onnx', version: 19 }],
      graph: {
        node: [{ opType: 'Reshape', input: ['x', 'shape'], output: ['y'] }],
        input: [vi('x', TensorDataType.FLOAT, ['n', 4, 4])],
        output: [vi('y', TensorDataType.FLOAT, ['n', 16])],
        initializer: [
          { name: 'shape', dataType: TensorDataType.INT64, dims: [2], rawData: bytesOf(shape) },
          { name: 'axes', dataType: TensorDataType.INT64, dims: [3], int64Data: [0, -1, 9007199254740991] },
          { name: 'scale', dataType: TensorDataType.FLOAT, dims: [2], floatData: [0.5, -2] },
          { name: 'half', dataType: TensorDataType.FLOAT16, dims: [3], int32Data: [0x3c00, 0xc000, 0x3555] },
          { name: 'bf', dataType: TensorDataType.BFLOAT16, dims: [1], int32Data: [0x3fc0] },
          { name: 'flags', dataType: TensorDataType.BOOL, dims: [2], int32Data: [1, 0] },
          { name: 'big', dataType: TensorDataType.FLOAT, dims: [5000], floatData: Array.from({ length: 5000 }, (_, i) => i / 8) },
          { name: 'bigints', dataType: TensorDataType.INT64, dims: [5000], int64Data: Array.from({ length: 5000 }, (_, i) => i) },
          { name: 'd', dataType: TensorDataType.DOUBLE, dims: [2], doubleData: [1e-300, 3] },
          { name: 'empty', dataType: TensorDataType.FLOAT, dims: [0, 3] },
          { name: 'words', dataType: TensorDataType.STRING, dims: [1], stringData: [enc.encode('hi')] },
        ],
      },
    });
    const file = write('consts.onnx', bytes);
    const m = await loadModel(file);
    expect(m.opsets).toEqual({ '': 19 });
    const byName = Object.fromEntries(m.graph.initializers.map((i) => [i.name, i]));
    expect(byName.shape!.location).toEqual({ kind: 'inline', values: [-1, 16] });
    expect(byName.axes!.location).toEqual({ kind: 'inline', values: [0, -1, 9007199254740991] });
    expect(byName.scale!.location).toEqual({ kind: 'inline', values: [0.5, -2] });
    expect(byName.half!.location).toEqual({ kind: 'inline', values: [1, -2, expect.closeTo(0.33325, 4)] });
    expect(byName.bf!.location).toEqual({ kind: 'inline', values: [1.5] });
    expect(byName.flags!.location).toEqual({ kind: 'inline', values: [1, 0] });
    expect(byName.d!.location).toEqual({ kind: 'inline', values: [1e-300, 3] });
    expect(byName.empty!.location).toEqual({ kind: 'inline', values: [] });
    expect(byName.words!.location).toEqual({ kind: 'none' });
    // 5000 floats is past maxInlineValues, but packed float_data is raw float32 bytes: point at it.
    expect(byName.big!.location).toMatchObject({ kind: 'raw', length: 20000 });
    expect(Array.from(await readInitializer(file, byName.big!) as Float32Array)).toEqual(Array.from({ length: 5000 }, (_, i) => i / 8));
    // Varint int64_data has no byte layout to point at: described, not readable.
    expect(byName.bigints!.location).toEqual({ kind: 'none' });
    await failsWith(readInitializer(file, byName.bigints!), /consts\.onnx: initializer 'bigints' stores no readable data/);
    expect(await readInitializer(file, byName.half!)).toEqual(Float32Array.from([1, -2, 0.333251953125]));
    expect(await readInitializer(file, byName.axes!)).toEqual(Float64Array.from([0, -1, 9007199254740991]));
    // A larger maxInlineValues inlines 'big' as well.
    const wide = await loadModel(file, { maxInlineValues: 10_000 });
    expect(wide.graph.initializers.find((i) => i.name === 'big')!.location).toMatchObject({ kind: 'inline' });
  });

  it('reads raw initializers of every decodable element type back', async () => {
    const cases: Array<{ name: string; dataType: number; dims: number[]; raw: Uint8Array; expected: ArrayLike<number | bigint>; ctor: string }> = [
      { name: 'f32', dataType: TensorDataType.FLOAT, dims: [3], raw: bytesOf(Float32Array.from([1.5, -2, 3e-5])), expected: Float32Array.from([1.5, -2, 3e-5]), ctor: 'Float32Array' },
      { name: 'f16', dataType: TensorDataType.FLOAT16, dims: [4], raw: bytesOf(Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x7c00])), expected: [1, -2, 2 ** -24, Infinity], ctor: 'Float32Array' },
      { name: 'bf16', dataType: TensorDataType.BFLOAT16, dims: [2], raw: bytesOf(Uint16Array.from([0x3f80, 0xc040])), expected: [1, -3], ctor: 'Float32Array' },
      { name: 'f64', dataType: TensorDataType.DOUBLE, dims: [2], raw: bytesOf(Float64Array.from([Math.PI, -1e300])), expected: [Math.PI, -1e300], ctor: 'Float64Array' },
      { name: 'i8', dataType: TensorDataType.INT8, dims: [3], raw: bytesOf(Int8Array.from([-128, 0, 127])), expected: [-128, 0, 127], ctor: 'Int8Array' },
      { name: 'u8', dataType: TensorDataType.UINT8, dims: [2], raw: Uint8Array.from([0, 255]), expected: [0, 255], ctor: 'Uint8Array' },
      { name: 'i16', dataType: TensorDataType.INT16, dims: [2], raw: bytesOf(Int16Array.from([-300, 300])), expected: [-300, 300], ctor: 'Int16Array' },
      { name: 'u16', dataType: TensorDataType.UINT16, dims: [1], raw: bytesOf(Uint16Array.from([65535])), expected: [65535], ctor: 'Uint16Array' },
      { name: 'i32', dataType: TensorDataType.INT32, dims: [2, 1], raw: bytesOf(Int32Array.from([-7, 1 << 30])), expected: [-7, 1 << 30], ctor: 'Int32Array' },
      { name: 'u32', dataType: TensorDataType.UINT32, dims: [1], raw: bytesOf(Uint32Array.from([4e9])), expected: [4e9], ctor: 'Uint32Array' },
      { name: 'i64', dataType: TensorDataType.INT64, dims: [3], raw: bytesOf(BigInt64Array.from([-1n, 2n ** 53n, 7n])), expected: [-1, 2 ** 53, 7], ctor: 'Float64Array' },
      // A value past 2^53 cannot be a number without rounding: the values stay bigints.
      { name: 'i64big', dataType: TensorDataType.INT64, dims: [2], raw: bytesOf(BigInt64Array.from([1n, 2n ** 62n + 1n])), expected: [1n, 2n ** 62n + 1n], ctor: 'BigInt64Array' },
      { name: 'bool', dataType: TensorDataType.BOOL, dims: [2], raw: Uint8Array.from([1, 0]), expected: [1, 0], ctor: 'Uint8Array' },
      { name: 'i4', dataType: TensorDataType.INT4, dims: [3], raw: Uint8Array.from([0x7f, 0x08]), expected: [-1, 7, -8], ctor: 'Int8Array' },
      { name: 'scalar', dataType: TensorDataType.FLOAT, dims: [], raw: bytesOf(Float32Array.from([42])), expected: [42], ctor: 'Float32Array' },
    ];
    const bytes = buildModel({
      inputs: [], outputs: [], nodes: [],
      initializers: cases.map(({ name, dataType, dims, raw }) => ({ name, dataType, dims, raw })),
    });
    const file = write('dtypes.onnx', bytes);
    for (const maxInlineRawValues of [0, 64]) {
      const m = await loadModel(file, { maxInlineRawValues });
      for (const [k, c] of cases.entries()) {
        const init = m.graph.initializers[k]!;
        expect(init.name).toBe(c.name);
        expect(init.dims).toEqual(c.dims);
        if (maxInlineRawValues === 0) {
          const loc = init.location as { kind: string; offset: number; length: number };
          expect(loc.kind).toBe('raw');
          expect(Array.from(bytes.subarray(loc.offset, loc.offset + loc.length))).toEqual(Array.from(c.raw));
          const got = await readInitializer(file, init);
          expect(got.constructor.name).toBe(c.ctor);
          expect(Array.from(got as ArrayLike<number | bigint>)).toEqual(Array.from(c.expected));
        } else if (c.name !== 'i64big') {
          // Inlined values read back as the same numbers (the unsafe int64 is rounded inline; its raw read is exact).
          const got = await readInitializer(file, init);
          expect(Array.from(got as ArrayLike<number>)).toEqual(Array.from(c.expected as ArrayLike<number>));
        }
      }
      expect(m.graph.initializers.map((i) => i.elemType)).toEqual([
        'float32', 'float16', 'bfloat16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'int64', 'bool', 'int4', 'float32',
      ]);
    }
  });

  it('reads attributes of every type, Constant tensors and If/Loop subgraphs (with their own initializers)', async () => {
    const thenW = Float32Array.from([1, 2, 3, 4]);
    const subgraph = (name: string, op: string) => ({
      name,
      node: [{ opType: op, input: ['a', `${name}_w`], output: ['b'] }],
      initializer: [{ name: `${name}_w`, dataType: TensorDataType.FLOAT, dims: [4], rawData: bytesOf(thenW) }],
      output: [vi('b', TensorDataType.FLOAT, [4])],
    });
    const constRaw = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
    const attrs = [
      { name: 'f', type: AttributeType.FLOAT, f: 0.25 },
      { name: 'i', type: AttributeType.INT, i: -3 },
      { name: 's', type: AttributeType.STRING, s: enc.encode('SAME_UPPER') },
      { name: 'floats', type: AttributeType.FLOATS, floats: [1, 0.5] },
      { name: 'ints', type: AttributeType.INTS, ints: [3, 3, -1] },
      { name: 'strings', type: AttributeType.STRINGS, strings: [enc.encode('a'), enc.encode('bc')] },
      { name: 'tp', type: AttributeType.TYPE_PROTO, tp: { tensorType: { elemType: 1 } } },
      { name: 'ref', type: AttributeType.FLOAT, refAttrName: 'alpha' },
      // IR v1 attributes have no `type`: inferred from the field present.
      { name: 'untyped', i: 5 },
    ];
    const bytes = encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'main',
        node: [
          { opType: 'Custom', name: 'all', input: ['x'], output: ['c'], attribute: attrs },
          { opType: 'Constant', output: ['k'], attribute: [{ name: 'value', type: AttributeType.TENSOR, t: { dataType: TensorDataType.INT64, dims: [2], int64Data: [1, -1] } }] },
          { opType: 'Constant', output: ['k2'], attribute: [{ name: 'value', type: AttributeType.TENSOR, t: { dataType: TensorDataType.FLOAT, dims: [2, 3], rawData: bytesOf(constRaw) } }] },
          {
            opType: 'If', name: 'branch', input: ['cond'], output: ['z'],
            attribute: [
              { name: 'then_branch', type: AttributeType.GRAPH, g: subgraph('then', 'Add') },
              { name: 'else_branch', type: AttributeType.GRAPH, g: subgraph('else', 'Mul') },
            ],
          },
          { opType: 'Loop', output: ['l'], attribute: [{ name: 'body', type: AttributeType.GRAPH, g: { name: 'body', node: [{ opType: 'Identity', input: ['a'], output: ['b'] }, { opType: 'Identity', input: ['b'], output: ['c'] }] } }] },
          { opType: 'Multi', output: ['m'], attribute: [{ name: 'gs', type: AttributeType.GRAPHS, graphs: [{ name: 'g0' }, { name: 'g1' }] }] },
        ],
        input: [vi('x', TensorDataType.FLOAT, [2, 3]), { name: 'cond', type: { tensorType: { elemType: TensorDataType.BOOL } } }, { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } }],
        output: [vi('z', TensorDataType.FLOAT, [4])],
        valueInfo: [vi('k', TensorDataType.INT64, [2]), { name: 'u', type: { tensorType: { elemType: 1, shape: { dim: [{}, { dimValue: 3 }] } } } }],
      },
    });
    const file = write('attrs.onnx', bytes);
    const m = await loadModel(file);
    const [all, k1, k2, branch, loop, multi] = m.graph.nodes;
    expect(all!.attributes).toEqual({
      f: { type: 'float', value: 0.25 },
      i: { type: 'int', value: -3 },
      s: { type: 'string', value: 'SAME_UPPER' },
      floats: { type: 'floats', value: [1, 0.5] },
      ints: { type: 'ints', value: [3, 3, -1] },
      strings: { type: 'strings', value: ['a', 'bc'] },
      tp: { type: 'other' },
      ref: { type: 'other' },
      untyped: { type: 'int', value: 5 },
    } satisfies Record<string, AttributeValue>);
    expect(k1!.name).toBe('Constant_1');
    expect(k1!.attributes.value).toEqual({ type: 'tensor', value: { elemType: 'int64', dims: [2], values: [1, -1] } });
    expect(k2!.attributes.value).toEqual({ type: 'tensor', value: { elemType: 'float32', dims: [2, 3], values: Array.from(constRaw) } });
    expect(branch!.name).toBe('branch');
    const then = (branch!.attributes.then_branch as { value: GraphIR }).value;
    const els = (branch!.attributes.else_branch as { value: GraphIR }).value;
    expect(then.name).toBe('then');
    expect(then.nodes).toEqual([{ name: 'Add_0', opType: 'Add', domain: '', inputs: ['a', 'then_w'], outputs: ['b'], attributes: {} }]);
    expect(els.nodes[0]!.opType).toBe('Mul');
    expect(then.outputs).toEqual([{ name: 'b', elemType: 'float32', shape: [4] }]);
    // Subgraph initializers point into the same file, read like any other.
    expect(then.initializers[0]!.location).toEqual({ kind: 'inline', values: [1, 2, 3, 4] });
    const lazy = await loadModel(file, { maxInlineRawValues: 0 });
    const lazyThen = ((lazy.graph.nodes[3]!.attributes.then_branch as { value: GraphIR }).value).initializers[0]!;
    expect(lazyThen.location.kind).toBe('raw');
    expect(await readInitializer(file, lazyThen)).toEqual(thenW);
    expect(((loop!.attributes.body as { value: GraphIR }).value).nodes.map((n) => n.name)).toEqual(['Identity_0', 'Identity_1']);
    expect(multi!.attributes.gs).toMatchObject({ type: 'graphs', value: [{ name: 'g0' }, { name: 'g1' }] });
    expect(m.graph.inputs).toEqual([
      { name: 'x', elemType: 'float32', shape: [2, 3] },
      { name: 'cond', elemType: 'bool', shape: null },
      { name: 'seq', elemType: 'undefined', shape: null },
    ]);
    // An unknown dim (neither value nor name) gets a unique symbol of its own.
    expect(m.graph.valueInfo).toEqual([{ name: 'k', elemType: 'int64', shape: [2] }, { name: 'u', elemType: 'float32', shape: ['unk__u_0', 3] }]);
  });

  it('accepts packed repeated ints and unknown fields', async () => {
    // onnx.proto is proto2, so writers emit `ints` unpacked; protobuf readers must accept packed too.
    const attr = concat(field(1, enc.encode('perm')), Uint8Array.from([0x42, 3, 1, 0, 2]), Uint8Array.from([0xa0, 0x01, AttributeType.INTS]));
    const node = concat(field(4, enc.encode('Transpose')), field(5, attr), field(99, enc.encode('future field')));
    const graph = concat(GraphProto.encode(GraphProto.fromObject({ name: 'g' })).finish(), field(1, node));
    const bytes = concat(encodeModel({ irVersion: 8, opsetImport: [{ version: 13 }] }), field(7, graph));
    const m = await loadModelFromBytes(bytes, 'packed.onnx');
    expect(m.graph.nodes[0]).toEqual({ name: 'Transpose_0', opType: 'Transpose', domain: '', inputs: [], outputs: [], attributes: { perm: { type: 'ints', value: [1, 0, 2] } } });
  });

  it('names unnamed nodes <opType>_<index> and suffixes duplicate names', async () => {
    const bytes = buildModel({
      inputs: [], outputs: [],
      nodes: [
        { opType: 'Relu', inputs: [], outputs: [], name: 'act' },
        { opType: 'Relu', inputs: [], outputs: [], name: 'act' },
        { opType: 'Relu', inputs: [], outputs: [], name: '' },
        { opType: 'Relu', inputs: [], outputs: [], name: 'act_1' },
        { opType: 'Add', inputs: [], outputs: [], name: 'Relu_2' },
        { opType: 'Relu', inputs: [], outputs: [], name: 'act' },
      ],
    });
    const m = await loadModelFromBytes(bytes, 'names.onnx');
    // The first 'act' keeps its name; later ones avoid names used anywhere in the graph.
    expect(m.graph.nodes.map((n) => n.name)).toEqual(['act', 'act_2', 'Relu_2_1', 'act_1', 'Relu_2', 'act_3']);
  });
});

describe('loadModel: external data', () => {
  const w = Float32Array.from({ length: 64 * 32 }, (_, i) => (i % 97) / 7);
  const bias = Float32Array.from({ length: 32 }, (_, i) => -i);
  const model = (location: string, offset: number, length?: number) => encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }, { opType: 'Add', input: ['y', 'b'], output: ['z'] }],
      input: [vi('x', TensorDataType.FLOAT, ['batch', 64])],
      initializer: [
        {
          name: 'W', dataType: TensorDataType.FLOAT, dims: [64, 32], dataLocation: DataLocation.EXTERNAL,
          externalData: [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }, ...(length === undefined ? [] : [{ key: 'length', value: String(length) }])],
        },
        { name: 'b', dataType: TensorDataType.FLOAT, dims: [32], dataLocation: DataLocation.EXTERNAL, externalData: [{ key: 'location', value: location }, { key: 'offset', value: String(offset + w.byteLength) }] },
      ],
    },
  });
  const ext = path.join(dir, 'ext');
  fs.mkdirSync(ext);
  // 4096 bytes of padding first, as onnx's convert_model_to_external_data aligns tensors.
  fs.writeFileSync(path.join(ext, 'weights.bin'), concat(new Uint8Array(4096), bytesOf(w), bytesOf(bias)));

  it('records locations, checks the file, and reads the values on demand', async () => {
    const file = path.join(ext, 'model.onnx');
    fs.writeFileSync(file, model('weights.bin', 4096, w.byteLength));
    const m = await loadModel(file);
    expect(m.graph.initializers).toEqual([
      { name: 'W', elemType: 'float32', dims: [64, 32], location: { kind: 'external', file: 'weights.bin', offset: 4096, length: w.byteLength } },
      { name: 'b', elemType: 'float32', dims: [32], location: { kind: 'external', file: 'weights.bin', offset: 4096 + w.byteLength, length: null } },
    ] satisfies Initializer[]);
    expect(await readInitializer(file, m.graph.initializers[0]!)).toEqual(w);
    expect(await readInitializer(file, m.graph.initializers[1]!)).toEqual(bias);
    // From memory: described without checks unless baseDir says where the data lives.
    const bytes = fs.readFileSync(file);
    expect((await loadModelFromBytes(bytes, 'model.onnx')).graph.initializers).toEqual(m.graph.initializers);
    await failsWith(readInitializer(bytes, m.graph.initializers[0]!), /cannot be resolved for a model loaded from memory/);
    await expect(loadModelFromBytes(bytes, 'model.onnx', { baseDir: ext })).resolves.toBeTruthy();
  });

  it('names the missing external-data file', async () => {
    const file = path.join(ext, 'missing.onnx');
    fs.writeFileSync(file, model('gone.bin', 0));
    await failsWith(loadModel(file), `missing.onnx: initializer 'W' stores its data in 'gone.bin', which is missing next to the model (looked for ${path.join(ext, 'gone.bin')})`);
    await failsWith(loadModelFromBytes(fs.readFileSync(file), 'missing.onnx', { baseDir: ext }), /missing\.onnx: initializer 'W' stores its data in 'gone\.bin', which is missing/);
  });

  it('rejects offsets and lengths beyond the external file, and locations outside the folder', async () => {
    const file = path.join(ext, 'beyond.onnx');
    fs.writeFileSync(file, model('weights.bin', 8192, w.byteLength));
    const size = fs.statSync(path.join(ext, 'weights.bin')).size;
    await failsWith(loadModel(file), `beyond.onnx: initializer 'W' needs ${w.byteLength} bytes at offset 8192 of 'weights.bin', but that file has only ${size} bytes`);
    fs.writeFileSync(file, model('weights.bin', 4096, 12));
    await failsWith(loadModel(file), "beyond.onnx is not a valid ONNX model: the graph's initializer 'W' has 12 bytes of data but its dims [64, 32] of float32 need 8192");
    fs.writeFileSync(file, model('../../etc/passwd', 0));
    await failsWith(loadModel(file), "beyond.onnx: initializer 'W' stores its data in '../../etc/passwd', outside the model's folder");
    const escaping: Initializer = { name: 'W', elemType: 'float32', dims: [1], location: { kind: 'external', file: '../secret.bin', offset: 0, length: 4 } };
    await failsWith(readInitializer(file, escaping), "beyond.onnx: initializer 'W' stores its data in '../secret.bin', outside the model's folder");
    fs.writeFileSync(file, model('weights.bin', -5));
    await failsWith(loadModel(file), "beyond.onnx is not a valid ONNX model: the graph's initializer 'W' has an invalid external-data offset '-5'");
  });
});

describe('loadModel: errors', () => {
  it('recognises other formats from their first bytes', async () => {
    const zip = concat(Uint8Array.from([0x50, 0x4b, 3, 4]), new Uint8Array(22), Uint8Array.from([16, 0, 0, 0]), enc.encode('archive/data.pkl'), new Uint8Array(64));
    const safetensors = concat(Uint8Array.from([14, 0, 0, 0, 0, 0, 0, 0]), enc.encode('{"__meta__":1}'), new Uint8Array(16));
    const savedModel = concat(Uint8Array.from([0x08, 0x01, 0x12, 0x80, 0x01, 0x0a, 0x10]), new Uint8Array(200));
    const cases: Array<[string, Uint8Array | string, string]> = [
      ['model.pt', zip, 'a PyTorch zip archive (.pt/.pth checkpoint or TorchScript)'],
      ['model.tflite', concat(Uint8Array.from([0x1c, 0, 0, 0]), enc.encode('TFL3'), new Uint8Array(32)), 'a TensorFlow Lite flatbuffer (.tflite)'],
      ['model.safetensors', safetensors, 'a safetensors file'],
      ['model.gguf', concat(enc.encode('GGUF'), Uint8Array.from([3, 0, 0, 0]), new Uint8Array(32)), 'a GGUF file (llama.cpp)'],
      ['model.h5', concat(Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), new Uint8Array(32)), 'an HDF5 file (a Keras .h5 model?)'],
      ['config.json', '{\n  "architectures": ["BertModel"]\n}\n', 'a JSON text file'],
      ['README.onnx', 'This is not a model.\n', 'a text file'],
      ['legacy.bin', Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]), 'a Python pickle (a legacy PyTorch checkpoint?)'],
      ['saved_model.pb', savedModel, 'a TensorFlow SavedModel (saved_model.pb)'],
      ['frozen.pb', Uint8Array.from([0x0a, 0x05, 0x0a, 0x01, 0x78, 0x12, 0x00]), 'a different protobuf (a TensorFlow GraphDef .pb or a Caffe model?), not an ONNX ModelProto'],
      ['random.onnx', Uint8Array.from([0xff, 0xfe, 0x00, 0x01, 0x02]), 'an unknown format: its first bytes ff fe 00 01 do not begin an ONNX ModelProto'],
    ];
    for (const [name, bytes, what] of cases) {
      await failsWith(loadModel(write(name, bytes)), `${name} is not an ONNX model (it looks like ${what})`);
    }
    await failsWith(loadModel(write('empty.onnx', '')), 'empty.onnx is empty (0 bytes), not an ONNX model');
    await failsWith(loadModel(path.join(dir, 'nope.onnx')), /^nope\.onnx does not exist/, 'NOT_FOUND');
    await failsWith(loadModel(dir), /is not a file|cannot be opened/);
  });

  it('names the tensor a truncated file cuts through', async () => {
    const big = (n: number, v: number) => ({ name: `w${v}`, dataType: TensorDataType.FLOAT, dims: [n], raw: bytesOf(new Float32Array(n).fill(v)) });
    const bytes = buildModel({
      inputs: [], outputs: [], nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
      initializers: [big(1024, 1), big(1024, 2), big(1 << 20, 3)],
    });
    const m = await loadModelFromBytes(bytes, 'big.onnx', { maxInlineRawValues: 0 });
    const w3 = m.graph.initializers[2]!.location as { offset: number; length: number };
    expect(w3.length).toBe(4194304);
    const cut = w3.offset + 1000;
    const file = write('big.onnx', bytes.subarray(0, cut));
    await failsWith(loadModel(file), `big.onnx is truncated: the graph's initializer 'w3' needs 4194304 bytes at offset ${w3.offset} but the file ends at ${cut}`);
    // Cut inside the model's own fields, which have no enclosing length to quote.
    await failsWith(loadModelFromBytes(Uint8Array.from([0x08, 0x08, 0x3a]), 'tiny.onnx'), 'tiny.onnx is truncated: the model has a length at offset 2 that runs past the end of the file');
    // Cut inside the graph's header fields instead: the message names what was cut there.
    await failsWith(loadModelFromBytes(bytes.subarray(0, 40), 'head.onnx'), /^head\.onnx is truncated: (node 'Relu_0'( \(Relu\))?|the graph)('s [a-z_#0-9 ]+)? needs \d+ bytes at offset \d+ but the file ends at 40$/);
  });

  it('rejects a model without a graph, nodes without op_type, and corrupt lengths', async () => {
    await failsWith(loadModelFromBytes(encodeModel({ irVersion: 8, opsetImport: [{ version: 17 }] }), 'nograph.onnx'), 'nograph.onnx has no graph: an ONNX model must have one');
    const noOp = buildModel({ inputs: [], outputs: [], nodes: [{ opType: '', inputs: [], outputs: [], name: 'mystery' }] });
    await failsWith(loadModelFromBytes(noOp, 'noop.onnx'), "noop.onnx: node 'mystery' of the graph has no op_type");
    const noOpNoName = buildModel({ inputs: [], outputs: [], nodes: [{ opType: 'Relu', inputs: [], outputs: [] }, { opType: '', inputs: [], outputs: [], name: '' }] });
    await failsWith(loadModelFromBytes(noOpNoName, 'noop.onnx'), 'noop.onnx: node #1 of the graph has no op_type');
    // A node whose input string claims more bytes than the node holds.
    const node = Uint8Array.from([0x0a, 0x7f, 0x78, 0x22, 0x01, 0x41]);
    const bad = concat(encodeModel({ irVersion: 8 }), field(7, concat(field(1, node), field(2, enc.encode('g')))));
    await failsWith(loadModelFromBytes(bad, 'bad.onnx'), "bad.onnx is not a valid ONNX model: node #0 has a field 1 of 127 bytes at offset 8 that runs past its end at offset 12");
    // The same node at the very end of the file reads as a cut file instead.
    const cut = concat(encodeModel({ irVersion: 8 }), field(7, field(1, node)));
    await failsWith(loadModelFromBytes(cut, 'cut.onnx'), "cut.onnx is truncated: node #0's input needs 127 bytes at offset 8 but the file ends at 12");
    // raw_data that does not match the dims.
    const mismatched = encodeModel({ irVersion: 8, graph: { initializer: [{ name: 'w', dataType: TensorDataType.FLOAT, dims: [4], rawData: new Uint8Array(12) }] } });
    await failsWith(loadModelFromBytes(mismatched, 'm.onnx'), "m.onnx is not a valid ONNX model: the graph's initializer 'w' has 12 bytes of data but its dims [4] of float32 need 16");
    // Wrong wire type for a known field.
    const wrongWire = concat(encodeModel({ irVersion: 8 }), Uint8Array.from([0x38, 0x01]));
    await failsWith(loadModelFromBytes(wrongWire, 'w.onnx'), 'w.onnx is not a valid ONNX model: the model has field 7 (graph) with wire type 0, expected 2');
  });

  it('refuses absurd nesting with an ApiFailure, not a stack overflow', async () => {
    // 80 If nodes, each holding the next in its then_branch (hand-encoded: protobufjs itself
    // refuses to encode past its recursion limit).
    let g: Uint8Array = field(1, field(4, enc.encode('Relu')));
    for (let i = 0; i < 80; i++) {
      const attr = concat(field(1, enc.encode('then_branch')), Uint8Array.from([0xa0, 0x01, AttributeType.GRAPH]), field(6, g));
      g = field(1, concat(field(3, enc.encode(`if${i}`)), field(4, enc.encode('If')), field(5, attr)));
    }
    const deep = concat(encodeModel({ irVersion: 8 }), field(7, g));
    await failsWith(loadModelFromBytes(deep, 'deep.onnx'), /^deep\.onnx is not a valid ONNX model: the subgraph 'then_branch' of node 'if\d+' \(If\) is nested more than 64 subgraphs deep$/);
    // A value_info type nested 5000 sequences deep (protobufjs' own recursion limit).
    let t: Uint8Array = field(1, Uint8Array.from([0x08, 0x01]));
    for (let i = 0; i < 5000; i++) t = field(4, field(1, t));
    const info = concat(field(1, enc.encode('x')), field(2, t));
    const typed = concat(encodeModel({ irVersion: 8 }), field(7, field(11, info)));
    await failsWith(loadModelFromBytes(typed, 'typed.onnx'), /^typed\.onnx is not a valid ONNX model: the graph has field 11 \(input #0\) at offset \d+ that does not decode/);
  });

  it('reports a TensorProto typed field whose count disagrees with the dims', async () => {
    const bytes = encodeModel({ irVersion: 8, graph: { initializer: [{ name: 'k', dataType: TensorDataType.INT64, dims: [3], int64Data: [1, 2] }] } });
    await failsWith(loadModelFromBytes(bytes, 'k.onnx'), "k.onnx is not a valid ONNX model: the graph's initializer 'k' has 2 values but its dims [3] need 3");
    const enc2 = TensorProto.encode(TensorProto.fromObject({ name: 'n', dataType: TensorDataType.FLOAT, dims: [-2] })).finish();
    const neg = concat(encodeModel({ irVersion: 8 }), field(7, field(5, enc2)));
    await failsWith(loadModelFromBytes(neg, 'n.onnx'), "n.onnx is not a valid ONNX model: the graph's initializer 'n' has an invalid dimension -2 in dims [-2]");
  });
});
