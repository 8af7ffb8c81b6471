/**
 * Model profiling as a job (Node side): load the model lazily (a file, an upload, or a zoo
 * architecture built in memory), count it (shapes, params, MACs, bytes), optionally run it with
 * ONNX Runtime's profiler and map the per-op times back to the graph, then store one 'profile' run.
 * Queued on "cpu" like the benchmarks, so a measured run never overlaps a benchmark.
 * What only some requests need (ONNX Runtime for --run, the what-ifs, the power sampler, the zoo)
 * is imported by the branch that needs it, so counting a model loads none of it.
 */
import os from 'node:os';
import path from 'node:path';
import type { HardwareReport, JobInfo } from '../../src-shared/api/types.js';
import type { ProfileSource, ProfileStartRequest } from '../../src-shared/api/profile.js';
import type { ModelIR } from '../../src-shared/profiler/ir.js';
import { profileModel } from '../../src-shared/profiler/profile.js';
import { graphLinks, predictModel, type DeviceModel } from '../../src-shared/profiler/cost-model.js';
import { checkPrediction, driftWarning } from '../../src-shared/profiler/prediction-check.js';
import { latestDeviceModel } from '../services/hardware/measured-device.js';
import { speedProbe } from '../services/profiler/speed-probe.js';
import type { ProfileResult, ProfileWhatifs } from '../../src-shared/profiler/types.js';
import { moeAccounting } from '../../src-shared/profiler/whatif/moe.js';
import type { JobRunner } from '../core/jobs.js';
import { loadModel, loadModelFromBytes } from '../services/onnx/load-model.js';
import type { ModelSource } from '../services/profiler/run-model.js';
import type { RunsRepo } from '../store/repos/runs-repo.js';
import type { Uploads } from '../core/uploads.js';

export type { ProfileSource } from '../../src-shared/api/profile.js';

export interface LoadedModel {
  model: ModelIR;
  source: ModelSource;
  /** Default bindings (the zoo's), overridden by the request's. */
  defaultDims: Record<string, number>;
}

export async function loadSource(source: ProfileSource, uploads: Uploads): Promise<LoadedModel> {
  if ('zoo' in source) {
    const { buildZooModel } = await import('../services/zoo/zoo.js');
    const built = buildZooModel(source.zoo, source.options ?? {});
    const model = await loadModelFromBytes(built.bytes, `zoo:${source.zoo}`);
    return { model, source: { bytes: built.bytes, name: `zoo:${source.zoo}` }, defaultDims: built.dims };
  }
  const upload = 'upload' in source ? uploads.get(source.upload) : null;
  const file = upload ? upload.file : path.resolve((source as { file: string }).file);
  // An upload's messages name the file the user chose, never the temp file's random name.
  const model = await loadModel(file, upload ? { label: upload.name } : {});
  return { model, source: { file }, defaultDims: {} };
}

/** This machine's device model; the theoretical one (labelled) when the store cannot be read. */
function deviceFor(runs: () => RunsRepo, report: HardwareReport, modelName: string): DeviceModel {
  try {
    return latestDeviceModel(runs(), report, modelName);
  } catch {
    return latestDeviceModel(null, report, modelName);
  }
}

/** The profile with the cost model's prediction on every node and for the whole model, and the per-node lookup runModel splits fused kernels by. */
function predictProfile(model: ModelIR, profile: ProfileResult, device: DeviceModel): { result: ProfileResult; ms: (node: string) => number; device: DeviceModel } {
  const predicted = predictModel(graphLinks(model), profile.nodes, device);
  const byName = new Map(predicted.nodes.map((n) => [n.name, n.ms] as const));
  return {
    result: {
      ...profile,
      nodes: profile.nodes.map((n) => ({ ...n, predictedMs: byName.get(n.name) ?? null })),
      predicted: { latencyMs: predicted.latencyMs, basis: predicted.basis, measured: predicted.measured, ...(predicted.factors ? { factors: predicted.factors } : {}), ...(predicted.outputsMs !== undefined ? { outputsMs: predicted.outputsMs } : {}) },
    },
    ms: (node) => byName.get(node) ?? 0,
    device,
  };
}

