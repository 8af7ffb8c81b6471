/**
 * From raw readings to an EnergyReport (pure). Each channel becomes a list of intervals of
 * constant power:
 * - an energy counter (RAPL energy_uj, hwmon energyN_input) gives ΔE / Δt between successive
 *   readings. A counter below its previous reading has wrapped when its range is known and the
 *   wrapped step is small (< half the range; at 100 ms a wrap is a small step): Δ += range
 *   (Linux Documentation/power/powercap/powercap.rst: energy_uj wraps at max_energy_range_uj).
 *   Otherwise it went backwards (a reset, a driver reload): that interval is dropped and named in
 *   the warnings — never counted as negative energy;
 * - a power sensor (watts) is integrated with the trapezoid rule between readings.
 * A channel whose readings cover only part of the run is scaled to the whole run at its average
 * (streaming tools start a moment late); coverage under 80 % (and over a second uncovered) is a warning.
 *
 * Totals add the channels marked `inTotal` (packages, DRAM, GPUs), never a sub-zone inside a
 * package. Phase energy sums each channel's intervals overlapping the phase, time-weighted.
 */
import {
  MAX_SERIES_POINTS,
  type ChannelSample,
  type DeviceEnergy,
  type EnergyReport,
  type PhaseEnergy,
  type PowerChannel,
  type PowerPoint,
} from './types.js';

export interface PhaseMark {
  phase: string;
  /** Seconds since sampling started; the phase ends where the next one starts (or at the end). */
  startS: number;
}

export interface IntegrateInput {
  channels: readonly PowerChannel[];
  samples: readonly ChannelSample[];
  durationSeconds: number;
  intervalMs: number;
  phases: readonly PhaseMark[];
  /** Channels read by the sampler's own timer: intervals far over `intervalMs` mean it fell behind. */
  polledChannels?: ReadonlySet<string>;
  unavailable?: readonly string[];
  warnings?: readonly string[];
  estimateBasis?: string;
}

interface Interval {
  t0: number;
  t1: number;
  watts: number;
}

interface ChannelIntervals {
  intervals: Interval[];
  samples: number;
  wraps: number;
}

/**
 * Uncovered time worth a warning: a streaming tool's first reading lands a few hundred ms in, which
 * is most of a one-second run but says nothing about the measurement.
 */
const UNCOVERED_WARN_S = 1;

/** A polled interval longer than this many times the target means the loop fell behind. */
const LATE_FACTOR = 3;

function counterIntervals(channel: PowerChannel, samples: readonly ChannelSample[], warnings: string[]): ChannelIntervals {
  const intervals: Interval[] = [];
  let wraps = 0;
  let backwards = 0;
  let firstBackwards = '';
  const wrap = channel.wrapJoules ?? null;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const dt = b.t - a.t;
    if (!(dt > 0)) continue;
    let delta = b.value - a.value;
    if (delta < 0) {
      const wrapped = wrap !== null && wrap > 0 ? delta + wrap : null;
      if (wrapped !== null && wrapped >= 0 && wrapped < wrap! / 2) {
        delta = wrapped;
        wraps++;
      } else {
        backwards++;
        if (!firstBackwards) firstBackwards = `from ${a.value.toFixed(3)} J to ${b.value.toFixed(3)} J at ${b.t.toFixed(2)} s`;
        continue;
      }
    }
    intervals.push({ t0: a.t, t1: b.t, watts: delta / dt });
  }
  if (backwards) {
    warnings.push(
      `${channel.label} (${channel.detail}): the energy counter went backwards ${backwards} time(s) (first ${firstBackwards})` +
        `${wrap ? '' : ' and its wrap range is unknown'}; those intervals were left out.`,
    );
  }
  return { intervals, samples: samples.length, wraps };
}

