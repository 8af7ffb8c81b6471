/**
 * What sampling power costs the measurement it watches: fp32 GEMM (2048³, all threads, ONNX
 * Runtime) timed with the power sampler running on its own thread (as every benchmark does) and
 * without it, in alternating rounds of the same run. Prints each side's best GFLOP/s, the ratio,
 * and what the sampler read. Also times one sampler poll on this machine's sources.
 *
 *   npx tsx bench/energy-overhead.ts [--rounds 5] [--interval-ms 100]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { detectHardware } from '../src-main/services/hardware/detect.js';
import { runGemm } from '../src-main/services/bench/gemm.js';
import { startEnergySamplerThread } from '../src-main/services/energy/sampler-thread.js';
import { startEnergySampler } from '../src-main/services/energy/sampler.js';
import { consoleReporter, f1, loadAverage, ratio } from './common.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'interval-ms': { type: 'string', default: '100' } } });
const rounds = Number(values.rounds);
const intervalMs = Number(values['interval-ms']);
const hardware = await detectHardware();
const threads = Math.max(1, hardware.cpu.physicalCores || os.availableParallelism());
const reporter = consoleReporter(false);

async function gemm(): Promise<number> {
  const r = await runGemm({ quick: true, threads, threadCounts: [threads], dtypes: ['fp32'], shapes: [{ m: 2048, n: 2048, k: 2048 }], minSeconds: 1 }, reporter);
  return r.best.fp32 ?? 0;
}

console.log(`load average at start: ${loadAverage()}; ${hardware.cpu.model}, ${threads} thread(s), ${rounds} rounds, sampling every ${intervalMs} ms`);
const withSampler: number[] = [];
const without: number[] = [];
let lastSource = '';
for (let i = 0; i < rounds; i++) {
  without.push(await gemm());
  const sampler = await startEnergySamplerThread({ hardware, intervalMs });
  withSampler.push(await gemm());
  const report = await sampler.stop();
  lastSource = `${report.source}: ${f1(report.avgWatts)} W average over ${f1(report.durationSeconds)} s, ${report.samples} readings`;
  console.log(`round ${i + 1}: without ${f1(without.at(-1)!)} GFLOP/s, with sampler ${f1(withSampler.at(-1)!)} GFLOP/s`);
}
const best = (v: number[]) => Math.max(...v);
console.log(`best fp32 GFLOP/s — with sampler ${f1(best(withSampler))}, without ${f1(best(without))}: ratio ${ratio(best(withSampler), best(without))}×`);
console.log(`sampler read: ${lastSource}`);

// One poll of every source on this machine, in-thread, timed.
const s = await startEnergySampler({ hardware, intervalMs: 1_000_000 });
const polls = 200;
const t0 = performance.now();
for (let i = 0; i < polls; i++) s.mark(`p${i}`);
const markUs = ((performance.now() - t0) * 1000) / polls;
const report = await s.stop();
console.log(`mark(): ${markUs.toFixed(2)} µs each; sources here: ${report.devices.map((d) => `${d.label} (${d.source})`).join(', ')}`);
console.log(`load average at end: ${loadAverage()}`);
