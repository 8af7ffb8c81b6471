/**
 * The parts every report block is built from (runs anywhere): the report model's types, value
 * formatting, the defensive readers, the energy section and the comparison rows. The report
 * (./report.ts) and each run kind's blocks and comparer (src-shared/runs/kinds/<kind>.ts) use them;
 * this file imports neither, so the run-kind registry can be read by the report without a cycle.
 */
import { renderPowerStrip, powerStripInput } from '../charts/power-strip.js';
import { ENERGY_NOT_MEASURED, energySourceText, formatGBPerJoule, formatGflopsPerJoule, formatJoules, formatWatts, readEnergy, separateEnergyWarnings } from '../energy/format.js';
import type { BenchEnergyEfficiency, EnergyReport, ProfileEnergyEfficiency } from '../energy/types.js';
import { formatBytes, formatFlops } from '../hardware/format.js';
import { siParts } from '../format/si.js';
import type { HardwareReport, RunKind } from '../api/types.js';
import type { Roofline } from '../bench/roofline.js';
import type { Fit } from '../planner/types.js';
import type { SafeMarkup } from '../markup/markup.js';

export type ReportScalar = number | string | boolean | null;

export interface ReportContext {
  appVersion: string;
  /** ISO 8601. */
  generatedAt: string;
  versions: { node: string; electron?: string | null; onnxruntime?: string | null; sqlite?: string | null };
  /** Hardware reports by machine id (the history's machines table). */
  machines: Record<string, HardwareReport | undefined>;
  /**
   * Each machine's roofline from its latest stored benchmark, by machine id (a model run's layers
   * are placed on it, as on the Models page); a bench run in the report itself serves as well.
   */
  rooflines?: Record<string, Roofline | undefined>;
  /** Stored custom fits, for the curves of a plan made with one (the built-in fits are always known). */
  fits?: readonly Fit[];
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

/** A columnar table block. */
export interface ReportTableBlock {
  type: 'table';
  id: string;
  title: string;
  columns: ReportColumn[];
  rows: ReportTableRow[];
  note?: string;
}

export type ReportBlock =
  | { type: 'kv'; id: string; title: string; rows: ReportRow[] }
  | ReportTableBlock
  | { type: 'comparison'; id: string; title: string; runIds: number[]; rows: ReportComparisonRow[]; note: string; /** Each run's subject, beside its id in the column heading (report.ts fills them in). */ runLabels?: Array<string | null> }
  /**
   * `sideBySide`: the charts share one row (each scaled down to fit), e.g. compared runs' rooflines.
   * `aside`: a table shown beside the charts (the crossovers beside the attention curves).
   */
  | { type: 'charts'; id: string; title: string; charts: Array<{ caption: string; svg: SafeMarkup }>; sideBySide?: boolean; aside?: ReportTableBlock }
  | { type: 'notes'; id: string; title: string; items: string[] };

export interface ReportRunHeader {
  id: number;
  /** The run's stable id across export/import; null for runs stored before it existed. */
  uid: string | null;
  kind: RunKind;
  /** What the run is about, from its kind (src-shared/runs/kinds): "resnet50, batch 1", "Llama 3 8B, Q4_K_M, 4096 tokens". */
  subject: string | null;
  createdAt: string;
  appVersion: string;
  tags: string[];
  note: string;
  machine: { id: string; hostname: string | null; os: string | null; cpu: string | null; gpus: string[]; memoryBytes: number | null };
  /** The run's params, exactly as stored. */
  params: unknown;
  /** The params' plain values by dotted key (arrays of plain values as JSON). */
  settings: ReportRow[];
  /** Each list of objects in the params (a fit's runs) as a table with named columns. */
  settingsTables: ReportTableBlock[];
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
export const SIDE_BY_SIDE_WIDTH = 360;

// ---- value formatting ---------------------------------------------------------------------

/** Units an SI prefix attaches to directly. */
const PREFIXABLE = new Set(['s', 'FLOP', 'FLOPs', 'FLOP/s', 'Hz', 'op/s', 'OP/s']);

/**
 * Number text for people: integers below 10⁶ as they are, 4 significant digits otherwise, and an
 * SI prefix (M, G, T, P, E, Z, Y; µ, n, p, f, a) from 10⁶ up and below 10⁻³: 3.488e6 reads "3.488 M",
 * 2.5e-5 "25 µ". Machine formats (CSV, JSON) keep the raw numbers.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const digits = (x: number) => String(Number(x.toPrecision(4)));
  // The prefixes are formatSI's (src-shared/format/si.ts); tables print from 10⁶ up and below 10⁻³ only.
  if (a >= 1e6 || (a !== 0 && a < 1e-3)) {
    const [m, prefix] = siParts(v, 1e6);
    return `${digits(m)} ${prefix}`;
  }
  if (Number.isInteger(v)) return String(v);
  return digits(v);
}

export function display(value: ReportScalar, unit?: string): string {
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
  const n = formatNumber(value);
  // A prefix joins a base unit ("25 µs", "8.2 GFLOP"); before any other it reads as a multiplier ("3.5 M tokens").
  return unit ? (/[A-Za-zµ]$/.test(n) && PREFIXABLE.has(unit) ? `${n}${unit}` : `${n} ${unit}`) : n;
}

export function row(key: string, label: string, value: ReportScalar | undefined, unit?: string): ReportRow {
  const v = value === undefined ? null : value;
  return { key, label, value: v, ...(unit ? { unit } : {}), display: display(v, unit) };
}

export function table(id: string, title: string, columns: ReportColumn[], data: Array<{ key: string; cells: ReportScalar[] }>, note?: string): ReportTableBlock {
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

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const arr = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

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

export function flatBlock(id: string, title: string, value: unknown): ReportBlock {
  return { type: 'kv', id, title, rows: flatten(value).map(([k, v]) => row(k, k, v)) };
}

/** Most rows and columns a table made from stored data gets (a 500-run fit stays readable). */
const MAX_TABLE_ROWS = 200;
const MAX_TABLE_COLUMNS = 16;

/**
 * A nested value split where it nests: its plain values as dotted keys (`adapter.vendor`; arrays of
 * plain values as JSON text) and every array of objects found on the way (`gemm`, `residuals`)
 * by its path. Never indexes an array into a key ("gemm[0].maxAbsError").
 */
export function splitNested(value: unknown, prefix = ''): { scalars: Array<[string, ReportScalar]>; lists: Array<[string, Record<string, unknown>[]]> } {
  const scalars: Array<[string, ReportScalar]> = [];
  const lists: Array<[string, Record<string, unknown>[]]> = [];
  const walk = (v: unknown, path: string) => {
    if (scalars.length >= 400) return;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') scalars.push([path || 'value', v]);
    else if (Array.isArray(v)) {
      if (v.length && v.every(isObject)) lists.push([path || 'value', v]);
      else scalars.push([path || 'value', JSON.stringify(v)]);
    } else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, prefix);
  return { scalars, lists };
}

/** A table with named columns from an array of objects: one row per object, one column per (dotted) field; deeper lists as JSON text. */
export function objectTable(id: string, title: string, items: readonly Record<string, unknown>[]): ReportTableBlock {
  const cellsOf = (item: Record<string, unknown>) => {
    const { scalars, lists } = splitNested(item);
    return new Map<string, ReportScalar>([...scalars, ...lists.map(([k, l]): [string, ReportScalar] => [k, JSON.stringify(l)])]);
  };
  const rows = items.slice(0, MAX_TABLE_ROWS).map(cellsOf);
  const keys = [...new Set(rows.flatMap((r) => [...r.keys()]))].slice(0, MAX_TABLE_COLUMNS);
  const left = items.length - rows.length;
  return table(
    id,
    title,
    keys.map((k) => ({ key: k, label: k })),
    rows.map((r, i) => ({ key: String(i + 1), cells: keys.map((k) => r.get(k) ?? null) })),
    left > 0 ? `The first ${rows.length} of ${items.length} entries.` : undefined,
  );
}

/** A nested value as blocks: its plain values as one label/value table, each list of objects as a table with named columns. */
export function nestedBlocks(id: string, title: string, value: unknown): ReportBlock[] {
  const { scalars, lists } = splitNested(value);
  const blocks: ReportBlock[] = [];
  if (scalars.length || !lists.length) blocks.push({ type: 'kv', id, title, rows: scalars.map(([k, v]) => row(k, k, v)) });
  for (const [path, items] of lists) if (items.length) blocks.push(objectTable(`${id}.${path}`, `${title}: ${path}`, items));
  return blocks;
}

export function warningsBlock(id: string, items: unknown): ReportBlock[] {
  const list = arr(items).filter((w): w is string => typeof w === 'string');
  return list.length ? [{ type: 'notes', id, title: 'Warnings', items: list }] : [];
}

// ---- energy -------------------------------------------------------------------------------

/** Units of energy figures: their display gains "(estimated)" when the run's energy is an estimate. */
export const ENERGY_UNITS = new Set(['J', 'W', 'GFLOP/J', 'GB/J']);

/** GFLOP/J of one dtype: int8 counts operations, so it reads "GOP/J" (the unit key stays GFLOP/J). */
export function gemmPerJouleRow(key: string, label: string, value: number | null, dtype: string): ReportRow {
  const r = row(key, label, value, 'GFLOP/J');
  return value === null ? r : { ...r, display: formatGflopsPerJoule(value, dtype) };
}

export function estimatedRows(rows: ReportRow[], estimated: boolean): ReportRow[] {
  if (!estimated) return rows;
  return rows.map((r) => (r.unit && ENERGY_UNITS.has(r.unit) && r.value !== null ? { ...r, display: `${r.display} (estimated)` } : r));
}

/**
 * The energy section of a benchmark or measured model run: a summary (source, the estimate label
 * and basis, joules, average and peak power, efficiency), the devices, the phases, the power
 * strip, the sources that gave nothing and the sampling warnings. A run without `energy` gets one
 * note saying it was not measured.
 */
export function energyBlocks(value: unknown, efficiency: { bench?: BenchEnergyEfficiency | undefined; profile?: ProfileEnergyEfficiency | undefined }, resultWarnings: unknown): ReportBlock[] {
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
  const bench = isObject(efficiency.bench) ? efficiency.bench : null;
  if (bench) {
    const gemm = isObject(bench.gemmGflopsPerJoule) ? bench.gemmGflopsPerJoule : {};
    for (const [dtype, v] of Object.entries(gemm)) rows.push(gemmPerJouleRow(`gemmGflopsPerJoule.${dtype}`, `GEMM ${dtype} per joule`, num(v), dtype));
    rows.push(row('streamGBPerJoule', 'STREAM triad per joule', num(bench.streamGBPerJoule), 'GB/J'));
  }
  const profile = isObject(efficiency.profile) ? efficiency.profile : null;
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

export function powerCaption(e: EnergyReport): string {
  return `Total power over the run (${e.estimated ? `estimated: ${e.estimateBasis ?? e.source}` : e.source})`;
}

// ---- comparisons --------------------------------------------------------------------------

export function compareRow(key: string, label: string, values: Array<number | null>, unit?: string): ReportComparisonRow {
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
export function energyCompareRow(key: string, label: string, values: Array<number | null>, unit: string, energies: unknown[]): ReportComparisonRow {
  const base = compareRow(key, label, values, unit);
  return { ...base, display: base.display.map((d, i) => (values[i] !== null && readEnergy(energies[i])?.estimated ? `${d} (est.)` : d)) };
}

/** Joules, average and peak power of each run's energy, side by side. */
export function energyCompareRows(energies: unknown[]): ReportComparisonRow[] {
  const es = energies.map(readEnergy);
  return [
    energyCompareRow('energy.joules', 'Energy', es.map((e) => e?.joules ?? null), 'J', energies),
    energyCompareRow('energy.avgWatts', 'Average power', es.map((e) => e?.avgWatts ?? null), 'W', energies),
    energyCompareRow('energy.peakWatts', 'Peak power', es.map((e) => e?.peakWatts ?? null), 'W', energies),
  ];
}

export const RATIO_NOTE = 'Ratios are each run over the first run (×1 = the same; for latency, time, energy, power and loss, below 1 is better).';

