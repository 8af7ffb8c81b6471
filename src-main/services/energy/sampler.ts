/**
 * The power sampler (Node side) that runs beside every benchmark and measured model run.
 *
 * It asks each platform reader (./readers) for its source, keeps what answered, and, when nothing
 * measures the CPU, adds the labelled estimate (catalog TDP share × measured CPU utilisation,
 * src-shared/energy/cpu-power.ts). A timer on the main thread polls the sysfs sources every
 * `intervalMs` (the measurement itself runs in a worker thread or native pool, so the timer is
 * free to fire); streaming sources (nvidia-smi -lms, powermetrics, typeperf) push readings from
 * their child process. Progress phases are marked as they start so energy can be split by phase.
 * Nothing here can fail the run: every problem becomes a line in the report's warnings.
 */
import os from 'node:os';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import { cpuPowerBasis, utilisation } from '../../../src-shared/energy/cpu-power.js';
import { integrateEnergy, type PhaseMark } from '../../../src-shared/energy/integrate.js';
import {
  DEFAULT_SAMPLE_INTERVAL_MS,
  type ChannelSample,
  type EnergyReport,
  type PowerChannel,
  type PowerTick,
} from '../../../src-shared/energy/types.js';
import { ALL_DISCOVERERS } from './readers/index.js';
import type { Discoverer, DiscoverOptions, PowerSource, SampleSink } from './source.js';

export interface EnergySamplerOptions {
  hardware: HardwareReport;
  intervalMs?: number;
  /** Live total power, about every `tickEveryMs` (the job's 'power' events). */
  onTick?: (tick: PowerTick) => void;
  tickEveryMs?: number;
  /** Overrides for tests and odd installs; default from the environment (see `discoverOptionsFromEnv`). */
  discover?: Partial<DiscoverOptions>;
  discoverers?: readonly Discoverer[];
  /** Per-CPU times (default os.cpus()); injectable so the estimate can be tested. */
  cpuTimes?: () => Array<{ user: number; nice: number; sys: number; idle: number; irq: number }>;
}

export interface EnergySampler {
  /**
   * Marks the start of a progress phase (repeated calls with the same phase are ignored). `at` is
   * an absolute time (performance.timeOrigin + performance.now(), comparable across threads);
   * default now.
   */
  mark(phase: string, at?: number): void;
  /** Stops sampling and integrates. Never throws. */
  stop(): Promise<EnergyReport>;
}

/** Paths and executables, overridable by environment variables (documented in docs/energy.md). */
export function discoverOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<DiscoverOptions, 'intervalMs'> {
  return {
    sysRoot: env.FLOPSCOPE_POWER_SYSROOT || '/',
    platform: process.platform,
    commands: {
      nvidiaSmi: env.FLOPSCOPE_NVIDIA_SMI || 'nvidia-smi',
      powermetrics: env.FLOPSCOPE_POWERMETRICS || 'powermetrics',
      typeperf: env.FLOPSCOPE_TYPEPERF || 'typeperf',
    },
  };
}

const MAX_WARNINGS = 20;
const ESTIMATE_CHANNEL = 'estimate:cpu';

export interface DiscoveredPower {
  sources: PowerSource[];
  /** Every channel, deduplicated for the total, with the CPU estimate last. */
  channels: PowerChannel[];
  estimateChannel: PowerChannel;
  basis: ReturnType<typeof cpuPowerBasis>;
  cpuMeasured: boolean;
  unavailable: string[];
  warnings: string[];
}

/**
 * Asks every reader for its source and assembles the channels a run would sample: one source per
 * device in the total (RAPL packages cover the CPU, so a hwmon CPU sensor is shown, not added) and
 * the CPU estimate, in the total only when nothing measures the CPU. Never throws.
 */
