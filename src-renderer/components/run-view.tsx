/**
 * A stored run on screen (renderer), in the view its own page uses: a benchmark in the Benchmarks
 * page's results (roofline, GEMM, STREAM, energy, latency), a profile in the Models page's
 * (layers, roofline, predicted vs measured, energy), a plan in the Planner's plan view, an
 * attention sweep in the Transformers view, an LLM estimate in the LLMs page's, a hardware report
 * in the Hardware page's. Lessons and fits, which have no page view of their own, show their
 * report summary (the same blocks as an exported report). The JSON is behind "Raw".
 * A view that cannot read a run (stored by an older version, changed by hand) falls back to the
 * summary rather than break the page.
 */
import { Component, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AttentionSweepResult } from '../../src-shared/api/attention.js';
import type { LlmEstimateResult } from '../../src-shared/api/llm.js';
import type { FitInfo } from '../../src-shared/api/planner.js';
import type { HardwareReport, Machine, Run, RunKind } from '../../src-shared/api/types.js';
import { parseVariants, formatVariant, variantLabel } from '../../src-shared/attention/variants.js';
import type { Roofline } from '../../src-shared/bench/roofline.js';
import type { AttentionMetric } from '../../src-shared/charts/attention-sweep-chart.js';
import { ENERGY_NOT_MEASURED, readEnergy } from '../../src-shared/energy/format.js';
import { svg } from '../../src-shared/markup/markup.js';
import type { PlanResult } from '../../src-shared/planner/plan.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { buildReport, type ReportBlock } from '../../src-shared/reports/report.js';
import { runKind } from '../../src-shared/runs/kinds/index.js';
import { toApiError, useClient } from '../api/api-context.js';
import { asBenchResult } from '../bench-run.js';
import { AttentionMeasuredView, AttentionSweepView } from './attention-result.js';
import { BenchResults } from './bench-results.js';
import { ErrorCallout, Loading } from './callouts.js';
import { ChartFrame } from './chart-frame.js';
import { DataTable } from '../ui/data-table.js';
import { EnergyCard } from './energy-view.js';
import { ReportView } from './hardware-report-view.js';
import { EstimateView, MeasuredView as LlmMeasuredView } from './llm-result.js';
import { ModelResults, whatifOrigin } from './model-results.js';
import { PlanView } from './plan-view.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a stored result has its kind's shape (the registry's schema, as an import checks it); a run that does not shows its summary. */
function conforms<T>(kind: RunKind, result: unknown): result is T {
  return runKind(kind).schemas.result.safeParse(result).success;
}

/** The kind's page view of a stored run, then a "Raw" toggle with its JSON. */
export function RunView({ run, machines }: { run: Run; machines: readonly Machine[] }) {
  const [raw, setRaw] = useState(false);
  return (
    <div className="run-view" data-testid="run-view" data-kind={run.kind}>
      <ViewBoundary key={run.id} fallback={(message) => <SummaryView run={run} machines={machines} why={message} />}>
        <KindView run={run} machines={machines} />
      </ViewBoundary>
      <div className="control-actions">
        <button type="button" className="button" aria-pressed={raw} aria-controls={`run-raw-${run.id}`} onClick={() => setRaw(!raw)} data-testid="run-raw-toggle">
          {raw ? 'Hide raw JSON' : 'Raw'}
        </button>
      </div>
      {raw ? (
        <pre id={`run-raw-${run.id}`} className="json" tabIndex={0} aria-label={`Run ${run.id} as JSON`} data-testid="run-raw">
          {JSON.stringify(run, null, 2)}
        </pre>
      ) : null}
    </div>
  );
}

function KindView({ run, machines }: { run: Run; machines: readonly Machine[] }) {
  const result = run.result;
  if (!isObject(result)) return <SummaryView run={run} machines={machines} why="This run has no result to show." />;
  const unreadable = <SummaryView run={run} machines={machines} why={`This ${runKind(run.kind).label} result is not one this version can show in its page’s view.`} />;
  switch (run.kind) {
    case 'bench': {
      const bench = asBenchResult(result);
      if (!bench) return unreadable;
      const caches = machines.find((m) => m.id === run.machineId)?.report.cpu.caches ?? null;
      return <BenchResults shown={{ runId: run.id, createdAt: run.createdAt, machineId: run.machineId, result: bench }} caches={caches} fresh={false} title="Benchmark results" />;
    }
    case 'profile':
      return conforms<ProfileResult>('profile', result) ? <ProfileRunView run={run} result={result} /> : unreadable;
    case 'plan':
      return conforms<PlanResult>('plan', result) ? <PlanRunView run={run} plan={result} machines={machines} /> : unreadable;
    case 'attention':
      return conforms<AttentionSweepResult>('attention', result) ? <AttentionRunView run={run} result={result} /> : unreadable;
    case 'llm': {
      if (!conforms<LlmEstimateResult>('llm', result)) return unreadable;
      const r = result;
      return (
        <>
          <EstimateView result={r} />
          {r.measured ? (
            <div className="card" data-testid="llm-measure">
              <h2 className="section-title">Measured on {machines.find((m) => m.id === run.machineId)?.hostname ?? 'its machine'} (llama.cpp)</h2>
              <LlmMeasuredView result={{ ...r, runId: run.id }} />
            </div>
          ) : null}
        </>
      );
    }
    case 'hardware':
      return conforms<HardwareReport>('hardware', result) ? <ReportView report={result} sensors={false} /> : unreadable;
    default:
      return <SummaryView run={run} machines={machines} />;
  }
}

/** "zoo resnet50", or the uploaded file's model name: what the Models page calls the source. */
function profileSourceLabel(run: Run, result: ProfileResult): string {
  const source = isObject(run.params) ? run.params.source : undefined;
  if (isObject(source) && typeof source.zoo === 'string') return `zoo ${source.zoo}`;
  if (isObject(source) && typeof source.upload === 'string') return source.upload;
  return result.model?.name ?? 'model';
}

/** A profile as the Models page shows it, on the roofline of its machine's latest benchmark. */
function ProfileRunView({ run, result }: { run: Run; result: ProfileResult }) {
  const client = useClient();
  const [roofline, setRoofline] = useState<Roofline | null | 'loading'>('loading');
  useEffect(() => {
    let alive = true;
    (async () => {
      const [newest] = await client.call('runs.list', { kind: 'bench', machineId: run.machineId, limit: 1 });
      if (!newest) return null;
      return asBenchResult((await client.call('runs.get', { id: newest.id })).result)?.roofline ?? null;
    })().then(
      (r) => alive && setRoofline(r),
      // The roofline only decorates a measured profile; without it the view says how to get one.
      () => alive && setRoofline(null),
    );
    return () => {
      alive = false;
    };
  }, [client, run.machineId]);
  return <ModelResults result={result} roofline={roofline} sourceLabel={profileSourceLabel(run, result)} showStrip origin={whatifOrigin(run.params)} />;
}

/** A plan in the Planner's view, with the fit it was made with (looked up by id; a deleted custom fit falls back to the summary). */
function PlanRunView({ run, plan, machines }: { run: Run; plan: PlanResult; machines: readonly Machine[] }) {
  const client = useClient();
  const [fits, setFits] = useState<FitInfo[] | { error: string } | null>(null);
  useEffect(() => {
    let alive = true;
    client.call('fits.list', {}).then(
      (f) => alive && setFits(f),
      (e) => alive && setFits({ error: toApiError(e).message }),
    );
    return () => {
      alive = false;
    };
  }, [client]);
  if (!fits) return <Loading label="Loading the scaling-law fits…" />;
  if ('error' in fits) return <SummaryView run={run} machines={machines} why={`The fits could not be loaded: ${fits.error}`} />;
  const fit = fits.find((f) => f.id === plan.fit);
  if (!fit) return <SummaryView run={run} machines={machines} why={`The fit “${plan.fit}” this plan was made with is no longer stored.`} />;
  return <PlanView plan={plan} fit={fit} fits={fits} />;
}

/** An attention sweep as the Transformers page shows it (its metric chosen here), and its measurement when it has one. */
function AttentionRunView({ run, result }: { run: Run; result: AttentionSweepResult }) {
  const [metric, setMetric] = useState<AttentionMetric>('predictedSeconds');
  const labels = useMemo(() => {
    const variants = isObject(run.params) ? run.params.variants : undefined;
    if (typeof variants !== 'string') return undefined;
    try {
      return Object.fromEntries(parseVariants(variants).map((v) => [formatVariant(v), variantLabel(v)]));
    } catch {
      return undefined;
    }
  }, [run.params]);
  return (
    <>
      <AttentionSweepView result={result} metric={metric} onMetric={setMetric} labels={labels} />
      {result.measured ? (
        <div className="card" data-testid="att-measure">
          <h2 className="section-title">Measured</h2>
          <AttentionMeasuredView result={{ ...result, runId: run.id }} />
          <EnergyCard energy={readEnergy(result.energy)} showStrip missing={ENERGY_NOT_MEASURED} idPrefix="att" resultWarnings={result.warnings} />
        </div>
      ) : null}
    </>
  );
}

/** A run's report summary (what an exported report shows for it): for kinds without a page view, and for runs a view cannot read. */
function SummaryView({ run, machines, why }: { run: Run; machines: readonly Machine[]; why?: string }) {
  const client = useClient();
  const [blocks, setBlocks] = useState<ReportBlock[] | { error: string } | null>(null);
  useEffect(() => {
    let alive = true;
    client.call('app.info', {}).then(
      (info) => {
        if (!alive) return;
        try {
          const model = buildReport([run], {
            appVersion: info.version,
            generatedAt: new Date().toISOString(),
            versions: { node: info.versions.node, electron: info.versions.electron, sqlite: info.versions.sqlite },
            machines: Object.fromEntries(machines.map((m) => [m.id, m.report])),
          });
          setBlocks(model.runs[0]?.blocks ?? []);
        } catch (e) {
          setBlocks({ error: toApiError(e).message });
        }
      },
      (e) => alive && setBlocks({ error: toApiError(e).message }),
    );
    return () => {
      alive = false;
    };
  }, [client, run, machines]);
  return (
    <div className="card" data-testid="run-summary">
      {why ? (
        <p className="note" data-testid="run-summary-why">
          {why} Its summary:
        </p>
      ) : null}
      {!blocks ? <Loading label="Summarising the run…" /> : null}
      {blocks && 'error' in blocks ? <ErrorCallout error={{ code: 'INTERNAL', message: blocks.error }} title="Could not summarise this run" /> : null}
      {Array.isArray(blocks) ? blocks.map((b) => <ReportBlockView key={b.id} block={b} />) : null}
    </div>
  );
}

/** Shows `fallback` instead of a view that threw while rendering (a run this version cannot read). */
class ViewBoundary extends Component<{ children: ReactNode; fallback: (message: string) => ReactNode }, { message: string | null }> {
  override state: { message: string | null } = { message: null };
  static getDerivedStateFromError(e: unknown): { message: string } {
    return { message: `This run could not be shown in its page’s view (${e instanceof Error ? e.message : String(e)}).` };
  }
  override render() {
    return this.state.message !== null ? this.props.fallback(this.state.message) : this.props.children;
  }
}

/** One block of the report model (src-shared/reports): key/value facts, a table, a comparison, charts or notes. */
export function ReportBlockView({ block }: { block: ReportBlock }) {
  switch (block.type) {
    case 'kv':
      return (
        <div className="report-block">
          <h3 className="subheading">{block.title}</h3>
          <dl className="facts">
            {block.rows.map((r) => (
              <div className="fact" key={r.key}>
                <dt>{r.label}</dt>
                <dd className="num">{r.display}</dd>
              </div>
            ))}
          </dl>
        </div>
      );
    case 'table': {
      // A column is numeric (right-aligned) when it has a unit or every cell in it is a number.
      const numeric = block.columns.map((c, i) => c.unit !== undefined || (block.rows.length > 0 && block.rows.every((r) => typeof r.cells[i] === 'number' || r.cells[i] === null)));
      return (
        <div className="report-block">
          <h3 className="subheading">{block.title}</h3>
          <DataTable
            caption={block.title}
            columns={block.columns.map((c, i) => ({ label: c.label, num: numeric[i] }))}
            rows={block.rows.map((r) => ({ key: r.key, cells: r.display }))}
          />
          {block.note ? <p className="note">{block.note}</p> : null}
        </div>
      );
    }
    case 'comparison':
      return (
        <div className="report-block">
          <h3 className="subheading">{block.title}</h3>
          <DataTable
            testId="comparison-table"
            caption={block.title}
            columns={[
              { label: 'Metric' },
              ...block.runIds.map((id, i) => ({
                num: true,
                label: (
                  <>
                    Run #{id}
                    {i > 0 ? ' (× first)' : ''}
                    {block.runLabels?.[i] ? <span className="run-label">{block.runLabels[i]}</span> : null}
                  </>
                ),
              })),
            ]}
            rows={block.rows.map((r) => ({ key: r.key, cells: [`${r.label}${r.unit ? ` (${r.unit})` : ''}`, ...r.display] }))}
          />
          <p className="note">{block.note}</p>
        </div>
      );
    case 'charts':
      return (
        <div className="report-block">
          <h3 className="subheading">{block.title}</h3>
          {/* The charts are SafeMarkup drawn at the report's size (svg`…`, every text escaped), each in a figure with its caption (which run, in a comparison), concatenated by the same tag. */}
          <ChartFrame
            draw={() => svg`${block.charts.map((c) => svg`<figure class="report-figure">${c.svg}<figcaption>${c.caption}</figcaption></figure>`)}`}
            deps={[block]}
            className={block.sideBySide ? 'chart-row' : undefined}
          />
          {/* A table that goes with the charts (the crossovers beside the attention curves). */}
          {block.aside ? <ReportBlockView block={block.aside} /> : null}
        </div>
      );
    case 'notes':
      return (
        <div className="report-block">
          <h3 className="subheading">{block.title}</h3>
          <ul className="plain-list">
            {block.items.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </div>
      );
  }
}
