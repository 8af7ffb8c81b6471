/**
 * The planner's backend side (Node main process / CLI): stored custom fits (runs of kind 'fit'),
 * what "this machine" means for a plan (its peak and its power, from stored benchmarks), and turning planner input errors into API failures.
 * The maths itself is src-shared/planner; the page runs the same code without a round trip.
 */
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { MAX_FIT_RUNS, type FitInfo, type PlanRequest, type ThisMachineDevice } from '../../../src-shared/api/planner.js';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import type { BenchResult } from '../../../src-shared/api/bench.js';
import type { DevicePower } from '../../../src-shared/planner/energy.js';
import { findGpu } from '../../../src-shared/hardware/gpu-catalog.js';
import { catalogDevice } from '../../../src-shared/planner/budget.js';
import { fitScalingLaw, type FittedLaw } from '../../../src-shared/planner/fit-law.js';
import { BUILTIN_FITS, customFit } from '../../../src-shared/planner/fits.js';
import { makePlan, type PlanResult } from '../../../src-shared/planner/plan.js';
import { planInputFromRequest } from '../../../src-shared/planner/request.js';
import { parseRunsCsv } from '../../../src-shared/planner/runs-csv.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import { latestDeviceModel, latestMeasuredDevice } from '../hardware/measured-device.js';
import { kernelMs } from '../../../src-shared/profiler/cost-model.js';
import { fitParamsSchema, fitResultSchema } from '../../../src-shared/runs/schemas.js';

export interface StoredFitParams {
  name: string;
  runs: Array<{ N: number; D: number; loss: number; flops?: number }>;
  csvWarnings: string[];
}

export function listFits(runs: RunsRepo): FitInfo[] {
  const builtin: FitInfo[] = Object.values(BUILTIN_FITS).map((f) => ({ ...f, builtin: true }));
  const custom: FitInfo[] = [];
  for (const summary of runs.list({ kind: 'fit', limit: 500 })) {
    const run = runs.get(summary.id);
    if (!run) continue;
    // A stored fit that is not one (imported before imports were checked, or edited by hand) is left out rather than breaking the list.
    if (!fitResultSchema.safeParse(run.result).success || !fitParamsSchema.safeParse(run.params).success) continue;
    const params = run.params as StoredFitParams;
    const fitted = run.result as FittedLaw;
    custom.push({ ...fitFromRun(summary.id, params, fitted), builtin: false, runId: summary.id, createdAt: run.createdAt, fitted });
  }
  return [...builtin, ...custom];
}

function fitFromRun(runId: number, params: StoredFitParams, fitted: FittedLaw) {
  return customFit(`custom:${runId}`, params.name, fitted.law, `Fitted ${fitted.nRuns} runs from your CSV (Huber δ=${fitted.huberDelta} on log-loss, L-BFGS from a grid; run #${runId})`);
}

/** Parses and fits a CSV of runs; throws ApiFailure naming the field for bad input. */
export function fitFromCsv(name: string, csv: string, bootstrap?: number): { params: StoredFitParams; fitted: FittedLaw } {
  // A bad CSV throws RunsCsvError, a FieldError that dispatch answers as INVALID_REQUEST ("CSV row 3: …").
  const parsed = parseRunsCsv(csv);
  if (parsed.runs.length > MAX_FIT_RUNS) {
    throw new ApiFailure('INVALID_REQUEST', `CSV has ${parsed.runs.length} runs; at most ${MAX_FIT_RUNS} are fitted here`, [`csv.rows: more than ${MAX_FIT_RUNS} runs`]);
  }
  let fitted: FittedLaw;
  try {
    fitted = fitScalingLaw(parsed.runs, bootstrap !== undefined ? { bootstrap } : {});
  } catch (e) {
    throw new ApiFailure('INVALID_REQUEST', `Could not fit these runs: ${(e as Error).message}`, [`csv: ${(e as Error).message}`]);
  }
  return { params: { name, runs: parsed.runs, csvWarnings: parsed.warnings }, fitted: { ...fitted, warnings: [...parsed.warnings, ...fitted.warnings] } };
}

export function createFit(runs: RunsRepo, machine: HardwareReport, appVersion: string, name: string, csv: string, bootstrap?: number): FitInfo {
  const { params, fitted } = fitFromCsv(name, csv, bootstrap);
  const runId = runs.insert({ kind: 'fit', machine, appVersion, params, result: fitted });
  const run = runs.get(runId);
  return { ...fitFromRun(runId, params, fitted), builtin: false, runId, createdAt: run?.createdAt ?? new Date().toISOString(), fitted };
}

/**
 * "this" in a plan: a detected GPU found in the catalog (its dense bf16/fp16 peak), else the CPU's
 * fp32 peak measured by the newest benchmark run, else the CPU's theoretical fp32 peak. Its power
 * (for the plan's energy): a catalog GPU's TDP, matching where its peak comes from; for the CPU,
 * the average power during the GEMM phase of the newest benchmark that recorded energy.
 */
