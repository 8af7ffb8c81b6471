// Activation sparsity on a hand-built model whose weights live in an external-data file: the
// rebuilt model inlines them, ReLU and Clip(0, 6) outputs are fetched, and the zero fractions
// match a direct computation.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, TensorDataType } from '../onnx/build-graph.js';
import { loadModel } from '../onnx/load-model.js';
import { DataLocation, ModelProto } from '../onnx/onnx-schema.js';
import { activationSparsity } from './activation-sparsity.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-sparsity-test-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const f32 = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

/** y = Clip(Relu(x·W + b) − 0.5, 0, 6) with W, b stored in weights.bin. */
async function writeModel(): Promise<string> {
  const W = [1, -1, 0.5, 2, -0.5, 1]; // [2, 3]
  const b = [0.1, 0, -0.2];
  const bytes = buildModel({
    inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: ['batch', 2] }],
    outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: ['batch', 3] }],
    nodes: [
      { opType: 'MatMul', name: 'fc', inputs: ['x', 'W'], outputs: ['h'] },
      { opType: 'Add', name: 'fc.bias', inputs: ['h', 'b'], outputs: ['hb'] },
      { opType: 'Relu', name: 'relu', inputs: ['hb'], outputs: ['r'] },
      { opType: 'Sub', name: 'shift', inputs: ['r', 'half'], outputs: ['s'] },
      { opType: 'Clip', name: 'relu6', inputs: ['s', 'zero', 'six'], outputs: ['y'] },
    ],
    initializers: [
      { name: 'W', dataType: TensorDataType.FLOAT, dims: [2, 3], raw: f32(W) },
      { name: 'b', dataType: TensorDataType.FLOAT, dims: [3], raw: f32(b) },
      { name: 'half', dataType: TensorDataType.FLOAT, dims: [], raw: f32([0.5]) },
      { name: 'zero', dataType: TensorDataType.FLOAT, dims: [], raw: f32([0]) },
      { name: 'six', dataType: TensorDataType.FLOAT, dims: [], raw: f32([6]) },
    ],
  });
  // Move W and b to an external-data file, as large exports do.
  const msg = ModelProto.decode(bytes) as unknown as { graph: { initializer: Array<{ name: string; rawData?: Uint8Array; dataLocation?: number; externalData?: unknown[] }> } };
  const blob = [...f32(W), ...f32(b)];
  for (const t of msg.graph.initializer) {
    if (t.name !== 'W' && t.name !== 'b') continue;
    const offset = t.name === 'W' ? 0 : 24;
    t.rawData = new Uint8Array(0);
    t.dataLocation = DataLocation.EXTERNAL;
    t.externalData = [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(t.name === 'W' ? 24 : 12) }];
  }
  await writeFile(path.join(dir, 'weights.bin'), Uint8Array.from(blob));
  const file = path.join(dir, 'model.onnx');
  await writeFile(file, ModelProto.encode(msg as never).finish());
  return file;
}

describe('activationSparsity', () => {
  it('fetches ReLU and Clip outputs, inlining external data, and counts exact zeros', async () => {
    const file = await writeModel();
    const model = await loadModel(file);
    const x = [1, 0, 0, 1, -1, -1, 0.25, 0.25]; // 4 rows
    const inputs = { x: new ort.Tensor('float32', Float32Array.from(x), [4, 2]) };
    const r = await activationSparsity({ file }, model, { batch: 4 }, { inputs });
    // Direct computation.
    const W = [[1, -1, 0.5], [2, -0.5, 1]];
    const b = [0.1, 0, -0.2];
    const relu: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) relu.push(Math.max(0, Math.fround(x[2 * i]! * W[0]![j]! + x[2 * i + 1]! * W[1]![j]! + b[j]!)));
    const clip = relu.map((v) => Math.min(6, Math.max(0, v - 0.5)));
    expect(r.nodes.map((n) => [n.name, n.opType, n.elements])).toEqual([['relu', 'Relu', 12], ['relu6', 'Clip', 12]]);
    expect(r.nodes[0]!.zeros).toBe(relu.filter((v) => v === 0).length);
    expect(r.nodes[1]!.zeros).toBe(clip.filter((v) => v === 0).length);
    expect(r.overall.elements).toBe(24);
    expect(r.nodes[1]!.fraction).toBeGreaterThan(r.nodes[0]!.fraction);
  });
});
