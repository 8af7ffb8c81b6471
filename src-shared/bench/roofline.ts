/**
 * Roofline maths (pure; runs anywhere). A roofline bounds the attainable throughput of a kernel
 * with arithmetic intensity I (FLOPs per byte moved from a memory level) by
 *   attainable(I) = min(peak compute, bandwidth × I)            (Williams, Waterman, Patterson 2009)
 * The ridge point I* = peak / bandwidth is the intensity above which a kernel can be compute
 * bound; we place it against DRAM, the level every large model streams from.
 */

export interface Ceiling {
  kind: 'compute' | 'bandwidth';
  /** A dtype for compute ceilings ("fp32", "int8"), a memory level for bandwidth ("L1" … "DRAM"). */
  name: string;
  /** GFLOP/s for compute, GB/s for bandwidth. */
  value: number;
  source: 'measured' | 'theoretical';
  /** One line on where the number came from. */
  how: string;
}

export interface Ridge {
  /** FLOPs per byte. */
  intensity: number;
  gflops: number;
  dtype: string;
  level: string;
}

export interface Roofline {
  ceilings: Ceiling[];
  ridge: Ridge | null;
}

export interface RooflineInput {
  /** Per-dtype GFLOP/s, e.g. the GEMM benchmark's `best`. */
  measuredCompute?: Record<string, number>;
  /** Per-level GB/s, e.g. the memory benchmark's `levels`. */
  measuredBandwidth?: Record<string, number>;
  theoreticalCompute?: Record<string, number>;
  theoreticalBandwidth?: Record<string, number>;
  /** Descriptions for the `how` field; defaults name the FLOPscope benchmark that measures each. */
  how?: Partial<Record<'measuredCompute' | 'measuredBandwidth' | 'theoreticalCompute' | 'theoreticalBandwidth', string>>;
}

export interface RidgeChoice {
  /** Compute ceiling for the ridge; default fp32, else the largest measured one. */
  dtype?: string;
  /** Bandwidth ceiling for the ridge; default DRAM, else the slowest level given. */
  level?: string;
}

const LEVEL_ORDER = ['L1', 'L2', 'L3', 'DRAM'];

/** min(peak, bandwidth × intensity): the best GFLOP/s a kernel of that intensity can reach. */
export function attainable(intensity: number, peakGflops: number, bandwidthGBs: number): number {
  if (!(intensity >= 0)) throw new Error(`intensity must be ≥ 0, got ${intensity}`);
  return Math.min(peakGflops, bandwidthGBs * intensity);
}

/** The ridge intensity (FLOP/byte) where the bandwidth slope meets the compute roof. */
export function ridgeIntensity(peakGflops: number, bandwidthGBs: number): number {
  if (!(bandwidthGBs > 0)) throw new Error(`bandwidth must be > 0, got ${bandwidthGBs}`);
  return peakGflops / bandwidthGBs;
}

function positive(record: Record<string, number> | undefined): [string, number][] {
  return Object.entries(record ?? {}).filter(([, v]) => Number.isFinite(v) && v > 0);
}

/** Assembles ceilings (measured first) and the ridge point from measured and theoretical numbers. */
export function buildRoofline(input: RooflineInput, choice: RidgeChoice = {}): Roofline {
  const how = {
    measuredCompute: 'ONNX Runtime MatMul/MatMulInteger benchmark (best median over sizes and threads)',
    measuredBandwidth: 'read-bandwidth sweep plateau (STREAM triad for DRAM when given)',
    theoreticalCompute: 'cores × clock × FLOPs/cycle from the ISA table',
    theoreticalBandwidth: 'channels × transfer rate × bus width',
    ...input.how,
  };
  const ceilings: Ceiling[] = [
    ...positive(input.measuredCompute).map(([name, value]): Ceiling => ({ kind: 'compute', name, value, source: 'measured', how: how.measuredCompute })),
    ...positive(input.measuredBandwidth).map(([name, value]): Ceiling => ({ kind: 'bandwidth', name, value, source: 'measured', how: how.measuredBandwidth })),
    ...positive(input.theoreticalCompute).map(([name, value]): Ceiling => ({ kind: 'compute', name, value, source: 'theoretical', how: how.theoreticalCompute })),
    ...positive(input.theoreticalBandwidth).map(([name, value]): Ceiling => ({ kind: 'bandwidth', name, value, source: 'theoretical', how: how.theoreticalBandwidth })),
  ];
  return { ceilings, ridge: ridgeOf(ceilings, choice) };
}

/** Picks one compute and one bandwidth ceiling (measured preferred) and returns their ridge, or null. */
export function ridgeOf(ceilings: readonly Ceiling[], choice: RidgeChoice = {}): Ridge | null {
  const sources = ['measured', 'theoretical'] as const;
  const pool = (kind: Ceiling['kind'], source: Ceiling['source']) => ceilings.filter((c) => c.kind === kind && c.source === source);
  // The wanted name (measured, then theoretical), else the fallback rule (measured, then theoretical).
  const pick = (kind: Ceiling['kind'], wanted: string, fallback: (cs: Ceiling[]) => Ceiling | undefined): Ceiling | undefined => {
    for (const s of sources) {
      const hit = pool(kind, s).find((c) => c.name === wanted);
      if (hit) return hit;
    }
    for (const s of sources) {
      const hit = fallback(pool(kind, s));
      if (hit) return hit;
    }
    return undefined;
  };
  const compute = pick('compute', choice.dtype ?? 'fp32', (cs) => [...cs].sort((a, b) => b.value - a.value)[0]);
  const bandwidth = pick('bandwidth', choice.level ?? 'DRAM', (cs) =>
    [...cs].sort((a, b) => levelRank(b.name) - levelRank(a.name))[0],
  );
  if (!compute || !bandwidth) return null;
  return { intensity: ridgeIntensity(compute.value, bandwidth.value), gflops: compute.value, dtype: compute.name, level: bandwidth.name };
}

/** Cache levels order L1 < L2 < L3 < DRAM; unknown names sort first. */
function levelRank(name: string): number {
  return LEVEL_ORDER.indexOf(name);
}

/**
 * Flags a measurement that cannot be right against its theoretical peak: above 105 % (a wrong
 * peak table, clock, or FLOP count — 5 % leaves room for turbo above the table's clock) or below
 * 1 % (a broken run: throttling, a debug build, the wrong threads). Returns null when plausible or
 * when there is no usable theoretical number.
 */
export function sanity(measured: number, theoreticalPeak: number, label = 'measured'): string | null {
  if (!(theoreticalPeak > 0) || !Number.isFinite(theoreticalPeak) || !Number.isFinite(measured)) return null;
  const ratio = measured / theoreticalPeak;
  const pct = (ratio * 100).toFixed(ratio < 0.1 ? 2 : 0);
  if (ratio > 1.05) {
    return `${label} ${fmt(measured)} exceeds the theoretical peak ${fmt(theoreticalPeak)} (${pct}%): the peak's clock or FLOPs/cycle is probably understated, or the benchmark miscounts`;
  }
  if (ratio < 0.01) {
    return `${label} ${fmt(measured)} is implausibly low: ${pct}% of the theoretical peak ${fmt(theoreticalPeak)} (throttling, contention or a broken run?)`;
  }
  return null;
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2);
}
