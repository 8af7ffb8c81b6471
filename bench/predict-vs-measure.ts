/**
 * Predicted against measured on this machine: FLOPscope's cost model (src-shared/profiler/cost-model.ts)
 * before each model runs, and the measured run after it, for a set of real models.
 *
 *   npx tsx bench/predict-vs-measure.ts [--db FILE] [--skip-bench] [--threads N] [--passes N] [--models a,b] [FILE.onnx …]
 *
 * 1. `flopscope bench all --quick` stores this machine's benchmark in a fresh database (skipped with
 *    --skip-bench and an existing --db): the only thing the predictions rest on.
 * 2. For each model, `flopscope profile MODEL --run --json` (ORT at its default optimisation 'all')
 *    predicts it first and measures it after, in one process; the table prints the whole-model
 *    ratio, the share of kernels and of measured time predicted within 1.5×, and the kernel time
 *    no graph node claims. Predictions use the benchmark only, never a measured profile, so every
 *    error is held out: nothing was fitted on the model it reports.
 * 3. The cost of predicting (predictModel alone, in this process) per model and per 500 nodes.
 * Steps 2–3 run `--passes` times (default 2), every other pass in reverse model order, and each
 * pass prints its own tables: on a VM the first models measured right after the benchmark ran
 * ~20% slower than the same models a minute later (2026-12-08), so one pass says little about
 * which model is hard and which was merely first.
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
import type { BenchResult } from '../src-shared/api/bench.js';
import type { MeasuredProfile, PredictionCheck, ProfileResult } from '../src-shared/profiler/types.js';
import { checkPrediction } from '../src-shared/profiler/prediction-check.js';
import { detectHardware } from '../src-main/services/hardware/detect.js';
import { loadModel, loadModelFromBytes } from '../src-main/services/onnx/load-model.js';
import { buildZooModel } from '../src-main/services/zoo/zoo.js';
import { profileModel } from '../src-shared/profiler/profile.js';
import { deviceModelFromBench, graphLinks, predictModel } from '../src-shared/profiler/cost-model.js';
import { cpuSpeeds, hostLine, loadAverage, median } from './common.js';

const { values, positionals } = parseArgs({
  options: {
    db: { type: 'string' },
    'skip-bench': { type: 'boolean', default: false },
    threads: { type: 'string' },
    models: { type: 'string', default: 'resnet50,mobilenet-v2,efficientnet-b0,vit-b16,gpt2,bert-base' },
    passes: { type: 'string', default: '2' },
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
console.log(hostLine(hw));
console.log(`load average at start: ${loadAverage()}`);
if (!values['skip-bench']) {
  console.log(`Benchmarking this machine (flopscope bench all --quick) into ${db}…`);
  flopscope(['bench', 'all', '--quick', '--json', ...threads]);
}

interface Row { source: string; model: string; nodes: number; predicted: number; measured: number; bench: PredictionCheck; held: PredictionCheck; corrected: PredictionCheck | null; speed: number | null; small: number | null; predictMs: number; basis: string }

/** The measured profile as it would have been at the benchmark's speed (every time × now/benchmark). */
function atBenchmarkSpeed(m: MeasuredProfile, ratio: number): MeasuredProfile {
  return {
    ...m,
    latencyMs: { ...m.latencyMs, median: m.latencyMs.median * ratio, p90: m.latencyMs.p90 * ratio },
    nodes: m.nodes.map((n) => ({ ...n, ms: n.ms * ratio })),
    unmapped: m.unmapped.map((u) => ({ ...u, ms: u.ms * ratio })),
    ...(m.groups ? { groups: m.groups.map((g) => ({ ...g, ms: g.ms * ratio })) } : {}),
  };
}
const sources = [...values.models.split(',').filter(Boolean).map((m) => `zoo:${m}`), ...positionals];
const dimsOf = (source: string): string[] => (source.startsWith('zoo:') ? (DIMS[source.slice(4)] ?? []) : ['--dim', 'batch=1', '--dim', 'sequence=128']);
const nameOf = (source: string): string => (source.startsWith('zoo:') ? source.slice(4) : path.basename(source, '.onnx'));

