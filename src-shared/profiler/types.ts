/**
 * Public JSON shapes of the model profiler (runs anywhere): what `flopscope profile --json`
 * prints, what the Models page draws and what a 'profile' run stores.
 *
 * Counting convention (stated in the UI and docs/profiler.md): 1 MAC = one multiply-add;
 * `flops` = 2 × `macs` for matrix products and convolutions only; normalisation, activations,
 * softmax, pooling and other element-wise work are counted in `otherOps` (one op per output
 * element per elementary operation, as each op's counter documents) and never folded into flops.
 */
import type { Dim, ElemType } from './ir.js';
import type { EnergyReport, ProfileEnergyEfficiency } from '../energy/types.js';

export interface ProfileNode {
  name: string;
  opType: string;
  /** First output's shape after inference; null when it could not be inferred. */
  outputShape: number[] | null;
  /** Elements of the weights (initializers) this node reads. */
  params: number;
  macs: number;
  flops: number;
  /** Element-wise / normalisation / activation / softmax / pooling operations. */
  otherOps: number;
  bytesRead: number;
  bytesWritten: number;
  /** (flops + otherOps) / (bytesRead + bytesWritten); 0 when nothing is moved. */
  intensity: number;
  /** Block the node belongs to, from its name ("layer1.0", "blocks.3"), or null. */
  block: string | null;
  /** False when the op type has no counter (it is listed in `uncounted`). */
  counted: boolean;
  /** Time the cost model predicts for this node on this machine, ms (src-shared/profiler/cost-model.ts); absent in runs from before predictions. */
  predictedMs?: number | null;
}

export interface ProfileTotals {
  params: number;
  macs: number;
  flops: number;
  otherOps: number;
  /** Bytes of all initializers at their stored precision. */
  weightBytes: number;
  /** Peak bytes of live activations over a topological execution order (inputs included). */
  activationBytes: number;
}

export interface ProfileResult {
  model: {
    name: string;
    opset: number;
    producer: string;
    fileBytes: number;
    inputs: Array<{ name: string; shape: number[]; dtype: ElemType }>;
    /** The symbolic dimensions and the values they were bound to. */
    dims: Record<string, number>;
  };
  totals: ProfileTotals;
  nodes: ProfileNode[];
  /**
   * Nodes whose cost is not in the totals, by op type. `reason` (optional; added by the profiler):
   * 'no-counter' (an op type the profiler does not know), 'unknown-shape' (a known op whose input
   * or output shapes could not be inferred, usually downstream of an unknown op) or 'subgraph'
   * (If/Loop/Scan, whose bodies are not entered). An op type appears once per reason.
   */
  uncounted: Array<{ opType: string; count: number; reason?: UncountedReason }>;
  warnings: string[];
  /** The cost model's whole-model prediction for this machine, made before any run; `basis` says what it rests on. */
  predicted?: { latencyMs: number; basis: string; measured: boolean; factors?: Record<string, number>; outputsMs?: number };
  measured?: MeasuredProfile;
  /** Predicted beside measured (with `predicted` and `measured`): src-shared/profiler/prediction-check.ts. */
  check?: PredictionCheck;
  /** The machine's speed during the measured run against its benchmark (one calibrated shape measured again just before). */
  speed?: SpeedCheck;
  /** Power sampled during the measured run (with `measured`): measured where the platform exposes it, else a labelled estimate. */
  energy?: EnergyReport;
  /** Joules per inference and per token, from `energy`'s 'run' phase and the median latency. */
  energyEfficiency?: ProfileEnergyEfficiency;
  /**
   * The measured run's per-op timeline in Chrome trace event format (opens in Perfetto). Carried
   * by the job's result event for export; not stored with the run (it can be megabytes).
   */
  trace?: { traceEvents: unknown[]; displayTimeUnit?: string };
  /** What-ifs on the model's actual weights, when asked for (src-shared/profiler/whatif, docs/profiler-whatifs.md). */
  whatifs?: ProfileWhatifs;
}

/**
 * The weight-dependent what-ifs, computed by the backend on the real weights. Training memory and
 * FLOPs are pure functions of the profile and are computed where they are shown.
 */
