/**
 * The LLM capability's backend side (Node): the estimate — parameters (src-shared/llm/params.ts),
 * memory at the context (memory.ts), fit against this machine and the named devices (fit.ts),
 * predicted prefill / decode on this machine's calibrated cost model (predict.ts through
 * llm-devices.ts) — and the measured run through llama.cpp (llama-measure.ts) as a job, with the
 * energy sampler beside it, the prediction at each measured depth next to the measurement, stored
 * as an 'llm' run.
 */
import type { LlamaCalibration, LlmEstimateRequest, LlmEstimateResult, LlmMeasuredPoint, LlmMeasureRequest, LlmModelInfo, LlmSettingsRequest } from '../../../src-shared/api/llm.js';
import type { HardwareReport, JobInfo } from '../../../src-shared/api/types.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { FieldError } from '../../../src-shared/errors/field-error.js';
import { fitDevice } from '../../../src-shared/llm/fit.js';
import { llmMemory } from '../../../src-shared/llm/memory.js';
import { countParams } from '../../../src-shared/llm/params.js';
import { decodeAttentionFlops, decodeCurve, decodeStep, predictLlm, prefill, prefillAttentionFlops } from '../../../src-shared/llm/predict.js';
import { specFromHfConfig } from '../../../src-shared/llm/spec.js';
import type { LlmDevice, LlmFit, LlmSettings, LlmSpec } from '../../../src-shared/llm/types.js';
import type { JobRunner } from '../../core/jobs.js';
import type { Uploads } from '../../core/uploads.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import { energyWarnings, withEnergy } from '../energy/with-energy.js';
import { catalogLlmDevice, defaultLlamaThreads, namedFitDevice, thisMachineFitDevices, thisMachineLlmDevice, type NamedFitDevice } from './llm-devices.js';
import { resolveLlmSource, type ResolvedLlm } from './llm-source.js';
import { KNOWN_MODELS } from './known-models.js';
import type { LlamaMeasured } from './llama-measure.js';
import { attentionRate } from './llm-attention.js';
import { calibrationFrom, calibrationModels, storedLlamaCalibration } from './llama-calibration.js';

export interface LlmDeps {
  jobs: JobRunner;
  hardware(): Promise<HardwareReport>;
  runs(): RunsRepo;
  uploads: Uploads;
  appVersion: string;
}

export function knownModels(): LlmModelInfo[] {
  return KNOWN_MODELS.map((k) => {
    const spec = specFromHfConfig(k.config, `config.json of ${k.name}`);
    const p = countParams(spec);
    return { id: k.id, name: k.name, architecture: spec.architecture, params: p.total, activeParams: p.active, contextMax: spec.contextMax, source: k.source };
  });
}

/** The request's settings with the context defaulted (4096, or the model's maximum when smaller) and checked against the model. */
function settingsFor(spec: LlmSpec, s: LlmSettingsRequest, quant: string): LlmSettings {
  const context = s.context ?? Math.min(4096, spec.contextMax);
  if (context > spec.contextMax) throw new FieldError('settings.context', `${context} tokens is over ${spec.name}'s maximum context of ${spec.contextMax}`);
  return { quant, context, batch: s.batch, prompt: s.prompt, gen: s.gen, kvDtype: s.kvDtype };
}

/** Depths for the decode chart: powers of two up to the context (and the context itself). */
function curveDepths(context: number): number[] {
  const out = [0];
  for (let d = 128; d < context; d *= 2) out.push(d);
  out.push(context);
  return out;
}

/** A split model's decode speed: the GPU's layers at its speed, the rest at this machine's (layers uniform, the head where the last layer runs). */
function splitSpeed(spec: LlmSpec, settings: LlmSettings, gpu: LlmDevice, cpu: LlmDevice, bpp: number, gpuLayers: number, depth: number): number {
  const g = decodeStep(spec, settings, gpu, bpp, depth).seconds;
  const c = decodeStep(spec, settings, cpu, bpp, depth).seconds;
  const share = gpuLayers / spec.layers;
  return settings.batch / (share * g + (1 - share) * c);
}

function fits(resolved: ResolvedLlm, settings: LlmSettings, named: NamedFitDevice[], cpu: LlmDevice, bpp: number, depth: number): LlmFit[] {
  const memoryFn = (s: LlmSettings) => llmMemory(resolved.spec, s, resolved.weights);
  return named.map(({ fit, gpu }) => {
    const f = fitDevice(resolved.spec, settings, memoryFn, fit);
    const gpuDevice = gpu ? catalogLlmDevice(gpu) : null;
    if (f.gpuLayers !== undefined && gpuDevice) {
      f.splitDecodeTokensPerSecond = splitSpeed(resolved.spec, settings, gpuDevice, cpu, bpp, f.gpuLayers, depth);
    }
    return f;
  });
}

