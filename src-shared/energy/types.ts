/**
 * Public JSON shapes of energy measurement (runs anywhere: no Node or DOM imports). The readers
 * (src-main/services/energy) discover channels and push raw samples; the pure integrator
 * (./integrate.ts) turns them into the `EnergyReport` stored with every benchmark and model run.
 * docs/energy.md describes the sources, the maths and the estimate.
 */

/** Where a figure came from. 'estimate' is never a measurement: catalog TDP × measured utilisation. */
export type PowerSourceId = 'powercap' | 'hwmon' | 'nvidia-smi' | 'powermetrics' | 'windows-energy-meter' | 'estimate';

export type PowerDeviceKind = 'cpu' | 'dram' | 'gpu' | 'soc' | 'system';

/** One channel a reader found: a cumulative energy counter or an instantaneous power sensor. */
export interface PowerChannel {
  /** Unique within a run, e.g. 'powercap:intel-rapl:0', 'hwmon:hwmon3:power1', 'nvidia-smi:0'. */
  id: string;
  /** What the user reads, e.g. 'package-0', 'dram', 'GPU 0 NVIDIA H100 80GB HBM3'. */
  label: string;
  kind: PowerDeviceKind;
  source: PowerSourceId;
  /** Where exactly the figure is read, e.g. '/sys/class/powercap/intel-rapl:0/energy_uj'. */
  detail: string;
  /** 'energy': `value` is a cumulative counter in joules; 'power': `value` is watts at that instant. */
  mode: 'energy' | 'power';
  /** Energy counters: the range in joules after which the counter wraps to 0 (max_energy_range_uj); null if unknown. */
  wrapJoules?: number | null;
  /**
   * Counted in the run's total. False for sub-zones already inside a package (RAPL core/uncore),
   * for whole-platform zones (psys) and for a second source of the same device.
   */
  inTotal: boolean;
}

/** One raw reading: `t` in seconds since sampling started. */
export interface ChannelSample {
  channel: string;
  t: number;
  value: number;
}

export interface DeviceEnergy {
  channel: string;
  label: string;
  kind: PowerDeviceKind;
  source: PowerSourceId;
  detail: string;
  estimated: boolean;
  inTotal: boolean;
  joules: number;
  avgWatts: number;
  peakWatts: number;
  /** Readings that contributed (for counters: the intervals between successive readings + 1). */
  samples: number;
}

/** Energy between two progress-phase boundaries of the run (e.g. 'gemm', 'memory: STREAM', 'run'). */
export interface PhaseEnergy {
  phase: string;
  startS: number;
  endS: number;
  joules: number;
  avgWatts: number;
}

/** Total power (the devices in the total) over time: the strip under the progress charts. */
export interface PowerPoint {
  t: number;
  watts: number;
}

export interface EnergyReport {
  /** True when any device in the total is estimated rather than read from a sensor. */
  estimated: boolean;
  /** One line: 'powercap (RAPL)', 'powercap (RAPL) + nvidia-smi', or 'estimated: catalog TDP × measured CPU utilisation'. */
  source: string;
  durationSeconds: number;
  /** Sum over the devices in the total. */
  joules: number;
  avgWatts: number;
  /** Highest total power over the run's time buckets. */
  peakWatts: number;
  /** Readings taken over all channels. */
  samples: number;
  /** Requested sampling interval. */
  intervalMs: number;
  devices: DeviceEnergy[];
  phases: PhaseEnergy[];
  /** At most MAX_SERIES_POINTS points. */
  series: PowerPoint[];
  /** Sources looked for that gave nothing, with why, e.g. 'powercap: /sys/class/powercap is not present'. */
  unavailable: string[];
  /** Sampling trouble: a loop that fell behind, a counter that went backwards, a permission error. */
  warnings: string[];
  /** How the estimate was formed, when `estimated`. */
  estimateBasis?: string;
}

/** The `energy` object `--energy` adds to `bench` / `profile --run` JSON (the contract). */
export interface EnergySummaryJson {
  source: string;
  joules: number;
  avgWatts: number;
  peakWatts: number;
  samples: number;
}

/** Efficiency figures derived from a benchmark's energy and its measured rates. */
export interface BenchEnergyEfficiency {
  /** Best GFLOP/s of each dtype ÷ average total watts during the GEMM phase. */
  gemmGflopsPerJoule: Partial<Record<'fp32' | 'fp16' | 'int8', number>>;
  /** STREAM triad GB/s ÷ average total watts during the STREAM phase. */
  streamGBPerJoule: number | null;
}

/** Efficiency of a measured model run. */
export interface ProfileEnergyEfficiency {
  /** Average watts during the timed runs × median latency. */
  joulesPerInference: number;
  /** joulesPerInference ÷ tokens per inference, when the model takes token ids; else null. */
  joulesPerToken: number | null;
  tokensPerInference: number | null;
}

/** A live power reading the job emits while it runs (JobEvent type 'power'). */
export interface PowerTick {
  t: number;
  watts: number;
  estimated: boolean;
}

export const MAX_SERIES_POINTS = 300;
export const DEFAULT_SAMPLE_INTERVAL_MS = 100;

/** What `energy.sources` answers: the power channels a run would sample on this machine, and why others are missing. */
export interface PowerSourcesReport {
  channels: PowerChannel[];
  /** One line per source looked for that gave nothing. */
  unavailable: string[];
  /** Found but partly unusable (e.g. a zone unreadable without root), with the fix. */
  warnings: string[];
  /** Whether a sensor measures the CPU; when not, runs estimate it on `estimateBasis`. */
  cpuMeasured: boolean;
  estimateBasis: string;
}
