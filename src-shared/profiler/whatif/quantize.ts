/**
 * What-if: quantizing the weights (pure; runs anywhere). Model size per storage format, linear
 * (affine) quantization of actual weight values with its error (SQNR), and the speed-up each
 * layer could get from the roofline. The Node side (src-main/services/profiler/quantize-model.ts)
 * reads the weights one tensor at a time and calls these. Sources: docs/profiler-whatifs.md,
 * "Quantization".
 *
 * Quantization (Jacob et al. 2018, §2.1; Nagel et al. 2021, "A White Paper on Neural Network
 * Quantization", §2.2), b bits, round-to-nearest (ties to even) with clamping:
 * - symmetric: s = max|x| / (2^(b−1) − 1), q = clamp(round(x/s), −2^(b−1), 2^(b−1) − 1), x̂ = s·q;
 * - asymmetric: the range [min(x, 0), max(x, 0)] (it must hold 0 exactly, Jacob et al.),
 *   s = (max − min) / (2^b − 1), z = clamp(round(−min/s), 0, 2^b − 1),
 *   q = clamp(round(x/s) + z, 0, 2^b − 1), x̂ = s·(q − z);
 * - per-tensor: one (s, z); per-channel: one per slice along the output-channel axis (axis 0
 *   for Conv [Cout, Cin/g, kh, kw] and torch-layout Gemm [out, in]; the caller picks it).
 * SQNR (dB) = 10·log10(Σx² / Σ(x − x̂)²). For a full-scale uniform signal the noise is Δ²/12 and
 * the SQNR ≈ 6.02·b dB; for a full-scale sine it is 6.02·b + 1.76 dB (Bennett 1948; e.g.
 * Oppenheim & Schafer, Discrete-Time Signal Processing, §4.8.3).
 *
 * Sizes: fp32 4 B, fp16/bf16 2 B per element; fp8 1 B + one fp32 scale per tensor; int8 1 B and
 * int4 ½ B (packed two per byte, rounded up per tensor) + one fp32 scale per output channel (+
 * one zero point per channel, of the same width, when asymmetric). Only weights of rank ≥ 2
 * (matrices, convolution kernels, embedding tables) are quantized to fp8/int8/int4; biases and
 * normalisation parameters stay fp32, as in ONNX Runtime's and PyTorch's weight quantizers.
 * fp16/bf16 convert every float tensor.
 *
 * Speed-up (roofline, Williams et al. 2009): t = ops / attainable(I), attainable = min(peak,
 * bandwidth × I), I = ops / bytes. Quantizing shrinks the bytes the node moves (weights only, or
 * weights and activations) and, where a peak for the format is given, raises the compute roof. So
 * a memory-bound layer (I < ridge) speeds up by the byte ratio, until it meets the roof; a
 * compute-bound layer by peak(format) / peak(fp32) when that peak is known, else 1× (a CPU
 * without int8 dot-product instructions, or an unknown one, gains nothing in compute).
 */
import { predictModel, type DeviceModel, type GraphLinks } from '../cost-model.js';
import { attainable } from '../../bench/roofline.js';
import type { ProfileNode } from '../types.js';

export type WeightFormat = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4';
export const WEIGHT_FORMATS: readonly WeightFormat[] = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4'];

/** Bits per stored element. */
export const FORMAT_BITS: Readonly<Record<WeightFormat, number>> = { fp32: 32, bf16: 16, fp16: 16, fp8: 8, int8: 8, int4: 4 };

export type Granularity = 'per-tensor' | 'per-channel';

export interface QuantScheme {
  bits: number;
  symmetric: boolean;
  granularity: Granularity;
  /** Channel axis for per-channel; default 0. */
  axis?: number;
}

// ---- sizes ---------------------------------------------------------------------------------

export interface TensorShape {
  name: string;
  dims: readonly number[];
  /** Output-channel axis (for per-channel scales); default 0. */
  channelAxis?: number;
}