export function thisMachineDevice(report: HardwareReport, runs: RunsRepo | null): ThisMachineDevice {
  const measured = runs ? latestMeasuredDevice(runs, report.machine.id) : null;
  const roofline = measured ? { roofline: { peakGflops: measured.peakGflops.fp32, bandwidthGBs: measured.bandwidthGBs } } : {};
  const { fromCatalog, ...base } = deviceOf(report, measured, runs);
  if (!base.device) return { ...base, power: null, powerNote: 'no device is known for this machine', ...roofline };
  let power: DevicePower;
  if (fromCatalog && base.device.power) {
    // A detected catalog GPU: its TDP (or the catalog's lack of one), like its peak; the CPU
    // benchmark's power says nothing about the GPU training.
    power = base.device.power;
  } else {
    const gemm = runs ? latestGemmPower(runs, report.machine.id) : null;
    power = gemm ?? { watts: null, reason: NO_MEASURED_POWER };
  }
  return {
    ...base,
    device: { ...base.device, power },
    power: power.watts === null ? null : { watts: power.watts, source: power.source, ...(power.runId !== undefined ? { runId: power.runId } : {}), basis: power.basis },
    powerNote: power.watts === null ? power.reason : power.basis,
    ...roofline,
  };
}

export const NO_MEASURED_POWER = "run a benchmark (flopscope bench gemm) to measure this machine's power";

/** How many of this machine's newest benchmark runs are searched for one that recorded energy. */
const POWER_SEARCH_RUNS = 50;

/**
 * This machine's power while it multiplies matrices: the average total watts of the 'gemm' phase
 * of the newest stored benchmark run (of this machine) whose result has an energy report. The
 * GEMM phase runs the CPU at its measured peak, so at a lower MFU this is an upper bound too.
 */
export function latestGemmPower(runs: RunsRepo, machineId: string): DevicePower | null {
  for (const summary of runs.list({ kind: 'bench', machineId, limit: POWER_SEARCH_RUNS })) {
    const result = runs.get(summary.id)?.result as BenchResult | undefined;
    const energy = result?.energy;
    const phase = energy?.phases?.find((p) => p.phase === 'gemm');
    if (!energy || !phase || !(Number.isFinite(phase.avgWatts) && phase.avgWatts > 0)) continue;
    const source = energy.estimated ? 'estimated' : 'measured';
    const how = energy.estimated ? `estimated (${energy.estimateBasis ?? energy.source})` : `measured by ${energy.source}`;
    return {
      watts: phase.avgWatts,
      source,
      runId: summary.id,
      basis: `average total power during the GEMM phase of benchmark run #${summary.id}, ${how}`,
    };
  }
  return null;
}

/**
 * The side of a training step's matrix products the plan's "this machine" is timed at: a
 * 2048-token micro-batch through 2048-wide layers, the size the benchmark's large GEMM points cover.
 */
const TRAINING_PRODUCT = 2048;

/**
 * This machine's fp32 throughput on a training step's products from the calibrated cost model
 * (the profiler's, src-shared/profiler/cost-model.ts), or null when its newest benchmark has no
 * GEMM and memory parts to build one from.
 */
function costModelThroughput(runs: RunsRepo | null, report: HardwareReport): { gflops: number; basis: string } | null {
  if (!runs) return null;
  const model = latestDeviceModel(runs, report);
  if (!model.measured) return null;
  const s = TRAINING_PRODUCT;
  const ms = kernelMs(model, { kind: 'product', rows: s, n: s, k: s, bytes: 3 * s * s * 4 });
  return { gflops: (2 * s ** 3) / (ms / 1000) / 1e9, basis: model.basis };
}

function deviceOf(report: HardwareReport, measured: ReturnType<typeof latestMeasuredDevice>, runs: RunsRepo | null): ThisMachineDevice & { fromCatalog?: true } {
  for (const gpu of report.gpus) {
    const entry = findGpu(gpu.model);
    if (entry) {
      try {
        return { device: catalogDevice(entry), note: `detected ${gpu.model}; dense peak from the GPU catalog`, fromCatalog: true };
      } catch {
        /* no training dtype: fall through to the CPU */
      }
    }
  }
  const memGB = report.memory.totalBytes / 1e9;
  const name = `this machine (${report.cpu.model})`;
  const calibrated = measured ? costModelThroughput(runs, report) : null;
  if (calibrated) {
    const s = TRAINING_PRODUCT;
    return {
      device: { name, peakFlops: calibrated.gflops * 1e9, dtype: 'fp32', memGB, source: `fp32 ${s}×${s}×${s} products (a training step's size) on this machine's calibrated cost model: ${calibrated.basis}` },
      note: 'measured CPU fp32 throughput on training-size products (calibrated cost model, newest benchmark run)',
    };
  }
  if (measured) {
    return {
      device: { name, peakFlops: measured.peakGflops.fp32 * 1e9, dtype: 'fp32', memGB, source: 'fp32 GEMM peak measured by the newest benchmark run on this machine' },
      note: 'measured CPU fp32 peak (newest benchmark run)',
    };
  }
  const peak = report.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32');
  if (peak) {
    return {
      device: { name, peakFlops: peak.gflops * 1e9, dtype: 'fp32', memGB, source: `theoretical CPU fp32 peak: ${peak.basis}` },
      note: 'theoretical CPU fp32 peak (no benchmark stored yet: run `flopscope bench all --quick` for a measured one)',
    };
  }
  return { device: null, note: 'no GPU in the catalog was detected and no CPU peak is known; run `flopscope bench all --quick`' };
}

export function computePlan(req: PlanRequest, ctx: { customFits: FitInfo[]; thisMachine: ThisMachineDevice }): PlanResult {
  // Bad input throws PlanInputError, a FieldError that dispatch answers as INVALID_REQUEST.
  return makePlan(planInputFromRequest(req, ctx));
}
