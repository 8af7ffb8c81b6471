/**
 * llama.cpp's attention rate on this machine, from its own stored measured runs (Node side).
 * llama.cpp's CPU attention (QKᵀ, softmax, ·V over the cached keys) runs far below its weight
 * products — on the 2-vCPU Intel host ~4–5 GFLOP/s on one thread against ~150 for the products —
 * so a prediction at long context needs it measured, and the benchmark suite's ONNX Runtime kernels
 * cannot stand in for it. A measured `llm` run at two or more depths gives it: the time a decoded
 * token (or the prompt) gains from depth 0 to depth d over the attention FLOPs it gains. The rate
 * is the median over the stored runs of OTHER models (held out, as the profiler's refinement:
 * never fitted on the model predicted), per thread.
 */
import type { LlmMeasuredPoint } from '../../../src-shared/api/llm.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import type { AttentionRate } from './llm-devices.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** GFLOP/s of the attention one run's deepest point adds over its shallowest, decode and prefill; null without two depths. */
export function rateOfRun(points: readonly LlmMeasuredPoint[], prompt: number): { decode: number | null; prefill: number | null } {
  const withFlops = points.filter((p) => p.decodeAttentionFlops !== undefined && p.prefillAttentionFlops !== undefined).sort((a, b) => a.depth - b.depth);
  if (withFlops.length < 2) return { decode: null, prefill: null };
  const lo = withFlops[0]!;
  const hi = withFlops[withFlops.length - 1]!;
  const rate = (flops: number, seconds: number) => (flops > 0 && seconds > 0 ? flops / seconds / 1e9 : null);
  return {
    decode: rate(hi.decodeAttentionFlops! - lo.decodeAttentionFlops!, 1 / hi.decodeTokensPerSecond - 1 / lo.decodeTokensPerSecond),
    prefill: rate(hi.prefillAttentionFlops! - lo.prefillAttentionFlops!, prompt / hi.prefillTokensPerSecond - prompt / lo.prefillTokensPerSecond),
  };
}

/** The held-out attention rate for `model` from this machine's stored measured runs of other models; null when there are none. */
export function attentionRate(runs: RunsRepo, machineId: string, model: string): AttentionRate | null {
  const decode: number[] = [];
  const prefill: number[] = [];
  const models = new Set<string>();
  for (const { parts } of runs.resultParts('llm', machineId, ['$.model.name', '$.measured.points', '$.measured.threads', '$.settings.prompt'], 200)) {
    const [name, points, threads, prompt] = parts as [unknown, unknown, unknown, unknown];
    if (typeof name !== 'string' || name === model || !Array.isArray(points) || typeof threads !== 'number' || threads < 1 || typeof prompt !== 'number') continue;
    const r = rateOfRun(points as LlmMeasuredPoint[], prompt);
    if (r.decode !== null) decode.push(r.decode / threads);
    if (r.prefill !== null) prefill.push(r.prefill / threads);
    if (r.decode !== null || r.prefill !== null) models.add(name);
  }
  if (!decode.length || !prefill.length) return null;
  return {
    decodeGflopsPerThread: median(decode),
    prefillGflopsPerThread: median(prefill),
    basis: `llama.cpp's attention measured on this machine, the median of ${decode.length} stored run${decode.length === 1 ? '' : 's'} of ${models.size} other model${models.size === 1 ? '' : 's'}`,
  };
}
