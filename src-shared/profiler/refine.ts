/**
 * Refining the cost model from the machine's own measured profiles (pure).
 *
 * The benchmark calibrates products, convolutions, bandwidth and the per-kernel overhead, but not
 * how well ONNX Runtime's kernels for the other op classes (Transpose, Softmax, Slice,
 * LayerNormalization, …) use the bandwidth. Each measured profile stored on this machine says it:
 * per op class, its measured time over its predicted time. The refined model multiplies a node's
 * prediction by its class's factor, fitted on the *other* models' profiles only (the model being
 * predicted is always left out, so every error FLOPscope reports is held out).
 *
 * Per op class, factor = exp(w · mean log(measured/predicted)) weighted by measured time, with
 * w = n / (n + 3) over the n units behind it (a class seen in one kernel moves the prediction a
 * quarter of the way), clamped to [1/5, 5]. Products and convolutions are not refined: the
 * calibration grid measures them directly.
 */
import type { PredictionCheck } from './types.js';

export interface ClassFactor {
  opType: string;
  factor: number;
  /** Units (kernels) and distinct models the factor was fitted on. */
  units: number;
  models: number;
}

export interface Refinement {
  factors: ClassFactor[];
  /** The stored profiles it was fitted on (model names), never including the model predicted. */
  fittedOn: string[];
}

const NOT_REFINED = new Set(['MatMul', 'Gemm', 'FusedMatMul', 'Conv', 'FusedConv', 'MatMulInteger', 'ConvInteger', 'QLinearMatMul', 'QLinearConv']);
const SHRINK = 3;
const CLAMP = 5;

/**
 * Fits per-class factors on stored checks (each with the factors that were applied when it was
 * predicted, so a refined prediction is first undone) of models other than `exclude`.
 */
export function fitRefinement(
  stored: ReadonlyArray<{ model: string; check: PredictionCheck; applied?: Record<string, number> }>,
  exclude: string,
): Refinement | null {
  const use = stored.filter((s) => s.model !== exclude);
  if (use.length === 0) return null;
  const acc = new Map<string, { wlog: number; w: number; units: number; models: Set<string> }>();
  for (const s of use) {
    for (const u of s.check.units) {
      if (NOT_REFINED.has(u.opType) || u.predictedMs <= 0 || u.measuredMs <= 0) continue;
      const raw = u.predictedMs / (s.applied?.[u.opType] ?? 1);
      const e = acc.get(u.opType) ?? { wlog: 0, w: 0, units: 0, models: new Set<string>() };
      e.wlog += u.measuredMs * Math.log(u.measuredMs / raw);
      e.w += u.measuredMs;
      e.units += 1;
      e.models.add(s.model);
      acc.set(u.opType, e);
    }
  }
  const factors: ClassFactor[] = [];
  for (const [opType, e] of acc) {
    const shrink = e.units / (e.units + SHRINK);
    const factor = Math.min(CLAMP, Math.max(1 / CLAMP, Math.exp((shrink * e.wlog) / e.w)));
    factors.push({ opType, factor, units: e.units, models: e.models.size });
  }
  factors.sort((a, b) => a.opType.localeCompare(b.opType));
  return factors.length ? { factors, fittedOn: [...new Set(use.map((s) => s.model))].sort() } : null;
}
