/**
 * Worker entry for the benchmark suite (a worker thread of the Node main process / CLI). Runs the
 * requested kernels in a fixed order — GEMM, the cost model's calibration (with GEMM), memory,
 * latency, GPU — so no two measure at once, then assembles the roofline (measured ceilings beside
 * the detected theoretical peaks) and the sanity warnings. Reports progress to the parent; an 'abort' message aborts at the next checkpoint.
 */
import { parentPort } from 'node:worker_threads';
import type { BenchResult } from '../../src-shared/api/bench.js';
import { assembleBench } from '../../src-shared/bench/assemble.js';
import type { ParentMessage, WorkerMessage } from '../core/worker-job.js';
import { runCalibration } from '../services/bench/calibrate.js';
import { runGemm } from '../services/bench/gemm.js';
import { runLatency } from '../services/bench/latency.js';
import { runMemory } from '../services/bench/memory.js';
import type { BenchReporter } from '../services/bench/types.js';
import { runDawnGpuBench } from '../services/gpu/dawn.js';
import type { BenchSuiteInput } from './bench-suite.js';

const port = parentPort;
if (!port) throw new Error('bench-suite.worker.ts must run as a worker thread');
const controller = new AbortController();
const send = (message: WorkerMessage) => port.postMessage(message);
/** The final message: after it the port closes so the thread exits on its own (never terminated mid-ORT call). */
const finish = (message: WorkerMessage) => {
  port.postMessage(message);
  port.close();
};

async function run(input: BenchSuiteInput): Promise<BenchResult> {
  const started = performance.now();
  const reporter: BenchReporter = {
    signal: controller.signal,
    progress: (phase, done, total) => send({ type: 'progress', phase, done, total }),
    log: (message, level = 'info') => send({ type: 'log', level, message }),
  };
  const wants = (part: string) => input.suite === 'all' || input.suite === part;
  const { caches } = input.hardware.cpu;
  const totalMemoryBytes = input.hardware.memory.totalBytes;
  const parts: Partial<BenchResult> = {};
  if (wants('gemm')) {
    parts.gemm = await runGemm({ quick: input.quick, threads: input.threads }, reporter);
    parts.calibration = await runCalibration({ quick: input.quick, threads: input.threads }, reporter);
  }
  if (wants('memory')) parts.memory = await runMemory({ quick: input.quick, threads: input.threads, caches, totalMemoryBytes }, reporter);
  if (wants('latency')) parts.latency = await runLatency({ quick: input.quick, caches, totalMemoryBytes }, reporter);
  if (wants('gpu')) {
    parts.gpu =
      input.gpuFromPage ??
      (await runDawnGpuBench({ quick: input.quick, signal: controller.signal, progress: reporter.progress }));
  }
  return assembleBench({
    suite: input.suite,
    quick: input.quick,
    threads: input.threads,
    hardware: input.hardware,
    ...parts,
    elapsedSeconds: (performance.now() - started) / 1000,
  });
}

port.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') {
    controller.abort();
    return;
  }
  run(message.input as BenchSuiteInput).then(
    (result) => finish({ type: 'result', result }),
    (e: unknown) => {
      const err = e as Error;
      if (err?.name === 'AbortError' || controller.signal.aborted) finish({ type: 'error', error: { code: 'CANCELLED', message: 'The benchmark was cancelled.' } });
      else finish({ type: 'error', error: { code: 'INTERNAL', message: err?.message ?? String(e) } });
    },
  );
});
