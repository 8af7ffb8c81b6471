/**
 * Pruning what-if on a model's real weights (Node main process / CLI). Prunable weights are the
 * float tensors of rank ≥ 2 that a Conv/ConvTranspose/Gemm/MatMul reads (directly or through a
 * Transpose/Reshape-like op); biases, normalisation parameters and embedding-only tables stay
 * dense. Weights are read one at a time with `readInitializer`:
 * - global: pass 1 builds a |w| histogram over all prunable weights (MagnitudeHistogram: 4 MB
 *   whatever the model), pass 2 counts what each tensor keeps at the chosen threshold;
 * - layer-wise and 2:4: one pass, each tensor pruned on its own.
 * Each tensor also reports the fraction of its squared magnitude kept (Σ kept w² / Σ w²), a
 * quick proxy for how much the pruning disturbs it. Parameters and FLOPs after pruning come from
 * prunedCost (FLOPs of a product ∝ its weight's density). Sources: docs/profiler-whatifs.md.
 */
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ModelIR } from '../../../src-shared/profiler/ir.js';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import type { DimBindings, ProfileResult } from '../../../src-shared/profiler/types.js';
import { MagnitudeHistogram, prune24, pruneLayerwise, prunedCost } from '../../../src-shared/profiler/whatif/prune.js';
import { weightAxes, weightUsage, type WeightUsage } from '../../../src-shared/profiler/whatif/weights.js';
import { checkpoint, type BenchReporter } from '../bench/types.js';
import { readInitializer } from '../onnx/load-model.js';
import type { PruneMethod, PruneModelReport, PrunedTensor } from '../../../src-shared/profiler/whatif/report-types.js';

export type { PruneMethod, PruneModelReport, PrunedTensor };

export interface PruneModelOptions {
  method: PruneMethod;
  /** Target sparsity in [0, 1] for global and layer-wise (2:4 is 0.5 by construction). */
  sparsity?: number;
  /** The static profile (for FLOPs); computed with `dims` when absent. */
  profile?: ProfileResult;
  dims?: DimBindings;
}

const FLOAT_TYPES = new Set(['float32', 'float16', 'bfloat16', 'float64']);

/** The prunable weights: float, rank ≥ 2, read by a product. */
export function prunableWeights(model: ModelIR): WeightUsage[] {
  return [...weightUsage(model.graph).values()].filter((u) => FLOAT_TYPES.has(u.init.elemType) && u.init.dims.length >= 2 && weightAxes(u).products.length > 0);
}

async function floats(source: string | Uint8Array, u: WeightUsage): Promise<Float32Array | Float64Array> {
  const v = await readInitializer(source, u.init);
  if (!(v instanceof Float32Array) && !(v instanceof Float64Array)) throw new Error(`weight ${u.init.name} is not a float tensor`);
  return v;
}

function energy(values: ArrayLike<number>, keep: (x: number, i: number) => boolean): number {
  let all = 0;
  let kept = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    all += x * x;
    if (keep(x, i)) kept += x * x;
  }
  return all > 0 ? kept / all : 1;
}

/** Runs the pruning what-if over every prunable weight of `model`, reading from `source`. */
export async function pruneModel(source: string | Uint8Array, model: ModelIR, options: PruneModelOptions, reporter?: BenchReporter): Promise<PruneModelReport> {
  const method = options.method;
  const sparsity = method === '2:4' ? 0.5 : options.sparsity ?? 0.5;
  if (!(sparsity >= 0 && sparsity <= 1)) throw new ApiFailure('INVALID_REQUEST', `sparsity must be in [0, 1] (got ${sparsity})`);
  const profile = options.profile ?? profileModel(model, options.dims ?? {});
  const weights = prunableWeights(model);
  const tensors: PrunedTensor[] = [];
  const step = async (phase: string, i: number) => {
    reporter?.progress(phase, i, weights.length);
    if (reporter) await checkpoint(reporter.signal);
  };
  let threshold: number | undefined;

  if (method === 'global') {
    const hist = new MagnitudeHistogram();
    for (let i = 0; i < weights.length; i++) {
      await step('histogram', i);
      hist.add(await floats(source, weights[i]!));
    }
    threshold = hist.threshold(sparsity).threshold;
    const t = threshold;
    for (let i = 0; i < weights.length; i++) {
      await step('count', i);
      const u = weights[i]!;
      const v = await floats(source, u);
      let kept = 0;
      for (let j = 0; j < v.length; j++) if (Math.abs(v[j]!) >= t) kept++;
      tensors.push({ name: u.init.name, nodes: weightAxes(u).products, dims: [...u.init.dims], elements: v.length, kept, energyKept: energy(v, (x) => Math.abs(x) >= t) });
    }
  } else {
    for (let i = 0; i < weights.length; i++) {
      await step('prune', i);
      const u = weights[i]!;
      const axes = weightAxes(u);
      const v = await floats(source, u);
      if (method === 'layerwise') {
        const r = pruneLayerwise(v, sparsity);
        tensors.push({ name: u.init.name, nodes: axes.products, dims: [...u.init.dims], elements: v.length, kept: r.kept, energyKept: energy(v, (_x, j) => r.values[j] !== 0 || v[j] === 0) });
      } else {
        const r = axes.inputAxis === null ? null : prune24(v, u.init.dims, axes.inputAxis);
        const eligible = r?.eligible ?? false;
        tensors.push({
          name: u.init.name, nodes: axes.products, dims: [...u.init.dims], elements: v.length,
          kept: r && eligible ? r.kept : v.length,
          energyKept: r && eligible ? energy(v, (_x, j) => r.values[j] !== 0 || v[j] === 0) : 1,
          eligible, inputAxis: axes.inputAxis,
        });
      }
    }
  }
  reporter?.progress('done', weights.length, weights.length);
  const prunable = tensors.reduce((a, t) => a + t.elements, 0);
  const kept = tensors.reduce((a, t) => a + t.kept, 0);
  const cost = prunedCost(profile, tensors.map((t) => ({ tensor: t.name, nodes: t.nodes, elements: t.elements, kept: t.kept })));
  const report: PruneModelReport = { method, targetSparsity: sparsity, achievedSparsity: prunable > 0 ? (prunable - kept) / prunable : 0, tensors, cost };
  if (threshold !== undefined) report.threshold = threshold;
  return report;
}
