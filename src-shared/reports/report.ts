/**
 * Report model (runs anywhere): turns stored runs into a neutral, format-free description of a
 * report — a title, per run a header (kind, id, date, machine, app version, the exact settings)
 * and blocks (label/value tables, columnar tables, charts as SafeMarkup SVG from src-shared/charts,
 * notes), and, when two or more runs of one kind are given, a comparison of their key numbers
 * with ratios against the first run. Benchmark and measured model runs carry an energy section
 * (source, joules, power, efficiency, per device, the power strip); every estimated figure says
 * "estimated", and a run stored before energy was measured says so instead. The HTML, Markdown and CSV renderers beside this file only
 * lay the model out; numbers stay raw here (`value`) next to their display text (`display`), so
 * the CSV can carry them unformatted. Results are `unknown` in a Run: every reader is defensive,
 * and a result that does not read as its kind falls back to a flat key/value table.
 */
import type { BenchResult } from '../api/bench.js';
import type { AttentionSweepResult } from '../api/attention.js';
import type { HardwareReport, Peak, Run, RunKind } from '../api/types.js';
import type { Roofline } from '../bench/roofline.js';
import { renderAttentionSweepChart } from '../charts/attention-sweep-chart.js';
import { opShares, renderOpShareChart } from '../charts/op-share-chart.js';
import { renderPeaksChart } from '../charts/peaks-chart.js';
import { powerStripInput, renderPowerStrip } from '../charts/power-strip.js';
import { renderRooflineChart } from '../charts/roofline-chart.js';
import { ENERGY_NOT_MEASURED, energySourceText, formatGBPerJoule, formatGflopsPerJoule, formatJoules, formatWatts, readEnergy, separateEnergyWarnings } from '../energy/format.js';
import type { BenchEnergyEfficiency, EnergyReport, ProfileEnergyEfficiency } from '../energy/types.js';
import { describeL3Groups, describeMeasuredClock, describePeakClock, formatBytes, formatFlops } from '../hardware/format.js';
import type { PlanResult } from '../planner/plan.js';
import type { SafeMarkup } from '../markup/markup.js';
import type { ProfileNode, ProfileResult } from '../profiler/types.js';
import { implausibleNotes } from '../runs/plausibility.js';

export type ReportScalar = number | string | boolean | null;

export interface ReportContext {
  appVersion: string;
  /** ISO 8601. */
  generatedAt: string;
  versions: { node: string; electron?: string | null; onnxruntime?: string | null; sqlite?: string | null };
  /** Hardware reports by machine id (the history's machines table). */
  machines: Record<string, HardwareReport | undefined>;
}

/** One label/value row. `key` is stable (CSV, tests); `display` is the formatted value with its unit. */
export interface ReportRow {
  key: string;
  label: string;
  value: ReportScalar;
  unit?: string;
  display: string;
}

export interface ReportColumn {
  key: string;
  label: string;
  unit?: string;
}

export interface ReportTableRow {
  /** Unique within the table. */
  key: string;
  cells: ReportScalar[];
  display: string[];
}

export interface ReportComparisonRow {
  key: string;
  label: string;
  unit?: string;
  /** One per compared run, in `runIds` order; null where the run lacks the number. */
  values: Array<number | null>;
  /** values[i] / values[0]; null where either is missing or the first is 0. */
  ratios: Array<number | null>;
  display: string[];
}

export type ReportBlock =
  | { type: 'kv'; id: string; title: string; rows: ReportRow[] }
  | { type: 'table'; id: string; title: string; columns: ReportColumn[]; rows: ReportTableRow[]; note?: string }
  | { type: 'comparison'; id: string; title: string; runIds: number[]; rows: ReportComparisonRow[]; note: string }
  /** `sideBySide`: the charts share one row (each scaled down to fit), e.g. compared runs' rooflines. */
  | { type: 'charts'; id: string; title: string; charts: Array<{ caption: string; svg: SafeMarkup }>; sideBySide?: boolean }
  | { type: 'notes'; id: string; title: string; items: string[] };

export interface ReportRunHeader {
  id: number;
  /** The run's stable id across export/import; null for runs stored before it existed. */
  uid: string | null;
  kind: RunKind;
  createdAt: string;
  appVersion: string;
  tags: string[];
  note: string;
  machine: { id: string; hostname: string | null; os: string | null; cpu: string | null; gpus: string[]; memoryBytes: number | null };
  /** The run's params, exactly as stored. */
  params: unknown;
  /** The params flattened to dotted keys (arrays of plain values as JSON). */
  settings: ReportRow[];
}

export interface ReportRunSection {
  header: ReportRunHeader;
  blocks: ReportBlock[];
}

export interface ReportComparisonSection {
  kind: RunKind;
  runIds: number[];
  blocks: ReportBlock[];
}

export interface ReportModel {
  format: 'flopscope-report';
  version: 1;
  title: string;
  generatedAt: string;
  appVersion: string;
  versions: { node: string; electron: string | null; onnxruntime: string | null; sqlite: string | null };
  comparisons: ReportComparisonSection[];
  runs: ReportRunSection[];
}

/** Width of a single chart in CSS pixels (fits an A4 page with margins); side-by-side ones are narrower. */
export const REPORT_CHART_WIDTH = 680;
const SIDE_BY_SIDE_WIDTH = 360;

// ---- value formatting ---------------------------------------------------------------------