/** Whether the tensor is quantized to fp8/int8/int4 (rank ≥ 2) or kept in fp32. */
export function isQuantizable(dims: readonly number[]): boolean {
  return dims.length >= 2;
}

/** Bytes of one tensor stored in `format` (see the header for the convention). */
export function tensorSizeBytes(t: TensorShape, format: WeightFormat, opts: { symmetric?: boolean } = {}): number {
  const n = t.dims.reduce((a, b) => a * b, 1);
  switch (format) {
    case 'fp32': return 4 * n;
    case 'bf16': case 'fp16': return 2 * n;
    case 'fp8': return isQuantizable(t.dims) ? n + 4 : 4 * n;
    case 'int8': case 'int4': {
      if (!isQuantizable(t.dims)) return 4 * n;
      const bits = FORMAT_BITS[format];
      const channels = t.dims[t.channelAxis ?? 0] ?? 1;
      const zeroPoints = opts.symmetric === false ? Math.ceil((channels * bits) / 8) : 0;
      return Math.ceil((n * bits) / 8) + 4 * channels + zeroPoints;
    }
  }
}

/** Total bytes of all tensors per format. */
export function modelSizes(tensors: readonly TensorShape[], opts: { symmetric?: boolean } = {}): Record<WeightFormat, number> {
  const out = {} as Record<WeightFormat, number>;
  for (const f of WEIGHT_FORMATS) out[f] = tensors.reduce((a, t) => a + tensorSizeBytes(t, f, opts), 0);
  return out;
}

// ---- linear quantization -------------------------------------------------------------------

/** Round half to even (numpy/torch's round), so ties do not bias the error. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Integer range of a scheme. */
export function qRange(bits: number, symmetric: boolean): { qmin: number; qmax: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new Error(`bits must be an integer from 2 to 16, got ${bits}`);
  return symmetric ? { qmin: -(2 ** (bits - 1)), qmax: 2 ** (bits - 1) - 1 } : { qmin: 0, qmax: 2 ** bits - 1 };
}

/** Scale and zero point for values spanning [lo, hi]. A constant-zero range gets s = 1 (exact). */
export function affineParams(lo: number, hi: number, bits: number, symmetric: boolean): { scale: number; zeroPoint: number } {
  const { qmax } = qRange(bits, symmetric);
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return { scale: m > 0 ? m / qmax : 1, zeroPoint: 0 };
  }
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  if (b - a <= 0) return { scale: 1, zeroPoint: 0 };
  const scale = (b - a) / qmax;
  return { scale, zeroPoint: Math.min(qmax, Math.max(0, roundHalfEven(-a / scale))) };
}

/** Quantize-dequantize one value. */
export function fakeQuantValue(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  const q = Math.min(qmax, Math.max(qmin, roundHalfEven(x / scale) + zeroPoint));
  return scale * (q - zeroPoint);
}

/** A tensor viewed as [outer, C, inner] around `axis`. */
function channelView(dims: readonly number[], axis: number): { outer: number; channels: number; inner: number } {
  if (dims.length === 0) return { outer: 1, channels: 1, inner: 1 };
  const a = axis < 0 ? axis + dims.length : axis;
  if (a < 0 || a >= dims.length) throw new Error(`channel axis ${axis} out of range for rank ${dims.length}`);
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= dims[i]!;
  for (let i = a + 1; i < dims.length; i++) inner *= dims[i]!;
  return { outer, channels: dims[a]!, inner };
}

export interface QuantParams {
  scales: number[];
  zeroPoints: number[];
  qmin: number;
  qmax: number;
}

