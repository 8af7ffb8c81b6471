import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildModel, TensorDataType } from './build-graph.js';
import { AttributeType, DataLocation, dataTypeBytes, decodeModel, ModelProto } from './onnx-schema.js';

describe('ONNX graph builder', () => {
  it('round-trips nodes, attributes, shapes and initializers through encode → decode', () => {
    const w = new Float32Array([1, 2, 3, 4, 5, 6]);
    const bytes = buildModel({
      graphName: 'g',
      inputs: [{ name: 'X', elemType: TensorDataType.FLOAT, shape: ['batch', 2] }],
      outputs: [{ name: 'Z', elemType: TensorDataType.INT32, shape: ['batch', 3] }],
      nodes: [
        { opType: 'MatMul', inputs: ['X', 'W'], outputs: ['Y'], name: 'mm' },
        {
          opType: 'Cast', inputs: ['Y'], outputs: ['Z'],
          attributes: [
            { name: 'to', type: 'int', value: TensorDataType.INT32 },
            { name: 'alpha', type: 'float', value: 0.5 },
            { name: 'mode', type: 'string', value: 'exact' },
            { name: 'perm', type: 'ints', value: [1, 0] },
            { name: 'scales', type: 'floats', value: [0.25, 2] },
          ],
        },
      ],
      initializers: [{ name: 'W', dataType: TensorDataType.FLOAT, dims: [2, 3], raw: new Uint8Array(w.buffer) }],
      opset: 17,
    });
    const model = decodeModel(bytes);
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(model.producerName).toBe('flopscope');
    const g = model.graph!;
    expect(g.name).toBe('g');
    expect(g.node.map((n) => [n.opType, n.input, n.output])).toEqual([
      ['MatMul', ['X', 'W'], ['Y']],
      ['Cast', ['Y'], ['Z']],
    ]);
    expect(g.node[0]!.name).toBe('mm');
    const attrs = Object.fromEntries(g.node[1]!.attribute.map((a) => [a.name, a]));
    expect(attrs.to).toMatchObject({ type: AttributeType.INT, i: TensorDataType.INT32 });
    expect(attrs.alpha).toMatchObject({ type: AttributeType.FLOAT, f: 0.5 });
    expect(new TextDecoder().decode(attrs.mode!.s)).toBe('exact');
    expect(attrs.perm!.ints).toEqual([1, 0]);
    expect(attrs.scales!.floats).toEqual([0.25, 2]);
    expect(g.input[0]!.type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'batch', value: 'dimParam' }, { dimValue: 2, value: 'dimValue' }]);
    expect(g.output[0]!.type!.tensorType!.elemType).toBe(TensorDataType.INT32);
    const init = g.initializer[0]!;
    expect(init.dims).toEqual([2, 3]);
    expect(init.dataType).toBe(TensorDataType.FLOAT);
    expect(Array.from(new Float32Array(Uint8Array.from(init.rawData!).buffer))).toEqual(Array.from(w));
  });

  it('decodes external-data tensors and packed repeated fields', () => {
    const bytes = ModelProto.encode(
      ModelProto.fromObject({
        irVersion: 10,
        graph: {
          initializer: [
            {
              name: 'big', dataType: TensorDataType.FLOAT16, dims: [4096, 11008], dataLocation: DataLocation.EXTERNAL,
              externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '4096' }, { key: 'length', value: '90177536' }],
            },
            { name: 'small', dataType: TensorDataType.INT64, dims: [3], int64Data: [1, -2, 9007199254740991] },
            { name: 'f', dataType: TensorDataType.FLOAT, dims: [2], floatData: [0.5, -1] },
          ],
        },
      }),
    ).finish();
    const [big, small, f] = decodeModel(bytes).graph!.initializer;
    expect(big!.dataLocation).toBe(DataLocation.EXTERNAL);
    expect(big!.dims).toEqual([4096, 11008]);
    expect(Object.fromEntries(big!.externalData.map((e) => [e.key, e.value]))).toEqual({ location: 'weights.bin', offset: '4096', length: '90177536' });
    expect(big!.rawData).toBeUndefined();
    expect(small!.int64Data).toEqual([1, -2, 9007199254740991]);
    expect(f!.floatData).toEqual([0.5, -1]);
    expect(dataTypeBytes(TensorDataType.FLOAT16)).toBe(2);
    expect(dataTypeBytes(TensorDataType.INT4)).toBe(0.5);
    expect(dataTypeBytes(TensorDataType.STRING)).toBeNull();
  });

  it('rejects a malformed spec', () => {
    expect(() =>
      buildModel({ inputs: [], outputs: [], nodes: [{ opType: 'Relu', inputs: [1 as unknown as string], outputs: ['y'] }] }),
    ).toThrow(/invalid ONNX model spec/);
  });

  it('produces a model ONNX Runtime runs, with the product a JS reference computes', async () => {
    const [m, k, n] = [3, 4, 5];
    const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
    const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) / 4 - 1.5);
    const model = buildModel({
      inputs: [{ name: 'A', elemType: TensorDataType.FLOAT, shape: [m, k] }, { name: 'B', elemType: TensorDataType.FLOAT, shape: [k, n] }],
      outputs: [{ name: 'C', elemType: TensorDataType.FLOAT, shape: [m, n] }],
      nodes: [{ opType: 'MatMul', inputs: ['A', 'B'], outputs: ['C'] }],
    });
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    try {
      const out = await session.run({ A: new ort.Tensor('float32', a, [m, k]), B: new ort.Tensor('float32', b, [k, n]) });
      const c = out.C!;
      expect(c.dims).toEqual([m, n]);
      const data = c.data as Float32Array;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let ref = 0;
          for (let p = 0; p < k; p++) ref += a[i * k + p]! * b[p * n + j]!;
          expect(data[i * n + j]).toBeCloseTo(ref, 4);
        }
      }
    } finally {
      await session.release();
    }
  });
});