/** Plain number text: integers below 10⁶ as they are, very large or small in exponent form, else 4 significant digits. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function display(value: ReportScalar, unit?: string): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (unit === 'B') return `${formatBytes(value)}`;
  if (unit === 'GFLOP/s') return formatFlops(value);
  // Energy figures span µJ (one inference) to MJ (a long benchmark): scaled like bytes.
  if (unit === 'J') return formatJoules(value);
  if (unit === 'W') return formatWatts(value);
  if (unit === 'GFLOP/J') return formatGflopsPerJoule(value);
  if (unit === 'GB/J') return formatGBPerJoule(value);
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

function row(key: string, label: string, value: ReportScalar | undefined, unit?: string): ReportRow {
  const v = value === undefined ? null : value;
  return { key, label, value: v, ...(unit ? { unit } : {}), display: display(v, unit) };
}

function table(id: string, title: string, columns: ReportColumn[], data: Array<{ key: string; cells: ReportScalar[] }>, note?: string): ReportBlock {
  return {
    type: 'table',
    id,
    title,
    columns,
    rows: data.map((r) => ({ key: r.key, cells: r.cells, display: r.cells.map((c, i) => display(c, columns[i]?.unit)) })),
    ...(note ? { note } : {}),
  };
}

// ---- defensive readers --------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const arr = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Nested objects to dotted keys; arrays of plain values as JSON text; nested arrays of objects indexed. */
export function flatten(value: unknown, prefix = '', out: Array<[string, ReportScalar]> = [], limit = 400): Array<[string, ReportScalar]> {
  if (out.length >= limit) return out;
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    out.push([prefix || 'value', value]);
  } else if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) out.push([prefix || 'value', JSON.stringify(value)]);
    else value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out, limit));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out, limit);
  }
  return out;
}

function flatBlock(id: string, title: string, value: unknown): ReportBlock {
  return { type: 'kv', id, title, rows: flatten(value).map(([k, v]) => row(k, k, v)) };
}

function warningsBlock(id: string, items: unknown): ReportBlock[] {
  const list = arr(items).filter((w): w is string => typeof w === 'string');
  return list.length ? [{ type: 'notes', id, title: 'Warnings', items: list }] : [];
}

// ---- energy -------------------------------------------------------------------------------

/** Units of energy figures: their display gains "(estimated)" when the run's energy is an estimate. */
const ENERGY_UNITS = new Set(['J', 'W', 'GFLOP/J', 'GB/J']);

/** GFLOP/J of one dtype: int8 counts operations, so it reads "GOP/J" (the unit key stays GFLOP/J). */
function gemmPerJouleRow(key: string, label: string, value: number | null, dtype: string): ReportRow {
  const r = row(key, label, value, 'GFLOP/J');
  return value === null ? r : { ...r, display: formatGflopsPerJoule(value, dtype) };
}

function estimatedRows(rows: ReportRow[], estimated: boolean): ReportRow[] {
  if (!estimated) return rows;
  return rows.map((r) => (r.unit && ENERGY_UNITS.has(r.unit) && r.value !== null ? { ...r, display: `${r.display} (estimated)` } : r));
}

/**
 * The energy section of a benchmark or measured model run: a summary (source, the estimate label
 * and basis, joules, average and peak power, efficiency), the devices, the phases, the power
 * strip, the sources that gave nothing and the sampling warnings. A run without `energy` gets one
 * note saying it was not measured.
 */
function energyBlocks(value: unknown, efficiency: { bench?: unknown; profile?: unknown }, resultWarnings: unknown): ReportBlock[] {
  const e = readEnergy(value);
  if (!e) return [{ type: 'notes', id: 'energy', title: 'Energy', items: [`Energy: ${ENERGY_NOT_MEASURED}.`] }];
  const rows: ReportRow[] = [
    row('source', 'Source', energySourceText(e)),
    row('estimated', 'Estimated', e.estimated),
    ...(e.estimated ? [row('estimateBasis', 'Estimate basis', e.estimateBasis ?? 'not stated')] : []),
    row('joules', 'Energy', e.joules, 'J'),
    row('avgWatts', 'Average power', e.avgWatts, 'W'),
    row('peakWatts', 'Peak power', e.peakWatts, 'W'),
    row('durationSeconds', 'Sampled for', e.durationSeconds, 's'),
    row('samples', 'Readings', e.samples),
    row('intervalMs', 'Sampling interval', e.intervalMs, 'ms'),
  ];
  const bench = isObject(efficiency.bench) ? (efficiency.bench as unknown as BenchEnergyEfficiency) : null;
  if (bench) {
    const gemm = isObject(bench.gemmGflopsPerJoule) ? bench.gemmGflopsPerJoule : {};
    for (const [dtype, v] of Object.entries(gemm)) rows.push(gemmPerJouleRow(`gemmGflopsPerJoule.${dtype}`, `GEMM ${dtype} per joule`, num(v), dtype));
    rows.push(row('streamGBPerJoule', 'STREAM triad per joule', num(bench.streamGBPerJoule), 'GB/J'));
  }
  const profile = isObject(efficiency.profile) ? (efficiency.profile as unknown as ProfileEnergyEfficiency) : null;
  if (profile) {
    rows.push(
      row('joulesPerInference', 'Energy per inference', num(profile.joulesPerInference), 'J'),
      row('joulesPerToken', 'Energy per token', num(profile.joulesPerToken), 'J'),
      row('tokensPerInference', 'Tokens per inference', num(profile.tokensPerInference)),
    );
  }
  const blocks: ReportBlock[] = [{ type: 'kv', id: 'energy', title: e.estimated ? 'Energy (estimated)' : 'Energy', rows: estimatedRows(rows, e.estimated) }];
  if (e.devices.length) {
    blocks.push(
      table(
        'energy.devices',
        e.estimated ? 'Energy per device (estimated where marked)' : 'Energy per device',
        [
          { key: 'label', label: 'Device' },
          { key: 'kind', label: 'Kind' },
          { key: 'source', label: 'Source' },
          { key: 'detail', label: 'Read from' },
          { key: 'estimated', label: 'Estimated' },
          { key: 'inTotal', label: 'In total' },
          { key: 'avgWatts', label: 'Average', unit: 'W' },
          { key: 'peakWatts', label: 'Peak', unit: 'W' },
          { key: 'joules', label: 'Energy', unit: 'J' },
        ],
        e.devices.map((d, i) => ({
          key: String(d.channel ?? i),
          cells: [str(d.label), str(d.kind), str(d.source), str(d.detail), typeof d.estimated === 'boolean' ? d.estimated : null, typeof d.inTotal === 'boolean' ? d.inTotal : null, num(d.avgWatts), num(d.peakWatts), num(d.joules)],
        })),
        'Devices not in the total are sub-zones already inside a package, whole-platform zones, or a second source for the same device.',
      ),
    );
  }
  if (e.phases.length) {
    blocks.push(
      table(
        'energy.phases',
        'Energy per phase',
        [{ key: 'phase', label: 'Phase' }, { key: 'startS', label: 'From', unit: 's' }, { key: 'endS', label: 'To', unit: 's' }, { key: 'joules', label: 'Energy', unit: 'J' }, { key: 'avgWatts', label: 'Average', unit: 'W' }],
        e.phases.map((p, i) => ({ key: `${i}.${p.phase}`, cells: [p.phase, num(p.startS), num(p.endS), num(p.joules), num(p.avgWatts)] })),
      ),
    );
  }
  if (e.series.length) {
    blocks.push({ type: 'charts', id: 'energy.chart', title: 'Power over time', charts: [{ caption: powerCaption(e), svg: renderPowerStrip(powerStripInput(e), { width: REPORT_CHART_WIDTH }) }] });
  }
  if (e.unavailable.length) blocks.push({ type: 'notes', id: 'energy.unavailable', title: 'Energy sources not available', items: e.unavailable });
  // Warnings the result already lists (as "Energy: …") are in its Warnings block.
  const warnings = separateEnergyWarnings(e, arr(resultWarnings));
  if (warnings.length) blocks.push({ type: 'notes', id: 'energy.warnings', title: 'Energy warnings', items: warnings });
  return blocks;
}