/** Per-tensor or per-channel (s, z) for `values` laid out row-major in `dims`. */
export function quantParams(values: ArrayLike<number>, dims: readonly number[], scheme: QuantScheme): QuantParams {
  const { qmin, qmax } = qRange(scheme.bits, scheme.symmetric);
  const perChannel = scheme.granularity === 'per-channel' && dims.length > 0;
  const v = perChannel ? channelView(dims, scheme.axis ?? 0) : { outer: 1, channels: 1, inner: values.length };
  const lo = new Array<number>(v.channels).fill(Infinity);
  const hi = new Array<number>(v.channels).fill(-Infinity);
  for (let o = 0; o < v.outer; o++) {
    for (let c = 0; c < v.channels; c++) {
      const base = (o * v.channels + c) * v.inner;
      let l = lo[c]!;
      let h = hi[c]!;
      for (let i = 0; i < v.inner; i++) {
        const x = values[base + i]!;
        if (x < l) l = x;
        if (x > h) h = x;
      }
      lo[c] = l;
      hi[c] = h;
    }
  }
  const scales: number[] = [];
  const zeroPoints: number[] = [];
  for (let c = 0; c < v.channels; c++) {
    const p = affineParams(Number.isFinite(lo[c]!) ? lo[c]! : 0, Number.isFinite(hi[c]!) ? hi[c]! : 0, scheme.bits, scheme.symmetric);
    scales.push(p.scale);
    zeroPoints.push(p.zeroPoint);
  }
  return { scales, zeroPoints, qmin, qmax };
}

/** Visits each element with its channel's (s, z). */
function forEachQuantized(values: ArrayLike<number>, dims: readonly number[], scheme: QuantScheme, p: QuantParams, visit: (i: number, x: number, xhat: number) => void): void {
  const perChannel = scheme.granularity === 'per-channel' && dims.length > 0;
  const v = perChannel ? channelView(dims, scheme.axis ?? 0) : { outer: 1, channels: 1, inner: values.length };
  for (let o = 0; o < v.outer; o++) {
    for (let c = 0; c < v.channels; c++) {
      const s = p.scales[c]!;
      const z = p.zeroPoints[c]!;
      const base = (o * v.channels + c) * v.inner;
      for (let i = 0; i < v.inner; i++) {
        const x = values[base + i]!;
        visit(base + i, x, fakeQuantValue(x, s, z, p.qmin, p.qmax));
      }
    }
  }
}

/** x̂: the values after quantizing and dequantizing. */
export function fakeQuantize(values: ArrayLike<number>, dims: readonly number[], scheme: QuantScheme): Float64Array {
  const p = quantParams(values, dims, scheme);
  const out = new Float64Array(values.length);
  forEachQuantized(values, dims, scheme, p, (i, _x, xhat) => { out[i] = xhat; });
  return out;
}

/** SQNR in dB = 10·log10(Σx² / Σ(x−x̂)²); null when the error is zero (lossless), −Infinity for an all-zero signal with error. */
export function sqnrDb(x: ArrayLike<number>, xhat: ArrayLike<number>): number | null {
  if (x.length !== xhat.length) throw new Error('sqnr: length mismatch');
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const e = a - xhat[i]!;
    signal += a * a;
    noise += e * e;
  }
  return sqnrFrom(signal, noise);
}

function sqnrFrom(signal: number, noise: number): number | null {
  if (noise === 0) return null;
  return 10 * Math.log10(signal / noise);
}

export interface QuantError {
  scheme: QuantScheme;
  elements: number;
  /** Σx². */
  signal: number;
  /** Σ(x − x̂)². */
  noise: number;
  /** null when lossless. */
  sqnrDb: number | null;
  maxAbsError: number;
  /** Scales used (one per channel, or one). */
  channels: number;
}

