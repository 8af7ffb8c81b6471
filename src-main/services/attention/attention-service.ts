/**
 * The efficient-transformer lab's backend side (Node main process / CLI): resolves the device a
 * sweep predicts on ("this" = this machine's newest measured roofline, or a catalog GPU), runs
 * the cost-model sweep (src-shared/attention) and the measured sweep (ONNX Runtime graphs for
 * full and banded sliding-window attention) as a job and stores results as 'attention' runs. The
 * cost models' field-named errors are FieldErrors, which dispatch turns into INVALID_REQUEST.
 */
import os from 'node:os';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { MEASURED_KINDS, type AttentionRequest, type AttentionSweepResult, type MeasuredAttentionPoint, type ParsedAttentionRequest } from '../../../src-shared/api/attention.js';
import type { HardwareReport, JobInfo } from '../../../src-shared/api/types.js';
import { catalogAttentionDevice, measuredAttentionDevice, type AttentionDtype } from '../../../src-shared/attention/device.js';
import { sweep } from '../../../src-shared/attention/sweep.js';
import type { AttentionDevice, AttentionShape } from '../../../src-shared/attention/types.js';
import { formatVariant } from '../../../src-shared/attention/variants.js';
import type { AttentionVariant } from '../../../src-shared/attention/types.js';
import { findGpu, GPU_CATALOG } from '../../../src-shared/hardware/gpu-catalog.js';
import type { JobRunner } from '../../core/jobs.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import { latestDeviceModel, latestMeasuredDevice } from '../hardware/measured-device.js';
import { fitLogSlope } from './measure-attention.js';
import { THIS_MACHINE } from '../../../src-shared/planner/request.js';
import { pointPhase, runAttentionMeasure, type AttentionMeasureInput } from './attention-measure.js';
import { predictCore } from './predict-core.js';
import { energyWarnings, withEnergy } from '../energy/with-energy.js';
import { phaseWatts } from '../../../src-shared/energy/integrate.js';
import type { EnergyReport } from '../../../src-shared/energy/types.js';


function invalid(message: string): ApiFailure {
  return new ApiFailure('INVALID_REQUEST', message, [message]);
}

export function resolveAttentionDevice(name: string | undefined, dtype: AttentionDtype, report: HardwareReport, runs: RunsRepo): AttentionDevice {
  const wanted = (name ?? THIS_MACHINE).trim();
  if (wanted.toLowerCase() === THIS_MACHINE) {
    const measured = latestMeasuredDevice(runs, report.machine.id);
    if (!measured) throw invalid('device: this machine has no measured roofline yet — run `flopscope bench all --quick` (or the Benchmarks page) first, or pick a catalog GPU');
    if (dtype !== 'fp32') throw invalid(`device: this machine is predicted at fp32 (what ONNX Runtime runs here), not ${dtype}`);
    const device = measuredAttentionDevice(`this machine (${report.cpu.model})`, { peakGflops: measured.peakGflops.fp32, bandwidthGBs: measured.bandwidthGBs }, report.memory.totalBytes, report.cpu.caches.l2Bytes);
    // Times come from the calibrated cost model, the profiler's (one cost model everywhere); the
    // roofline figures above stay for the bound (compute or memory) and FlashAttention's IO.
    // A benchmark without its GEMM and memory parts (a roofline alone) gives no measured cost model: the roofline stays.
    const costModel = latestDeviceModel(runs, report);
    if (!costModel.measured) return device;
    return { ...device, costModel, source: `${device.source}; kernel times from the calibrated cost model (${costModel.basis})` };
  }
  const entry = GPU_CATALOG.find((e) => e.name.toLowerCase() === wanted.toLowerCase()) ?? findGpu(wanted);
  if (!entry) throw invalid(`device: unknown device "${wanted}" (not in the GPU catalog; use "this" for this machine or a name such as "NVIDIA H100 SXM5 80GB")`);
  const device = catalogAttentionDevice(entry, dtype);
  if (!device) throw invalid(`device: the catalog has no ${dtype} peak or bandwidth for ${entry.name}`);
  return device;
}

