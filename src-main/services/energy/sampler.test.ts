/**
 * The sampler with stand-in sources (the real readers have their own tests against fixture
 * trees) and on this machine as it is.
 */
import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../testing/fixtures.js';
import { startEnergySampler } from './sampler.js';
import type { Discoverer, PowerSource } from './source.js';

const none: Discoverer = async () => ({ source: null, unavailable: 'stand-in: not present' });

/** A CPU-time source where every CPU is `busy` busy: each call advances the clock 10 ticks. */
function cpuClock(cpus: number, busy: number) {
  let n = 0;
  return () => {
    n++;
    return Array.from({ length: cpus }, () => ({ user: 10 * n * busy, nice: 0, sys: 0, idle: 10 * n * (1 - busy), irq: 0 }));
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startEnergySampler', () => {
  it('with no sensor, estimates the CPU from its TDP share × utilisation and labels it', async () => {
    const ticks: number[] = [];
    const s = await startEnergySampler({
      hardware: { ...sampleReport(), cpu: { ...sampleReport().cpu, model: 'AMD EPYC 9654 96-Core Processor', physicalCores: 4 } },
      discoverers: [none],
      intervalMs: 20,
      tickEveryMs: 40,
      onTick: (t) => {
        expect(t.estimated).toBe(true);
        ticks.push(t.watts);
      },
      cpuTimes: cpuClock(8, 0.5),
    });
    s.mark('gemm');
    await sleep(300);
    const r = await s.stop();
    expect(r.estimated).toBe(true);
    expect(r.source).toMatch(/^estimated/);
    expect(r.estimateBasis).toMatch(/AMD EPYC 9654 \(Zen 4\) TDP 360 W ÷ 96 cores/);
    expect(r.unavailable).toEqual(['stand-in: not present']);
    // 4 cores × 3.75 W × 50 % = 7.5 W
    expect(r.avgWatts).toBeCloseTo(7.5, 6);
    expect(r.joules).toBeCloseTo(7.5 * r.durationSeconds, 6);
    expect(r.phases[0]).toMatchObject({ phase: 'gemm' });
    // The first utilisation window starts at 0: the estimate covers the whole run, no coverage warning.
    expect(r.warnings).toEqual([]);
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.at(-1)).toBeCloseTo(7.5, 6);
  });

  it('a source whose reads fail (permission) and a reader that throws end as warnings, not errors', async () => {
    const failing: PowerSource = {
      id: 'powercap',
      channels: [{ id: 'p:0', label: 'package-0', kind: 'cpu', source: 'powercap', detail: '/x/energy_uj', mode: 'energy', wrapJoules: 100, inTotal: true }],
      poll: () => {
        throw Object.assign(new Error("EACCES: permission denied, open '/x/energy_uj'"), { code: 'EACCES' });
      },
      stop: async () => {},
    };
    const broken: Discoverer = async () => {
      throw new Error('boom');
    };
    const s = await startEnergySampler({ hardware: sampleReport(), discoverers: [async () => ({ source: failing }), broken], intervalMs: 20, cpuTimes: cpuClock(2, 1) });
    await sleep(100);
    const r = await s.stop();
    expect(r.warnings.join('\n')).toMatch(/powercap: a reading failed: EACCES/);
    expect(r.warnings.join('\n')).toMatch(/package-0 .*no readings arrived/);
    expect(r.unavailable.join('\n')).toMatch(/a power reader failed: boom/);
    // The package never read, so the estimate takes over the CPU and says so.
    expect(r.devices.find((d) => d.label === 'package-0')!.inTotal).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/CPU power sensors gave no readings .* estimated instead/);
    expect(r.estimated).toBe(true);
    expect(r.devices.find((d) => d.label === 'CPU (estimated)')).toMatchObject({ inTotal: true, estimated: true });
  });

  it('hwmon CPU sensors are shown but not added when RAPL covers the CPU', async () => {
    let e = 0;
    const rapl: PowerSource = {
      id: 'powercap',
      channels: [{ id: 'p:0', label: 'package-0', kind: 'cpu', source: 'powercap', detail: 'rapl', mode: 'energy', wrapJoules: 1e6, inTotal: true }],
      poll: (sink) => sink.sample('p:0', sink.now(), (e += 1)),
      stop: async () => {},
    };
    const hw: PowerSource = {
      id: 'hwmon',
      channels: [{ id: 'h:1', label: 'Esocket0', kind: 'cpu', source: 'hwmon', detail: 'hwmon', mode: 'power', inTotal: true }],
      poll: (sink) => sink.sample('h:1', sink.now(), 42),
      stop: async () => {},
    };
    const s = await startEnergySampler({ hardware: sampleReport(), discoverers: [async () => ({ source: rapl }), async () => ({ source: hw })], intervalMs: 20 });
    await sleep(120);
    const r = await s.stop();
    expect(r.estimated).toBe(false);
    expect(r.devices.map((d) => [d.label, d.inTotal])).toEqual([['package-0', true], ['Esocket0', false], ['CPU (estimate, for comparison)', false]]);
    expect(r.joules).toBeCloseTo(r.devices[0]!.joules, 9);
    expect(r.source).toBe('powercap (RAPL)');
  });

  it('on this machine: every reader answers, and without a sensor the run gets a labelled estimate', async () => {
    const s = await startEnergySampler({ hardware: sampleReport(), intervalMs: 50 });
    await sleep(200);
    const r = await s.stop();
    expect(Number.isFinite(r.joules)).toBe(true);
    if (r.estimated) {
      expect(r.source).toMatch(/estimated/);
      expect(r.estimateBasis).toMatch(/^estimated: /);
      expect(r.unavailable.length).toBeGreaterThan(0);
      for (const line of r.unavailable) expect(line).toMatch(/^[\w -]+: \S/);
    } else {
      expect(r.devices.some((d) => d.inTotal && !d.estimated)).toBe(true);
    }
  });
});
