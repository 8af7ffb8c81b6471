/**
 * Times the quick suite — GEMM, the cost model's calibration, memory bandwidth and latency, each
 * with `quick: true` and the detected caches — the way the app's "quick benchmark" runs it, and prints the headline numbers
 * and every GEMM point. Budget: < 40 s on a 2-core machine. Hardware detection is not timed.
 * `--full` runs the full suite instead (minutes); `--json` prints the raw results.
 *
 *   npx tsx bench/quick-suite.ts [--full] [--json]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runCalibration } from '../src-main/services/bench/calibrate.js';
import { runGemm } from '../src-main/services/bench/gemm.js';
import { runLatency } from '../src-main/services/bench/latency.js';
import { runMemory } from '../src-main/services/bench/memory.js';
import { consoleReporter, detectedMachine, f1, loadAverage, waitForQuiet } from './common.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, full: { type: 'boolean', default: false } } });
const quick = !values.full;
const machine = await detectedMachine();
const reporter = consoleReporter(!values.json);
const busy = await waitForQuiet();
console.log(`${machine.cpu}; caches ${JSON.stringify(machine.caches)}; ${loadAverage()}; CPU ${busy === null ? '?' : Math.round(busy * 100)}% busy before start`);

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const start = process.hrtime.bigint();
let t = process.hrtime.bigint();
const gemm = await runGemm({ quick }, reporter);
const gemmS = seconds(t);
t = process.hrtime.bigint();
const calibration = await runCalibration({ quick, threads: os.availableParallelism() }, reporter);
const calibrationS = seconds(t);
t = process.hrtime.bigint();
const memory = await runMemory({ quick, caches: machine.caches, totalMemoryBytes: machine.totalMemoryBytes }, reporter);
const memoryS = seconds(t);
t = process.hrtime.bigint();
const latency = await runLatency({ quick, caches: machine.caches, totalMemoryBytes: machine.totalMemoryBytes }, reporter);
const latencyS = seconds(t);
const total = seconds(start);

if (values.json) {
  console.log(JSON.stringify({ seconds: { gemm: gemmS, calibration: calibrationS, memory: memoryS, latency: latencyS, total }, gemm, calibration, memory, latency }, null, 2));
} else {
  console.log('\ndtype  m×n×k                 threads  G(FL)OP/s  median ms  best ms');
  for (const p of gemm.results) {
    const shape = `${p.m}×${p.n}×${p.k}`;
    console.log(`${p.dtype.padEnd(6)} ${shape.padEnd(21)} ${String(p.threads).padStart(7)} ${f1(p.gflops).padStart(10)} ${(p.medianSeconds * 1e3).toFixed(2).padStart(10)} ${(p.bestSeconds * 1e3).toFixed(2).padStart(8)}`);
  }
  for (const u of gemm.unsupported) console.log(`${u.dtype}: unsupported (${u.reason.split('\n')[0]})`);
  console.log(`\ncalibration (${calibration.threads} threads): ${f1(calibration.overheadUs)} µs per kernel`);
  console.log(`  MatMul: ${calibration.gemm.map((p) => `${p.batch > 1 ? `${p.batch}×` : ''}${p.m}×${p.n}×${p.k}:${f1(p.gflops)}`).join(' ')}`);
  console.log(`  Conv 3×3: ${calibration.conv.map((p) => `${p.channels}/g${p.groups}@${p.size}s${p.stride}:${f1(p.gflops)}`).join(' ')}`);
  console.log(`\nsweep: ${memory.sweep.map((p) => `${f1(p.bytes / 1024)}K:${f1(p.GBs)}`).join(' ')}`);
  console.log(`latency points: ${latency.points.map((p) => `${f1(p.bytes / 1024)}K:${f1(p.ns)}`).join(' ')}`);
  console.log(`\nGEMM best: ${Object.entries(gemm.best).map(([d, v]) => `${d} ${f1(v)}`).join(', ')} G(FL)OP/s`);
  console.log(`STREAM (${memory.threads} threads, ${f1(memory.arrayBytes / 2 ** 20)} MiB arrays): copy ${f1(memory.copyGBs)}, scale ${f1(memory.scaleGBs)}, add ${f1(memory.addGBs)}, triad ${f1(memory.triadGBs)} GB/s`);
  console.log(`read bandwidth: ${memory.levels.map((l) => `${l.name} ${f1(l.GBs)}`).join(', ')} GB/s`);
  console.log(`latency: ${latency.levels.map((l) => `${l.name} ${f1(l.ns)} ns (${f1(l.bytes / 1024)} KiB)`).join(', ')}`);
  console.log(`\ntime: gemm ${f1(gemmS)} s, calibration ${f1(calibrationS)} s, memory ${f1(memoryS)} s, latency ${f1(latencyS)} s, total ${f1(total)} s (quick budget 40 s); ${loadAverage()}`);
}
