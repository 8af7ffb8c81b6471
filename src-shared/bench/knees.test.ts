import { describe, expect, it } from 'vitest';
import { bandwidthLevels, findKnees, latencyLevels, resolveBoundaries } from './knees.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Sizes 4 KiB … max, `perOctave` per doubling. */
function sizes(max: number, perOctave = 2): number[] {
  const out: number[] = [];
  for (let i = 0; 4 * KiB * 2 ** (i / perOctave) <= max; i++) out.push(Math.round(4 * KiB * 2 ** (i / perOctave)));
  return out;
}

/**
 * Random-replacement model of a hierarchy: a working set W hits a level of capacity C with
 * probability min(1, C / W); cost is the hit-weighted mix of each level's latency.
 */
function ladder(levels: { bytes: number; ns: number }[], dramNs: number, max = 512 * MiB, perOctave = 2) {
  return sizes(max, perOctave).map((bytes) => {
    let covered = 0;
    let ns = 0;
    for (const l of levels) {
      const hit = Math.min(1, l.bytes / bytes);
      ns += (hit - covered) * l.ns;
      covered = hit;
    }
    return { bytes, ns: ns + (1 - covered) * dramNs };
  });
}

/** Deterministic multiplicative noise (±amp) and optional spikes. */
function noisy<T extends { ns: number }>(points: T[], amp: number, spikes: number[] = []): T[] {
  let x = 12345;
  return points.map((p, i) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    const f = 1 + amp * (2 * (x / 2147483648) - 1);
    return { ...p, ns: p.ns * f * (spikes.includes(i) ? 3 : 1) };
  });
}

const zen = [{ bytes: 48 * KiB, ns: 1.5 }, { bytes: 1 * MiB, ns: 4.5 }, { bytes: 32 * MiB, ns: 15 }];
const within2 = (measured: number, truth: number) => measured >= truth / 2 && measured <= truth * 2;

describe('findKnees', () => {
  it('finds each level of a clean ladder within 2× of its capacity', () => {
    const knees = findKnees(ladder(zen, 100).map((p) => ({ bytes: p.bytes, cost: p.ns })), { minJump: 1.4 });
    expect(knees).toHaveLength(3);
    zen.forEach((l, i) => expect(within2(knees[i]!.bytes, l.bytes), `knee ${i} at ${knees[i]!.bytes}`).toBe(true));
  });

  it('survives ±8 % noise and single-point spikes', () => {
    const pts = noisy(ladder(zen, 100), 0.08, [3, 17, 30]);
    const knees = findKnees(pts.map((p) => ({ bytes: p.bytes, cost: p.ns })), { minJump: 1.4 });
    expect(knees).toHaveLength(3);
    zen.forEach((l, i) => expect(within2(knees[i]!.bytes, l.bytes)).toBe(true));
  });

  it('splits back-to-back transitions when the plateau between them is short (small L3)', () => {
    const small = [{ bytes: 48 * KiB, ns: 1.5 }, { bytes: 1 * MiB, ns: 4.5 }, { bytes: 3 * MiB, ns: 13 }];
    const knees = findKnees(ladder(small, 150).map((p) => ({ bytes: p.bytes, cost: p.ns })), { minJump: 1.4 });
    expect(knees).toHaveLength(3);
    small.forEach((l, i) => expect(within2(knees[i]!.bytes, l.bytes), `knee ${i} at ${knees[i]!.bytes}`).toBe(true));
  });

  it('ignores too few points, non-finite values and a rise at the very first point', () => {
    expect(findKnees([{ bytes: 1, cost: 1 }, { bytes: 2, cost: 5 }])).toEqual([]);
    const pts = [
      { bytes: 4096, cost: 1 }, { bytes: 8192, cost: 3 }, { bytes: 16384, cost: 3 }, { bytes: 32768, cost: 3 },
      { bytes: 65536, cost: Number.NaN }, { bytes: 0, cost: 3 },
    ];
    expect(findKnees(pts)).toEqual([]);
  });
});