function powerIntervals(samples: readonly ChannelSample[], warnings: string[], channel: PowerChannel): ChannelIntervals {
  const intervals: Interval[] = [];
  let negative = 0;
  const ok = samples.filter((s) => {
    const good = Number.isFinite(s.value) && s.value >= 0;
    if (!good) negative++;
    return good;
  });
  if (negative) warnings.push(`${channel.label} (${channel.detail}): ${negative} reading(s) were negative or not numbers and were left out.`);
  for (let i = 1; i < ok.length; i++) {
    const a = ok[i - 1]!;
    const b = ok[i]!;
    const dt = b.t - a.t;
    if (!(dt > 0)) continue;
    intervals.push({ t0: a.t, t1: b.t, watts: (a.value + b.value) / 2 });
  }
  return { intervals, samples: ok.length, wraps: 0 };
}

/** Energy of `intervals` inside [t0, t1]; gaps are filled at `fill` watts. */
function energyIn(intervals: readonly Interval[], t0: number, t1: number, fill: number): number {
  if (!(t1 > t0)) return 0;
  let joules = 0;
  let covered = 0;
  for (const iv of intervals) {
    const lo = Math.max(t0, iv.t0);
    const hi = Math.min(t1, iv.t1);
    if (hi > lo) {
      joules += iv.watts * (hi - lo);
      covered += hi - lo;
    }
  }
  return joules + Math.max(0, t1 - t0 - covered) * fill;
}

function sourceLine(devices: readonly DeviceEnergy[], estimateBasis: string | undefined): string {
  const inTotal = devices.filter((d) => d.inTotal);
  if (!inTotal.length) return 'not available';
  const measured = [...new Set(inTotal.filter((d) => !d.estimated).map((d) => (d.source === 'powercap' ? 'powercap (RAPL)' : d.source)))];
  const estimated = inTotal.filter((d) => d.estimated);
  if (!measured.length) return estimateBasis ? 'estimated: catalog TDP × measured CPU utilisation' : 'estimated';
  return estimated.length ? `${measured.join(' + ')} + estimated ${estimated.map((d) => d.label).join(', ')}` : measured.join(' + ');
}