export async function estimateFor(resolved: ResolvedLlm, req: Pick<LlmEstimateRequest, 'settings' | 'devices'> & { threads?: number | undefined }, report: HardwareReport, runs: RunsRepo | null): Promise<LlmEstimateResult> {
  const spec = resolved.spec;
  const quant = resolved.weights?.quant ?? req.settings.quant;
  const settings = settingsFor(spec, req.settings, resolved.weights ? req.settings.quant : quant);
  const params = countParams(spec);
  const memory = llmMemory(spec, settings, resolved.weights);
  const bpp = memory.weights.bytes / params.total;
  const attention = runs ? attentionRate(runs, report.machine.id, spec.name) : null;
  const { device, measured } = thisMachineLlmDevice(runs, report, { threads: req.threads ?? defaultLlamaThreads(report), modelBytes: memory.weights.bytes, attention, quant });
  const depth = Math.min(req.settings.depth ?? settings.prompt, settings.context);
  const predicted = predictLlm(spec, settings, device, bpp);
  const decode = decodeStep(spec, settings, device, bpp, depth);
  const named = [...thisMachineFitDevices(report), ...req.devices.map(namedFitDevice)];
  return {
    model: {
      name: spec.name, architecture: spec.architecture, params: params.total, activeParams: params.active, layers: spec.layers, hiddenSize: spec.hiddenSize,
      heads: spec.heads, kvHeads: spec.kvHeads, headDim: spec.headDim, vocab: spec.vocab, contextMax: spec.contextMax, quant, sourceKind: resolved.sourceKind, source: resolved.source,
    },
    settings: { ...settings, depth },
    memory: { weightsBytes: memory.weights.bytes, kvCacheBytes: memory.kvCache.bytes, computeBytes: memory.compute.bytes, overheadBytes: memory.overhead.bytes, totalBytes: memory.totalBytes, parts: memory },
    prefill: { tokens: predicted.prefill.tokens, flops: predicted.prefill.flops, predictedTokensPerSecond: predicted.prefill.tokensPerSecond, predictedTtftMs: predicted.prefill.ttftMs },
    decode: { contextDepth: depth, flopsPerToken: decode.flopsPerToken, bytesPerToken: decode.bytesPerToken, predictedTokensPerSecond: decode.tokensPerSecond },
    decodeCurve: decodeCurve(spec, settings, device, curveDepths(settings.context), bpp).map((p) => ({ depth: p.depth, tokensPerSecond: p.tokensPerSecond })),
    fits: fits(resolved, settings, named, device, bpp, depth),
    device: { name: device.name, basis: predicted.basis, measured },
    warnings: [
      ...resolved.warnings,
      ...(measured ? [] : ['No benchmark of this machine is stored: predictions use its theoretical peak and an assumed bandwidth; run `flopscope bench all --quick` for measured ceilings.']),
    ],
  };
}

export async function estimateLlm(deps: LlmDeps, req: LlmEstimateRequest): Promise<LlmEstimateResult> {
  const [resolved, report] = await Promise.all([resolveLlmSource(req.source, deps.uploads), deps.hardware()]);
  const result = await estimateFor(resolved, req, report, deps.runs());
  const runId = req.store ? deps.runs().insert({ kind: 'llm', machine: report, appVersion: deps.appVersion, params: req, result: { ...result, runId: null } }) : null;
  return { ...result, runId };
}