// The benchmark the predictions rest on, read back from the store.
const benchRuns = JSON.parse(flopscope(['runs', 'list', '--kind', 'bench', '--json'])) as Array<{ id: number; createdAt: string }>;
const benchRun = JSON.parse(flopscope(['runs', 'show', String(benchRuns[0]!.id), '--json'])) as { result: BenchResult };
const benchDevice = deviceModelFromBench(benchRun.result, `benchmark run ${benchRuns[0]!.id}`, { computeGflops: 380, dramGBs: 20 });
benchDevice.nchwc = hw.machine.os.arch === 'x64' && hw.cpu.isa.some((f) => f === 'avx2' || f.startsWith('avx512'));

async function measurePass(order: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  // Step 1: every model measured (and predicted from the benchmark alone, in this process).
  const measured = new Map<string, ProfileResult>();
  const local = new Map<string, { prediction: ReturnType<typeof predictModel>; nodes: number; predictMs: number }>();
  for (const source of order) {
    const name = nameOf(source);
    // Each vCPU's speed just before the run: a two-thread kernel split in halves waits for the slower one.
    const speeds = cpuSpeeds();
    const out = JSON.parse(flopscope(['profile', source, ...dimsOf(source), '--run', '--json', ...threads])) as ProfileResult;
    if (!out.measured) throw new Error(`${name}: no measured run in the result`);
    measured.set(source, out);
    const model = source.startsWith('zoo:') ? await loadModelFromBytes(buildZooModel(name).bytes, name) : await loadModel(source);
    const profile = profileModel(model, out.model.dims);
    const graph = graphLinks(model);
    const times: number[] = [];
    let prediction = predictModel(graph, profile.nodes, benchDevice);
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      prediction = predictModel(graph, profile.nodes, benchDevice);
      times.push(performance.now() - t0);
    }
    local.set(source, { prediction, nodes: model.graph.nodes.length, predictMs: median(times) });
    console.log(`  ${name}: measured ${out.measured.latencyMs.median.toFixed(1)} ms${speeds ? ` (just before: ${speeds})` : ''}`);
  }

  // Step 2: each model predicted again (no run) with every other model's measured profile stored:
  // the op-class refinement is fitted on the others only (leave one model out).
  for (const source of order) {
    const name = nameOf(source);
    const again = JSON.parse(flopscope(['profile', source, ...dimsOf(source), '--json'])) as ProfileResult;
    const m = measured.get(source)!.measured!;
    const l = local.get(source)!;
    const opType = new Map(again.nodes.map((n) => [n.name, n.opType] as const));
    const bench = checkPrediction({ latencyMs: l.prediction.latencyMs, nodes: l.prediction.nodes.map((n) => ({ name: n.name, opType: opType.get(n.name) ?? '', predictedMs: n.ms })) }, m);
    const heldPrediction = { latencyMs: again.predicted!.latencyMs, nodes: again.nodes.map((n) => ({ name: n.name, opType: n.opType, predictedMs: n.predictedMs ?? null })) };
    const held = checkPrediction(heldPrediction, m);
    const speed = measured.get(source)!.speed?.ratio ?? null;
    const small = measured.get(source)!.speed?.small?.ratio ?? null;
    const corrected = speed !== null ? checkPrediction(heldPrediction, atBenchmarkSpeed(m, speed)) : null;
    rows.push({ source, model: name, nodes: l.nodes, predicted: again.predicted!.latencyMs, measured: m.latencyMs.median, bench, held, corrected, speed, small, predictMs: l.predictMs, basis: again.predicted!.basis });
  }
  return rows;
}