/** Quantization error of a tensor under `scheme`, without allocating x̂ (loops inlined: this runs over every weight). */
export function quantizationError(values: ArrayLike<number>, dims: readonly number[], scheme: QuantScheme): QuantError {
  const p = quantParams(values, dims, scheme);
  const perChannel = scheme.granularity === 'per-channel' && dims.length > 0;
  const v = perChannel ? channelView(dims, scheme.axis ?? 0) : { outer: 1, channels: 1, inner: values.length };
  const { qmin, qmax } = p;
  let signal = 0;
  let noise = 0;
  let maxAbsError = 0;
  for (let o = 0; o < v.outer; o++) {
    for (let c = 0; c < v.channels; c++) {
      const s = p.scales[c]!;
      const z = p.zeroPoints[c]!;
      const base = (o * v.channels + c) * v.inner;
      for (let i = 0; i < v.inner; i++) {
        const x = values[base + i]!;
        let q = roundHalfEven(x / s) + z;
        if (q < qmin) q = qmin; else if (q > qmax) q = qmax;
        const e = x - s * (q - z);
        signal += x * x;
        noise += e * e;
        const a = e < 0 ? -e : e;
        if (a > maxAbsError) maxAbsError = a;
      }
    }
  }
  return { scheme, elements: values.length, signal, noise, sqnrDb: sqnrFrom(signal, noise), maxAbsError, channels: p.scales.length };
}

// ---- roofline speed-up ---------------------------------------------------------------------

export interface QuantDevice {
  /** Compute roofs in GFLOP/s (GOP/s for integer formats); fp32 is required, others optional. */
  peakGflops: Partial<Record<WeightFormat, number>> & { fp32: number };
  /** Memory bandwidth in GB/s (DRAM: what weights stream from). */
  bandwidthGBs: number;
}

export interface SpeedupOptions {
  /** true (default): only weights shrink (W8A32-style); false: activations too (W8A8). */
  weightOnly?: boolean;
  /** Bytes per stored weight element today; default 4 (fp32). */
  storedBytesPerParam?: number;
}

export interface LayerSpeedup {
  name: string;
  opType: string;
  bound: 'memory' | 'compute' | 'none';
  /** Roofline time before and after, seconds (0 for a node that does nothing measurable). */
  before: number;
  after: number;
  speedup: number;
  /** Which ratio gave the speed-up: bytes, compute peak, or none; 'cost model' when both times come from the machine's cost model. */
  basis: 'bytes' | 'compute-peak' | 'compute (no peak for the format: 1×)' | 'none' | 'cost model';
}

/** Roofline time of `ops` over `bytes`: ops / min(peak, bw × I); a node with no ops is pure data movement, bytes / bw. */
export function rooflineSeconds(ops: number, bytes: number, peakGflops: number, bandwidthGBs: number): number {
  if (ops <= 0) return bytes > 0 ? bytes / (bandwidthGBs * 1e9) : 0;
  if (bytes <= 0) return ops / (peakGflops * 1e9);
  return ops / (attainable(ops / bytes, peakGflops, bandwidthGBs) * 1e9);
}

/** Speed-up of one node when its weights (and, unless weightOnly, its activations) are stored in `format`. */
export function layerSpeedup(node: ProfileNode, format: WeightFormat, device: QuantDevice, opts: SpeedupOptions = {}): LayerSpeedup {
  const weightOnly = opts.weightOnly ?? true;
  const stored = opts.storedBytesPerParam ?? 4;
  const newPer = FORMAT_BITS[format] / 8;
  const ops = node.counted ? node.flops + node.otherOps : 0;
  const bytes = node.bytesRead + node.bytesWritten;
  // Only products' weights are quantized (norm/bias parameters stay as they are).
  const weightBytes = node.macs > 0 ? Math.min(bytes, node.params * stored) : 0;
  const actBytes = bytes - weightBytes;
  const newBytes = actBytes * (weightOnly ? 1 : newPer / stored) + (weightBytes / stored) * newPer;
  const peak = device.peakGflops.fp32;
  const newPeakKnown = device.peakGflops[format];
  const newPeak = node.macs > 0 && newPeakKnown !== undefined ? newPeakKnown : peak;
  const before = rooflineSeconds(ops, bytes, peak, device.bandwidthGBs);
  const after = rooflineSeconds(ops, newBytes, newPeak, device.bandwidthGBs);
  const ridge = peak / device.bandwidthGBs;
  const intensity = bytes > 0 ? ops / bytes : Infinity;
  const bound: LayerSpeedup['bound'] = before === 0 ? 'none' : intensity < ridge ? 'memory' : 'compute';
  const basis: LayerSpeedup['basis'] = bound === 'none' ? 'none'
    : bound === 'memory' ? 'bytes'
      : newPeakKnown !== undefined && node.macs > 0 ? 'compute-peak' : 'compute (no peak for the format: 1×)';
  return { name: node.name, opType: node.opType, bound, before, after, speedup: after > 0 ? before / after : 1, basis };
}

