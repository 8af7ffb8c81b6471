/**
 * The CLI's views of a run's energy (pure): the `energy` object `--energy` adds to the JSON of
 * `bench` and `profile --run` — the five fields (source, joules, avgWatts, peakWatts,
 * samples) first, then whether it is estimated, per-device figures and the efficiency — and the
 * text block printed under the results.
 */
import { energySummaryJson } from './efficiency.js';
import type { BenchEnergyEfficiency, EnergyReport, PowerSourcesReport, ProfileEnergyEfficiency } from './types.js';

export function energyJson(report: EnergyReport, efficiency?: BenchEnergyEfficiency | ProfileEnergyEfficiency | null): Record<string, unknown> {
  return {
    ...energySummaryJson(report),
    estimated: report.estimated,
    ...(report.estimateBasis ? { estimateBasis: report.estimateBasis } : {}),
    durationSeconds: report.durationSeconds,
    devices: report.devices.map((d) => ({
      label: d.label,
      kind: d.kind,
      source: d.source,
      detail: d.detail,
      estimated: d.estimated,
      inTotal: d.inTotal,
      joules: d.joules,
      avgWatts: d.avgWatts,
      peakWatts: d.peakWatts,
      samples: d.samples,
    })),
    phases: report.phases,
    ...(efficiency ? efficiency : {}),
    unavailable: report.unavailable,
    warnings: report.warnings,
  };
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toLocaleString('en-US') : '—');

function joules(j: number): string {
  if (j >= 3.6e6) return `${fmt(j / 3.6e6)} kWh`;
  if (j >= 1e3) return `${fmt(j / 1e3)} kJ`;
  return `${fmt(j)} J`;
}

export function formatEnergyText(report: EnergyReport, efficiency?: BenchEnergyEfficiency | ProfileEnergyEfficiency | null): string {
  const est = report.estimated ? ' (estimated)' : '';
  const lines = [
    `Energy${est}: ${joules(report.joules)} over ${fmt(report.durationSeconds)} s, average ${fmt(report.avgWatts)} W, peak ${fmt(report.peakWatts)} W (${report.samples} readings every ${report.intervalMs} ms)`,
    `  Source: ${report.source}`,
  ];
  if (report.estimateBasis) lines.push(`  Basis: ${report.estimateBasis}`);
  for (const d of report.devices) {
    const label = d.estimated && !/estimat/i.test(d.label) ? `${d.label} (estimated)` : d.label;
    const detail = d.detail === report.estimateBasis ? 'see basis' : d.detail;
    lines.push(`  ${label}${d.inTotal ? '' : ' [not in total]'}: ${joules(d.joules)}, avg ${fmt(d.avgWatts)} W, peak ${fmt(d.peakWatts)} W — ${detail}`);
  }
  if (efficiency && 'gemmGflopsPerJoule' in efficiency) {
    for (const [dtype, v] of Object.entries(efficiency.gemmGflopsPerJoule)) lines.push(`  GEMM ${dtype}: ${fmt(v)} GFLOP/J${est}`);
    if (efficiency.streamGBPerJoule !== null) lines.push(`  STREAM triad: ${fmt(efficiency.streamGBPerJoule)} GB/J${est}`);
  }
  if (efficiency && 'joulesPerInference' in efficiency) {
    lines.push(`  Per inference: ${joules(efficiency.joulesPerInference)}${est}`);
    if (efficiency.joulesPerToken !== null) lines.push(`  Per token: ${fmt(efficiency.joulesPerToken * 1000)} mJ (${efficiency.tokensPerInference} tokens per inference)${est}`);
  }
  if (report.unavailable.length) lines.push(`  Not available: ${report.unavailable.join('; ')}`);
  for (const w of report.warnings) lines.push(`  Warning: ${w}`);
  return lines.join('\n') + '\n';
}

/** `flopscope energy`: what a run would read here. */
export function formatPowerSources(found: PowerSourcesReport): string {
  const measured = found.channels.filter((c) => c.source !== 'estimate');
  const lines = [measured.length ? 'Power sensors FLOPscope reads on this machine' : 'No power sensor is readable on this machine'];
  for (const c of measured) lines.push(`  ${c.label} (${c.kind}, ${c.source}${c.inTotal ? '' : ', shown but not added to the total'}): ${c.detail}`);
  if (found.unavailable.length) {
    lines.push('Not available');
    for (const u of found.unavailable) lines.push(`  ${u}`);
  }
  for (const w of found.warnings) lines.push(`Warning: ${w}`);
  lines.push(
    found.cpuMeasured
      ? `The CPU is measured; the estimate runs beside it for comparison (${found.estimateBasis}).`
      : `The CPU is not measured: runs label its power as ${found.estimateBasis}.`,
  );
  return lines.join('\n') + '\n';
}