function powerCaption(e: EnergyReport): string {
  return `Total power over the run (${e.estimated ? `estimated: ${e.estimateBasis ?? e.source}` : e.source})`;
}

// ---- per kind -----------------------------------------------------------------------------

function hardwareBlocks(report: HardwareReport): ReportBlock[] {
  const { cpu, memory, gpus, peaks, machine } = report;
  return [
    {
      type: 'kv',
      id: 'hardware',
      title: 'Hardware',
      rows: [
        row('hostname', 'Hostname', machine.hostname),
        row('os', 'OS', `${machine.os.platform} ${machine.os.release} (${machine.os.arch})`),
        row('cpu.model', 'CPU', cpu.model),
        row('cpu.physicalCores', 'Physical cores', cpu.physicalCores),
        row('cpu.logicalCores', 'Logical cores', cpu.logicalCores),
        row('cpu.maxGHz', 'Max clock', cpu.maxGHz, 'GHz'),
        ...clockRows(report),
        row('cpu.isa', 'ISA extensions', cpu.isa.join(' ')),
        row('cpu.l1dBytes', 'L1d cache', cpu.caches.l1dBytes, 'B'),
        row('cpu.l2Bytes', 'L2 cache', cpu.caches.l2Bytes, 'B'),
        row('cpu.l3Bytes', 'L3 cache', cpu.caches.l3Bytes, 'B'),
        ...cacheRows(cpu),
        row('memory.totalBytes', 'Memory', memory.totalBytes, 'B'),
        ...gpus.map((g, i) => row(`gpu.${i}`, `GPU ${i}`, `${g.vendor} ${g.model}${g.vramBytes ? `, ${formatBytes(g.vramBytes)}` : ''}`)),
      ],
    },
    ...peaksBlocks(peaks),
    ...warningsBlock('warnings', report.warnings),
  ];
}

/**
 * The measured all-core clock and the clock the CPU peaks used. Reports from before the
 * measurement (no `measuredClock`) get no rows; one where it was not measured (null) says so.
 */
function clockRows(report: HardwareReport): ReportRow[] {
  const { cpu } = report;
  const rows: ReportRow[] = [];
  const mc: unknown = cpu.measuredClock;
  if (mc === null) rows.push({ ...row('cpu.measuredClock.ghz', 'Measured all-core clock', null, 'GHz'), display: 'not measured' });
  else if (isObject(mc) && num(mc.ghz) !== null) {
    const m = cpu.measuredClock!;
    rows.push(
      { ...row('cpu.measuredClock.ghz', 'Measured all-core clock', m.ghz, 'GHz'), display: describeMeasuredClock(m) ?? display(m.ghz, 'GHz') },
      row('cpu.measuredClock.threads', 'Clock measured on', num(mc.threads), 'threads'),
      row('cpu.measuredClock.method', 'Clock measurement', str(mc.method)),
    );
  }
  if (cpu.measuredClock !== undefined) {
    const used = Array.isArray(report.peaks) ? describePeakClock(report) : null;
    if (used) rows.push(row('cpu.peakClock', 'CPU peaks use', used));
  }
  return rows;
}

/** Where the cache sizes came from and the L3 slices by sharing; absent in reports from before them. */
function cacheRows(cpu: HardwareReport['cpu']): ReportRow[] {
  const rows: ReportRow[] = [];
  const groups = arr<unknown>(cpu.l3Groups).filter((g): g is { bytes: number; sharedBy: number; instances: number } => isObject(g) && num(g.bytes) !== null && num(g.sharedBy) !== null && num(g.instances) !== null);
  if (groups.length) rows.push(row('cpu.l3Groups', 'L3 sharing', describeL3Groups(groups)));
  const source = str(cpu.cacheSource);
  if (source) rows.push(row('cpu.cacheSource', 'Cache sizes from', source));
  return rows;
}

function peaksBlocks(peaks: readonly Peak[]): ReportBlock[] {
  if (!peaks.length) return [];
  return [
    table(
      'peaks',
      'Theoretical peaks',
      [{ key: 'device', label: 'Device' }, { key: 'dtype', label: 'Type' }, { key: 'gflops', label: 'Peak', unit: 'GFLOP/s' }, { key: 'basis', label: 'Basis' }],
      peaks.map((p) => ({ key: `${p.device}.${p.dtype}`, cells: [p.device, p.dtype, p.gflops, p.basis] })),
    ),
    { type: 'charts', id: 'peaks-chart', title: 'Theoretical peaks', charts: [{ caption: 'Theoretical peak throughput per device and data type (log scale)', svg: renderPeaksChart(peaks, { width: REPORT_CHART_WIDTH }) }] },
  ];
}