export function startLlmMeasureJob(deps: LlmDeps, req: LlmMeasureRequest): Promise<JobInfo> {
  return Promise.all([resolveLlmSource(req.source, deps.uploads), deps.hardware()]).then(async ([resolved, report]) => {
    if (!resolved.ggufPath) throw new ApiFailure('INVALID_REQUEST', `source: ${resolved.source} is not a GGUF; llama.cpp measures GGUF files (upload one, or use a zoo GGUF)`, ['source: a measured run needs a GGUF']);
    const base = await estimateFor(resolved, req, report, deps.runs());
    const ggufPath = resolved.ggufPath;
    for (const d of req.depths) {
      if (d + base.settings.prompt + base.settings.gen > resolved.spec.contextMax) throw new FieldError('depths', `depth ${d} + prompt ${base.settings.prompt} + ${base.settings.gen} generated tokens is over the model's context of ${resolved.spec.contextMax}`);
    }
    return deps.jobs.start<LlmEstimateResult>({
      kind: 'llm.measure',
      queue: 'cpu',
      run: async (ctx) => {
        const { measureLlama } = await import('./llama-measure.js');
        const threads = req.threads ?? defaultLlamaThreads(report);
        // The first CPU run at this thread count also times llama.cpp on the calibration GGUFs (llama-calibration.ts).
        const calibrate = !req.gpu && !storedLlamaCalibration(deps.runs(), report.machine.id, threads) ? await calibrationModels() : [];
        const input = { modelPath: ggufPath, depths: req.depths, prompt: base.settings.prompt, gen: base.settings.gen, gpu: req.gpu, threads, calibrate };
        const { value: m, energy } = await withEnergy(ctx, report, (measured) => measureLlama(input, measured));
        return withMeasurement(base, resolved.spec, report, deps.runs(), m, energy.joules, energyWarnings(energy));
      },
      persist: (result) => deps.runs().insert({ kind: 'llm', machine: report, appVersion: deps.appVersion, params: req, result }),
    });
  });
}


/**
 * The prediction beside each measured depth (held out: llama.cpp's attention rate comes from
 * stored runs of other models, never this one's), with the attention FLOPs later fits read.
 */
export function predictMeasuredPoints(
  spec: LlmSpec,
  base: LlmEstimateResult,
  report: HardwareReport,
  runs: RunsRepo,
  measured: ReadonlyArray<LlamaMeasured['points'][number]>,
  threads: number,
  /** llama.cpp's rates measured in this run; left out, the newest stored on this machine. */
  llama?: LlamaCalibration,
): LlmMeasuredPoint[] {
  const attention = attentionRate(runs, report.machine.id, spec.name);
  const { device } = thisMachineLlmDevice(runs, report, { threads, modelBytes: base.memory.weightsBytes, attention, quant: base.model.quant, ...(llama ? { llama } : {}) });
  const settings: LlmSettings = { quant: base.settings.quant, context: base.settings.context, batch: base.settings.batch, prompt: base.settings.prompt, gen: base.settings.gen, kvDtype: base.settings.kvDtype as LlmSettings['kvDtype'] };
  const bpp = base.memory.weightsBytes / base.model.params;
  // llama-bench's tests: pp<prompt> after d cached tokens, and tg<gen> from depth d (not after the prompt).
  return measured.map((p) => {
    const decodeDepth = p.depth + Math.floor(settings.gen / 2);
    return {
      depth: p.depth,
      prefillTokensPerSecond: p.prefillTokensPerSecond,
      decodeTokensPerSecond: p.decodeTokensPerSecond,
      ttftMs: p.ttftMs,
      predictedPrefillTokensPerSecond: prefill(spec, settings, device, bpp, p.depth).tokensPerSecond,
      predictedDecodeTokensPerSecond: decodeStep(spec, settings, device, bpp, decodeDepth).tokensPerSecond,
      prefillAttentionFlops: prefillAttentionFlops(spec, settings, p.depth),
      decodeAttentionFlops: decodeAttentionFlops(spec, decodeDepth),
    };
  });
}

/** The estimate with the measurement beside it: each depth's predicted prefill and decode, the first depth's figures on the summary. */
function withMeasurement(base: LlmEstimateResult, spec: LlmSpec, report: HardwareReport, runs: RunsRepo, m: LlamaMeasured, joules: number | null, warnings: string[]): LlmEstimateResult {
  const calibration = m.calibration ? calibrationFrom(m.calibration, m.backend, m.threads) : null;
  const points = predictMeasuredPoints(spec, base, report, runs, m.points, m.threads, calibration ?? undefined);
  const settings = base.settings;
  const first = points[0];
  const tokens = m.points.length * (settings.prompt + settings.gen);
  return {
    ...base,
    prefill: { ...base.prefill, ...(first ? { measuredTokensPerSecond: first.prefillTokensPerSecond, measuredTtftMs: first.ttftMs } : {}) },
    decode: { ...base.decode, ...(first ? { measuredTokensPerSecond: first.decodeTokensPerSecond } : {}) },
    measured: {
      backend: m.backend,
      threads: m.threads,
      loadMs: m.loadMs,
      peakRssBytes: m.peakRssBytes,
      points,
      ...(joules !== null && tokens > 0 ? { energyJoulesPerToken: joules / tokens } : {}),
      ...(calibration ? { calibration } : {}),
    },
    warnings: [...base.warnings, ...m.warnings, ...warnings],
    runId: null,
  };
}
