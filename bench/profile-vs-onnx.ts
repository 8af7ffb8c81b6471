/**
 * Peer check: FLOPscope's lazy ONNX loader (src-main/services/onnx/load-model.ts) against the
 * reference Python `onnx` package on the same file, each side in a fresh process per round so
 * that peak RSS belongs to one load.
 *
 *   npx tsx bench/profile-vs-onnx.ts [model.onnx] [--rounds 3] [--python /usr/bin/python3]
 *                                    [--layers 24] [--hidden 1024]
 *
 * Without a model it writes a synthetic one (a stack of `layers` MLP blocks of two hidden×hidden
 * float32 MatMuls plus bias, Relu and a Reshape with an int64 shape constant; ~200 MB at the
 * defaults) to the temp folder. The Python side runs `onnx.load(f)` then
 * `onnx.shape_inference.infer_shapes(m)` and reports both times; FLOPscope's side is `loadModel`
 * (shape inference lives in src-shared/profiler and is not timed here), so compare load with
 * load. Python's onnx comes from Debian (`apt-get install python3-onnx`, for /usr/bin/python3 —
 * not the pyenv python3 on PATH). Peak RSS is each process's maxrss minus its maxrss just
 * before loading (imports excluded).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildModel, TensorDataType } from '../src-main/services/onnx/build-graph.js';
import { loadModel } from '../src-main/services/onnx/load-model.js';
import { profileModel } from '../src-shared/profiler/profile.js';
import { GraphProto, ModelProto, TensorProto } from '../src-main/services/onnx/onnx-schema.js';
import { f1, loadAverage, median, ratio } from './common.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    python: { type: 'string', default: '/usr/bin/python3' },
    layers: { type: 'string', default: '24' },
    hidden: { type: 'string', default: '1024' },
    child: { type: 'boolean', default: false },
  },
});

interface Sample { loadMs: number; inferMs?: number; peakMB: number }

const PYTHON = `
import json, resource, sys, time
import onnx
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
m = onnx.load(sys.argv[1])
t1 = time.perf_counter()
onnx.shape_inference.infer_shapes(m)
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"loadMs": (t1 - t0) * 1e3, "inferMs": (t2 - t1) * 1e3, "peakMB": (peak - base) / 1024}))
`;

/** Child mode: one loadModel, then the same JSON as the Python side. */
async function child(file: string): Promise<void> {
  const base = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const m = await loadModel(file);
  const loadMs = performance.now() - t0;
  // The full profile: shape inference and counting, every symbolic dimension bound to 1.
  const dims: Record<string, number> = {};
  for (const i of m.graph.inputs) for (const d of i.shape ?? []) if (typeof d === 'string') dims[d] = 1;
  const t1 = performance.now();
  const profile = profileModel(m, dims);
  const inferMs = performance.now() - t1;
  const peak = process.resourceUsage().maxRSS;
  if (profile.nodes.length === 0) throw new Error('no nodes');
  process.stdout.write(`${JSON.stringify({ loadMs, inferMs, peakMB: (peak - base) / 1024 })}\n`);
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}
const header = (no: number, len: number): Uint8Array => Uint8Array.from([...varint((no << 3) | 2), ...varint(len)]);