function benchBlocks(r: BenchResult, machine: HardwareReport | undefined): ReportBlock[] {
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'bench',
      title: 'Benchmark',
      rows: [row('suite', 'Suite', str(r.suite)), row('quick', 'Quick', typeof r.quick === 'boolean' ? r.quick : null), row('threads', 'Threads', num(r.threads)), row('elapsedSeconds', 'Elapsed', num(r.elapsedSeconds), 's')],
    },
  ];
  if (isObject(r.gemm)) {
    const best = isObject(r.gemm.best) ? r.gemm.best : {};
    blocks.push({ type: 'kv', id: 'gemm.best', title: 'GEMM: best throughput per type', rows: Object.entries(best).map(([d, v]) => row(d, d, num(v), 'GFLOP/s')) });
    blocks.push(
      table(
        'gemm.points',
        'GEMM measurements',
        [
          { key: 'dtype', label: 'Type' },
          { key: 'm', label: 'm' },
          { key: 'n', label: 'n' },
          { key: 'k', label: 'k' },
          { key: 'threads', label: 'Threads' },
          { key: 'gflops', label: 'Throughput', unit: 'GFLOP/s' },
          { key: 'medianSeconds', label: 'Median', unit: 's' },
        ],
        arr<Record<string, unknown>>(r.gemm.results).map((p, i) => ({ key: String(i), cells: [str(p.dtype), num(p.m), num(p.n), num(p.k), num(p.threads), num(p.gflops), num(p.medianSeconds)] })),
      ),
    );
    const unsupported = arr<Record<string, unknown>>(r.gemm.unsupported).map((u) => `${String(u.dtype)}: ${String(u.reason)}`);
    if (unsupported.length) blocks.push({ type: 'notes', id: 'gemm.unsupported', title: 'GEMM types not measured', items: unsupported });
  }
  if (isObject(r.memory)) {
    const m = r.memory;
    blocks.push({
      type: 'kv',
      id: 'memory',
      title: 'Memory bandwidth (STREAM)',
      rows: [
        row('threads', 'Threads', num(m.threads)),
        row('arrayBytes', 'Array size', num(m.arrayBytes), 'B'),
        row('copyGBs', 'Copy', num(m.copyGBs), 'GB/s'),
        row('scaleGBs', 'Scale', num(m.scaleGBs), 'GB/s'),
        row('addGBs', 'Add', num(m.addGBs), 'GB/s'),
        row('triadGBs', 'Triad', num(m.triadGBs), 'GB/s'),
        ...arr<Record<string, unknown>>(m.levels).map((l) => row(`level.${String(l.name)}`, `${String(l.name)} read`, num(l.GBs), 'GB/s')),
      ],
    });
  }
  if (isObject(r.latency)) {
    blocks.push(
      table(
        'latency',
        'Memory latency per level',
        [{ key: 'name', label: 'Level' }, { key: 'bytes', label: 'Working set', unit: 'B' }, { key: 'ns', label: 'Latency', unit: 'ns' }],
        arr<Record<string, unknown>>(r.latency.levels).map((l) => ({ key: String(l.name), cells: [str(l.name), num(l.bytes), num(l.ns)] })),
      ),
    );
  }
  if (isObject(r.gpu)) blocks.push(flatBlock('gpu', 'GPU benchmark', r.gpu));
  const roofline = isObject(r.roofline) ? (r.roofline as unknown as Roofline) : undefined;
  if (roofline) {
    const ceilings = arr<Roofline['ceilings'][number]>(roofline.ceilings);
    for (const kind of ['compute', 'bandwidth'] as const) {
      const list = ceilings.filter((c) => c.kind === kind);
      if (!list.length) continue;
      blocks.push(
        table(
          `roofline.${kind}`,
          kind === 'compute' ? 'Roofline: compute ceilings' : 'Roofline: bandwidth ceilings',
          [{ key: 'name', label: kind === 'compute' ? 'Type' : 'Level' }, { key: 'value', label: 'Ceiling', unit: kind === 'compute' ? 'GFLOP/s' : 'GB/s' }, { key: 'source', label: 'Source' }, { key: 'how', label: 'How' }],
          list.map((c) => ({ key: `${c.name}.${c.source}`, cells: [c.name, c.value, c.source, c.how] })),
        ),
      );
    }
    if (roofline.ridge) {
      const rd = roofline.ridge;
      blocks.push({ type: 'kv', id: 'roofline.ridge', title: 'Ridge point', rows: [row('intensity', 'Intensity', rd.intensity, 'FLOP/B'), row('gflops', 'Throughput', rd.gflops, 'GFLOP/s'), row('dtype', 'Type', rd.dtype), row('level', 'Level', rd.level)] });
    }
  }
  const charts: Array<{ caption: string; svg: SafeMarkup }> = [];
  if (roofline) charts.push({ caption: 'Roofline (solid: measured, dashed: theoretical)', svg: renderRooflineChart(roofline, { width: REPORT_CHART_WIDTH }) });
  if (machine?.peaks.length) charts.push({ caption: `Theoretical peaks of ${machine.machine.hostname}`, svg: renderPeaksChart(machine.peaks, { width: REPORT_CHART_WIDTH }) });
  if (charts.length) blocks.push({ type: 'charts', id: 'charts', title: 'Charts', charts });
  blocks.push(...energyBlocks(r.energy, { bench: r.energyEfficiency }, r.warnings));
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

