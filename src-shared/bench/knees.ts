/**
 * Knee detection for cache ladders (pure; runs anywhere). Input: a sweep of working-set sizes and
 * a cost that steps up when the set outgrows a cache level — nanoseconds per dependent load for
 * the latency ladder, seconds per byte (1 / bandwidth) for the bandwidth sweep. Output: the sizes
 * where the cost jumps ("knees") and the per-level figures L1 / L2 / L3 / DRAM.
 *
 * Method. Work in log(size), log(cost). A three-point running median removes single-point spikes
 * (a preempted measurement on a shared machine). A segment is "rising" when the cost grows faster
 * than `risePerDoubling` per doubling of the size; a run of rising segments whose total rise is at
 * least `minJump` is a knee. Its capacity comes from where the rise crosses its geometric midpoint,
 * corrected by the random-replacement hit-rate model (see capacityFromRise).
 *
 * Levels. Boundaries come from the detected cache sizes when given (CPUID is reliable for L1/L2),
 * from knees otherwise. One exception: when the largest step above L2 lies well below the reported
 * last-level cache, the step wins — VMs often report the whole socket's L3 while the cores only
 * reach their own CCD's slice. A level's figure is the median cost of the points inside
 * (2 × previous boundary, 0.5 × its boundary], away from both transitions; the window is relaxed to
 * (previous, boundary] when that leaves no point.
 */
import { formatBytes } from '../hardware/format.js';

export interface SweepPoint {
  bytes: number;
  /** Cost that rises past a cache boundary (ns per load, or seconds per byte). */
  cost: number;
}

export interface Knee {
  /** Capacity estimate of the level that ends here. */
  bytes: number;
  /** Size where the rise ends. */
  endBytes: number;
  /** Smoothed cost where the rise starts and where it ends (`endBytes`). */
  before: number;
  after: number;
}

export interface KneeOptions {
  /** Minimum total rise of a transition (ratio); default 1.3. */
  minJump?: number;
  /** A segment rises when cost grows by more than this ratio per doubling of size; default 1.1. */
  risePerDoubling?: number;
}

const MIN_CACHE_BYTES = 8 * 1024;

export type LevelName = 'L1' | 'L2' | 'L3' | 'DRAM';
export const CACHE_LEVELS = ['L1', 'L2', 'L3'] as const;

export interface CacheSizes {
  l1dBytes: number | null;
  l2Bytes: number | null;
  l3Bytes: number | null;
}

export interface Boundary {
  name: 'L1' | 'L2' | 'L3';
  bytes: number;
  /** 'detected': the given cache size (a knee nearby confirms it when `confirmed`); 'knee': from the sweep. */
  source: 'detected' | 'knee';
  confirmed: boolean;
  note?: string;
}