export function startProfileJob(
  deps: { jobs: JobRunner; hardware: () => Promise<HardwareReport>; runs: () => RunsRepo; appVersion: string; uploads: Uploads },
  request: ProfileStartRequest,
): JobInfo {
  let report: HardwareReport | null = null;
  const label = 'zoo' in request.source ? request.source.zoo : 'file' in request.source ? path.basename(request.source.file) : 'upload';
  return deps.jobs.start<ProfileResult>({
    kind: `profile.${label}`,
    queue: 'cpu',
    run: async (ctx) => {
      report = await deps.hardware();
      ctx.progress('load', 0, 1);
      const loaded = await loadSource(request.source, deps.uploads);
      ctx.progress('load', 1, 1);
      ctx.throwIfCancelled();
      const dims = { ...loaded.defaultDims, ...(request.dims ?? {}) };
      ctx.progress('count', 0, 1);
      const profile = profileModel(loaded.model, dims);
      ctx.progress('count', 1, 1);
      const reporter = { signal: ctx.signal, progress: ctx.progress, log: (m: string, l?: 'info' | 'warn') => ctx.log(m, l) };
      // The prediction comes first, from this machine's stored benchmark, whether or not the model then runs.
      const prediction = predictProfile(loaded.model, profile, deviceFor(deps.runs, report, profile.model.name));
      const result: ProfileResult = prediction.result;
      if (request.run) {
        const [{ runModel }, { energyWarnings, withEnergy }, { profileEnergyEfficiency }] = await Promise.all([
          import('../services/profiler/run-model.js'),
          import('../services/energy/with-energy.js'),
          import('../../src-shared/energy/efficiency.js'),
        ]);
        const speed = await speedProbe(prediction.device.calibration, request.threads ?? os.availableParallelism(), reporter);
        if (speed) {
          result.speed = speed;
          const drift = driftWarning(speed);
          if (drift) result.warnings = [...result.warnings, drift];
        }
        // Power is sampled over the measured run only (warm-up and timed runs), not the loading and counting.
        const { value: measured, energy } = await withEnergy(
          ctx,
          report,
          (mctx) =>
            runModel(
              loaded.source,
              loaded.model,
              profile.model.dims,
              { profile, predictMs: prediction.ms, ...(request.threads ? { threads: request.threads } : {}) },
              { signal: mctx.signal, progress: mctx.progress, log: (m: string, l?: 'info' | 'warn') => mctx.log(m, l) },
            ),
          );
        const { trace, ...rest } = measured;
        result.measured = rest;
        result.trace = trace;
        result.energy = energy;
        const efficiency = profileEnergyEfficiency(result, energy);
        if (efficiency) result.energyEfficiency = efficiency;
        result.warnings = [...result.warnings, ...energyWarnings(energy)];
        const check = checkPrediction({ latencyMs: prediction.result.predicted!.latencyMs, nodes: result.nodes.map((n) => ({ name: n.name, opType: n.opType, predictedMs: n.predictedMs ?? null })) }, rest);
        result.check = speed ? { ...check, speedCorrectedRatio: check.latencyRatio * speed.ratio } : check;
      }
      const whatifs: ProfileWhatifs = {};
      const weightSource = 'file' in loaded.source ? loaded.source.file : loaded.source.bytes;
      if (request.quantize) {
        const [{ latestMeasuredDevice }, { quantizeModel }] = await Promise.all([import('../services/hardware/measured-device.js'), import('../services/profiler/quantize-model.js')]);
        const device = latestMeasuredDevice(deps.runs(), report.machine.id);
        if (!device) ctx.log('No benchmark stored for this machine: quantization speed-ups need its measured roofline (run `flopscope bench all --quick`).', 'warn');
        // With a measured cost model, the speed-ups are its predictions before and after (one cost model for the profile and its what-ifs).
        const costModel = prediction.device.measured ? { graph: graphLinks(loaded.model), device: prediction.device } : undefined;
        whatifs.quantize = await quantizeModel(weightSource, loaded.model, { profile, ...(device ? { device } : {}), ...(costModel ? { costModel } : {}) }, reporter);
      }
      if (request.prune) {
        const { pruneModel } = await import('../services/profiler/prune-model.js');
        whatifs.prune = await pruneModel(weightSource, loaded.model, { ...request.prune, profile }, reporter);
      }
      if (request.activationSparsity) {
        const { activationSparsity } = await import('../services/profiler/activation-sparsity.js');
        whatifs.activationSparsity = await activationSparsity(loaded.source, loaded.model, profile.model.dims, {}, reporter);
      }
      const moe = moeAccounting(loaded.model.graph, profile);
      if (moe) whatifs.moe = moe;
      if (Object.keys(whatifs).length) result.whatifs = whatifs;
      return result;
    },
    persist: (result) =>
      request.store === false
        ? null
        : deps.runs().insert({
            kind: 'profile',
            machine: report!,
            appVersion: deps.appVersion,
            params: {
              source: 'upload' in request.source ? { upload: result.model.name } : request.source,
              dims: result.model.dims,
              run: Boolean(request.run),
              threads: request.threads ?? null,
              // A what-if run names what it tried and the measured run it was asked from.
              ...(whatifKinds(request).length ? { whatifs: whatifKinds(request) } : {}),
              ...(request.parentRunId !== undefined ? { parentRunId: request.parentRunId } : {}),
            },
            // The trace travels with the result event (the page downloads it, the CLI writes it), but is not stored.
            result: { ...result, trace: undefined },
          }),
  });
}

/** The what-ifs a request asks for, by name: quantize, prune (its method), activation sparsity. */
function whatifKinds(request: ProfileStartRequest): string[] {
  const out: string[] = [];
  if (request.quantize) out.push('quantize');
  if (request.prune) out.push(`prune ${request.prune.method}${request.prune.sparsity !== undefined ? ` ${request.prune.sparsity}` : ''}`);
  if (request.activationSparsity) out.push('activation sparsity');
  return out;
}