/** The device as results keep it: without the cost model (its calibration is the benchmark run's, stored there). */
function storedDevice(device: AttentionDevice): AttentionDevice {
  const { costModel: _costModel, ...rest } = device;
  return rest;
}

interface Prepared {
  shape: AttentionShape;
  dtype: AttentionDtype;
  variants: AttentionVariant[];
  seqs: number[];
  device: AttentionDevice;
}

function prepare(req: ParsedAttentionRequest, report: HardwareReport, runs: RunsRepo): Prepared {
  const dtype = req.shape.dtype ?? (req.device && req.device.trim().toLowerCase() !== THIS_MACHINE ? 'bf16' : 'fp32');
  const { dtype: _dtype, ...rest } = req.shape;
  const shape: AttentionShape = { ...rest, bytesPerElement: dtype === 'fp32' ? 4 : 2 };
  // The variants were parsed at the door (the request schema); the cost models' errors (ShapeError,
  // SweepError, DeviceError) are FieldErrors, which dispatch answers.
  const device = resolveAttentionDevice(req.device, dtype, report, runs);
  return { shape, dtype, variants: req.parsedVariants, seqs: req.seqs, device };
}

/** What is stored as the run's params: the request as it travelled (variants as written). */
function wireRequest(req: ParsedAttentionRequest): AttentionRequest {
  const { parsedVariants: _parsed, ...wire } = req;
  return wire;
}

function predicted(p: Prepared): Omit<AttentionSweepResult, 'runId' | 'measured'> {
  const r = sweep({ shape: p.shape, variants: p.variants, seqs: p.seqs, device: p.device });
  const headDim = p.shape.headDim ?? p.shape.dModel / p.shape.heads;
  return {
    shape: {
      dModel: p.shape.dModel,
      heads: p.shape.heads,
      headDim,
      kvHeads: p.shape.kvHeads ?? p.shape.heads,
      ffn: p.shape.ffn ?? 4 * p.shape.dModel,
      layers: p.shape.layers ?? 1,
      batch: p.shape.batch ?? 1,
      bytesPerElement: p.shape.bytesPerElement ?? 4,
      dtype: p.dtype,
    },
    variants: p.variants.map(formatVariant),
    seqs: r.seqs,
    device: storedDevice(p.device),
    points: r.points,
    crossovers: r.crossovers,
    warnings: r.warnings,
  };
}

export function runAttentionSweep(req: ParsedAttentionRequest, report: HardwareReport, runs: RunsRepo, appVersion: string): AttentionSweepResult {
  const result = predicted(prepare(req, report, runs));
  const runId = req.store ? runs.insert({ kind: 'attention', machine: report, appVersion, params: wireRequest(req), result: { ...result, runId: null } }) : null;
  return { ...result, runId };
}

/** Energy of one call of a measured point: the average power over its own phase × its seconds. */
function joulesPerCall(energy: EnergyReport, variant: string, seq: number, seconds: number | undefined): { joulesPerCall?: number } {
  const watts = seconds !== undefined ? phaseWatts(energy, pointPhase(variant, seq)) : null;
  return watts !== null && seconds !== undefined ? { joulesPerCall: watts * seconds } : {};
}

/**
 * The measured sweep as a job: the predicted sweep plus, for each full and sliding variant, the
 * attention core of one layer run through ONNX Runtime at every sequence length, skipping (with
 * the reason) any point whose memory estimate exceeds half this machine's RAM or whose predicted
 * time exceeds the limit. Stored as an 'attention' run.
 */