export async function discoverPower(options: Pick<EnergySamplerOptions, 'hardware' | 'discover' | 'discoverers' | 'intervalMs'>): Promise<DiscoveredPower> {
  const intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
  const discoverOptions: DiscoverOptions = { ...discoverOptionsFromEnv(), intervalMs, ...options.discover };
  const warnings: string[] = [];
  const unavailable: string[] = [];
  const sources: PowerSource[] = [];
  const found = await Promise.all(
    (options.discoverers ?? ALL_DISCOVERERS).map(async (discover) => {
      try {
        return await discover(discoverOptions);
      } catch (e) {
        return { source: null, unavailable: `a power reader failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    }),
  );
  for (const d of found) {
    for (const w of d.warnings ?? []) if (!warnings.includes(w)) warnings.push(w);
    if (d.source && d.source.channels.length) sources.push(d.source);
    else if (d.unavailable) unavailable.push(d.unavailable);
  }
  const channels: PowerChannel[] = [];
  const raplCoversCpu = sources.some((s) => s.id === 'powercap' && s.channels.some((c) => c.kind === 'cpu' && c.inTotal));
  for (const s of sources) {
    for (const c of s.channels) channels.push(s.id === 'hwmon' && c.kind === 'cpu' && raplCoversCpu ? { ...c, inTotal: false } : { ...c });
  }
  const cpuMeasured = channels.some((c) => c.inTotal && (c.kind === 'cpu' || c.kind === 'soc'));
  // The estimate always runs: it stands in when nothing measures the CPU, and otherwise sits beside
  // the measurement (not in the total) so the two can be compared — and takes over if the sensors
  // give no readings after all.
  const basis = cpuPowerBasis(options.hardware.cpu.model, options.hardware.cpu.physicalCores || options.hardware.cpu.logicalCores);
  const estimateChannel: PowerChannel = {
    id: ESTIMATE_CHANNEL,
    label: cpuMeasured ? 'CPU (estimate, for comparison)' : 'CPU (estimated)',
    kind: 'cpu',
    source: 'estimate',
    detail: basis.basis,
    mode: 'power',
    inTotal: !cpuMeasured,
  };
  channels.push(estimateChannel);
  return { sources, channels, estimateChannel, basis, cpuMeasured, unavailable, warnings };
}

/** One reading from every polled source; a source's failure is a warning, not the run's. */
function pollSources(polled: readonly PowerSource[], sink: SampleSink, warn: (message: string) => void): void {
  for (const s of polled) {
    try {
      s.poll!(sink);
    } catch (e) {
      warn(`${s.id}: a reading failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** The live total: the last reading of each power channel in the total, the last delta over time of each energy counter (across a wrap). */
function liveTotalWatts(channels: readonly PowerChannel[], latest: ReadonlyMap<string, ChannelSample[]>, modeOf: ReadonlyMap<string, PowerChannel['mode']>, wrapOf: ReadonlyMap<string, number | null>): number {
  let watts = 0;
  for (const { id } of channels.filter((c) => c.inTotal)) {
    const pair = latest.get(id);
    if (!pair?.length) continue;
    if (modeOf.get(id) === 'power') {
      watts += pair[pair.length - 1]!.value;
    } else if (pair.length === 2) {
      let delta = pair[1]!.value - pair[0]!.value;
      const wrap = wrapOf.get(id);
      if (delta < 0 && wrap) delta += wrap;
      const dt = pair[1]!.t - pair[0]!.t;
      if (delta >= 0 && dt > 0) watts += delta / dt;
    }
  }
  return watts;
}

export async function startEnergySampler(options: EnergySamplerOptions): Promise<EnergySampler> {
  const intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
  const { sources, channels, estimateChannel, basis, cpuMeasured, unavailable, warnings: found } = await discoverPower(options);
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (!warnings.includes(message) && warnings.length < MAX_WARNINGS) warnings.push(message);
  };
  for (const w of found) warn(w);
  const wrapOf = new Map(channels.map((c) => [c.id, c.wrapJoules ?? null]));
  const modeOf = new Map(channels.map((c) => [c.id, c.mode]));

  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  const t0Absolute = performance.timeOrigin + t0;
  const samples: ChannelSample[] = [];
  const latest = new Map<string, ChannelSample[]>(); // the last two readings per channel, for the live total
  const sink: SampleSink = {
    now,
    warn,
    sample(channel, t, value) {
      if (!Number.isFinite(value) || !Number.isFinite(t)) return;
      const s = { channel, t, value };
      samples.push(s);
      const last = latest.get(channel);
      latest.set(channel, last ? [last[last.length - 1]!, s] : [s]);
    },
  };

  const cpuTimes = options.cpuTimes ?? (() => os.cpus().map((c) => c.times));
  let lastTimes = cpuTimes();
  let estimateStarted = false;
  const polledChannels = new Set<string>([ESTIMATE_CHANNEL]);
  const polled = sources.filter((s) => s.poll);
  for (const s of polled) for (const c of s.channels) polledChannels.add(c.id);

  const pollAll = () => {
    pollSources(polled, sink, warn);
    const times = cpuTimes();
    const u = utilisation(lastTimes, times);
    lastTimes = times;
    if (u === null) return;
    const t = now();
    // A utilisation reading is the average over the window since the last one; the first window
    // starts at 0, so it is also stamped there and the estimate covers the whole run.
    if (!estimateStarted) sink.sample(ESTIMATE_CHANNEL, 0, basis.fullWatts * u);
    estimateStarted = true;
    sink.sample(ESTIMATE_CHANNEL, t, basis.fullWatts * u);
  };

  const liveWatts = (): number => liveTotalWatts(channels, latest, modeOf, wrapOf);

  for (const s of sources) {
    if (!s.start) continue;
    try {
      s.start(sink);
    } catch (e) {
      warn(`${s.id}: could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // The first reading of the estimate needs a window, so t = 0 reads the sysfs sources only.
  pollSources(polled, sink, warn);
  const estimated = () => estimateChannel.inTotal;
  const timer = setInterval(pollAll, intervalMs);
  const tickEvery = options.tickEveryMs ?? 500;
  const ticker = options.onTick
    ? setInterval(() => {
        try {
          options.onTick!({ t: now(), watts: liveWatts(), estimated: estimated() });
        } catch {
          // A listener's failure is not the sampler's.
        }
      }, tickEvery)
    : null;
  timer.unref?.();
  ticker?.unref?.();

  const phases: PhaseMark[] = [];
  let stopped: Promise<EnergyReport> | null = null;
  return {
    mark(phase, at) {
      if (stopped) return;
      if (phases[phases.length - 1]?.phase === phase) return;
      phases.push({ phase, startS: at === undefined ? now() : Math.max(0, (at - t0Absolute) / 1000) });
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        if (ticker) clearInterval(ticker);
        pollAll();
        const durationSeconds = now();
        await Promise.all(
          sources.map((s) =>
            s.stop().catch((e: unknown) => warn(`${s.id}: did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`)),
          ),
        );
        const integrate = () =>
          integrateEnergy({ channels, samples, durationSeconds, intervalMs, phases, polledChannels, unavailable, warnings, estimateBasis: basis.basis });
        let report = integrate();
        const cpuRead = report.devices.some((d) => d.inTotal && !d.estimated && (d.kind === 'cpu' || d.kind === 'soc'));
        if (cpuMeasured && !cpuRead) {
          warn('The CPU power sensors gave no readings during the run; the CPU is estimated instead.');
          estimateChannel.inTotal = true;
          estimateChannel.label = 'CPU (estimated)';
          report = integrate();
        }
        return report;
      })();
      return stopped;
    },
  };
}
