/**
 * The planner's one entry point (runs anywhere; the renderer calls it on every slider move and
 * the CLI prints it): a budget, or a parameter count, or both, under a fit → N*, D*, tokens per
 * parameter, predicted loss, a concrete transformer shape with its exact parameters and FLOPs
 * per token beside 6·N·D, time, cost, energy and CO₂ on a device, and the inference-aware and
 * data-constrained alternatives when asked. Bad input throws PlanInputError naming the field.
 */
import { dataConstrainedPlan, inferenceAwarePlan, type DataConstrainedPlan, type InferenceAwarePlan } from './beyond.js';
import { checkCompute, DEFAULT_MFU, PlanInputError, requirePositive, resolveBudget, timeOnDevice, type Budget, type PlanDevice } from './budget.js';
import { checkGrid, checkPue, energyForDevice, type PlanEnergy } from './energy.js';
import { computeForParams, FLOPS_PER_PARAM_TOKEN, frontierAt, lossAt } from './laws.js';
import { shapeForParams } from './shape.js';
import type { Fit, TransformerShape } from './types.js';

export interface PlanInput {
  fit: Fit;
  budget?: Budget;
  /** Fix the model size: alone, the compute-optimal tokens and FLOPs for it; with a budget, D = C/6N. */
  params?: number;
  inferenceTokens?: number;
  uniqueTokens?: number;
  vocab?: number;
  context?: number;
  /** A device to time a FLOPs budget on (device budgets carry their own). */
  device?: PlanDevice;
  deviceCount?: number;
  mfu?: number;
  /** Power usage effectiveness of the site (default DEFAULT_PUE, energy.ts). */
  pue?: number;
  /** Grid carbon intensity, gCO₂/kWh (default DEFAULT_GRID_G_PER_KWH, energy.ts). */
  gridGPerKwh?: number;
}

export interface PlanResult {
  fit: string;
  computeFlops: number;
  params: number;
  tokens: number;
  tokensPerParam: number;
  loss: number;
  shape: Pick<TransformerShape, 'layers' | 'dModel' | 'heads' | 'ffn' | 'vocab' | 'context' | 'exactParams' | 'flopsPerToken'>;
  time?: { seconds: number; devices: number };
  costUsd?: number;
  /** Energy and CO₂ of the training run on its device (energy.ts); null when it cannot be known. */
  energy: PlanEnergy | null;
  /** Why `energy` is null (no device, no TDP in the catalog, no measured power for this machine). */
  energyUnavailable?: string;
  /** Everything else the page shows. */
  details: {
    fitLabel: string;
    fitSource: string;
    lawNote?: string;
    paramsCount: Fit['paramsCount'];
    mode: 'budget' | 'params' | 'params-and-budget';
    sixND: number;
    /** exact shape FLOPs over the whole run: flopsPerToken × tokens. */
    shapeFlops: number;
    shapeFull: TransformerShape;
    shapeRelativeError: number;
    /** Compute-optimal N and loss at the same budget (differs from the plan when params is fixed). */
    optimal: { params: number; tokens: number; loss: number };
    device?: PlanDevice;
    mfu?: number;
    deviceHours?: number;
    inference?: InferenceAwarePlan;
    dataConstrained?: DataConstrainedPlan;
    warnings: string[];
  };
}

function checkParams(params: unknown): number {
  const n = requirePositive('params', params, 'a number of parameters');
  if (n < 1e5) throw new PlanInputError('params', `${n} parameters is too small for a language model (at least 1e5)`);
  if (n > 1e15) throw new PlanInputError('params', `${n.toExponential(2)} parameters is beyond any plausible model (at most 1e15)`);
  return n;
}

function checkInt(field: string, value: number | undefined, lo: number, hi: number): number | undefined {
  if (value === undefined) return undefined;
  const v = requirePositive(field, value, 'a whole number');
  if (!Number.isInteger(v) || v < lo || v > hi) throw new PlanInputError(field, `must be a whole number from ${lo} to ${hi} (got ${v})`);
  return v;
}

