/**
 * The planner's backend side (Node main process / CLI): stored custom fits (runs of kind 'fit'),
 * what "this machine" means for a plan, and turning planner input errors into API failures.
 * The maths itself is src-shared/planner; the page runs the same code without a round trip.
 */
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { MAX_FIT_RUNS, type FitInfo, type PlanRequest, type ThisMachineDevice } from '../../../src-shared/api/planner.js';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import { findGpu } from '../../../src-shared/hardware/gpu-catalog.js';
import { PlanInputError, catalogDevice } from '../../../src-shared/planner/budget.js';
import { fitScalingLaw, type FittedLaw } from '../../../src-shared/planner/fit-law.js';
import { BUILTIN_FITS, customFit } from '../../../src-shared/planner/fits.js';
import { makePlan, type PlanResult } from '../../../src-shared/planner/plan.js';
import { planInputFromRequest } from '../../../src-shared/planner/request.js';
import { parseRunsCsv, RunsCsvError } from '../../../src-shared/planner/runs-csv.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import { latestMeasuredDevice } from '../../suites/profile-suite.js';

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
  let parsed;
  try {
    parsed = parseRunsCsv(csv);
  } catch (e) {
    if (e instanceof RunsCsvError) throw new ApiFailure('INVALID_REQUEST', `CSV ${e.message}`, [`csv.${e.field}: ${e.message}`]);
    throw e;
  }
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
 * fp32 peak measured by the newest benchmark run, else the CPU's theoretical fp32 peak.
 */
export function thisMachineDevice(report: HardwareReport, runs: RunsRepo | null): ThisMachineDevice {
  const measured = runs ? latestMeasuredDevice(runs, report.machine.id) : null;
  const roofline = measured ? { roofline: { peakGflops: measured.peakGflops.fp32, bandwidthGBs: measured.bandwidthGBs } } : {};
  return { ...deviceOf(report, measured), ...roofline };
}

function deviceOf(report: HardwareReport, measured: ReturnType<typeof latestMeasuredDevice>): ThisMachineDevice {
  for (const gpu of report.gpus) {
    const entry = findGpu(gpu.model);
    if (entry) {
      try {
        return { device: catalogDevice(entry), note: `detected ${gpu.model}; dense peak from the GPU catalog` };
      } catch {
        /* no training dtype: fall through to the CPU */
      }
    }
  }
  const memGB = report.memory.totalBytes / 1e9;
  const name = `this machine (${report.cpu.model})`;
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
  try {
    return makePlan(planInputFromRequest(req, ctx));
  } catch (e) {
    if (e instanceof PlanInputError) throw new ApiFailure('INVALID_REQUEST', e.message, [e.message]);
    throw e;
  }
}