export function integrateEnergy(input: IntegrateInput): EnergyReport {
  const warnings = [...(input.warnings ?? [])];
  const duration = Math.max(0, input.durationSeconds);
  const byChannel = new Map<string, ChannelSample[]>();
  for (const s of input.samples) {
    const list = byChannel.get(s.channel);
    if (list) list.push(s);
    else byChannel.set(s.channel, [s]);
  }
  const perChannel = new Map<string, { intervals: Interval[]; avg: number }>();
  const devices: DeviceEnergy[] = [];
  let lateIntervals = 0;
  let polledIntervals = 0;
  let longestMs = 0;
  for (const channel of input.channels) {
    const samples = (byChannel.get(channel.id) ?? []).slice().sort((a, b) => a.t - b.t);
    const ci = channel.mode === 'energy' ? counterIntervals(channel, samples, warnings) : powerIntervals(samples, warnings, channel);
    if (input.polledChannels?.has(channel.id)) {
      for (let i = 1; i < samples.length; i++) {
        const ms = (samples[i]!.t - samples[i - 1]!.t) * 1000;
        polledIntervals++;
        if (ms > LATE_FACTOR * input.intervalMs) lateIntervals++;
        longestMs = Math.max(longestMs, ms);
      }
    }
    let covered = 0;
    let measuredJ = 0;
    let peak = 0;
    for (const iv of ci.intervals) {
      covered += iv.t1 - iv.t0;
      measuredJ += iv.watts * (iv.t1 - iv.t0);
      peak = Math.max(peak, iv.watts);
    }
    let avg = covered > 0 ? measuredJ / covered : 0;
    if (covered === 0 && channel.mode === 'power' && ci.samples === 1) {
      // One reading of a power sensor in a short run: take it as constant over the run.
      avg = samples.find((s) => Number.isFinite(s.value) && s.value >= 0)?.value ?? 0;
      peak = avg;
    }
    if (ci.samples === 0) {
      warnings.push(`${channel.label} (${channel.detail}): no readings arrived during the run; it is not in the total.`);
    } else if (duration > 0 && covered > 0 && covered < 0.8 * duration && duration - covered > UNCOVERED_WARN_S) {
      warnings.push(
        `${channel.label}: readings cover ${((100 * covered) / duration).toFixed(0)} % of the run; the rest is taken at its average ${avg.toFixed(1)} W.`,
      );
    }
    const joules = ci.samples === 0 ? 0 : avg * duration;
    perChannel.set(channel.id, { intervals: ci.intervals, avg });
    devices.push({
      channel: channel.id,
      label: channel.label,
      kind: channel.kind,
      source: channel.source,
      detail: channel.detail,
      estimated: channel.source === 'estimate',
      inTotal: channel.inTotal && ci.samples > 0,
      joules,
      avgWatts: duration > 0 ? joules / duration : avg,
      peakWatts: peak,
      samples: ci.samples,
    });
  }
  if (lateIntervals > 0 && polledIntervals > 0) {
    warnings.push(
      `The power sampler fell behind: ${lateIntervals} of ${polledIntervals} reading intervals took over ${LATE_FACTOR}× the ${input.intervalMs} ms target ` +
        `(longest ${longestMs.toFixed(0)} ms). Energy is still integrated over the whole run; short peaks may be missed.`,
    );
  }
  const total = devices.filter((d) => d.inTotal);
  const joules = total.reduce((s, d) => s + d.joules, 0);

  // Total power over time, in equal buckets (each channel's gaps at its average).
  const series: PowerPoint[] = [];
  let peakWatts = 0;
  if (duration > 0 && total.length) {
    const buckets = Math.max(1, Math.min(MAX_SERIES_POINTS, Math.ceil((duration * 1000) / Math.max(1, input.intervalMs))));
    const width = duration / buckets;
    for (let b = 0; b < buckets; b++) {
      const t0 = b * width;
      const t1 = t0 + width;
      let e = 0;
      for (const d of total) {
        const c = perChannel.get(d.channel)!;
        e += energyIn(c.intervals, t0, t1, c.avg);
      }
      const watts = e / width;
      peakWatts = Math.max(peakWatts, watts);
      series.push({ t: (t0 + t1) / 2, watts });
    }
  }

  const phases: PhaseEnergy[] = [];
  const marks = input.phases.filter((p) => p.startS < duration);
  marks.forEach((m, i) => {
    const endS = Math.min(duration, i + 1 < marks.length ? marks[i + 1]!.startS : duration);
    const startS = Math.max(0, m.startS);
    let e = 0;
    for (const d of total) {
      const c = perChannel.get(d.channel)!;
      e += energyIn(c.intervals, startS, endS, c.avg);
    }
    const span = endS - startS;
    // A phase repeated later (progress names can recur) keeps one entry per stretch.
    phases.push({ phase: m.phase, startS, endS, joules: e, avgWatts: span > 0 ? e / span : 0 });
  });

  const estimated = total.some((d) => d.estimated);
  const report: EnergyReport = {
    estimated,
    source: sourceLine(devices, input.estimateBasis),
    durationSeconds: duration,
    joules,
    avgWatts: duration > 0 ? joules / duration : 0,
    peakWatts,
    samples: devices.reduce((s, d) => s + d.samples, 0),
    intervalMs: input.intervalMs,
    devices,
    phases,
    series,
    unavailable: [...(input.unavailable ?? [])],
    warnings,
  };
  if (estimated && input.estimateBasis) report.estimateBasis = input.estimateBasis;
  return report;
}

/** Average total watts over all stretches of a phase (null when the phase never ran). */
export function phaseWatts(report: EnergyReport, phase: string | ((name: string) => boolean)): number | null {
  const match = typeof phase === 'string' ? (n: string) => n === phase : phase;
  let joules = 0;
  let seconds = 0;
  for (const p of report.phases) {
    if (!match(p.phase)) continue;
    joules += p.joules;
    seconds += p.endS - p.startS;
  }
  return seconds > 0 && joules > 0 ? joules / seconds : null;
}