export function makePlan(input: PlanInput): PlanResult {
  const { fit } = input;
  const warnings: string[] = [];
  if (!input.budget && input.params === undefined) throw new PlanInputError('budget', 'give a compute budget (FLOPs, device-hours or money) or a parameter count');
  const vocab = checkInt('vocab', input.vocab, 256, 10_000_000);
  const context = checkInt('context', input.context, 16, 100_000_000);
  const resolved = input.budget ? resolveBudget(input.budget) : undefined;
  // Checked whether or not there is a device, so a bad value is reported the same way every time.
  const pue = checkPue(input.pue);
  const gridGPerKwh = checkGrid(input.gridGPerKwh);
  const fixedN = input.params === undefined ? undefined : checkParams(input.params);

  let C: number;
  let N: number;
  let D: number;
  let mode: PlanResult['details']['mode'];
  if (resolved && fixedN !== undefined) {
    mode = 'params-and-budget';
    C = resolved.computeFlops;
    N = fixedN;
    D = C / (FLOPS_PER_PARAM_TOKEN * N);
  } else if (resolved) {
    mode = 'budget';
    C = resolved.computeFlops;
    ({ N, D } = frontierAt(fit, C));
  } else {
    mode = 'params';
    N = fixedN!;
    C = checkCompute('params', computeForParams(fit, N));
    D = C / (FLOPS_PER_PARAM_TOKEN * N);
  }
  const optimal = frontierAt(fit, C);
  const optimalLoss = lossAt(fit.law, optimal.N, optimal.D);
  const loss = lossAt(fit.law, N, D);
  if (!Number.isFinite(N) || !Number.isFinite(D) || !Number.isFinite(loss)) {
    throw new PlanInputError('budget', `the ${fit.label} fit gives no finite answer for ${C.toExponential(2)} FLOPs`);
  }
  if (mode === 'params-and-budget' && loss > optimalLoss * 1.0005) {
    warnings.push(`At this budget ${fit.label} prefers ${optimal.N.toPrecision(3)} parameters (loss ${optimalLoss.toFixed(3)} vs ${loss.toFixed(3)}).`);
  }

  const { shape, relativeError, warnings: shapeWarnings } = shapeForParams(N, { vocab, context, count: fit.paramsCount });
  warnings.push(...shapeWarnings);
  if (fit.lawNote) warnings.push(fit.lawNote);

  let time = resolved?.time;
  const device = resolved?.device ?? input.device;
  const mfu = resolved?.mfu ?? (input.device ? (input.mfu ?? DEFAULT_MFU) : undefined);
  if (!time && input.device) time = timeOnDevice(C, input.device, input.deviceCount ?? 1, mfu);
  // Energy over the plan's training FLOPs C, the same figure the time is computed from.
  const energy = energyForDevice(C, device, mfu, { pue, gridGPerKwh });

  let inference: InferenceAwarePlan | undefined;
  if (input.inferenceTokens !== undefined) {
    const t = requirePositive('inference-tokens', input.inferenceTokens, 'a number of tokens');
    if (t > 1e20) throw new PlanInputError('inference-tokens', `${t.toExponential(2)} tokens is beyond any plausible lifetime demand (at most 1e20)`);
    inference = inferenceAwarePlan(fit, optimal, t);
  }
  let dataConstrained: DataConstrainedPlan | undefined;
  if (input.uniqueTokens !== undefined) {
    const u = requirePositive('unique-tokens', input.uniqueTokens, 'a number of tokens');
    if (u < 1e6) throw new PlanInputError('unique-tokens', `${u} tokens is too few to train on (at least 1e6)`);
    if (u > 1e17) throw new PlanInputError('unique-tokens', `${u.toExponential(2)} unique tokens is beyond any corpus (at most 1e17)`);
    dataConstrained = dataConstrainedPlan(fit, C, u);
    if (dataConstrained.binding && dataConstrained.epochs > 4 * R_EPOCH_WARN) {
      warnings.push(`The plan repeats the data ${dataConstrained.epochs.toFixed(0)} times: repeated tokens are worth little past ~16 epochs (Muennighoff et al. 2023).`);
    }
  }

  return {
    fit: fit.id,
    computeFlops: C,
    params: N,
    tokens: D,
    tokensPerParam: D / N,
    loss,
    shape: {
      layers: shape.layers,
      dModel: shape.dModel,
      heads: shape.heads,
      ffn: shape.ffn,
      vocab: shape.vocab,
      context: shape.context,
      exactParams: shape.exactParams,
      flopsPerToken: shape.flopsPerToken,
    },
    ...(time ? { time } : {}),
    ...(resolved?.costUsd !== undefined ? { costUsd: resolved.costUsd } : {}),
    energy: energy.energy,
    ...('reason' in energy ? { energyUnavailable: energy.reason } : {}),
    details: {
      fitLabel: fit.label,
      fitSource: fit.source,
      ...(fit.lawNote ? { lawNote: fit.lawNote } : {}),
      paramsCount: fit.paramsCount,
      mode,
      sixND: FLOPS_PER_PARAM_TOKEN * N * D,
      shapeFlops: shape.flopsPerToken * D,
      shapeFull: shape,
      shapeRelativeError: relativeError,
      optimal: { params: optimal.N, tokens: optimal.D, loss: optimalLoss },
      ...(device ? { device } : {}),
      ...(mfu !== undefined ? { mfu } : {}),
      ...(resolved?.deviceHours !== undefined ? { deviceHours: resolved.deviceHours } : {}),
      ...(inference ? { inference } : {}),
      ...(dataConstrained ? { dataConstrained } : {}),
      warnings,
    },
  };
}

/** Epoch counts above 4 × this warn (Muennighoff et al. 2023: ~4 epochs are nearly free, ~16 the limit). */
const R_EPOCH_WARN = 4;
