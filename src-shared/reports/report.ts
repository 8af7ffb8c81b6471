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
import { kindOf, subjectOf } from '../runs/kinds/index.js';
import { implausibleNotes } from '../runs/plausibility.js';
import { arr, flatBlock, flatten, row, warningsBlock, type ReportBlock, type ReportComparisonSection, type ReportContext, type ReportModel, type ReportRunHeader } from './report-parts.js';

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
  ReportTableRow,
} from './report-parts.js';
export { flatten, formatNumber, REPORT_CHART_WIDTH } from './report-parts.js';

// ---- per run ------------------------------------------------------------------------------

/** Numbers outside their plausible range (an imported run can carry any), said first: src-shared/runs/plausibility.ts. */
function implausibleBlock(run: Run): ReportBlock[] {
  const items = implausibleNotes(run.kind, run.result);
  return items.length ? [{ type: 'notes', id: 'implausible', title: 'Values outside their plausible range', items }] : [];
}

function runBlocks(run: Run, machine: HardwareReport | undefined): ReportBlock[] {
  const { entry, result } = kindOf(run);
  try {
    if (!result) throw new Error('not an object');
    if (entry.reportBlocks) return entry.reportBlocks(result, machine);
    return [flatBlock('result', 'Result', result), ...warningsBlock('warnings', (result as { warnings?: unknown }).warnings)];
  } catch (e) {
    return [
      { type: 'notes', id: 'unreadable', title: 'Note', items: [`This ${run.kind} result could not be read in full (${e instanceof Error ? e.message : String(e)}); its values are listed as stored.`] },
      flatBlock('result', 'Result', run.result),
    ];
  }
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
    settings: run.params === undefined || run.params === null ? [] : flatten(run.params).map(([k, v]) => row(k, k, v)),
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