describe('latencyLevels', () => {
  it('maps knees to L1/L2/L3/DRAM with no cache sizes given', () => {
    const { levels } = latencyLevels(noisy(ladder(zen, 100), 0.05));
    expect(levels.map((l) => l.name)).toEqual(['L1', 'L2', 'L3', 'DRAM']);
    const [l1, l2, l3, dram] = levels;
    expect(l1!.ns).toBeCloseTo(1.5, 0);
    expect(l2!.ns).toBeGreaterThan(3.5);
    expect(l2!.ns).toBeLessThan(6);
    expect(l3!.ns).toBeGreaterThan(11);
    expect(l3!.ns).toBeLessThan(20);
    expect(dram!.ns).toBeGreaterThan(80);
    zen.forEach((l, i) => expect(within2(levels[i]!.bytes, l.bytes)).toBe(true));
  });

  it('uses the detected sizes when a knee confirms them', () => {
    const caches = { l1dBytes: 48 * KiB, l2Bytes: 1 * MiB, l3Bytes: 32 * MiB };
    const { boundaries, levels } = latencyLevels(ladder(zen, 100), caches);
    expect(boundaries.map((b) => [b.name, b.bytes, b.source, b.confirmed])).toEqual([
      ['L1', 48 * KiB, 'detected', true], ['L2', 1 * MiB, 'detected', true], ['L3', 32 * MiB, 'detected', true],
    ]);
    expect(levels.map((l) => l.bytes)).toEqual([48 * KiB, 1 * MiB, 32 * MiB, 512 * MiB]);
  });

  it('leaves out a level the machine does not have', () => {
    const noL3 = [zen[0]!, zen[1]!];
    const { levels } = latencyLevels(noisy(ladder(noL3, 80), 0.05), { l1dBytes: 48 * KiB, l2Bytes: 1 * MiB, l3Bytes: null });
    expect(levels.map((l) => l.name)).toEqual(['L1', 'L2', 'DRAM']);
    expect(levels[2]!.ns).toBeGreaterThan(60);
  });

  it('prefers a measured knee over a last-level size a VM over-reports', () => {
    const { boundaries, levels } = latencyLevels(ladder(zen, 100), { l1dBytes: 48 * KiB, l2Bytes: 1 * MiB, l3Bytes: 508 * MiB });
    const l3 = boundaries.find((b) => b.name === 'L3')!;
    expect(l3.source).toBe('knee');
    expect(l3.note).toMatch(/whole socket/);
    expect(within2(l3.bytes, 32 * MiB)).toBe(true);
    expect(levels.find((l) => l.name === 'DRAM')!.ns).toBeGreaterThan(80);
  });

  it('keeps an unconfirmed detected size when no knee contradicts it', () => {
    const b = resolveBoundaries([], { l1dBytes: 32 * KiB, l2Bytes: null, l3Bytes: null });
    expect(b).toEqual([{ name: 'L1', bytes: 32 * KiB, source: 'detected', confirmed: false }]);
  });
});

describe('bandwidthLevels', () => {
  it('reads per-level bandwidth plateaus off a sweep (cost = 1 / bandwidth)', () => {
    // Time per byte mixes like latency does; express the ladder in ns/byte and convert.
    const perByte = ladder([{ bytes: 96 * KiB, ns: 1 / 200 }, { bytes: 2 * MiB, ns: 1 / 100 }, { bytes: 32 * MiB, ns: 1 / 60 }], 1 / 20, 1024 * MiB, 4);
    const sweep = noisy(perByte, 0.04).map((p) => ({ bytes: p.bytes, GBs: 1 / p.ns }));
    const { levels } = bandwidthLevels(sweep.filter((p) => p.bytes >= 16 * KiB), { l1dBytes: 96 * KiB, l2Bytes: 2 * MiB, l3Bytes: 32 * MiB });
    const by = Object.fromEntries(levels.map((l) => [l.name, l.GBs]));
    expect(by.L1).toBeGreaterThan(180);
    expect(by.L2).toBeGreaterThan(80);
    expect(by.L2).toBeLessThan(130);
    expect(by.L3).toBeGreaterThan(45);
    expect(by.L3).toBeLessThan(75);
    expect(by.DRAM).toBeGreaterThan(17);
    expect(by.DRAM).toBeLessThan(24);
  });
});