export function startAttentionMeasureJob(deps: { jobs: JobRunner; hardware: () => Promise<HardwareReport>; runs: () => RunsRepo; appVersion: string }, req: ParsedAttentionRequest): Promise<JobInfo> {
  return deps.hardware().then((report) => {
    const prepared = prepare(req, report, deps.runs());
    if (prepared.dtype !== 'fp32' || (req.device && req.device.trim().toLowerCase() !== THIS_MACHINE)) {
      throw invalid('device: a measured sweep runs on this machine at fp32; leave the device as "this"');
    }
    const base = predicted(prepared);
    const measurable = prepared.variants.filter((v) => (MEASURED_KINDS as readonly string[]).includes(v.kind));
    if (!measurable.length) throw invalid(`variants: none of ${base.variants.join(', ')} can be measured; the measured sweep runs ${MEASURED_KINDS.join(' and ')} (sliding:W) attention`);
    const shape = base.shape;
    const predictInput = { shape: { ...prepared.shape, layers: 1 }, device: prepared.device };
    const input: AttentionMeasureInput = {
      sweep: {
        variants: measurable.map((v) => (v.kind === 'sliding' ? { kind: 'sliding' as const, window: v.window } : { kind: 'full' as const })),
        seqs: base.seqs,
        batch: shape.batch,
        heads: shape.heads,
        headDim: shape.headDim,
        kvHeads: shape.kvHeads,
        ...(req.threads ? { threads: req.threads } : {}),
        memoryLimitBytes: os.totalmem() / 2,
      },
      predict: predictInput,
    };
    return deps.jobs.start<AttentionSweepResult>({
      kind: 'attention.measure',
      queue: 'cpu',
      run: async (ctx) => {
        const total = measurable.length * base.seqs.length;
        ctx.progress('measure', 0, total);
        // In a worker: ONNX Runtime runs a session on the calling thread (seconds per run at long lengths).
        const { value: raw, energy } = await withEnergy(ctx, report, (measured) => runAttentionMeasure(input, measured));
        const points: MeasuredAttentionPoint[] = raw.map((m) => {
          const [kind, w] = m.variant.split(':');
          const pred = predictCore(predictInput, kind!, w ? Number(w) : undefined, m.seq);
          return {
            variant: m.variant,
            seq: m.seq,
            ...(m.seconds !== undefined ? { seconds: m.seconds } : {}),
            ...(Number.isFinite(pred) ? { predictedSeconds: pred } : {}),
            ...(m.seconds !== undefined && Number.isFinite(pred) && pred > 0 ? { ratio: m.seconds / pred } : {}),
            ...(m.peakBytes !== undefined ? { peakBytes: m.peakBytes } : {}),
            ...(m.verified !== undefined ? { verified: m.verified } : {}),
            ...(m.skipped ? { skipped: m.skipped } : {}),
            ...(m.failed ? { failed: m.failed } : {}),
            ...joulesPerCall(energy, m.variant, m.seq, m.seconds),
          };
        });
        for (const p of points) if (p.skipped) ctx.log(`skipped ${p.variant} @ ${p.seq}: ${p.skipped}`, 'warn');
        const byVariant = new Map<string, MeasuredAttentionPoint[]>();
        for (const p of points) byVariant.set(p.variant, [...(byVariant.get(p.variant) ?? []), p]);
        const slopes = [...byVariant].flatMap(([variant, ps]) => {
          const fit = fitLogSlope(ps);
          return Number.isFinite(fit.slope) ? [{ variant, slope: fit.slope, points: ps.filter((q) => q.seconds !== undefined).length }] : [];
        });
        // Measured points also land on the sweep's points (the CLI JSON's measuredSeconds/measuredPeakBytes).
        const merged = base.points.map((p) => {
          const m = points.find((q) => q.variant === p.variant && q.seq === p.seq && q.seconds !== undefined);
          return m ? { ...p, measuredSeconds: m.seconds! * shape.layers, ...(m.peakBytes !== undefined ? { measuredPeakBytes: m.peakBytes } : {}) } : p;
        });
        ctx.progress('measure', total, total);
        return {
          ...base,
          points: merged,
          warnings: [...base.warnings, ...energyWarnings(energy)],
          energy,
          measured: {
            threads: req.threads ?? null,
            points,
            slopes,
            note: 'Measured: the attention core (QKᵀ, scale, softmax, ·V) of one layer through ONNX Runtime (fp32), against the cost model’s attention-kernel time for one layer on this machine’s roofline; a point’s measuredSeconds is that time × layers. The banded sliding-window graph scores 1.5·w keys per query (chunks of w/2 with both neighbours) where the ideal kernel scores w; its prediction is the model’s sliding-window time scaled to the graph’s FLOPs.',
          },
          runId: null,
        };
      },
      persist: (result) => deps.runs().insert({ kind: 'attention', machine: report, appVersion: deps.appVersion, params: wireRequest(req), result }),
    });
  });
}
