// The loader's reason to exist: describing a model with large weights costs memory in proportion
// to its graph, not its file. Writes a ~200 MB model (streamed, so the test itself stays small),
// loads it, and checks RSS growth and time; then reads one weight back on demand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, TensorDataType } from './build-graph.js';
import { loadModel, readInitializer } from './load-model.js';
import type protobuf from 'protobufjs/light.js';
import { GraphProto, ModelProto, TensorProto } from './onnx-schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-load-model-mem-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}
const header = (no: number, len: number): Uint8Array => Uint8Array.from([...varint((no << 3) | 2), ...varint(len)]);

/** Value `i` of weight `k`: cheap to generate and to check after reading back. */
const valueAt = (k: number, i: number): number => ((i * 7 + k * 13) % 1021) / 8 - 60;

/**
 * Writes ModelProto{ir_version, opset, graph{nodes, inputs, outputs, initializers…}} with the
 * initializers' raw_data streamed 1 MB at a time (field order within a message is free, so the
 * initializers can follow the skeleton, as zoo/encode.ts does).
 */
function writeBigModel(file: string, sizes: number[]): void {
  const skeleton = buildModel({
    graphName: 'big',
    inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: ['batch', 4096] }],
    outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: ['batch', 4096] }],
    nodes: sizes.map((_, k) => ({ opType: 'MatMul', inputs: [k === 0 ? 'x' : `h${k - 1}`, `w${k}`], outputs: [k === sizes.length - 1 ? 'y' : `h${k}`], name: `layer${k}/MatMul` })),
  });
  // Re-encode the skeleton as ModelProto-without-graph + the GraphProto, to extend the graph.
  const decoded = ModelProto.decode(skeleton) as protobuf.Message & { graph?: protobuf.Message | null };
  const graph = GraphProto.encode(decoded.graph!).finish();
  decoded.graph = null;
  const model = ModelProto.encode(decoded).finish();
  const inits = sizes.map((n, k) => {
    const head = TensorProto.encode(TensorProto.fromObject({ name: `w${k}`, dataType: TensorDataType.FLOAT, dims: [n / 4096, 4096] })).finish();
    const raw = header(9, n * 4);
    return { head, raw, bodyLen: head.length + raw.length + n * 4 };
  });
  const graphTotal = graph.length + inits.reduce((s, i) => s + header(5, i.bodyLen).length + i.bodyLen, 0);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, model);
  fs.writeSync(fd, header(7, graphTotal));
  fs.writeSync(fd, graph);
  const chunk = new Float32Array(1 << 18); // 1 MB
  for (const [k, init] of inits.entries()) {
    fs.writeSync(fd, header(5, init.bodyLen));
    fs.writeSync(fd, init.head);
    fs.writeSync(fd, init.raw);
    const n = sizes[k]!;
    for (let at = 0; at < n; at += chunk.length) {
      const len = Math.min(chunk.length, n - at);
      for (let i = 0; i < len; i++) chunk[i] = valueAt(k, at + i);
      fs.writeSync(fd, new Uint8Array(chunk.buffer, 0, len * 4));
    }
  }
  fs.closeSync(fd);
}

describe('loadModel on a model with large weights', () => {
  it('describes a ~200 MB model with RSS growth far below its size, quickly', async () => {
    const sizes = [4096 * 4096, 4096 * 4096, 4096 * 4096]; // 3 × 64 MiB of float32
    const file = path.join(dir, 'big.onnx');
    writeBigModel(file, sizes);
    const fileBytes = fs.statSync(file).size;
    expect(fileBytes).toBeGreaterThan(200e6);

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 1);
    const t0 = performance.now();
    const m = await loadModel(file);
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMB = (peak - before) / 2 ** 20;
    console.log(`big model: ${(fileBytes / 2 ** 20).toFixed(0)} MiB file, loaded in ${ms.toFixed(1)} ms, peak RSS growth ${growthMB.toFixed(1)} MiB`);

    expect(m.fileBytes).toBe(fileBytes);
    expect(m.graph.nodes.map((n) => n.name)).toEqual(['layer0/MatMul', 'layer1/MatMul', 'layer2/MatMul']);
    expect(m.graph.initializers.map((i) => [i.name, i.dims, i.location.kind])).toEqual(sizes.map((_, k) => [`w${k}`, [4096, 4096], 'raw']));
    expect(growthMB).toBeLessThan(60);
    expect(ms).toBeLessThan(2000);

    // On demand: one weight read back, checked at spread-out positions.
    // It doubles as a control: the same RSS measure does see a 64 MiB read.
    const w2 = m.graph.initializers[2]!;
    const rssBeforeRead = process.memoryUsage().rss;
    const values = await readInitializer(file, w2);
    const readGrowthMB = (process.memoryUsage().rss - rssBeforeRead) / 2 ** 20;
    console.log(`readInitializer('w2', 64 MiB): RSS growth ${readGrowthMB.toFixed(1)} MiB`);
    expect(readGrowthMB).toBeGreaterThan(48);
    expect(values).toBeInstanceOf(Float32Array);
    expect(values.length).toBe(sizes[2]);
    for (const i of [0, 1, 4095, 4096, 1234567, sizes[2]! - 1]) expect(values[i]).toBe(Math.fround(valueAt(2, i)));
  });
});
