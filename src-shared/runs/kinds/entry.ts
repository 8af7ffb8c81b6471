/**
 * What the app knows about one run kind (runs anywhere): the shape of a registry entry. Each kind
 * fills one in its own file (./<kind>.ts) and ./index.ts combines them; the store, the reports,
 * the importer and the renderer read the registry instead of switching on the kind.
 */
import type { z } from 'zod';
import type { HardwareReport, Run, RunKind } from '../../api/types.js';
import type { Roofline } from '../../bench/roofline.js';
import type { Fit } from '../../planner/types.js';
import type { ReportBlock, ReportRow } from '../../reports/report-parts.js';
import type { PlausibleRange } from '../ranges.js';

/** A stored run with its result read as its kind's type (undefined when the result is not an object). */
export interface TypedRun<R> {
  run: Run;
  result: R | undefined;
}

/** The time and energy a History row shows for a run (src-renderer/energy-figures.ts adds the plausibility notes). */
export interface KindFigures {
  /** "12.5 s", "0.85 ms/inference"; null where the run has no time to show. */
  time: string | null;
  /** "845 J", "2.54 kJ (est.)", "6 mJ/inference (est.)"; null where the run has no energy. */
  energy: string | null;
  estimated: boolean;
  /** Hover text of the energy cell: its source and, for an estimate, the basis; or why it is empty. */
  title: string;
}

/**
 * The JSON paths of the figures runs.list reads out of a measured run's stored result (SQL
 * json_extract, src-main/store/repos/runs-repo.ts), so the History table needs no full results.
 */
export interface SummaryPaths {
  elapsed?: string;
  latency?: string;
  /** Reads `$.energy` (joules, estimated, source, estimateBasis). */
  energy?: boolean;
  joulesPerInference?: string;
}

/**
 * What a run is about, in a few words ("resnet50 (batch 1)", "all suite, quick, 2 threads",
 * "Llama 3 8B Q4_K_M at 4096 tokens"): History's Subject column, comparisons and report headings.
 * `paths` are JSON paths into the stored result ('$.model.name') or, prefixed 'params:', into
 * its params; runs.list reads just those (json_extract) and `text` makes the words of them.
 */
export interface SubjectSpec {
  paths: readonly string[];
  text(values: readonly unknown[]): string | null;
}

/**
 * What a kind's report summary and charts may read besides the result: the run's machine (its
 * hardware report) and that machine's roofline (its latest benchmark's, when the report has one),
 * on which a model run's layers are placed as on the Models page.
 */
export interface ReportKindContext {
  machine: HardwareReport | undefined;
  roofline: Roofline | undefined;
  /** Stored custom fits (a plan's curves need its fit's law); the built-in fits are always known. */
  fits?: readonly Fit[] | undefined;
}

/** The columns of the History table a kind fills (in the table's order); the others stay empty. */
export type HistoryColumn = 'time' | 'energy';

/**
 * One run kind. Functions are declared as methods so an entry typed for its own result can sit in
 * the registry beside the others (src-shared/runs/kinds/index.ts).
 */
export interface RunKindEntry<K extends RunKind = RunKind, R = unknown> {
  name: K;
  /** What a person calls it ("benchmark"). */
  label: string;
  /** Its runs measure the machine they ran on, and so carry time and energy (History's figures, runs.list's summary). */
  measured: boolean;
  /** Checked on every imported run (src-shared/history/bundle.ts). */
  schemas: { params: z.ZodType; result: z.ZodType };
  /** Numbers outside these are flagged where they are shown (src-shared/runs/plausibility.ts). */
  plausible: readonly PlausibleRange[];
  /** What a run of this kind is about (History's Subject column, comparisons, reports). */
  subject?: SubjectSpec;
  /** What runs.list reads out of the stored result (measured kinds). */
  summary?: SummaryPaths;
  /** The History row's time and energy (measured kinds); `result` is any object (a full result or the list's summary). */
  keyFigures?(result: Record<string, unknown>): KindFigures;
  /** The History table's columns this kind fills, and whether its detail shows an energy panel. */
  history: { columns: readonly HistoryColumn[]; energyDetail: boolean };
  /**
   * The key figures of a run's one-page summary, after what was run and where (the report adds
   * those, and the History figures of keyFigures): "Predicted loss", "fp32 peak", "Latency".
   */
  reportSummary?(result: R, context: ReportKindContext): ReportRow[];
  /** The run's charts (blocks of type 'charts'), drawn by the same chart functions as its page; they follow the summary. */
  reportCharts?(result: R, context: ReportKindContext): ReportBlock[];
  /** The report's detail blocks for one run (after the charts); a kind without them is listed as flat key/value rows. */
  reportBlocks?(result: R, machine: HardwareReport | undefined): ReportBlock[];
  /** Two or more runs of this kind side by side in a report; absent: not compared. */
  compare?(runs: ReadonlyArray<TypedRun<R>>): ReportBlock[];
  /** A run of this kind is its machine's own hardware report (the 'hardware' kind). */
  machineReport?(result: R): HardwareReport | undefined;
}

/** An entry typed for its kind's result. */
export function defineKind<K extends RunKind, R>(entry: RunKindEntry<K, R>): RunKindEntry<K, R> {
  return entry;
}
