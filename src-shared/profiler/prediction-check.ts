/**
 * Predicted beside measured (pure): how far the cost model's prediction was from the measured run,
 * overall, per layer, per op class, and how much measured time no graph node could claim.
 *
 * The unit of comparison is what ran as one kernel: a graph node ORT ran as it is, or the group of
 * nodes ORT fused into one kernel (their predicted times summed, their measured times summed), so
 * a fused group's split, which follows the predictions, never flatters the comparison.
 */
import type { CheckUnit, MeasuredProfile, PredictionCheck, SpeedCheck } from './types.js';

export type { CheckUnit, PredictionCheck } from './types.js';

/** A prediction is "close" within this factor either way (the band drawn around the diagonal). */
export const CLOSE_FACTOR = 1.5;

export function checkPrediction(
  predicted: { latencyMs: number; nodes: ReadonlyArray<{ name: string; predictedMs: number | null; opType: string }> },
  measured: MeasuredProfile,
): PredictionCheck {
  const pred = new Map(predicted.nodes.map((n) => [n.name, n] as const));
  const meas = new Map(measured.nodes.map((n) => [n.name, n.ms] as const));
  const inGroup = new Set<string>();
  const units: CheckUnit[] = [];
  const unitOf = (names: string[]): CheckUnit => {
    let top = names[0]!;
    for (const n of names) if ((pred.get(n)?.predictedMs ?? 0) > (pred.get(top)?.predictedMs ?? 0)) top = n;
    return {
      nodes: names,
      opType: pred.get(top)?.opType ?? '',
      predictedMs: names.reduce((a, n) => a + (pred.get(n)?.predictedMs ?? 0), 0),
      measuredMs: names.reduce((a, n) => a + (meas.get(n) ?? 0), 0),
    };
  };
  // Fused kernels that share members (a helper joins its group) make one unit.
  const groups = mergeGroups((measured.groups ?? []).map((g) => g.members));
  for (const members of groups) {
    members.forEach((m) => inGroup.add(m));
    units.push(unitOf(members));
  }
  for (const n of measured.nodes) if (!inGroup.has(n.name)) units.push(unitOf([n.name]));

  const close = (u: CheckUnit): boolean => u.predictedMs > 0 && u.measuredMs / u.predictedMs <= CLOSE_FACTOR && u.predictedMs / u.measuredMs <= CLOSE_FACTOR;
  const measuredTotal = units.reduce((a, u) => a + u.measuredMs, 0);
  const timed = units.filter((u) => u.measuredMs > 0);
  const byType = new Map<string, { measuredMs: number; predictedMs: number; units: number }>();
  for (const u of units) {
    const e = byType.get(u.opType) ?? { measuredMs: 0, predictedMs: 0, units: 0 };
    e.measuredMs += u.measuredMs;
    e.predictedMs += u.predictedMs;
    e.units += 1;
    byType.set(u.opType, e);
  }
  const unattributedMs = measured.unmapped.reduce((a, u) => a + u.ms, 0);
  const kernelMs = measuredTotal + unattributedMs;
  return {
    latencyRatio: predicted.latencyMs > 0 ? measured.latencyMs.median / predicted.latencyMs : Number.NaN,
    predictedMs: predicted.latencyMs,
    measuredMs: measured.latencyMs.median,
    units: units.sort((a, b) => b.measuredMs - a.measuredMs),
    closeUnitShare: timed.length ? timed.filter(close).length / timed.length : 0,
    closeTimeShare: measuredTotal > 0 ? units.filter(close).reduce((a, u) => a + u.measuredMs, 0) / measuredTotal : 0,
    byOpType: [...byType]
      .map(([opType, e]) => ({ opType, ...e, ratio: e.predictedMs > 0 ? e.measuredMs / e.predictedMs : null }))
      .sort((a, b) => b.measuredMs - a.measuredMs),
    unattributedMs,
    unattributedShare: kernelMs > 0 ? unattributedMs / kernelMs : 0,
  };
}

/** Unions member lists that share a node. */
function mergeGroups(lists: string[][]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const list of lists) {
    for (const m of list) if (!parent.has(m)) parent.set(m, m);
    for (const m of list.slice(1)) parent.set(find(m), find(list[0]!));
  }
  const out = new Map<string, string[]>();
  for (const m of parent.keys()) {
    const r = find(m);
    out.set(r, [...(out.get(r) ?? []), m]);
  }
  return [...out.values()];
}

/** Beyond this factor either way, the machine's drift since its benchmark is worth a warning. */
export const DRIFT_FACTOR = 1.2;

/**
 * A warning when the machine ran much faster or slower during the run than when it was
 * benchmarked (the speed probe just before the run): the prediction rests on that benchmark, so
 * it is off by about that much for reasons that are not the model's. On the 2-vCPU Zen 5 VM of
 * bench/hosts.md (2026-12-08 03:58) one vCPU ran at 0.40 of the other through a benchmark and
 * normal speed a minute later: every model then measured ~1.8× faster than predicted. Null within
 * DRIFT_FACTOR.
 */
export function driftWarning(speed: SpeedCheck): string | null {
  const drifted = [speed, ...(speed.small ? [speed.small] : [])].filter((s) => s.ratio > 0 && Math.abs(Math.log(s.ratio)) > Math.log(DRIFT_FACTOR));
  if (drifted.length === 0) return null;
  const what = drifted.map((s) => `${s.ratio > 1 ? s.ratio.toFixed(2) : (1 / s.ratio).toFixed(2)}× ${s.ratio > 1 ? 'faster' : 'slower'} (${s.shape}: ${s.nowGflops.toFixed(0)} vs ${s.benchmarkGflops.toFixed(0)} GFLOP/s)`).join(' and ');
  return `This machine ran ${what} during the run than during the benchmark the prediction rests on, so the prediction is off by about that much for reasons that are not the model's. Run \`flopscope bench all --quick\` again for predictions at its present speed.`;
}
