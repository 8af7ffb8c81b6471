/**
 * Plain-text rendering of plans and fitted laws (runs anywhere): what `flopscope plan` and
 * `flopscope fit` print without --json, and the number formats the Planner page shares.
 */
import type { FitInfo } from '../api/planner.js';
import type { PlanResult } from './plan.js';
import { DEFAULT_GRID_G_PER_KWH, formatCo2Kg, formatKwh, GRID_SOURCE_SHORT, type PlanEnergy } from './energy.js';

/** Quantities (5.76e23, 7B, 1.5T) are parsed by the planner API's schema (src-shared/api/planner.ts); re-exported for the pages. */
export { parseQuantity } from '../api/planner.js';

const SCALES: Array<[number, string]> = [
  [1e15, 'Q'],
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** 6.78e10 → "67.8B" (parameters and tokens: K, M, B, T, Q). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  for (const [scale, unit] of SCALES) if (Math.abs(n) >= scale) return `${trim(n / scale)}${unit}`;
  return trim(n);
}

/** 5.76e23 → "5.76e23" (FLOPs). */
export function formatSci(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return '—';
  const [m, e] = n.toExponential(digits - 1).split('e');
  return `${m}e${Number(e)}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const units: Array<[number, string]> = [
    [365.25 * 86400, 'years'],
    [86400, 'days'],
    [3600, 'hours'],
    [60, 'minutes'],
  ];
  for (const [s, u] of units) if (seconds >= s) return `${trim(seconds / s)} ${u}`;
  return `${trim(seconds)} s`;
}

export function formatUsd(usd: number): string {
  return Number.isFinite(usd) ? `$${Math.round(usd).toLocaleString('en-US')}` : '—';
}

function trim(x: number): string {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function formatPlan(p: PlanResult): string {
  const d = p.details;
  const s = p.shape;
  const lines = [
    `Fit: ${d.fitLabel} — ${d.fitSource}`,
    `Compute:           ${formatSci(p.computeFlops)} FLOPs${d.device ? ` (${d.device.name}, ${d.device.dtype} peak ${formatSci(d.device.peakFlops)} FLOP/s, MFU ${d.mfu})` : ''}`,
    `Parameters N:      ${formatCount(p.params)}${d.paramsCount === 'non-embedding' ? ' (non-embedding)' : ''}`,
    `Tokens D:          ${formatCount(p.tokens)}  (${p.tokensPerParam.toFixed(1)} tokens per parameter)`,
    `Predicted loss:    ${p.loss.toFixed(3)}${d.lawNote ? `  [${d.lawNote}]` : ''}`,
  ];
  if (d.mode !== 'budget') lines.push(`Compute-optimal:   ${formatCount(d.optimal.params)} parameters, loss ${d.optimal.loss.toFixed(3)} at this budget`);
  if (p.time) lines.push(`Training time:     ${formatDuration(p.time.seconds)} on ${p.time.devices} device${p.time.devices === 1 ? '' : 's'}`);
  if (p.costUsd !== undefined) lines.push(`Cost:              ${formatUsd(p.costUsd)}`);
  if (p.energy) lines.push(...formatEnergyLines(p.energy));
  else if (p.energyUnavailable) lines.push(`Energy:            unknown (${p.energyUnavailable})`);
  lines.push(
    '',
    `Shape: ${s.layers} layers × d_model ${s.dModel}, ${s.heads} heads × ${d.shapeFull.headDim}, FFN ${s.ffn}, vocab ${s.vocab}, context ${s.context}`,
    `  exact parameters ${s.exactParams.toLocaleString('en-US')} (${(d.shapeRelativeError * 100).toFixed(2)}% from N)`,
    `  training FLOPs per token ${formatSci(s.flopsPerToken)} (attention included) vs 6N = ${formatSci(6 * p.params)}; whole run ${formatSci(d.shapeFlops)} vs 6ND = ${formatSci(d.sixND)} (×${(d.shapeFlops / d.sixND).toFixed(3)})`,
  );
  if (d.inference) {
    const i = d.inference;
    lines.push(
      '',
      `Inference-aware (Sardana et al. 2023), ${formatCount(i.inferenceTokens)} inference tokens, same loss ${i.targetLoss.toFixed(3)}:`,
      `  N ${formatCount(i.params)} (×${i.paramsRatio.toFixed(2)}), D ${formatCount(i.tokens)} (×${i.tokensRatio.toFixed(2)}); training ${formatSci(i.trainFlops)} + inference ${formatSci(i.inferenceFlops)} = ${formatSci(i.totalFlops)} FLOPs, ${(i.savedFraction * 100).toFixed(1)}% less than compute-optimal`,
    );
  }
  if (d.dataConstrained) {
    const c = d.dataConstrained;
    lines.push(
      '',
      `Data-constrained (Muennighoff et al. 2023), ${formatCount(c.uniqueTokens)} unique tokens:`,
      c.binding
        ? `  N ${formatCount(c.params)}, D ${formatCount(c.tokens)} = ${c.epochs.toFixed(1)} epochs (worth ${formatCount(c.effectiveTokens)} fresh tokens); loss ${c.loss.toFixed(3)} vs ${c.unconstrainedLoss.toFixed(3)} with unlimited data`
        : `  not binding: the compute-optimal plan needs ${formatCount(p.tokens)} tokens (${c.epochs.toFixed(2)} epochs)`,
    );
  }
  if (d.warnings.length) lines.push('', ...d.warnings.map((w) => `! ${w}`));
  return lines.join('\n') + '\n';
}

/** 'Energy: 50.3 MWh (IT 32.3 MWh + 18.1 MWh overhead at PUE 1.56) · CO₂ 24.2 t at 481 g/kWh (Ember 2024 world average)' and the device's power. */
export function formatEnergyLines(e: PlanEnergy): string[] {
  const grid = e.gridGPerKwh === DEFAULT_GRID_G_PER_KWH ? ` (${GRID_SOURCE_SHORT})` : '';
  return [
    `Energy:            ${formatKwh(e.kwh)} (IT ${formatKwh(e.itKwh)} + ${formatKwh(e.overheadKwh)} overhead at PUE ${e.pue}) · CO₂ ${formatCo2Kg(e.co2Kg)} at ${e.gridGPerKwh} g/kWh${grid}`,
    `  ${Number(e.deviceWatts.toPrecision(3))} W per device (${e.wattsSource}${e.wattsSource === 'catalog TDP' ? ', an upper bound' : ''}), ${formatSci(e.flopsPerJoule)} FLOP/J at this MFU`,
  ];
}

export function formatFitInfo(f: FitInfo): string {
  const lines = [`${f.label} (${f.id})`, `  ${f.source}`, `  ${f.constants.map((c) => `${c.name} = ${c.value.toPrecision(4)}`).join(', ')}`];
  const r = f.fitted;
  if (r) {
    const ci = (x: [number, number]) => `[${x[0].toPrecision(3)}, ${x[1].toPrecision(3)}]`;
    lines.push(
      `  ${r.nRuns} runs; RMSE of log-loss ${r.rmseLog.toPrecision(3)}; bootstrap (${r.bootstrap.samples} resamples) 95% intervals: α ${ci(r.bootstrap.ci.alpha)}, β ${ci(r.bootstrap.ci.beta)}, E ${ci(r.bootstrap.ci.E)}`,
      `  compute-optimal N* ∝ C^${r.frontierExponents.a.toFixed(3)} ${ci(r.frontierExponents.ci.a)}, D* ∝ C^${r.frontierExponents.b.toFixed(3)}`,
      ...r.warnings.map((w) => `  ! ${w}`),
    );
  }
  return lines.join('\n') + '\n';
}