export interface ProfileWhatifs {
  /** Quantization: sizes per format, SQNR per tensor and scheme, roofline speed-ups. */
  quantize?: unknown;
  /** Magnitude or 2:4 pruning of the actual weights: what remains. */
  prune?: unknown;
  /** Fraction of zeros after each ReLU-family op, from a real run. */
  activationSparsity?: unknown;
  /** Mixture-of-experts graphs: active versus total parameters per token. */
  moe?: unknown;
}

export interface MeasuredProfile {
  /** Wall-clock per session.run, timed without ORT's profiler (what a deployment sees). */
  latencyMs: { median: number; p90: number; runs: number };
  /**
   * Median session.run of the profiled session the per-node times come from, ms: the latency plus
   * what the profiler itself costs (absent in runs from before 2026-12-08, whose latencyMs was
   * timed with the profiler on).
   */
  profiledLatencyMs?: number;
  /**
   * What ORT's profiler adds to each kernel time it records, µs, measured in the same run (a chain
   * of tiny Adds with and without it): subtracted from every kernel before the per-node times are
   * summed (absent in runs from before 2026-12-08, whose per-node times still carry it).
   */
  profilerCostUs?: number;
  threads: number;
  /** Per graph node: kernel time per run from ONNX Runtime's profiler (each kernel's median run), less its own cost per kernel (profilerCostUs). */
  nodes: Array<{ name: string; ms: number; achievedGflops: number | null }>;
  /** ORT kernels that no graph node could claim (src-shared/profiler/attribution.ts). */
  unmapped: Array<{ name: string; ms: number }>;
  /**
   * ORT kernels that compute other graph nodes than their name says: fused groups and layout
   * helpers, with the graph nodes they compute (absent in runs from before attribution).
   */
  groups?: Array<{ kernel: string; opType: string; how: 'fused' | 'helper'; helperOf?: string; members: string[]; ms: number; split: boolean }>;
}

export type UncountedReason = 'no-counter' | 'unknown-shape' | 'subgraph';

/** Symbolic dimension bindings given by the user (`--dim batch=1`). */
export type DimBindings = Record<string, number>;

export type { Dim };

// ---- predicted beside measured (src-shared/profiler/prediction-check.ts) ----------------------

export interface CheckUnit {
  /** The graph nodes of the unit (one, or the members of a fused kernel). */
  nodes: string[];
  /** The op type of the member with the largest predicted time. */
  opType: string;
  predictedMs: number;
  measuredMs: number;
}

export interface PredictionCheck {
  /** Whole model: median measured latency / predicted latency. */
  latencyRatio: number;
  predictedMs: number;
  measuredMs: number;
  units: CheckUnit[];
  /** Share of units whose measured/predicted ratio is within 1.5× (CLOSE_FACTOR). */
  closeUnitShare: number;
  /** Share of the attributed measured time that is in those units. */
  closeTimeShare: number;
  /** Per op class: summed measured / summed predicted, and the measured time. */
  byOpType: Array<{ opType: string; measuredMs: number; predictedMs: number; ratio: number | null; units: number }>;
  /** Kernel time per run that no graph node claims, ms, and its share of all kernel time. */
  unattributedMs: number;
  unattributedShare: number;
  /**
   * latencyRatio with the measured time scaled by the machine's speed during the run against its
   * benchmark (speed.ratio): the model's error without the machine's drift. Absent without a probe.
   */
  speedCorrectedRatio?: number;
}

/** One calibrated shape measured again just before a measured run (src-main/services/profiler/speed-probe.ts). */
export interface SpeedCheck {
  shape: string;
  nowGflops: number;
  benchmarkGflops: number;
  /** now / benchmark: below 1 the machine ran slower than when it was benchmarked. */
  ratio: number;
  /**
   * The same for a small kernel that ORT splits between its threads in even parts (the
   * calibration's depthwise 3×3 Conv on 144×56², ~60 µs): it waits for the slower vCPU where the
   * large product's many tiles balance, so a VM with one slow vCPU shows here first (absent when
   * the benchmark has no such point).
   */
  small?: { shape: string; nowGflops: number; benchmarkGflops: number; ratio: number };
}