function profileBlocks(r: ProfileResult): ReportBlock[] {
  const t = r.totals;
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'model',
      title: 'Model',
      rows: [
        row('name', 'Name', r.model.name),
        row('opset', 'Opset', r.model.opset),
        row('producer', 'Producer', r.model.producer),
        row('fileBytes', 'File size', r.model.fileBytes, 'B'),
        ...r.model.inputs.map((i) => row(`input.${i.name}`, `Input ${i.name}`, `${i.dtype} [${i.shape.join(', ')}]`)),
        ...Object.entries(r.model.dims ?? {}).map(([k, v]) => row(`dim.${k}`, `Dimension ${k}`, v)),
      ],
    },
    {
      type: 'kv',
      id: 'totals',
      title: 'Totals',
      rows: [
        row('params', 'Parameters', t.params),
        row('macs', 'MACs', t.macs),
        row('flops', 'FLOPs (2 × MACs, matrix products and convolutions)', t.flops),
        row('otherOps', 'Other operations', t.otherOps),
        row('weightBytes', 'Weights', t.weightBytes, 'B'),
        row('activationBytes', 'Peak activations', t.activationBytes, 'B'),
      ],
    },
  ];
  if (r.measured) {
    const m = r.measured;
    blocks.push({
      type: 'kv',
      id: 'measured',
      title: 'Measured (ONNX Runtime)',
      rows: [row('latencyMs.median', 'Latency, median', m.latencyMs.median, 'ms'), row('latencyMs.p90', 'Latency, p90', m.latencyMs.p90, 'ms'), row('latencyMs.runs', 'Runs', m.latencyMs.runs), row('threads', 'Threads', m.threads)],
    });
    // Energy is sampled during the measured run only: a count-only profile has none to report.
    blocks.push(...energyBlocks(r.energy, { profile: r.energyEfficiency }, r.warnings));
  }
  const shares = opShares(r.nodes, 12);
  blocks.push(
    table(
      'op-share',
      'FLOPs and bytes by op type',
      [{ key: 'opType', label: 'Op type' }, { key: 'count', label: 'Layers' }, { key: 'flops', label: 'FLOPs' }, { key: 'bytes', label: 'Bytes moved', unit: 'B' }, { key: 'flopsShare', label: 'FLOPs share' }, { key: 'bytesShare', label: 'Bytes share' }],
      shares.map((s) => ({ key: s.opType, cells: [s.opType, s.count, s.flops, s.bytes, s.flopsShare, s.bytesShare] })),
    ),
    { type: 'charts', id: 'charts', title: 'Charts', charts: [{ caption: 'Where the FLOPs and bytes go', svg: renderOpShareChart(r.nodes, { width: REPORT_CHART_WIDTH }) }] },
  );
  if (r.uncounted.length) {
    blocks.push(
      table(
        'uncounted',
        'Not counted in the totals',
        [{ key: 'opType', label: 'Op type' }, { key: 'count', label: 'Nodes' }, { key: 'reason', label: 'Reason' }],
        r.uncounted.map((u) => ({ key: `${u.opType}.${u.reason ?? 'no-counter'}`, cells: [u.opType, u.count, u.reason ?? 'no-counter'] })),
      ),
    );
  }
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

function planBlocks(p: PlanResult): ReportBlock[] {
  const d = p.details;
  const s = p.shape;
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'plan',
      title: 'Plan',
      rows: [
        row('fit', 'Fit', d?.fitLabel ?? p.fit),
        row('mode', 'Mode', d?.mode ?? null),
        row('computeFlops', 'Compute C', p.computeFlops, 'FLOPs'),
        row('params', 'Parameters N', p.params),
        row('tokens', 'Tokens D', p.tokens),
        row('tokensPerParam', 'Tokens per parameter', p.tokensPerParam),
        row('loss', 'Predicted loss', p.loss),
        ...(d?.optimal ? [row('optimal.params', 'Compute-optimal N', d.optimal.params), row('optimal.tokens', 'Compute-optimal D', d.optimal.tokens), row('optimal.loss', 'Compute-optimal loss', d.optimal.loss)] : []),
        ...(p.time ? [row('time.seconds', 'Training time', p.time.seconds, 's'), row('time.devices', 'Devices', p.time.devices)] : []),
        ...(p.costUsd !== undefined ? [row('costUsd', 'Cost', p.costUsd, 'USD')] : []),
        ...(d?.fitSource ? [row('fitSource', 'Fit source', d.fitSource)] : []),
      ],
    },
    {
      type: 'kv',
      id: 'shape',
      title: 'Transformer shape',
      rows: [
        row('layers', 'Layers', s.layers),
        row('dModel', 'd_model', s.dModel),
        row('heads', 'Heads', s.heads),
        row('ffn', 'FFN width', s.ffn),
        row('vocab', 'Vocabulary', s.vocab),
        row('context', 'Context', s.context),
        row('exactParams', 'Exact parameters', s.exactParams),
        row('flopsPerToken', 'FLOPs per token', s.flopsPerToken),
        ...(d ? [row('sixND', '6·N·D', d.sixND, 'FLOPs'), row('shapeFlops', 'Shape FLOPs × D', d.shapeFlops, 'FLOPs')] : []),
      ],
    },
  ];
  if (d?.inference) blocks.push(flatBlock('inference', 'Inference-aware alternative', d.inference));
  if (d?.dataConstrained) blocks.push(flatBlock('dataConstrained', 'Data-constrained alternative', d.dataConstrained));
  blocks.push(...warningsBlock('warnings', d?.warnings));
  return blocks;
}

