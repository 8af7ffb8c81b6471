/**
 * What the benchmark measures for the cost model (src-shared/profiler/cost-model.ts): the
 * throughput of the shapes models are made of, and what one kernel costs beyond its arithmetic.
 * Measured on this machine by src-main/services/bench/calibrate.ts through ONNX Runtime (the
 * runtime the profiler measures models with), at the benchmark's thread count, fp32.
 */

/**
 * A MatMul / Gemm shape: [batch ×] (m × k) · (k × n). A non-square shape is measured as the
 * alternating (k × n, n × k) pair of an MLP's up and down projections (same m·n·k); batch > 1 has
 * both operands as activations (attention's Q·Kᵀ and A·V), batch 1 has the weight an initializer.
 */
export interface GemmShapePoint {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** 2·batch·m·n·k / median seconds, GFLOP/s. */
  gflops: number;
  /**
   * Seconds of one product's work: the median run of a chain of products, less the session.run
   * cost, divided per product, less `overheadUs` (so work / GFLOP/s + overheadUs is one kernel).
   */
  medianSeconds: number;
}

/** A 2-D convolution: `groups` = 1 dense, = channels depthwise, otherwise grouped. */
export interface ConvShapePoint {
  /** Output channels (and input channels unless `inChannels` says otherwise). */
  channels: number;
  /**
   * Input channels of a 1×1 convolution measured as an expansion/projection pair (channels ↔
   * inChannels, alternating in the chain, both with the same FLOPs); absent when equal to `channels`.
   */
  inChannels?: number;
  groups: number;
  /** Output height = width. */
  size: number;
  kernel: number;
  stride: number;
  /** 2·MACs / median seconds, GFLOP/s; MACs = output elements · (C_in / groups) · kernel². */
  gflops: number;
  /**
   * Seconds of one convolution's work, as for GemmShapePoint (stride 1: a chain). Stride 2 cannot
   * chain (the size halves): ORT's profiler kernel time of the Conv, the profile suite's measure.
   */
  medianSeconds: number;
}

/**
 * An element-wise Mul on a [1, C, H, W] tensor: with an operand of the same shape, or broadcasting
 * a per-channel [1, C, 1, 1] one (a squeeze-and-excitation scale), at one working-set size.
 */
export interface ElementwisePoint {
  /** The op: Mul (bandwidth) or Sigmoid (a transcendental: its exp sets the pace); Mul when absent. */
  op?: 'Mul' | 'Sigmoid';
  broadcast: 'none' | 'channel';
  /** Elements of the output. */
  elements: number;
  /** Bytes read and written per kernel / median seconds, GB/s. */
  GBs: number;
  medianSeconds: number;
}

/**
 * ONNX Runtime's NCHWc layout conversions, and the per-channel broadcast Mul that forces them, on
 * one [1, C, size, size] tensor: a chain of 1×1 depthwise Conv (blocked layout) → Mul by a
 * [1, C, 1, 1] graph input (plain layout, as a squeeze-and-excitation scale), timed per kernel by
 * ORT's profiler. Their cost does not follow the tensor's size alone (a 144-channel 56² tensor
 * reorders ~2.7× slower than a 32-channel 112² one of about the same size), so they are measured
 * on a grid of channel counts and image sizes.
 */
export interface LayoutPoint {
  channels: number;
  size: number;
  /** Median kernel time of a ReorderInput (plain NCHW → blocked NCHWc), seconds. */
  reorderInputSeconds: number;
  /** Median kernel time of a ReorderOutput (blocked → plain), seconds. */
  reorderOutputSeconds: number;
  /** Median kernel time of the broadcast Mul between them, seconds. */
  broadcastMulSeconds: number;
}

/**
 * What handing a graph output of `bytes` back to the caller costs in one session.run, beyond every
 * kernel: the output is new memory each run (ORT allocates it, onnxruntime-node gives it to
 * JavaScript), so on a machine where first touching a page is slow (a VM's page faults) a large
 * output (a language model's logits) costs more than the kernel that computes it. A Relu on
 * [bytes / 4] floats: median session.run, less ORT's profiler kernel time of the Relu, less the
 * per-run cost.
 */
export interface OutputPoint {
  bytes: number;
  /** Seconds beyond the kernels, per run. */
  seconds: number;
}

export interface Calibration {
  threads: number;
  gemm: GemmShapePoint[];
  conv: ConvShapePoint[];
  /** Element-wise throughput with and without broadcasting (absent in calibrations before it was measured). */
  elementwise?: ElementwisePoint[];
  /** Layout conversions and broadcast Muls per tensor shape (absent in calibrations before they were measured). */
  layout?: LayoutPoint[];
  /** Graph outputs handed back per run, by size (absent in calibrations before they were measured). */
  outputs?: OutputPoint[];
  /**
   * Time one kernel costs beyond its work, µs: (time of a chain of N tiny element-wise kernels −
   * time of a chain of 1) / (N − 1), so the session's own per-run cost cancels.
   */
  overheadUs: number;
  /** How it was measured, quoted as the basis of predictions. */
  method: string;
}
