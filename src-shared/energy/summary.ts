/**
 * The CLI's views of a run's energy (pure): the `energy` object `--energy` adds to the JSON of
 * `bench` and `profile --run` — the five fields (source, joules, avgWatts, peakWatts,
 * samples) first, then whether it is estimated, per-device figures and the efficiency — and the
 * text block printed under the results.
 */
import { energySummaryJson } from './efficiency.js';
import { formatGBPerJoule, formatGflopsPerJoule, formatJoules, formatWatts } from './format.js';
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

export function formatEnergyText(report: EnergyReport, efficiency?: BenchEnergyEfficiency | ProfileEnergyEfficiency | null): string {
  const est = report.estimated ? ' (estimated)' : '';
  const lines = [
    `Energy${est}: ${formatJoules(report.joules)} over ${report.durationSeconds.toFixed(2)} s, average ${formatWatts(report.avgWatts)}, peak ${formatWatts(report.peakWatts)} (${report.samples} readings every ${report.intervalMs} ms)`,
    `  Source: ${report.source}`,
  ];
  if (report.estimateBasis) lines.push(`  Basis: ${report.estimateBasis}`);
  for (const d of report.devices) {
    const label = d.estimated && !/estimat/i.test(d.label) ? `${d.label} (estimated)` : d.label;
    const detail = d.detail === report.estimateBasis ? 'see basis' : d.detail;
    lines.push(`  ${label}${d.inTotal ? '' : ' [not in total]'}: ${formatJoules(d.joules)}, avg ${formatWatts(d.avgWatts)}, peak ${formatWatts(d.peakWatts)} — ${detail}`);
  }
  if (efficiency && 'gemmGflopsPerJoule' in efficiency) {
    for (const [dtype, v] of Object.entries(efficiency.gemmGflopsPerJoule)) lines.push(`  GEMM ${dtype}: ${formatGflopsPerJoule(v, dtype)}${est}`);
    if (efficiency.streamGBPerJoule !== null) lines.push(`  STREAM triad: ${formatGBPerJoule(efficiency.streamGBPerJoule)}${est}`);
  }
  if (efficiency && 'joulesPerInference' in efficiency) {
    lines.push(`  Per inference: ${formatJoules(efficiency.joulesPerInference)}${est}`);
    if (efficiency.joulesPerToken !== null) lines.push(`  Per token: ${formatJoules(efficiency.joulesPerToken)} (${efficiency.tokensPerInference} tokens per inference)${est}`);
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
