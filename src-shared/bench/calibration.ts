/**
 * What the benchmark measures for the cost model (src-shared/profiler/cost-model.ts): the
 * throughput of the shapes models are made of, and what one kernel costs beyond its arithmetic.
 * Measured on this machine by src-main/services/bench/calibrate.ts through ONNX Runtime (the
 * runtime the profiler measures models with), at the benchmark's thread count, fp32.
 */

/** A MatMul / Gemm shape: [batch ×] (m × k) · (k × n). */
export interface GemmShapePoint {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** 2·batch·m·n·k / median seconds, GFLOP/s. */
  gflops: number;
  medianSeconds: number;
}

/** A 2-D convolution: `groups` = 1 dense, = channels depthwise, otherwise grouped. */
export interface ConvShapePoint {
  /** Input channels = output channels. */
  channels: number;
  groups: number;
  /** Output height = width. */
  size: number;
  kernel: number;
  stride: number;
  /** 2·MACs / median seconds, GFLOP/s. */
  gflops: number;
  medianSeconds: number;
}

export interface Calibration {
  threads: number;
  gemm: GemmShapePoint[];
  conv: ConvShapePoint[];
  /**
   * Time one kernel costs beyond its work, µs: (time of a chain of N tiny element-wise kernels −
   * time of a chain of 1) / (N − 1), so the session's own per-run cost cancels.
   */
  overheadUs: number;
  /** How it was measured, quoted as the basis of predictions. */
  method: string;
}
