/**
 * The contract between the power readers (one module per platform source) and the sampler
 * (sampler.ts). A reader's `discover` looks for its source and either returns a PowerSource with
 * the channels it found, or says in one line why it is not available; it never throws for an
 * absent or unreadable source. A PowerSource then either is polled by the sampler's timer
 * (sysfs files: `poll`) or pushes readings from a long-running child process (`start`).
 */
import type { PowerChannel, PowerSourceId } from '../../../src-shared/energy/types.js';

export interface SampleSink {
  /** Seconds since sampling started (monotonic). Streaming sources stamp their readings with it. */
  now(): number;
  /** One reading of a channel: joules for an energy counter, watts for a power sensor. */
  sample(channel: string, t: number, value: number): void;
  /** A problem worth telling the user (deduplicated by the sampler); never fails the run. */
  warn(message: string): void;
}

export interface PowerSource {
  readonly id: PowerSourceId;
  readonly channels: readonly PowerChannel[];
  /** Polled sources: read every channel now, synchronously, and report through the sink. */
  poll?(sink: SampleSink): void;
  /** Streaming sources: begin pushing readings (a child process such as `nvidia-smi -lms`). */
  start?(sink: SampleSink): void;
  /** Stop streaming / release handles. Resolves once no more readings will arrive. */
  stop(): Promise<void>;
}

export interface DiscoverOptions {
  /** Filesystem root the sysfs paths are read under ('/' normally; a fixture tree in tests). */
  sysRoot: string;
  platform: NodeJS.Platform;
  /** Sampling interval the streaming sources should ask their tool for. */
  intervalMs: number;
  /** Executables, overridable for tests (a recorded-output stand-in) and odd installs. */
  commands: { nvidiaSmi: string; powermetrics: string; typeperf: string };
}

export interface Discovered {
  source: PowerSource | null;
  /** When `source` is null: why, in one line naming the source ('nvidia-smi: not found on PATH'). */
  unavailable?: string;
  /** Found but partly unusable (e.g. one zone unreadable without root): named, with the fix. */
  warnings?: string[];
}

export type Discoverer = (options: DiscoverOptions) => Promise<Discovered>;
