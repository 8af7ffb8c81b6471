import { describe, expect, it } from 'vitest';
import { cpuPowerBasis, utilisation } from './cpu-power.js';

describe('cpuPowerBasis', () => {
  it('shares a catalog part TDP per core', () => {
    const b = cpuPowerBasis('AMD EPYC 9654 96-Core Processor', 4);
    expect(b.wattsPerCore).toBeCloseTo(360 / 96, 9);
    expect(b.fullWatts).toBeCloseTo((360 / 96) * 4, 9);
    expect(b.basis).toMatch(/^estimated: AMD EPYC 9654 .*TDP 360 W ÷ 96 cores/);
  });

  it('falls back to the class median for an unknown part and names it', () => {
    const server = cpuPowerBasis('AMD EPYC', 2);
    const desktop = cpuPowerBasis('Some Laptop CPU', 2);
    expect(server.basis).toMatch(/"AMD EPYC" is not in the CPU power table; median server/);
    expect(desktop.basis).toMatch(/median desktop/);
    expect(server.wattsPerCore).toBeGreaterThan(1);
    expect(desktop.wattsPerCore).toBeGreaterThan(server.wattsPerCore);
  });
});

describe('utilisation', () => {
  const t = (user: number, idle: number) => ({ user, nice: 0, sys: 0, idle, irq: 0 });
  it('is the busy share of all CPUs between two snapshots', () => {
    expect(utilisation([t(0, 0), t(0, 0)], [t(100, 0), t(0, 100)])).toBeCloseTo(0.5, 9);
    expect(utilisation([t(5, 5)], [t(5, 5)])).toBeNull();
  });
  it('skips a CPU whose counters went backwards (offlined and back)', () => {
    expect(utilisation([t(50, 50), t(0, 0)], [t(10, 10), t(30, 10)])).toBeCloseTo(0.75, 9);
  });
});
