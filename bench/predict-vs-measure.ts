/**
 * Predicted against measured on this machine: FLOPscope's cost model (src-shared/profiler/cost-model.ts)
 * before each model runs, and the measured run after it, for a set of real models.
 *
 *   npx tsx bench/predict-vs-measure.ts [--db FILE] [--skip-bench] [--threads N] [--models a,b] [FILE.onnx …]
 *
 * 1. `flopscope bench all --quick` stores this machine's benchmark in a fresh database (skipped with
 *    --skip-bench and an existing --db): the only thing the predictions rest on.
 * 2. For each model, `flopscope profile MODEL --run --json` (ORT at its default optimisation 'all')
 *    predicts it first and measures it after, in one process; the table prints the whole-model
 *    ratio, the share of kernels and of measured time predicted within 1.5×, and the kernel time
 *    no graph node claims. Predictions use the benchmark only, never a measured profile, so every
 *    error is held out: nothing was fitted on the model it reports.
 * 3. The cost of predicting (predictModel alone, in this process) per model and per 500 nodes.
 *
 * Models: the zoo's ResNet-50, MobileNet v2, EfficientNet-B0, ViT-B/16, GPT-2 (sequence 128) and
 * BERT-base (sequence 128) by default, plus any .onnx files given (real torch.onnx exports, e.g.
 * from bench/export-torchvision.py; their symbolic batch is bound to 1).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProfileResult } from '../src-shared/profiler/types.js';
import { detectHardware } from '../src-main/services/hardware/detect.js';
import { loadModel, loadModelFromBytes } from '../src-main/services/onnx/load-model.js';
import { buildZooModel } from '../src-main/services/zoo/zoo.js';
import { profileModel } from '../src-shared/profiler/profile.js';
import { deviceModelFromPeaks, predictModel } from '../src-shared/profiler/cost-model.js';
import { hostLine, loadAverage, median } from './common.js';

const { values, positionals } = parseArgs({
  options: {
    db: { type: 'string' },
    'skip-bench': { type: 'boolean', default: false },
    threads: { type: 'string' },
    models: { type: 'string', default: 'resnet50,mobilenet-v2,efficientnet-b0,vit-b16,gpt2,bert-base' },
  },
  allowPositionals: true,
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'flopscope.js');
const db = values.db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-predict-')), 'bench.db');
const threads = values.threads ? ['--threads', values.threads] : [];
const DIMS: Record<string, string[]> = { gpt2: ['--dim', 'sequence=128'], 'bert-base': ['--dim', 'sequence=128'] };

const flopscope = (args: string[]): string => execFileSync(process.execPath, [cli, ...args, '--db', db], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });

const hw = await detectHardware();
console.log(`host: ${hostLine(hw)}`);
console.log(`load average at start: ${loadAverage()}`);
if (!values['skip-bench']) {
  console.log(`Benchmarking this machine (flopscope bench all --quick) into ${db}…`);
  flopscope(['bench', 'all', '--quick', '--json', ...threads]);
}

interface Row { model: string; nodes: number; predicted: number; measured: number; ratio: number; closeUnits: number; closeTime: number; unattributed: number; predictMs: number; basis: string }
const rows: Row[] = [];
const sources = [...values.models.split(',').filter(Boolean).map((m) => `zoo:${m}`), ...positionals];
for (const source of sources) {
  const name = source.startsWith('zoo:') ? source.slice(4) : path.basename(source, '.onnx');
  const dims = source.startsWith('zoo:') ? (DIMS[name] ?? []) : ['--dim', 'batch=1'];
  const out = JSON.parse(flopscope(['profile', source, ...dims, '--run', '--json', ...threads])) as ProfileResult & { runId: number };
  if (!out.predicted || !out.check) throw new Error(`${name}: no prediction or check in the result`);
  // The prediction's own cost, in this process: the model counted once, then predictModel timed alone.
  const model = source.startsWith('zoo:') ? await loadModelFromBytes(buildZooModel(name).bytes, name) : await loadModel(source);
  const profile = profileModel(model, out.model.dims);
  const device = deviceModelFromPeaks(380, 20, 'timing only');
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    predictModel({ nodes: model.graph.nodes, inputs: model.graph.inputs.map((t) => t.name) }, profile.nodes, device);
    times.push(performance.now() - t0);
  }
  const c = out.check;
  rows.push({
    model: name, nodes: model.graph.nodes.length, predicted: out.predicted.latencyMs, measured: c.measuredMs, ratio: c.latencyRatio,
    closeUnits: c.closeUnitShare, closeTime: c.closeTimeShare, unattributed: c.unattributedShare, predictMs: median(times), basis: out.predicted.basis,
  });
  const r = rows[rows.length - 1]!;
  console.log(`  ${name}: measured ${r.measured.toFixed(1)} ms, predicted ${r.predicted.toFixed(1)} ms (${r.ratio.toFixed(2)}×)`);
}

console.log(`\nhost: ${hostLine(hw)}`);
console.log(`basis: ${rows[0]?.basis ?? '—'}\n`);
console.log('| model | nodes | measured vs predicted | kernels within 1.5× | measured time in kernels within 1.5× | unattributed | prediction cost |');
console.log('|---|---:|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.model} | ${r.nodes} | ${r.measured.toFixed(1)} vs ${r.predicted.toFixed(1)} ms (${r.ratio.toFixed(2)}×) | ${(r.closeUnits * 100).toFixed(0)}% | ${(r.closeTime * 100).toFixed(0)}% | ${(r.unattributed * 100).toFixed(2)}% | ${r.predictMs.toFixed(1)} ms |`);
}
const off = rows.map((r) => Math.abs(Math.log(r.ratio)));
const sorted = [...off].sort((a, b) => a - b);
const medOff = Math.exp(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
const worst = Math.exp(sorted[sorted.length - 1] ?? 0);
const maxPer500 = Math.max(...rows.map((r) => (r.predictMs * 500) / Math.max(1, r.nodes)));
console.log(`\nmedian model off by ${((medOff - 1) * 100).toFixed(0)}% (target ≤ 25%), worst ${((worst - 1) * 100).toFixed(0)}% (target ≤ 50%)`);
console.log(`time in kernels within 1.5×: min ${(Math.min(...rows.map((r) => r.closeTime)) * 100).toFixed(0)}% (target ≥ 70% each)`);
console.log(`unattributed: max ${(Math.max(...rows.map((r) => r.unattributed)) * 100).toFixed(2)}% (target ≤ 2%)`);
console.log(`prediction cost: ≤ ${maxPer500.toFixed(1)} ms per 500 nodes (target < 100 ms)`);
console.log(`load average at end: ${loadAverage()}`);
