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
 *
 * What each kind shows (its blocks, its comparer, whether a run is its machine's report) is in its
 * entry of the run-kind registry (src-shared/runs/kinds/<kind>.ts); this file only assembles. The
 * model's types and the blocks' parts are in ./report-parts.ts.
 */
import type { HardwareReport, Run, RunKind } from '../api/types.js';
import { formatBytes } from '../hardware/format.js';
import { kindOf, subjectOf, type ReportKindContext } from '../runs/kinds/index.js';
import { implausibleNotes } from '../runs/plausibility.js';
import type { Roofline } from '../bench/roofline.js';
import { arr, isObject, nestedBlocks, objectTable, splitNested, row, warningsBlock, type ReportBlock, type ReportRow, type ReportComparisonSection, type ReportContext, type ReportModel, type ReportRunHeader } from './report-parts.js';

export type {
  ReportBlock,
  ReportColumn,
  ReportComparisonRow,
  ReportComparisonSection,
  ReportContext,
  ReportModel,
  ReportRow,
  ReportRunHeader,
  ReportRunSection,
  ReportScalar,
  ReportTableBlock,
  ReportTableRow,
} from './report-parts.js';
export { flatten, formatNumber, objectTable, REPORT_CHART_WIDTH, splitNested } from './report-parts.js';

// ---- per run ------------------------------------------------------------------------------

/** Numbers outside their plausible range (an imported run can carry any), said first: src-shared/runs/plausibility.ts. */
function implausibleBlock(run: Run): ReportBlock[] {
  const items = implausibleNotes(run.kind, run.result);
  return items.length ? [{ type: 'notes', id: 'implausible', title: 'Values outside their plausible range', items }] : [];
}

function failed(run: Run, what: string, e: unknown): ReportBlock {
  return { type: 'notes', id: `unreadable.${what}`, title: 'Note', items: [`This ${run.kind} result's ${what} could not be drawn (${e instanceof Error ? e.message : String(e)}).`] };
}

/**
 * The one-page summary that opens a run: what was run (the kind and its subject), when, on what
 * machine, then the key figures: History's time and energy (the kind's keyFigures) and the kind's
 * own (reportSummary).
 */
function summaryBlock(run: Run, hd: ReportRunHeader, context: ReportKindContext): ReportBlock {
  const { entry, result } = kindOf(run);
  const m = hd.machine;
  const rows: ReportRow[] = [
    row('what', 'What was run', hd.subject ? `${entry.label}: ${hd.subject}` : entry.label),
    row('when', 'When', hd.createdAt),
    row('machine', 'Machine', [m.hostname ? `${m.hostname} (${m.id})` : m.id, m.cpu, m.gpus.length ? m.gpus.join('; ') : null].filter(Boolean).join(' · ')),
  ];
  if (result && entry.keyFigures) {
    try {
      const f = entry.keyFigures(result as Record<string, unknown>);
      if (f.time) rows.push(row('figures.time', 'Time', f.time));
      if (f.energy) rows.push(row('figures.energy', f.estimated ? 'Energy (estimated)' : 'Energy', f.energy));
    } catch {
      // The figures are a convenience: the details below carry the same numbers.
    }
  }
  if (result && entry.reportSummary) {
    try {
      rows.push(...entry.reportSummary(result, context));
    } catch {
      // As above.
    }
  }
  return { type: 'kv', id: 'summary', title: 'Summary', rows };
}

function chartBlocks(run: Run, context: ReportKindContext): ReportBlock[] {
  const { entry, result } = kindOf(run);
  if (!result || !entry.reportCharts) return [];
  try {
    return entry.reportCharts(result, context);
  } catch (e) {
    return [failed(run, 'charts', e)];
  }
}

/**
 * Each compared run's first chart (drawn for its own section), side by side and captioned with the
 * run: what a comparison shows when its comparer draws none. Nothing when fewer than two runs have one.
 */
function sideBySideCharts(list: ReadonlyArray<readonly [Run, readonly ReportBlock[]]>): ReportBlock[] {
  const charts = list.flatMap(([run, blocks]) => {
    const first = blocks.find((b): b is Extract<ReportBlock, { type: 'charts' }> => b.type === 'charts')?.charts[0];
    return first ? [{ caption: `Run #${run.id}${subjectOf(run) ? ` (${subjectOf(run)})` : ''}: ${first.caption}`, svg: first.svg }] : [];
  });
  return charts.length >= 2 ? [{ type: 'charts', id: 'charts.side-by-side', title: 'Charts side by side', charts, sideBySide: true }] : [];
}

function runBlocks(run: Run, machine: HardwareReport | undefined): ReportBlock[] {
  const { entry, result } = kindOf(run);
  try {
    if (!result) throw new Error('not an object');
    if (entry.reportBlocks) return entry.reportBlocks(result, machine);
    const { warnings, ...rest } = result as Record<string, unknown>;
    return [...nestedBlocks('result', 'Result', rest), ...warningsBlock('warnings', warnings)];
  } catch (e) {
    return [
      { type: 'notes', id: 'unreadable', title: 'Note', items: [`This ${run.kind} result could not be read in full (${e instanceof Error ? e.message : String(e)}); its values are listed as stored.`] },
      ...nestedBlocks('result', 'Result', run.result),
    ];
  }
}

/** The roofline a run's layers are placed on: its machine's latest benchmark's, or a bench run of that machine in this report. */
function rooflineOf(run: Run, runs: readonly Run[], context: ReportContext): Roofline | undefined {
  const stored = context.rooflines?.[run.machineId];
  if (stored) return stored;
  const bench = [...runs].reverse().find((r) => r.kind === 'bench' && r.machineId === run.machineId && isObject(r.result) && isObject(r.result.roofline));
  return bench ? ((bench.result as { roofline: Roofline }).roofline) : undefined;
}

/** The params as settings: plain values by dotted key, each list of objects (a fit's runs) as a table with named columns. */
function settingsOf(params: unknown): Pick<ReportRunHeader, 'settings' | 'settingsTables'> {
  if (params === undefined || params === null) return { settings: [], settingsTables: [] };
  const { scalars, lists } = splitNested(params);
  return { settings: scalars.map(([k, v]) => row(k, k, v)), settingsTables: lists.filter(([, l]) => l.length).map(([path, items]) => objectTable(`settings.${path}`, `Settings: ${path}`, items)) };
}

function header(run: Run, machine: HardwareReport | undefined): ReportRunHeader {
  return {
    id: run.id,
    uid: typeof run.uid === 'string' ? run.uid : null,
    kind: run.kind,
    subject: subjectOf(run),
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
    ...settingsOf(run.params),
  };
}

function machineOf(run: Run, context: ReportContext): HardwareReport | undefined {
  const m = context.machines[run.machineId];
  if (m) return m;
  // A hardware run is its own machine's report.
  const { entry, result } = kindOf(run);
  return result && entry.machineReport ? entry.machineReport(result) : undefined;
}

// ---- entry point --------------------------------------------------------------------------

export function buildReport(runs: readonly Run[], context: ReportContext): ReportModel {
  // Each run's charts are drawn once: its own section shows them, a comparison may reuse its first.
  const drawn = new Map(
    runs.map((run) => {
      const machine = machineOf(run, context);
      return [run, { machine, charts: chartBlocks(run, { machine, roofline: rooflineOf(run, runs, context), fits: context.fits }) }] as const;
    }),
  );
  const byKind = new Map<RunKind, Run[]>();
  for (const run of runs) byKind.set(run.kind, [...(byKind.get(run.kind) ?? []), run]);
  const comparisons: ReportComparisonSection[] = [];
  for (const [kind, list] of byKind) {
    const { entry } = kindOf(list[0]!);
    if (list.length < 2 || !entry.compare) continue;
    let blocks: ReportBlock[];
    try {
      blocks = entry.compare(list.map((run) => kindOf(run)));
    } catch (e) {
      blocks = [{ type: 'notes', id: 'comparison', title: 'Key numbers', items: [`These runs could not be compared: ${e instanceof Error ? e.message : String(e)}`] }];
    }
    const labels = new Map(list.map((r) => [r.id, subjectOf(r)] as const));
    blocks = blocks.map((b) => (b.type === 'comparison' ? { ...b, runLabels: b.runIds.map((id) => labels.get(id) ?? null) } : b));
    // A comparer that draws no chart of its own gets each run's first chart side by side.
    if (!blocks.some((b) => b.type === 'charts')) blocks.push(...sideBySideCharts(list.map((run) => [run, drawn.get(run)!.charts] as const)));
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
    // Per run: the values out of range (if any), the summary, the charts, then the details (the exact
    // settings close the section: the renderers lay out the header after the blocks).
    runs: runs.map((run) => {
      const { machine, charts } = drawn.get(run)!;
      const hd = header(run, machine);
      const kindContext = { machine, roofline: rooflineOf(run, runs, context), fits: context.fits };
      // Values out of their plausible range are said before anything shows them, the summary included.
      return { header: hd, blocks: [...implausibleBlock(run), summaryBlock(run, hd, kindContext), ...charts, ...runBlocks(run, machine)] };
    }),
  };
}