function attentionBlocks(r: AttentionSweepResult): ReportBlock[] {
  const blocks: ReportBlock[] = [
    flatBlock('shape', 'Model shape', r.shape),
    {
      type: 'kv',
      id: 'device',
      title: 'Device',
      rows: [row('name', 'Device', r.device.name), row('peakGflops', 'Peak', r.device.peakGflops, 'GFLOP/s'), row('bandwidthGBs', 'Bandwidth', r.device.bandwidthGBs, 'GB/s'), row('memoryBytes', 'Memory', r.device.memoryBytes, 'B'), row('source', 'Source', r.device.source)],
    },
    table(
      'points',
      'Sweep',
      [
        { key: 'variant', label: 'Variant' },
        { key: 'seq', label: 'Sequence' },
        { key: 'flops', label: 'Model FLOPs' },
        { key: 'attentionFlops', label: 'Attention FLOPs' },
        { key: 'activationBytes', label: 'Activations', unit: 'B' },
        { key: 'kvCacheBytes', label: 'K/V cache', unit: 'B' },
        { key: 'predictedSeconds', label: 'Predicted time', unit: 's' },
      ],
      r.points.map((p) => ({ key: `${p.variant}@${p.seq}`, cells: [p.variant, p.seq, p.flops, p.attentionFlops, p.activationBytes, p.kvCacheBytes, p.predictedSeconds] })),
    ),
  ];
  if (r.crossovers.length) {
    blocks.push(table('crossovers', 'Crossovers', [{ key: 'a', label: 'Cheaper' }, { key: 'b', label: 'Than' }, { key: 'seq', label: 'Beyond sequence length' }], r.crossovers.map((c) => ({ key: `${c.a}/${c.b}`, cells: [c.a, c.b, c.seq] }))));
  }
  if (r.measured) {
    blocks.push(
      table(
        'measured',
        'Measured attention core (one layer)',
        [{ key: 'variant', label: 'Variant' }, { key: 'seq', label: 'Sequence' }, { key: 'seconds', label: 'Measured', unit: 's' }, { key: 'predictedSeconds', label: 'Predicted', unit: 's' }, { key: 'ratio', label: 'Measured ÷ predicted' }, { key: 'status', label: 'Status' }],
        r.measured.points.map((p) => ({ key: `${p.variant}@${p.seq}`, cells: [p.variant, p.seq, p.seconds ?? null, p.predictedSeconds ?? null, p.ratio ?? null, p.failed ? `failed: ${p.failed}` : p.skipped ? `skipped: ${p.skipped}` : 'ok'] })),
        r.measured.note,
      ),
    );
  }
  if (r.points.some((p) => p.predictedSeconds > 0)) {
    const svg = renderAttentionSweepChart(
      { points: r.points, metric: 'predictedSeconds', crossovers: r.crossovers, memoryBytes: r.device.memoryBytes, memoryLabel: r.device.name },
      { width: REPORT_CHART_WIDTH },
    );
    blocks.push({ type: 'charts', id: 'charts', title: 'Charts', charts: [{ caption: `Predicted forward time on ${r.device.name}`, svg }] });
  }
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

/** Numbers outside their plausible range (an imported run can carry any), said first: src-shared/runs/plausibility.ts. */
function implausibleBlock(run: Run): ReportBlock[] {
  const items = implausibleNotes(run.kind, run.result);
  return items.length ? [{ type: 'notes', id: 'implausible', title: 'Values outside their plausible range', items }] : [];
}

function runBlocks(run: Run, machine: HardwareReport | undefined): ReportBlock[] {
  const r = run.result;
  try {
    if (!isObject(r)) throw new Error('not an object');
    switch (run.kind) {
      case 'hardware':
        return hardwareBlocks(r as unknown as HardwareReport);
      case 'bench':
        return benchBlocks(r as unknown as BenchResult, machine);
      case 'profile':
        return profileBlocks(r as unknown as ProfileResult);
      case 'plan':
        return planBlocks(r as unknown as PlanResult);
      case 'attention':
        return attentionBlocks(r as unknown as AttentionSweepResult);
      default:
        return [flatBlock('result', 'Result', r), ...warningsBlock('warnings', r.warnings)];
    }
  } catch (e) {
    return [
      { type: 'notes', id: 'unreadable', title: 'Note', items: [`This ${run.kind} result could not be read in full (${e instanceof Error ? e.message : String(e)}); its values are listed as stored.`] },
      flatBlock('result', 'Result', r),
    ];
  }
}

function header(run: Run, machine: HardwareReport | undefined): ReportRunHeader {
  return {
    id: run.id,
    uid: typeof run.uid === 'string' ? run.uid : null,
    kind: run.kind,
    createdAt: run.createdAt,
    appVersion: run.appVersion,
    tags: arr(run.tags).filter((t): t is string => typeof t === 'string'),
    note: typeof run.note === 'string' ? run.note : '',
    machine: {
      id: run.machineId,
      hostname: machine?.machine.hostname ?? null,
      os: machine ? `${machine.machine.os.platform} ${machine.machine.os.release} (${machine.machine.os.arch})` : null,
      cpu: machine ? `${machine.cpu.model} (${machine.cpu.physicalCores} cores, ${machine.cpu.logicalCores} threads)` : null,
      gpus: machine ? machine.gpus.map((g) => `${g.vendor} ${g.model}${g.vramBytes ? `, ${formatBytes(g.vramBytes)}` : ''}`) : [],
      memoryBytes: machine?.memory.totalBytes ?? null,
    },
    params: run.params,
    settings: run.params === undefined || run.params === null ? [] : flatten(run.params).map(([k, v]) => row(k, k, v)),
  };
}

function machineOf(run: Run, context: ReportContext): HardwareReport | undefined {
  const m = context.machines[run.machineId];
  if (m) return m;
  // A hardware run is its own machine's report.
  if (run.kind === 'hardware' && isObject(run.result) && isObject(run.result.machine) && isObject(run.result.cpu)) return run.result as unknown as HardwareReport;
  return undefined;
}

// ---- comparisons --------------------------------------------------------------------------

function compareRow(key: string, label: string, values: Array<number | null>, unit?: string): ReportComparisonRow {
  const first = values[0] ?? null;
  const ratios = values.map((v) => (v !== null && first !== null && first !== 0 ? v / first : null));
  return {
    key,
    label,
    ...(unit ? { unit } : {}),
    values,
    ratios,
    // No ratio where the first run lacks the number (a run stored before energy was measured).
    display: values.map((v, i) => (v === null ? '—' : i === 0 || ratios[i] === null ? display(v, unit) : `${display(v, unit)} (×${formatNumber(ratios[i]!)})`)),
  };
}

/**
 * A comparison row of an energy figure: like compareRow, and each estimated run's figure says
 * "(est.)" so a measured and an estimated run are never set side by side unmarked.
 */
function energyCompareRow(key: string, label: string, values: Array<number | null>, unit: string, energies: unknown[]): ReportComparisonRow {
  const base = compareRow(key, label, values, unit);
  return { ...base, display: base.display.map((d, i) => (values[i] !== null && readEnergy(energies[i])?.estimated ? `${d} (est.)` : d)) };
}

/** Joules, average and peak power of each run's energy, side by side. */
function energyCompareRows(energies: unknown[]): ReportComparisonRow[] {
  const es = energies.map(readEnergy);
  return [
    energyCompareRow('energy.joules', 'Energy', es.map((e) => e?.joules ?? null), 'J', energies),
    energyCompareRow('energy.avgWatts', 'Average power', es.map((e) => e?.avgWatts ?? null), 'W', energies),
    energyCompareRow('energy.peakWatts', 'Peak power', es.map((e) => e?.peakWatts ?? null), 'W', energies),
  ];
}

function gemmDtypesPerJoule(results: Array<BenchResult | undefined>): string[] {
  return [...new Set(results.flatMap((r) => Object.keys(isObject(r?.energyEfficiency?.gemmGflopsPerJoule) ? r!.energyEfficiency!.gemmGflopsPerJoule : {})))];
}

const RATIO_NOTE = 'Ratios are each run over the first run (×1 = the same; for latency, time, energy, power and loss, below 1 is better).';

function benchComparison(runs: Run[]): ReportBlock[] {
  const results = runs.map((r) => (isObject(r.result) ? (r.result as unknown as BenchResult) : undefined));
  const dtypes = [...new Set(results.flatMap((r) => Object.keys(isObject(r?.gemm?.best) ? r!.gemm!.best : {})))];
  const level = (r: BenchResult | undefined, name: string) => num(arr<Record<string, unknown>>(r?.memory?.levels).find((l) => l.name === name)?.GBs);
  const lat = (r: BenchResult | undefined, name: string) => num(arr<Record<string, unknown>>(r?.latency?.levels).find((l) => l.name === name)?.ns);
  const rows: ReportComparisonRow[] = [
    ...dtypes.map((d) => compareRow(`gemm.best.${d}`, `${d} peak (GEMM)`, results.map((r) => num((r?.gemm?.best as Record<string, unknown> | undefined)?.[d])), 'GFLOP/s')),
    compareRow('memory.DRAM', 'DRAM read bandwidth', results.map((r) => level(r, 'DRAM')), 'GB/s'),
    compareRow('memory.triad', 'STREAM triad', results.map((r) => num(r?.memory?.triadGBs)), 'GB/s'),
    compareRow('latency.DRAM', 'DRAM latency', results.map((r) => lat(r, 'DRAM')), 'ns'),
    ...['L1', 'L2', 'L3'].map((l) => compareRow(`latency.${l}`, `${l} latency`, results.map((r) => lat(r, l)), 'ns')),
    compareRow('elapsedSeconds', 'Elapsed', results.map((r) => num(r?.elapsedSeconds)), 's'),
    ...energyCompareRows(results.map((r) => r?.energy)),
    ...gemmDtypesPerJoule(results).map((d) => {
      const values = results.map((r) => num((r?.energyEfficiency?.gemmGflopsPerJoule as Record<string, unknown> | undefined)?.[d]));
      const cmp = energyCompareRow(`energy.gemmGflopsPerJoule.${d}`, `${d} GEMM per joule`, values, 'GFLOP/J', results.map((r) => r?.energy));
      // int8 counts operations: "GOP/J" in the text, the same numbers.
      return d === 'int8' ? { ...cmp, display: cmp.display.map((t) => t.replace(/GFLOP\/J|TFLOP\/J/, (u) => u.replace('FLOP', 'OP'))) } : cmp;
    }),
    energyCompareRow('energy.streamGBPerJoule', 'STREAM triad per joule', results.map((r) => num(r?.energyEfficiency?.streamGBPerJoule)), 'GB/J', results.map((r) => r?.energy)),
  ].filter((r) => r.values.some((v) => v !== null));
  const blocks: ReportBlock[] = [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
  // The first run's roofline in full, the others' envelopes overlaid on it.
  const withRoofline = runs.map((run, i) => ({ run, roofline: isObject(results[i]?.roofline) ? results[i]!.roofline : undefined })).filter((x) => x.roofline);
  if (withRoofline.length > 1) {
    const [head, ...rest] = withRoofline;
    blocks.push({
      type: 'charts',
      id: 'rooflines-overlaid',
      title: 'Rooflines overlaid',
      charts: [{ caption: `Run #${head!.run.id} in full; dashed: ${rest.map((x) => `run #${x.run.id}`).join(', ')}`, svg: renderRooflineChart(head!.roofline!, { width: REPORT_CHART_WIDTH, overlays: rest.map((x) => ({ label: `run #${x.run.id}`, roofline: x.roofline! })) }) }],
    });
  }
  // And each in full, side by side.
  const charts = runs.flatMap((run, i) => (isObject(results[i]?.roofline) ? [{ caption: `Run #${run.id} roofline`, svg: renderRooflineChart(results[i]!.roofline, { width: SIDE_BY_SIDE_WIDTH }) }] : []));
  if (charts.length) blocks.push({ type: 'charts', id: 'rooflines', title: 'Rooflines side by side', charts, sideBySide: true });
  return blocks;
}

function profileComparison(runs: Run[]): ReportBlock[] {
  const rs = runs.map((r) => (isObject(r.result) ? (r.result as unknown as ProfileResult) : undefined));
  const rows = [
    compareRow('params', 'Parameters', rs.map((r) => num(r?.totals?.params))),
    compareRow('macs', 'MACs', rs.map((r) => num(r?.totals?.macs))),
    compareRow('flops', 'FLOPs', rs.map((r) => num(r?.totals?.flops))),
    compareRow('weightBytes', 'Weights', rs.map((r) => num(r?.totals?.weightBytes)), 'B'),
    compareRow('activationBytes', 'Peak activations', rs.map((r) => num(r?.totals?.activationBytes)), 'B'),
    compareRow('latencyMs.median', 'Measured latency, median', rs.map((r) => num(r?.measured?.latencyMs?.median)), 'ms'),
    energyCompareRow('energy.joulesPerInference', 'Energy per inference', rs.map((r) => num(r?.energyEfficiency?.joulesPerInference)), 'J', rs.map((r) => r?.energy)),
    energyCompareRow('energy.joulesPerToken', 'Energy per token', rs.map((r) => num(r?.energyEfficiency?.joulesPerToken)), 'J', rs.map((r) => r?.energy)),
    ...energyCompareRows(rs.map((r) => r?.energy)),
  ].filter((r) => r.values.some((v) => v !== null));
  return [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }, ...perLayerComparison(runs, rs)];
}

/**
 * Per layer: the same model on several machines (nodes matched by name) compares each layer's
 * measured time; different models compare per block (FLOPs and, when measured, time), which is
 * what lines up between architectures. The 30 heaviest rows of the first run are shown.
 */
function perLayerComparison(runs: Run[], rs: Array<ProfileResult | undefined>): ReportBlock[] {
  const names = rs.map((r) => new Set(arr<ProfileNode>(r?.nodes).map((n) => n.name)));
  const first = arr<ProfileNode>(rs[0]?.nodes);
  const sameModel = first.length > 0 && names.every((set) => set.size === names[0]!.size && first.every((n) => set.has(n.name)));
  const msOf = (r: ProfileResult | undefined) => new Map(arr<{ name: string; ms: number }>(r?.measured?.nodes).map((n) => [n.name, n.ms]));
  if (sameModel) {
    const times = rs.map(msOf);
    if (times.every((t) => t.size === 0)) return [];
    const top = [...first].sort((a, b) => (times[0]!.get(b.name) ?? 0) - (times[0]!.get(a.name) ?? 0) || b.flops - a.flops).slice(0, 30);
    const rows = top.map((n) => compareRow(`layer.${n.name}.ms`, `${n.name} (${n.opType})`, times.map((t) => t.get(n.name) ?? null), 'ms'));
    return [{ type: 'comparison', id: 'per-layer', title: 'Per layer: measured time (same model on each machine)', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
  }
  const blocksOf = (r: ProfileResult | undefined) => {
    const m = new Map<string, { flops: number; ms: number | null }>();
    const times = msOf(r);
    for (const n of arr<ProfileNode>(r?.nodes)) {
      const key = n.block ?? '(other)';
      const e = m.get(key) ?? { flops: 0, ms: null };
      e.flops += n.flops;
      const t = times.get(n.name);
      if (t !== undefined) e.ms = (e.ms ?? 0) + t;
      m.set(key, e);
    }
    return m;
  };
  const bs = rs.map(blocksOf);
  const keys = [...new Set(bs.flatMap((b) => [...b.keys()]))].slice(0, 30);
  if (keys.length < 2) return [];
  const rows = keys.flatMap((k) => [
    compareRow(`block.${k}.flops`, `${k}: FLOPs`, bs.map((b) => b.get(k)?.flops ?? null)),
    compareRow(`block.${k}.ms`, `${k}: measured time`, bs.map((b) => b.get(k)?.ms ?? null), 'ms'),
  ]).filter((r) => r.values.some((v) => v !== null));
  return [{ type: 'comparison', id: 'per-block', title: 'Per block: FLOPs and measured time (different models)', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
}

function planComparison(runs: Run[]): ReportBlock[] {
  const rs = runs.map((r) => (isObject(r.result) ? (r.result as unknown as PlanResult) : undefined));
  const rows = [
    compareRow('computeFlops', 'Compute C', rs.map((r) => num(r?.computeFlops)), 'FLOPs'),
    compareRow('params', 'Parameters N', rs.map((r) => num(r?.params))),
    compareRow('tokens', 'Tokens D', rs.map((r) => num(r?.tokens))),
    compareRow('loss', 'Predicted loss', rs.map((r) => num(r?.loss))),
  ].filter((r) => r.values.some((v) => v !== null));
  return [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
}

function attentionComparison(runs: Run[]): ReportBlock[] {
  const rs = runs.map((r) => (isObject(r.result) ? (r.result as unknown as AttentionSweepResult) : undefined));
  const pointsOf = (r: AttentionSweepResult | undefined) => arr<AttentionSweepResult['points'][number]>(r?.points).filter((p) => num(p.predictedSeconds) !== null && p.predictedSeconds > 0);
  const seqSets = rs.map((r) => new Set(pointsOf(r).map((p) => p.seq)));
  const common = [...seqSets[0]!].filter((s) => seqSets.every((set) => set.has(s)));
  if (!common.length) return [{ type: 'notes', id: 'comparison', title: 'Key numbers', items: ['The sweeps share no sequence length with a predicted time, so there is nothing to set side by side.'] }];
  const seq = Math.max(...common);
  const variants = [...new Set(rs.flatMap((r) => pointsOf(r).filter((p) => p.seq === seq).map((p) => p.variant)))];
  const rows = variants.map((v) => compareRow(`predictedSeconds.${v}@${seq}`, `${v} at ${seq}`, rs.map((r) => pointsOf(r).find((p) => p.variant === v && p.seq === seq)?.predictedSeconds ?? null), 's'));
  return [{ type: 'comparison', id: 'comparison', title: `Predicted forward time at sequence length ${seq} (the largest in every sweep)`, runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
}

const COMPARERS: Partial<Record<RunKind, (runs: Run[]) => ReportBlock[]>> = {
  bench: benchComparison,
  profile: profileComparison,
  plan: planComparison,
  attention: attentionComparison,
};

// ---- entry point --------------------------------------------------------------------------

export function buildReport(runs: readonly Run[], context: ReportContext): ReportModel {
  const byKind = new Map<RunKind, Run[]>();
  for (const run of runs) byKind.set(run.kind, [...(byKind.get(run.kind) ?? []), run]);
  const comparisons: ReportComparisonSection[] = [];
  for (const [kind, list] of byKind) {
    const compare = COMPARERS[kind];
    if (list.length < 2 || !compare) continue;
    let blocks: ReportBlock[];
    try {
      blocks = compare(list);
    } catch (e) {
      blocks = [{ type: 'notes', id: 'comparison', title: 'Key numbers', items: [`These runs could not be compared: ${e instanceof Error ? e.message : String(e)}`] }];
    }
    comparisons.push({ kind, runIds: list.map((r) => r.id), blocks });
  }
  const kinds = [...byKind.keys()];
  const title =
    runs.length === 0
      ? 'FLOPscope report'
      : runs.length === 1
        ? `FLOPscope report: ${runs[0]!.kind} run #${runs[0]!.id}`
        : kinds.length === 1 && comparisons.length === 1
          ? `FLOPscope comparison: ${runs.length} ${kinds[0]} runs`
          : `FLOPscope report: ${runs.length} runs (${kinds.join(', ')})`;
  return {
    format: 'flopscope-report',
    version: 1,
    title,
    generatedAt: context.generatedAt,
    appVersion: context.appVersion,
    versions: {
      node: context.versions.node,
      electron: context.versions.electron ?? null,
      onnxruntime: context.versions.onnxruntime ?? null,
      sqlite: context.versions.sqlite ?? null,
    },
    comparisons,
    runs: runs.map((run) => {
      const machine = machineOf(run, context);
      return { header: header(run, machine), blocks: [...implausibleBlock(run), ...runBlocks(run, machine)] };
    }),
  };
}