export interface LevelFigure {
  name: LevelName;
  /** Capacity of the level (the boundary); for DRAM the largest working set measured. */
  bytes: number;
  /** Median cost in the level's window. */
  cost: number;
  /** Points the median was taken over. */
  points: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function cleanSorted(points: readonly SweepPoint[]): SweepPoint[] {
  return points
    .filter((p) => Number.isFinite(p.bytes) && p.bytes > 0 && Number.isFinite(p.cost) && p.cost > 0)
    .sort((a, b) => a.bytes - b.bytes);
}

/**
 * Three-point running median of log(cost). The two ends have one neighbour: they take the lower of
 * the pair, so a lone spike at either end cannot fake a transition.
 */
function smoothLog(points: SweepPoint[]): number[] {
  const ly = points.map((p) => Math.log(p.cost));
  if (ly.length < 3) return ly;
  return ly.map((v, i) => {
    if (i === 0) return Math.min(v, ly[1]!);
    if (i === ly.length - 1) return Math.min(v, ly[i - 1]!);
    return median([ly[i - 1]!, v, ly[i + 1]!]);
  });
}

/** Sizes where the cost jumps, smallest first. */
export function findKnees(input: readonly SweepPoint[], options: KneeOptions = {}): Knee[] {
  const minJump = Math.log(options.minJump ?? 1.3);
  const riseThreshold = Math.log(options.risePerDoubling ?? 1.1);
  const pts = cleanSorted(input);
  if (pts.length < 3) return [];
  const ly = smoothLog(pts);
  const lx = pts.map((p) => Math.log2(p.bytes));
  const rising = pts.slice(0, -1).map((_, i) => {
    const dx = lx[i + 1]! - lx[i]!;
    return dx > 0 && (ly[i + 1]! - ly[i]!) / dx > riseThreshold;
  });
  const slope = pts.slice(0, -1).map((_, i) => (ly[i + 1]! - ly[i]!) / Math.max(lx[i + 1]! - lx[i]!, 1e-9));
  // Rising runs as [first point, last point].
  let runs: Array<[number, number]> = [];
  for (let i = 0; i < rising.length; i++) {
    if (!rising[i]) continue;
    let j = i;
    while (j + 1 < rising.length && rising[j + 1]) j++;
    runs.push(...splitAtValleys([i, j + 1], slope));
    i = j;
  }
  // Two runs one flat segment apart, one of them too small to count alone, are one transition
  // that noise interrupted; two large runs are two levels, however short the plateau between.
  const rise = ([s, e]: [number, number]) => ly[e]! - ly[s]!;
  for (let merged = true; merged; ) {
    merged = false;
    for (let r = 0; r + 1 < runs.length; r++) {
      const [a, b] = [runs[r]!, runs[r + 1]!];
      if (b[0] - a[1] <= 1 && (rise(a) < minJump || rise(b) < minJump)) {
        runs = [...runs.slice(0, r), [a[0], b[1]], ...runs.slice(r + 2)];
        merged = true;
        break;
      }
    }
  }
  return runs
    // A knee needs a plateau before it: a rise starting at the first point has none.
    .filter((run) => run[0] >= 1 && rise(run) >= minJump)
    .map(([s, e]) => {
      const before = Math.exp(ly[s]!);
      const after = Math.exp(ly[e]!);
      return { bytes: capacityFromRise(lx, ly, s, e), endBytes: pts[e]!.bytes, before, after };
    })
    // No cache we target is smaller than 16 KiB; a "step" below 8 KiB is noise or a core effect.
    .filter((k) => k.bytes >= MIN_CACHE_BYTES);
}

/**
 * Two transitions with a short, not-quite-flat plateau between them (L2 → L3 → DRAM when the L3
 * is small) make one rising run. Split it at its shallowest interior segment when that segment
 * rises less than half as steeply as the steepest segment on each side; recurse on both parts.
 */
function splitAtValleys(run: [number, number], slope: number[]): Array<[number, number]> {
  const [s, e] = run; // points s..e, segments s..e-1
  const interior: number[] = [];
  for (let i = s + 1; i <= e - 2; i++) interior.push(i);
  // Shallowest first; the flattening tail of a rise is shallow too but has no steep side after it.
  interior.sort((a, b) => slope[a]! - slope[b]!);
  const v = interior.find((i) => slope[i]! < 0.5 * Math.max(...slope.slice(s, i)) && slope[i]! < 0.5 * Math.max(...slope.slice(i + 1, e)));
  if (v === undefined) return [run];
  return [...splitAtValleys([s, v], slope), ...splitAtValleys([v + 1, e], slope)];
}

/**
 * Capacity C from a rise between cost levels Lc (in cache) and Lm (next level). For a random
 * working set W > C the hit rate is about C / W, so cost(W) = Lm − (Lm − Lc)·C/W; it crosses the
 * geometric midpoint √(Lc·Lm) at W = C·(1 + √(Lc/Lm)). We find that crossing by log-log
 * interpolation and divide back, which is robust to a rise that starts early (TLB reach, cache
 * associativity) or ends late.
 */
function capacityFromRise(lx: number[], ly: number[], s: number, e: number): number {
  const mid = (ly[s]! + ly[e]!) / 2;
  let x = lx[e]!;
  for (let i = s; i < e; i++) {
    if (ly[i + 1]! >= mid) {
      const f = ly[i + 1]! === ly[i]! ? 0 : (mid - ly[i]!) / (ly[i + 1]! - ly[i]!);
      x = lx[i]! + Math.min(1, Math.max(0, f)) * (lx[i + 1]! - lx[i]!);
      break;
    }
  }
  return Math.round(2 ** x / (1 + Math.exp((ly[s]! - ly[e]!) / 2)));
}

/**
 * Resolves the L1/L2/L3 boundaries from given cache sizes and knees (see the module comment).
 * L1 and L2 take the given size (confirmed when a knee lies within 4× of it) or else the next knee.
 * The last-level cache is matched against the dominant knee above L2 — the largest jump, since
 * missing the LLC costs far more than any TLB or page-walk step — so a small step just above L2
 * (TLB reach) or far beyond the LLC (page-walk caches) is not mistaken for it. Missing levels (no
 * size given and no knee left) are left out.
 */
export function resolveBoundaries(knees: readonly Knee[], caches: Partial<CacheSizes> = {}): Boundary[] {
  const given: (number | null)[] = [caches.l1dBytes ?? null, caches.l2Bytes ?? null, caches.l3Bytes ?? null];
  const lastGiven = given.reduce<number>((acc, v, i) => (v !== null && v > 0 ? i : acc), -1);
  const unused = [...knees];
  const take = (k: Knee) => unused.splice(unused.indexOf(k), 1);
  const jump = (k: Knee) => k.after / k.before;
  const near = (cands: Knee[], size: number) =>
    cands
      .filter((k) => k.bytes >= size / 4 && k.bytes <= size * 4)
      .sort((a, b) => Math.abs(Math.log(a.bytes / size)) - Math.abs(Math.log(b.bytes / size)))[0];
  const out: Boundary[] = [];
  let prev = 0;
  for (let j = 0; j < 3; j++) {
    const name = CACHE_LEVELS[j]!;
    const size = given[j] ?? null;
    const above = unused.filter((k) => k.bytes > 1.25 * prev);
    const isLlc = j === 2 || (j === lastGiven && j > 0);
    const dominant = [...above].sort((a, b) => jump(b) - jump(a))[0];
    let b: Boundary | null = null;
    if (size !== null && size > 0) {
      if (isLlc && dominant !== undefined && near([dominant], size)) {
        take(dominant);
        b = { name, bytes: size, source: 'detected', confirmed: true };
      } else if (isLlc && dominant !== undefined && dominant.bytes < size / 4) {
        take(dominant);
        b = {
          name, bytes: dominant.bytes, source: 'knee', confirmed: true,
          note: `reported ${name} is ${formatBytes(size)} but the sweep's largest step is at ${formatBytes(dominant.bytes)} (a VM reporting the whole socket's cache?); using the measured knee`,
        };
      } else {
        const k = near(above, size);
        if (k) take(k);
        b = { name, bytes: size, source: 'detected', confirmed: k !== undefined };
      }
    } else {
      const k = isLlc ? dominant : above[0];
      if (k !== undefined) {
        take(k);
        b = { name, bytes: k.bytes, source: 'knee', confirmed: true };
      }
    }
    if (b) {
      out.push(b);
      prev = b.bytes;
    }
  }
  return out;
}

/**
 * Per-level median cost using `boundaries`. DRAM is the plateau past twice the last boundary, up
 * to the next knee when one lies beyond (page-walk steps deep in DRAM): its figure should not
 * average over a step.
 */
export function levelFigures(input: readonly SweepPoint[], boundaries: readonly Boundary[], knees: readonly Knee[] = []): LevelFigure[] {
  const pts = cleanSorted(input);
  if (pts.length === 0) return [];
  const figures: LevelFigure[] = [];
  const within = (lo: number, hi: number) => pts.filter((p) => p.bytes > lo && p.bytes <= hi);
  let prev = 0;
  for (const b of boundaries) {
    let win = within(2 * prev, 0.5 * b.bytes);
    if (win.length === 0) win = within(prev, b.bytes);
    if (win.length > 0) figures.push({ name: b.name, bytes: b.bytes, cost: median(win.map((p) => p.cost)), points: win.length });
    prev = b.bytes;
  }
  const next = knees.map((k) => k.bytes).filter((b) => b > 2 * prev).sort((a, b) => a - b)[0] ?? Infinity;
  let dram = within(2 * prev, next);
  if (dram.length === 0) dram = within(2 * prev, Infinity);
  if (dram.length === 0) dram = prev > 0 ? within(prev, Infinity) : [];
  if (dram.length > 0) {
    figures.push({ name: 'DRAM', bytes: pts[pts.length - 1]!.bytes, cost: median(dram.map((p) => p.cost)), points: dram.length });
  }
  return figures;
}

export interface LatencyPoint { bytes: number; ns: number }
export interface LatencyLevel { name: LevelName; bytes: number; ns: number }

/** Latency ladder → knees, boundaries and per-level ns. */
export function latencyLevels(
  points: readonly LatencyPoint[],
  caches: Partial<CacheSizes> = {},
  options: KneeOptions = {},
): { knees: Knee[]; boundaries: Boundary[]; levels: LatencyLevel[] } {
  const sweep = points.map((p) => ({ bytes: p.bytes, cost: p.ns }));
  const knees = findKnees(sweep, { minJump: 1.4, ...options });
  const boundaries = resolveBoundaries(knees, caches);
  const levels = levelFigures(sweep, boundaries, knees).map((f) => ({ name: f.name, bytes: f.bytes, ns: f.cost }));
  return { knees, boundaries, levels };
}

export interface BandwidthPoint { bytes: number; GBs: number }
export interface BandwidthLevel { name: LevelName; bytes: number; GBs: number }

/**
 * Bandwidth sweep → per-level GB/s. Cost is 1 / bandwidth, so a drop in bandwidth is a knee.
 * `caches` must already be in the sweep's units (aggregate bytes across threads for private caches).
 */
export function bandwidthLevels(
  sweep: readonly BandwidthPoint[],
  caches: Partial<CacheSizes> = {},
  options: KneeOptions = {},
): { knees: Knee[]; boundaries: Boundary[]; levels: BandwidthLevel[] } {
  const pts = sweep.map((p) => ({ bytes: p.bytes, cost: 1 / p.GBs }));
  const knees = findKnees(pts, { minJump: 1.25, ...options });
  const boundaries = resolveBoundaries(knees, caches);
  const levels = levelFigures(pts, boundaries, knees).map((f) => ({ name: f.name, bytes: f.bytes, GBs: 1 / f.cost }));
  return { knees, boundaries, levels };
}
