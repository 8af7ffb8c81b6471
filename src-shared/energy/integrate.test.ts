import { describe, expect, it } from 'vitest';
import { integrateEnergy, phaseWatts } from './integrate.js';
import type { ChannelSample, PowerChannel } from './types.js';

const pkg: PowerChannel = { id: 'rapl:0', label: 'package-0', kind: 'cpu', source: 'powercap', detail: '/sys/x/energy_uj', mode: 'energy', wrapJoules: 1000, inTotal: true };
const core: PowerChannel = { ...pkg, id: 'rapl:0:0', label: 'package-0 core', inTotal: false };
const gpu: PowerChannel = { id: 'nv:0', label: 'GPU 0', kind: 'gpu', source: 'nvidia-smi', detail: 'power.draw', mode: 'power', inTotal: true };

/** A counter rising at `watts` from `start` joules, read every `dt` seconds for `n` readings, wrapping at `wrap`. */
function counter(channel: string, watts: number, start: number, dt: number, n: number, wrap = Infinity): ChannelSample[] {
  return Array.from({ length: n }, (_, i) => ({ channel, t: i * dt, value: (start + watts * i * dt) % wrap }));
}

describe('integrateEnergy', () => {
  it('integrates a steady counter: joules, average and peak watts', () => {
    const r = integrateEnergy({ channels: [pkg], samples: counter('rapl:0', 50, 10, 0.1, 21), durationSeconds: 2, intervalMs: 100, phases: [] });
    expect(r.joules).toBeCloseTo(100, 6);
    expect(r.avgWatts).toBeCloseTo(50, 6);
    expect(r.peakWatts).toBeCloseTo(50, 6);
    expect(r.estimated).toBe(false);
    expect(r.source).toBe('powercap (RAPL)');
    expect(r.devices[0]!.samples).toBe(21);
    expect(r.warnings).toEqual([]);
  });

  it('handles a counter that wraps at max_energy_range: no negative or huge step', () => {
    // 60 W from 990 J with a 1000 J range wraps after 1/6 s.
    const samples = counter('rapl:0', 60, 990, 0.1, 11, 1000);
    expect(samples.some((s, i) => i > 0 && s.value < samples[i - 1]!.value)).toBe(true);
    const r = integrateEnergy({ channels: [pkg], samples, durationSeconds: 1, intervalMs: 100, phases: [] });
    expect(r.joules).toBeCloseTo(60, 6);
    expect(r.peakWatts).toBeCloseTo(60, 6);
    expect(r.warnings).toEqual([]);
  });

  it('drops and reports a counter that goes backwards (a reset, not a wrap)', () => {
    const samples = counter('rapl:0', 40, 500, 0.1, 11);
    samples[6] = { ...samples[6]!, value: samples[5]!.value - 100 }; // backwards by 100 J: wrapped would be 900 J ≥ half the range
    const r = integrateEnergy({ channels: [pkg], samples, durationSeconds: 1, intervalMs: 100, phases: [] });
    expect(r.warnings.join('\n')).toMatch(/package-0 .*went backwards 1 time/);
    expect(r.joules).toBeGreaterThan(0);
    expect(Number.isFinite(r.joules)).toBe(true);
    expect(r.peakWatts).toBeLessThan(10_000);
  });

  it('a counter without a known range that goes backwards says so', () => {
    const ch = { ...pkg, wrapJoules: null };
    const samples = counter(ch.id, 40, 500, 0.1, 5);
    samples[3] = { ...samples[3]!, value: 0 };
    const r = integrateEnergy({ channels: [ch], samples, durationSeconds: 0.4, intervalMs: 100, phases: [] });
    expect(r.warnings.join('\n')).toMatch(/wrap range is unknown/);
  });

  it('adds packages and GPUs but not a sub-zone inside the package', () => {
    const samples = [
      ...counter('rapl:0', 50, 0, 0.1, 11),
      ...counter('rapl:0:0', 30, 0, 0.1, 11),
      ...Array.from({ length: 11 }, (_, i) => ({ channel: 'nv:0', t: i * 0.1, value: 200 })),
    ];
    const r = integrateEnergy({ channels: [pkg, core, gpu], samples, durationSeconds: 1, intervalMs: 100, phases: [] });
    expect(r.joules).toBeCloseTo(250, 6);
    expect(r.devices.find((d) => d.label === 'package-0 core')!.joules).toBeCloseTo(30, 6);
    expect(r.source).toBe('powercap (RAPL) + nvidia-smi');
    expect(r.series.length).toBeGreaterThan(5);
    for (const p of r.series) expect(p.watts).toBeCloseTo(250, 6);
  });

  it('integrates a power sensor with the trapezoid rule', () => {
    const samples = [0, 1, 2].map((t) => ({ channel: 'nv:0', t, value: 100 + 100 * t })); // 100 → 300 W linearly
    const r = integrateEnergy({ channels: [gpu], samples, durationSeconds: 2, intervalMs: 1000, phases: [] });
    expect(r.joules).toBeCloseTo(400, 6);
    expect(r.peakWatts).toBeCloseTo(250, 6); // the second interval's mean
  });

  it('splits energy by phase', () => {
    // 20 W for the first second, 80 W for the second.
    const samples: ChannelSample[] = [];
    let e = 0;
    for (let i = 0; i <= 20; i++) {
      samples.push({ channel: 'rapl:0', t: i * 0.1, value: e });
      e += (i < 10 ? 20 : 80) * 0.1;
    }
    const r = integrateEnergy({ channels: [pkg], samples, durationSeconds: 2, intervalMs: 100, phases: [{ phase: 'gemm', startS: 0 }, { phase: 'memory: STREAM', startS: 1 }] });
    expect(r.phases.map((p) => p.phase)).toEqual(['gemm', 'memory: STREAM']);
    expect(r.phases[0]!.avgWatts).toBeCloseTo(20, 6);
    expect(r.phases[1]!.avgWatts).toBeCloseTo(80, 6);
    expect(phaseWatts(r, 'gemm')).toBeCloseTo(20, 6);
    expect(phaseWatts(r, 'latency')).toBeNull();
    expect(r.peakWatts).toBeCloseTo(80, 6);
  });

  it('reports a polled loop that fell behind, and still integrates', () => {
    const samples = counter('rapl:0', 10, 0, 0.1, 6);
    samples.push({ channel: 'rapl:0', t: 2.5, value: 25 }); // a 2 s gap against a 100 ms target
    const r = integrateEnergy({ channels: [pkg], samples, durationSeconds: 2.5, intervalMs: 100, phases: [], polledChannels: new Set(['rapl:0']) });
    expect(r.warnings.join('\n')).toMatch(/fell behind: 1 of 6 reading intervals .*longest 2000 ms/);
    expect(r.joules).toBeCloseTo(25, 6);
  });

  it('scales a late-starting stream to the run and says so when coverage is low', () => {
    const samples = [1.8, 2.4, 3.0].map((t) => ({ channel: 'nv:0', t, value: 100 }));
    const r = integrateEnergy({ channels: [gpu], samples, durationSeconds: 3, intervalMs: 100, phases: [] });
    expect(r.joules).toBeCloseTo(300, 6);
    expect(r.warnings.join('\n')).toMatch(/cover 40 % of the run/);
    // The same 40 % of a one-second run is the tool's start-up, not worth a warning.
    const short = integrateEnergy({ channels: [gpu], samples: [0.6, 0.8, 1.0].map((t) => ({ channel: 'nv:0', t, value: 100 })), durationSeconds: 1, intervalMs: 100, phases: [] });
    expect(short.joules).toBeCloseTo(100, 6);
    expect(short.warnings).toEqual([]);
  });

  it('labels an estimate and keeps its basis', () => {
    const est: PowerChannel = { id: 'estimate:cpu', label: 'CPU (estimated)', kind: 'cpu', source: 'estimate', detail: 'basis', mode: 'power', inTotal: true };
    const samples = [0, 0.5, 1].map((t) => ({ channel: est.id, t, value: 7 }));
    const r = integrateEnergy({ channels: [est], samples, durationSeconds: 1, intervalMs: 100, phases: [], estimateBasis: 'TDP × util', unavailable: ['powercap: not present'] });
    expect(r.estimated).toBe(true);
    expect(r.source).toMatch(/^estimated/);
    expect(r.estimateBasis).toBe('TDP × util');
    expect(r.unavailable).toEqual(['powercap: not present']);
    expect(r.joules).toBeCloseTo(7, 6);
  });

  it('a channel with no readings is reported and left out of the total', () => {
    const r = integrateEnergy({ channels: [gpu], samples: [], durationSeconds: 1, intervalMs: 100, phases: [] });
    expect(r.joules).toBe(0);
    expect(r.devices[0]!.inTotal).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/no readings arrived/);
    expect(r.source).toBe('not available');
  });
});