/**
 * The node as it would be with its weights (and, unless weightOnly, its activations) stored in
 * `format`: the same arithmetic, fewer bytes. Only products' weights are quantized.
 */
export function quantizedNode(node: ProfileNode, format: WeightFormat, opts: SpeedupOptions = {}): ProfileNode {
  const weightOnly = opts.weightOnly ?? true;
  const stored = opts.storedBytesPerParam ?? 4;
  const newPer = FORMAT_BITS[format] / 8;
  const weightBytes = node.macs > 0 ? Math.min(node.bytesRead, node.params * stored) : 0;
  const actRead = node.bytesRead - weightBytes;
  const scaleAct = weightOnly ? 1 : newPer / stored;
  return { ...node, bytesRead: actRead * scaleAct + (weightBytes / stored) * newPer, bytesWritten: node.bytesWritten * scaleAct };
}

/**
 * Per-node and whole-model speed-up on this machine's cost model (src-shared/profiler/cost-model.ts):
 * the same prediction the profile shows, before and after quantization. After: the quantized
 * nodes' bytes, and products and convolutions at the format's measured rate relative to fp32
 * (`formatScale`, the benchmark's best GEMM in that format ÷ fp32; 1 when not measured).
 */
export function modelSpeedupPredicted(
  graph: GraphLinks,
  nodes: readonly ProfileNode[],
  format: WeightFormat,
  device: DeviceModel,
  formatScale: number | undefined,
  opts: SpeedupOptions = {},
): { layers: LayerSpeedup[]; before: number; after: number; speedup: number } {
  const scale = formatScale ?? 1;
  const scaled = <T extends { gflops: number }>(points: readonly T[]): T[] => points.map((p) => ({ ...p, gflops: p.gflops * scale }));
  const after: DeviceModel = {
    ...device,
    calibration: device.calibration ? { ...device.calibration, gemm: scaled(device.calibration.gemm), conv: scaled(device.calibration.conv) } : null,
    computeGflops: device.calibration ? device.computeGflops : device.computeGflops * scale,
  };
  const b = predictModel(graph, nodes, device);
  const a = predictModel(graph, nodes.map((n) => quantizedNode(n, format, opts)), after);
  const layers = nodes.map((n, i): LayerSpeedup => {
    const before = b.nodes[i]!.ms / 1000;
    const later = a.nodes[i]!.ms / 1000;
    const bound = b.nodes[i]!.bound === 'compute' ? 'compute' : b.nodes[i]!.bound === 'memory' ? 'memory' : 'none';
    return { name: n.name, opType: n.opType, bound, before, after: later, speedup: later > 0 ? before / later : 1, basis: 'cost model' };
  });
  return { layers, before: b.latencyMs / 1000, after: a.latencyMs / 1000, speedup: a.latencyMs > 0 ? b.latencyMs / a.latencyMs : 1 };
}

/** Per-node and whole-model (Σ before / Σ after) roofline speed-up. */
export function modelSpeedup(nodes: readonly ProfileNode[], format: WeightFormat, device: QuantDevice, opts: SpeedupOptions = {}): { layers: LayerSpeedup[]; before: number; after: number; speedup: number } {
  const layers = nodes.map((n) => layerSpeedup(n, format, device, opts));
  const before = layers.reduce((a, l) => a + l.before, 0);
  const after = layers.reduce((a, l) => a + l.after, 0);
  return { layers, before, after, speedup: after > 0 ? before / after : 1 };
}
