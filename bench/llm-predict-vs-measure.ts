/**
 * LLM speed predicted against measured on this machine: `flopscope llm zoo:<size>:<quant>
 * --measure` for the zoo's Llama-style GGUFs (random weights, written by FLOPscope:
 * src-main/services/llm/llm-source.ts LLM_ZOO — ~25 M, ~150 M and ~1.1 B parameters) at Q8_0 and
 * Q4_0, through llama.cpp (node-llama-cpp's prebuilt CPU build), each measured depth beside the
 * cost model's prediction for it.
 *
 *   npx tsx bench/llm-predict-vs-measure.ts [--db FILE] [--skip-bench] [--skip-measure] [--sizes small,medium,large]
 *        [--quants Q8_0,Q4_0] [--depths 0,4096] [--prompt 512] [--gen 64] [--threads N]
 *
 * 1. `flopscope bench all --quick` stores this machine's benchmark in a fresh database (skipped with
 *    --skip-bench and an existing --db): the predictions rest on it alone, nothing is fitted on
 *    the runs reported.
 * 2. Per model, one measured run at every depth (llama-bench's pp<prompt> / tg<gen> at -d), stored.
 *    --skip-measure (with --db) re-predicts the runs a database already holds.
 * 3. Every run's prediction again, held out: llama.cpp's attention rate (how fast its CPU attention
 *    runs, src-main/services/llm/llm-attention.ts) is fitted on the stored runs of the OTHER
 *    models only, as the app does for a model it has not measured.
 * Targets (issue "LLMs"): decode within 25% and prefill within 50% of measured.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LlmEstimateResult, LlmMeasureRequest } from '../src-shared/api/llm.js';
import { createBackend } from '../src-main/core/backend.js';
import { resolveLlmSource } from '../src-main/services/llm/llm-source.js';
import { predictMeasuredPoints } from '../src-main/services/llm/llm-service.js';
import { detectedMachine, loadAverage } from './common.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'skip-bench': { type: 'boolean', default: false },
    'skip-measure': { type: 'boolean', default: false },
    sizes: { type: 'string', default: 'small,medium,large' },
    quants: { type: 'string', default: 'Q8_0,Q4_0' },
    depths: { type: 'string', default: '0,4096' },
    prompt: { type: 'string', default: '512' },
    gen: { type: 'string', default: '64' },
    threads: { type: 'string' },
  },
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'flopscope.js');
const db = values.db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-llm-predict-')), 'bench.db');
const run = (args: string[]) => execFileSync(process.execPath, [cli, '--db', db, ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] });

console.log((await detectedMachine()).host);
console.log(`load average at start: ${loadAverage()}`);
if (!values['skip-bench']) {
  console.error(`Benchmarking this machine (flopscope bench all --quick) into ${db}…`);
  run(['bench', 'all', '--quick', '--json']);
}

interface Row { model: string; depth: number; pp: number; ppPred: number; tg: number; tgPred: number; threads: number; basis: string }
for (const size of values['skip-measure'] ? [] : values.sizes.split(',')) {
  for (const quant of values.quants.split(',')) {
    const args = ['llm', `zoo:${size}:${quant}`, '--measure', '--depths', values.depths, '--prompt', values.prompt, '--gen', values.gen, '--json', ...(values.threads ? ['--threads', values.threads] : [])];
    const t0 = performance.now();
    JSON.parse(run(args)) as LlmEstimateResult;
    console.error(`  ${size} ${quant}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

// Held-out predictions of every stored run, each fitted on the others only.
const backend = createBackend({ dbPath: db, host: 'cli' });
const report = await backend.hardware();
const runs = backend.runs();
const rows: Row[] = [];
for (const summary of runs.list({ kind: 'llm' }).reverse()) {
  const stored = runs.get(summary.id)!;
  const r = stored.result as LlmEstimateResult;
  if (!r.measured) continue;
  const resolved = await resolveLlmSource((stored.params as LlmMeasureRequest).source, backend.uploads);
  const points = predictMeasuredPoints(resolved.spec, r, report, runs, r.measured.points, r.measured.threads);
  for (const p of points) {
    rows.push({ model: `${r.model.name.replace(/^FLOPscope zoo Llama /, '')} (${(r.model.params / 1e6).toFixed(0)} M params, ${(r.memory.weightsBytes / 2 ** 20).toFixed(0)} MiB)`, depth: p.depth, pp: p.prefillTokensPerSecond, ppPred: p.predictedPrefillTokensPerSecond, tg: p.decodeTokensPerSecond, tgPred: p.predictedDecodeTokensPerSecond, threads: r.measured.threads, basis: '' });
  }
}
await backend.close();

const pct = (measured: number, predicted: number) => `${(((predicted - measured) / measured) * 100).toFixed(0)}%`;
const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
console.log('\nHeld out: each row is predicted from the benchmark and the stored runs of the other models only.');
console.log(`\n| model | depth | threads | prefill measured | predicted | off | decode measured | predicted | off |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
for (const r of rows) console.log(`| ${r.model} | ${r.depth} | ${r.threads} | ${f(r.pp)} | ${f(r.ppPred)} | ${pct(r.pp, r.ppPred)} | ${f(r.tg)} | ${f(r.tgPred)} | ${pct(r.tg, r.tgPred)} |`);
const off = (m: number, p: number) => Math.abs(p - m) / m;
const decodeOk = rows.filter((r) => off(r.tg, r.tgPred) <= 0.25).length;
const prefillOk = rows.filter((r) => off(r.pp, r.ppPred) <= 0.5).length;
console.log(`\ndecode within 25%: ${decodeOk} of ${rows.length}; prefill within 50%: ${prefillOk} of ${rows.length} (tokens/s; "off" = (predicted − measured) / measured)`);
console.log(`load average at end: ${loadAverage()}`);