function printPass(rows: Row[], label: string): void {
  console.log(`\n${label}\n\n${hostLine(hw)}`);
  console.log(`benchmark: ${benchDevice.basis}\n`);
  const table = (title: string, pick: (r: Row) => PredictionCheck): void => {
    console.log(`${title}\n`);
    console.log('| model | nodes | measured vs predicted | kernels within 1.5× | measured time in kernels within 1.5× | unattributed |');
    console.log('|---|---:|---|---:|---:|---:|');
    for (const r of rows) {
      const c = pick(r);
      console.log(`| ${r.model} | ${r.nodes} | ${c.measuredMs.toFixed(1)} vs ${c.predictedMs.toFixed(1)} ms (${c.latencyRatio.toFixed(2)}×) | ${(c.closeUnitShare * 100).toFixed(0)}% | ${(c.closeTimeShare * 100).toFixed(0)}% | ${(c.unattributedShare * 100).toFixed(2)}% |`);
    }
    const off = rows.map((r) => Math.abs(Math.log(pick(r).latencyRatio))).sort((a, b) => a - b);
    const medOff = Math.exp(off[Math.floor((off.length - 1) / 2)] ?? 0);
    const worst = Math.exp(off[off.length - 1] ?? 0);
    console.log(`\nmedian model off by ${((medOff - 1) * 100).toFixed(0)}% (target ≤ 25%), worst ${((worst - 1) * 100).toFixed(0)}% (target ≤ 50%); time in kernels within 1.5×: min ${(Math.min(...rows.map((r) => pick(r).closeTimeShare)) * 100).toFixed(0)}% (target ≥ 70%); unattributed: max ${(Math.max(...rows.map((r) => pick(r).unattributedShare)) * 100).toFixed(2)}% (target ≤ 2%)\n`);
  };
  table('From the benchmark alone (no measured profile used):', (r) => r.bench);
  table('Refined per op class on the other models\' measured profiles (leave one model out), as the app predicts once they are stored:', (r) => r.held);
  console.log(`Machine speed during each model's run ÷ at the benchmark (512³ MatMul measured again just before it; in brackets the depthwise 3×3 Conv on 144×56², a kernel split in even halves): ${rows.map((r) => `${r.model} ${r.speed?.toFixed(2) ?? '—'} (${r.small?.toFixed(2) ?? '—'})`).join(', ')}\n`);
  if (rows.every((r) => r.corrected)) table('The same, with each run\'s measured times scaled to the machine\'s benchmarked speed (the model\'s error without the VM\'s drift):', (r) => r.corrected!);
}

const passes = Math.max(1, Number(values.passes) || 1);
const all: Row[] = [];
for (let p = 0; p < passes; p++) {
  const order = p % 2 === 0 ? sources : [...sources].reverse();
  console.log(`pass ${p + 1} of ${passes}: ${order.map(nameOf).join(', ')}`);
  const rows = await measurePass(order);
  rows.sort((x, y) => sources.indexOf(x.source) - sources.indexOf(y.source));
  printPass(rows, `## Pass ${p + 1} of ${passes} (models in ${p % 2 === 0 ? 'the given' : 'reverse'} order)`);
  all.push(...rows);
}
const worstOf = (pick: (r: Row) => PredictionCheck): string => {
  const off = Math.max(...all.map((r) => Math.abs(Math.log(pick(r).latencyRatio))));
  return `worst model off by ${((Math.exp(off) - 1) * 100).toFixed(0)}%, least time in kernels within 1.5× ${(Math.min(...all.map((r) => pick(r).closeTimeShare)) * 100).toFixed(0)}%`;
};
console.log(`over all ${passes} pass(es): from the benchmark alone ${worstOf((r) => r.bench)}; held out ${worstOf((r) => r.held)}`);
const maxPer500 = Math.max(...all.map((r) => (r.predictMs * 500) / Math.max(1, r.nodes)));
console.log(`prediction cost (predictModel alone): ≤ ${maxPer500.toFixed(1)} ms per 500 nodes, largest model ${Math.max(...all.map((r) => r.predictMs)).toFixed(1)} ms (target < 100 ms for 500 nodes)`);
console.log(`load average at end: ${loadAverage()}`);