/** Writes the synthetic model, weights streamed so this process stays small too. */
function writeSynthetic(file: string, layers: number, hidden: number): void {
  const nodes = [];
  let x = 'x';
  for (let l = 0; l < layers; l++) {
    const p = `blocks.${l}`;
    nodes.push(
      { opType: 'MatMul', inputs: [x, `${p}.fc1.weight`], outputs: [`${p}/h0`], name: `/${p}/fc1/MatMul` },
      { opType: 'Add', inputs: [`${p}/h0`, `${p}.fc1.bias`], outputs: [`${p}/h1`], name: `/${p}/fc1/Add` },
      { opType: 'Relu', inputs: [`${p}/h1`], outputs: [`${p}/h2`], name: `/${p}/act/Relu` },
      { opType: 'MatMul', inputs: [`${p}/h2`, `${p}.fc2.weight`], outputs: [`${p}/h3`], name: `/${p}/fc2/MatMul` },
      { opType: 'Reshape', inputs: [`${p}/h3`, 'shape'], outputs: [`${p}/out`], name: `/${p}/Reshape` },
    );
    x = `${p}/out`;
  }
  nodes.push({ opType: 'Identity', inputs: [x], outputs: ['y'], name: '/out/Identity' });
  const skeleton = buildModel({
    graphName: 'synthetic-mlp',
    inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: ['batch', hidden] }],
    outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: ['batch', hidden] }],
    nodes,
    initializers: [{ name: 'shape', dataType: TensorDataType.INT64, dims: [2], raw: new Uint8Array(BigInt64Array.from([-1n, BigInt(hidden)]).buffer) }],
  });
  const decoded = ModelProto.decode(skeleton) as ReturnType<typeof ModelProto.decode> & { graph?: ReturnType<typeof GraphProto.decode> | null };
  const graph = GraphProto.encode(decoded.graph!).finish();
  decoded.graph = null;
  const model = ModelProto.encode(decoded).finish();
  const weights: Array<{ name: string; dims: number[] }> = [];
  for (let l = 0; l < layers; l++) {
    weights.push({ name: `blocks.${l}.fc1.weight`, dims: [hidden, hidden] }, { name: `blocks.${l}.fc1.bias`, dims: [hidden] }, { name: `blocks.${l}.fc2.weight`, dims: [hidden, hidden] });
  }
  const inits = weights.map((w) => {
    const n = w.dims.reduce((a, b) => a * b, 1);
    const head = TensorProto.encode(TensorProto.fromObject({ name: w.name, dataType: TensorDataType.FLOAT, dims: w.dims })).finish();
    const raw = header(9, n * 4);
    return { head, raw, n, bodyLen: head.length + raw.length + n * 4 };
  });
  const graphLen = graph.length + inits.reduce((s, i) => s + header(5, i.bodyLen).length + i.bodyLen, 0);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, model);
  fs.writeSync(fd, header(7, graphLen));
  fs.writeSync(fd, graph);
  const chunk = new Float32Array(1 << 18);
  for (let i = 0; i < chunk.length; i++) chunk[i] = ((i * 7919) % 2001) / 1000 - 1;
  for (const init of inits) {
    fs.writeSync(fd, header(5, init.bodyLen));
    fs.writeSync(fd, init.head);
    fs.writeSync(fd, init.raw);
    for (let at = 0; at < init.n; at += chunk.length) fs.writeSync(fd, new Uint8Array(chunk.buffer, 0, Math.min(chunk.length, init.n - at) * 4));
  }
  fs.closeSync(fd);
}

function run(cmd: string, args: string[]): Sample {
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

async function main(): Promise<void> {
  if (values.child) return child(positionals[0]!);
  let file = positionals[0];
  if (!file) {
    file = path.join(os.tmpdir(), `flopscope-synthetic-${values.layers}x${values.hidden}.onnx`);
    if (!fs.existsSync(file)) writeSynthetic(file, Number(values.layers), Number(values.hidden));
  }
  const size = fs.statSync(file).size;
  const self = fileURLToPath(import.meta.url);
  const rounds = Number(values.rounds);
  const ours: Sample[] = [];
  const peer: Sample[] = [];
  console.log(`${file}: ${f1(size / 2 ** 20)} MiB; ${loadAverage()}`);
  // Alternate the sides so drifting background load hits both.
  for (let r = 0; r < rounds; r++) {
    ours.push(run(process.execPath, [...process.execArgv, self, '--child', file]));
    peer.push(run(values.python, ['-c', PYTHON, file]));
  }
  const m = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k] ?? 0));
  const [oLoad, oInfer, oPeak, pLoad, pInfer, pPeak] = [m(ours, 'loadMs'), m(ours, 'inferMs'), m(ours, 'peakMB'), m(peer, 'loadMs'), m(peer, 'inferMs'), m(peer, 'peakMB')];
  console.log(`median of ${rounds} rounds                 load ms   +infer ms   peak RSS growth MiB`);
  console.log(`FLOPscope loadModel + profileModel ${f1(oLoad).padStart(8)}   ${f1(oInfer).padStart(9)}   ${f1(oPeak).padStart(10)}`);
  console.log(`onnx.load + infer_shapes           ${f1(pLoad).padStart(8)}   ${f1(pInfer).padStart(9)}   ${f1(pPeak).padStart(10)}`);
  console.log(`full profile: FLOPscope is ${((pLoad + pInfer) / (oLoad + oInfer)).toFixed(1)}x faster than onnx (ratio FLOPscope/onnx ${ratio(oLoad + oInfer, pLoad + pInfer)}); peak RSS growth ratio ${ratio(Math.max(oPeak, 0.1), Math.max(pPeak, 0.1))}; model file ${f1(size / 2 ** 20)} MiB`);
}

await main();
