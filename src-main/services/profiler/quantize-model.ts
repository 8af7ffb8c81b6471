/**
 * Quantization what-if on a model's real weights (Node main process / CLI). Reads the weight
 * tensors one at a time with `readInitializer` (so memory stays at one tensor plus its copy,
 * whatever the model's size), quantizes each under every requested scheme with the pure
 * functions of src-shared/profiler/whatif/quantize.ts, and reports per-tensor SQNR, model sizes
 * per format and, given a device roofline, the estimated speed-up per layer.
 * Method and sources: docs/profiler-whatifs.md, "Quantization".
 */
import type { DeviceModel, GraphLinks } from '../../../src-shared/profiler/cost-model.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ModelIR } from '../../../src-shared/profiler/ir.js';
import type { ProfileResult } from '../../../src-shared/profiler/types.js';
import {
  isQuantizable, modelSizes, modelSpeedup, modelSpeedupPredicted, quantizationError,
  type Granularity, type QuantDevice, type QuantScheme, type SpeedupOptions, type WeightFormat,
} from '../../../src-shared/profiler/whatif/quantize.js';
import { weightAxes, weightUsage } from '../../../src-shared/profiler/whatif/weights.js';
import { checkpoint, type BenchReporter } from '../bench/types.js';
import { readInitializer } from '../onnx/load-model.js';
import type { QuantizeModelReport, SchemeResult, SchemeSummary, TensorQuantReport } from '../../../src-shared/profiler/whatif/report-types.js';

export type { QuantizeModelReport, SchemeResult, SchemeSummary, TensorQuantReport };

export interface QuantizeModelOptions {
  /** Integer widths to try; default [8, 4]. */
  bits?: number[];
  /** Default both. */
  granularities?: Granularity[];
  /** Default both (true = symmetric). */
  symmetric?: boolean[];
  /** With a profile: roofline speed-up per layer for these formats (default int8, int4, fp16). */
  device?: QuantDevice;
  /**
   * This machine's cost model and the model's graph: the speed-ups are then the cost model's
   * prediction before and after (with `device` giving each format's measured rate against fp32).
   */
  costModel?: { graph: GraphLinks; device: DeviceModel };
  profile?: ProfileResult;
  speedupFormats?: WeightFormat[];
  speedup?: SpeedupOptions;
}

const FLOAT_TYPES = new Set(['float32', 'float16', 'bfloat16', 'float64']);

/** Runs the quantization what-if over every weight tensor of `model`, reading from `source` (the file or the bytes it was loaded from). */
export async function quantizeModel(
  source: string | Uint8Array,
  model: ModelIR,
  options: QuantizeModelOptions = {},
  reporter?: BenchReporter,
): Promise<QuantizeModelReport> {
  const bitsList = options.bits ?? [8, 4];
  const granularities = options.granularities ?? ['per-tensor', 'per-channel'];
  const symmetrics = options.symmetric ?? [true, false];
  for (const b of bitsList) if (!Number.isInteger(b) || b < 2 || b > 16) throw new ApiFailure('INVALID_REQUEST', `bits must be integers from 2 to 16 (got ${b})`);

  const usage = weightUsage(model.graph);
  const all = [...usage.values()];
  const sizeInputs = all.filter((u) => FLOAT_TYPES.has(u.init.elemType)).map((u) => ({ name: u.init.name, dims: u.init.dims, channelAxis: weightAxes(u).channelAxis }));
  const sizes = modelSizes(sizeInputs);

  const skipped: QuantizeModelReport['skipped'] = [];
  const todo = all.filter((u) => {
    if (!FLOAT_TYPES.has(u.init.elemType)) { skipped.push({ name: u.init.name, reason: `element type ${u.init.elemType}` }); return false; }
    if (!isQuantizable(u.init.dims)) { skipped.push({ name: u.init.name, reason: 'rank < 2 (bias/normalisation: kept in fp32)' }); return false; }
    return true;
  });

  const schemes: QuantScheme[] = [];
  for (const bits of bitsList) for (const symmetric of symmetrics) for (const granularity of granularities) schemes.push({ bits, symmetric, granularity });
  const pooled = schemes.map(() => ({ signal: 0, noise: 0 }));

  const tensors: TensorQuantReport[] = [];
  for (let i = 0; i < todo.length; i++) {
    if (reporter) await checkpoint(reporter.signal);
    const u = todo[i]!;
    const axes = weightAxes(u);
    // One tensor in memory at a time; dropped before the next read.
    const values = await readInitializer(source, u.init);
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) throw new Error(`weight ${u.init.name} decoded as 64-bit integers`);
    const results = schemes.map((scheme, j): SchemeResult => {
      const e = quantizationError(values, u.init.dims, { ...scheme, axis: axes.channelAxis });
      pooled[j]!.signal += e.signal;
      pooled[j]!.noise += e.noise;
      return { bits: scheme.bits, symmetric: scheme.symmetric, granularity: scheme.granularity, sqnrDb: e.sqnrDb, maxAbsError: e.maxAbsError };
    });
    const others = u.readers.map((r) => r.node.name).filter((n) => !axes.products.includes(n));
    tensors.push({ name: u.init.name, nodes: [...axes.products, ...others], dims: [...u.init.dims], elements: values.length, channelAxis: axes.channelAxis, results });
    reporter?.progress('quantize', i + 1, todo.length);
  }

  const summary: SchemeSummary[] = schemes.map((s, j) => {
    const vals = tensors.map((t) => ({ name: t.name, db: t.results[j]!.sqnrDb })).filter((v): v is { name: string; db: number } => v.db !== null);
    const min = vals.reduce<{ name: string; db: number } | null>((a, v) => (a === null || v.db < a.db ? v : a), null);
    const p = pooled[j]!;
    return {
      bits: s.bits,
      symmetric: s.symmetric,
      granularity: s.granularity,
      meanSqnrDb: vals.length > 0 ? vals.reduce((a, v) => a + v.db, 0) / vals.length : null,
      pooledSqnrDb: p.noise > 0 ? 10 * Math.log10(p.signal / p.noise) : null,
      minSqnrDb: min?.db ?? null,
      worstTensor: min?.name ?? null,
    };
  });

  const report: QuantizeModelReport = { sizes, tensors, summary, skipped };
  if (options.device && options.profile) {
    const formats = options.speedupFormats ?? ['int8', 'int4', 'fp16'];
    const peaks = options.device.peakGflops;
    report.speedups = formats.map((format) => {
      const s = options.costModel
        ? modelSpeedupPredicted(options.costModel.graph, options.profile!.nodes, format, options.costModel.device, peaks[format] !== undefined ? peaks[format]! / peaks.fp32 : undefined, options.speedup)
        : modelSpeedup(options.profile!.nodes, format, options.device!, options.speedup);
      return { format, speedup: s.speedup, layers: s.layers };
    });
  }
  return report;
}
