/**
 * History page (renderer): the stored runs (`runs.list`), newest first, filtered by kind, machine,
 * date, tag and free text. Selecting a row opens the run at its own address, `#/history/run/<id>`
 * (routing.ts; loading that address opens it too): the full run (`runs.get`) in the view its page
 * uses (components/run-view.tsx: the roofline, tables, charts and energy; its JSON behind "Raw"),
 * with its tags and note (`runs.update`) and report exports; Delete asks once more, then hides the run
 * with an Undo (`runs.delete` is a soft delete, `runs.restore` brings it back). Ticking rows and
 * "Compare" shows them side by side (the report model of src-shared/reports: numbers with ratios,
 * charts) and exports the comparison as HTML, PDF, Markdown, CSV or a bundle. "Import bundle"
 * adds a bundle written by `flopscope runs export` / `--bundle` on another machine (uploaded, then
 * `runs.import` with the upload id, so a large bundle never travels as one JSON request).
 * Benchmark and model rows show their time and energy side by side ("J (est.)" for an estimate);
 * the comparison sets joules, power, GFLOP/J and J/inference side by side (the report model's).
 */
import { useCallback, useEffect, useReducer, useRef, type ReactNode } from 'react';
import type { ApiError, Machine, Run } from '../../src-shared/api/types.js';
import { RUN_KINDS } from '../../src-shared/api/types.js';
import { buildReport, type ReportModel } from '../../src-shared/reports/report.js';
import { HISTORY_COLUMNS, runKind, type HistoryColumn } from '../../src-shared/runs/kinds/index.js';
import { implausibleNotes } from '../../src-shared/runs/plausibility.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useLifetime } from '../api/use-lifetime.js';
import { importBundleFile } from '../../src-shared/api/import-bundle.js';
import { EmptyState, ErrorCallout, Loading, WarningCallout } from '../components/callouts.js';
import { PageHeader } from '../components/page-header.js';
import { ReportBlockView, RunView } from '../components/run-view.js';
import { summaryFigures, type RunFigures } from '../energy-figures.js';
import { formatLocalDateTime } from '../format.js';
import { DataTable } from '../ui/data-table.js';
import { Select } from '../ui/select.js';
import { hrefFor, hrefForRun } from '../routing.js';
import { exportReducer, historyReducer, initialExportState, initialHistoryState, initialRunDetailState, runDetailReducer, type Detail, type HistoryFilters } from './history-state.js';

/** Opens a run, or goes back to the list, through the address (app.tsx passes the route's run back as `runId`). */
function goTo(runId: number | null): void {
  window.location.hash = runId === null ? hrefFor('history') : hrefForRun(runId);
}

/** `runId`: the run the address opens (`#/history/run/<id>`), or null for the list alone. */
export function HistoryPage({ runId = null }: { runId?: number | null }) {
  const client = useClient();
  const [state, dispatch] = useReducer(historyReducer, initialHistoryState);
  const { runs, error, errorTitle, detail, notice, undoId, filters, machines, picked, compare } = state;
  // Every call is awaited through live(): once the page is gone, nothing after it runs.
  const { live } = useLifetime();

  const load = useCallback(async () => {
    dispatch({ type: 'list-start' });
    try {
      const f = filters;
      const list = await live(
        client.call('runs.list', {
        ...(f.kind ? { kind: f.kind } : {}),
        ...(f.machineId ? { machineId: f.machineId } : {}),
        ...(f.since ? { since: f.since } : {}),
        ...(f.until ? { until: f.until } : {}),
        ...(f.search.trim() ? { search: f.search.trim() } : {}),
        ...(f.tag.trim() ? { tag: f.tag.trim() } : {}),
        }),
      );
      dispatch({ type: 'listed', runs: list });
    } catch (e) {
      dispatch({ type: 'failed', title: 'Could not list runs', error: toApiError(e) });
    }
  }, [client, filters, live]);

  const loadMachines = useCallback(() => {
    live(client.call('machines.list', {})).then((m) => dispatch({ type: 'machines', machines: m }), () => {});
  }, [client, live]);

  useEffect(() => loadMachines(), [loadMachines]);

  const showCompare = useCallback(async () => {
    const ids = [...picked];
    dispatch({ type: 'compare', compare: { state: 'loading' } });
    try {
      const [full, info, ms] = await live(Promise.all([Promise.all(ids.map((id) => client.call('runs.get', { id }))), client.call('app.info', {}), client.call('machines.list', {})]));
      const model = buildReport(full, {
        appVersion: info.version,
        generatedAt: new Date().toISOString(),
        versions: { node: info.versions.node, electron: info.versions.electron, sqlite: info.versions.sqlite },
        machines: Object.fromEntries(ms.map((m) => [m.id, m.report])),
      });
      dispatch({ type: 'compare', compare: { state: 'ok', model, ids } });
    } catch (e) {
      dispatch({ type: 'compare', compare: { state: 'error', error: toApiError(e) } });
    }
  }, [client, picked, live]);

  const importBundle = useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      try {
        // Uploaded first, then imported by id: a bundle can exceed a JSON request's size.
        const r = await live(importBundleFile(client, file));
        dispatch({ type: 'imported', notice: `Imported ${r.imported} run${r.imported === 1 ? '' : 's'} from ${file.name}${r.skipped ? ` (${r.skipped} already here)` : ''}` });
        await load();
        loadMachines();
      } catch (e) {
        dispatch({ type: 'failed', title: `Could not import ${file.name}`, error: toApiError(e) });
      }
    },
    [client, load, loadMachines, live],
  );

  const undo = useCallback(async () => {
    if (undoId === null) return;
    try {
      await live(client.call('runs.restore', { id: undoId }));
      dispatch({ type: 'restored', id: undoId });
      await load();
    } catch (e) {
      dispatch({ type: 'failed', title: `Could not restore run #${undoId}`, error: toApiError(e) });
    }
  }, [client, load, undoId, live]);

  useEffect(() => {
    void load();
  }, [load]);

  const select = useCallback(
    async (id: number) => {
      dispatch({ type: 'select', id });
      try {
        const run = await live(client.call('runs.get', { id }));
        dispatch({ type: 'detail-loaded', id, run });
      } catch (e) {
        dispatch({ type: 'detail-failed', id, error: toApiError(e) });
      }
    },
    [client, live],
  );

  // The address decides which run is open: a row click, Close, a reload or a link all go through it.
  useEffect(() => {
    if (runId !== null) void select(runId);
    else dispatch({ type: 'detail-close' });
  }, [runId, select]);

  const remove = useCallback(
    async (id: number) => {
      try {
        await live(client.call('runs.delete', { id }));
        dispatch({ type: 'deleted', id });
        goTo(null);
        await load();
      } catch (e) {
        dispatch({ type: 'delete-failed', id, error: toApiError(e) });
      }
    },
    [client, load, live],
  );
  const setFilter = (key: keyof HistoryFilters) => (e: { target: { value: string } }) => dispatch({ type: 'filter', key, value: e.target.value });

  return (
    <section
      className="page"
      data-testid="page-history"
      // Dropping a bundle file anywhere on the page imports it, like "Import bundle…".
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        void importBundle(file);
      }}
    >
      <PageHeader
        title="History"
        subtitle="Stored hardware reports, benchmarks and model runs, from every machine that shares this database."
        actions={
          <>
            {notice ? (
              <span className="save-status" role="status" data-testid="history-notice">
                {notice}
              </span>
            ) : null}
            {undoId !== null ? (
              <button type="button" className="button" onClick={() => void undo()} data-testid="history-undo">
                Undo
              </button>
            ) : null}
            <label className="button" htmlFor="bundle-file">
              Import bundle…
            </label>
            <input id="bundle-file" className="visually-hidden" type="file" accept=".json,application/json" data-testid="bundle-file" onChange={(e) => void importBundle(e.target.files?.[0])} />
            <button type="button" className="button" onClick={() => void load()}>
              Refresh
            </button>
          </>
        }
      />
      <div className="card history-filters control-row model-options" data-testid="history-filters">
        <div className="field">
          <label htmlFor="f-kind">Kind</label>
          <Select id="f-kind" value={filters.kind} onChange={(value) => dispatch({ type: 'filter', key: 'kind', value })} testId="filter-kind">
            <option value="">all</option>
            {RUN_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </Select>
        </div>
        <div className="field">
          <label htmlFor="f-machine">Machine</label>
          <Select id="f-machine" value={filters.machineId} onChange={(value) => dispatch({ type: 'filter', key: 'machineId', value })} testId="filter-machine">
            <option value="">all</option>
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.hostname} ({m.id.slice(0, 6)})
              </option>
            ))}
          </Select>
        </div>
        <div className="field">
          <label htmlFor="f-since">From</label>
          <input id="f-since" className="input input-narrow" type="date" value={filters.since} onChange={setFilter('since')} />
        </div>
        <div className="field">
          <label htmlFor="f-until">To</label>
          <input id="f-until" className="input input-narrow" type="date" value={filters.until} onChange={setFilter('until')} />
        </div>
        <div className="field">
          <label htmlFor="f-search">Search</label>
          <input id="f-search" className="input" value={filters.search} placeholder="host, note, settings…" onChange={setFilter('search')} data-testid="filter-search" />
        </div>
        <div className="field">
          <label htmlFor="f-tag">Tag</label>
          <input id="f-tag" className="input input-narrow" value={filters.tag} onChange={setFilter('tag')} />
        </div>
        <button type="button" className="button button-primary" disabled={picked.length < 1} onClick={() => void showCompare()} data-testid="compare-button">
          {picked.length > 1 ? `Compare ${picked.length} runs` : 'Report on the ticked run'}
        </button>
      </div>
      {error ? <ErrorCallout error={error} title={errorTitle} onRetry={() => void load()} /> : null}
      {compare ? <ComparePanel compare={compare} onClose={() => dispatch({ type: 'compare', compare: null })} /> : null}
      {!runs && !error ? <Loading label="Loading runs…" /> : null}
      {runs && runs.length === 0 ? (
        Object.values(filters).some(Boolean) ? <EmptyState>No runs match these filters.</EmptyState> : <EmptyState>No runs yet — save a hardware report or run a benchmark.</EmptyState>
      ) : null}
      {detail ? (
        <RunDetail
          detail={detail}
          subject={runs?.find((r) => r.id === detail.id)?.subject ?? null}
          machines={machines}
          onDelete={(id) => void remove(id)}
          onClose={() => goTo(null)}
          onUpdated={(run) => {
            dispatch({ type: 'updated', run });
            void load();
          }}
        />
      ) : null}
      {runs && runs.length > 0 ? (
        <div>
          <div className="card table-card">
            <DataTable
              testId="runs-table"
              className="runs-table"
              caption="Stored runs, newest first"
              columns={[
                { label: <span className="visually-hidden">Pick for comparison</span> },
                { label: 'ID', num: true },
                { label: 'Kind' },
                { label: 'Subject' },
                { label: 'Machine' },
                { label: 'Date', num: true },
                ...HISTORY_COLUMNS.map((c) => ({ label: COLUMN_HEADS[c].label, num: true, ...(COLUMN_HEADS[c].title ? { title: COLUMN_HEADS[c].title } : {}) })),
                { label: 'App version', className: 'runs-col-version' },
              ]}
              rows={runs.map((run) => {
                const columns = runKind(run.kind).history.columns;
                const figures = summaryFigures(run);
                return {
                  key: String(run.id),
                  className: detail?.id === run.id ? 'selected' : undefined,
                  // The whole row is a mouse target; the ID button is the keyboard one.
                  onClick: () => goTo(run.id),
                  data: { 'run-id': String(run.id) },
                  cellClass: [undefined, undefined, undefined, 'run-subject', undefined, undefined, ...HISTORY_COLUMNS.map(() => undefined), 'mono'],
                  cellData: [undefined, undefined, undefined, { testid: 'run-subject' }, undefined, undefined, ...HISTORY_COLUMNS.map((c) => (c === 'time' && columns.includes(c) && figures ? { testid: 'run-time' } : undefined)), undefined],
                  cells: [
                    <input
                      type="checkbox"
                      aria-label={`Pick run ${run.id} for comparison`}
                      checked={picked.includes(run.id)}
                      onClick={(e) => e.stopPropagation()}
                      onChange={(e) => dispatch({ type: 'pick', id: run.id, picked: e.target.checked })}
                      data-testid={`pick-${run.id}`}
                    />,
                    <button type="button" className="link-button" aria-pressed={detail?.id === run.id} aria-label={`Show run ${run.id}`}>
                      #{run.id}
                    </button>,
                    <>
                      <span className="chip">{run.kind}</span>
                      {run.tags?.map((t) => (
                        <span className="chip chip-best" key={t}>
                          {t}
                        </span>
                      ))}
                    </>,
                    run.subject ?? '',
                    run.hostname,
                    <time dateTime={run.createdAt} title={run.createdAt}>
                      {formatLocalDateTime(run.createdAt)}
                    </time>,
                    ...figureCells(columns, figures),
                    run.appVersion,
                  ],
                };
              })}
            />
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** The figure columns' headings (which columns there are, and which a row fills, is the run-kind registry's). */
const COLUMN_HEADS: Record<HistoryColumn, { label: string; title?: string }> = {
  time: { label: 'Time' },
  energy: { label: 'Energy', title: 'Energy of benchmark runs, per inference for model runs; “est.” marks an estimate' },
};

/** The figure cells' contents of a History row (Time, Energy): empty for kinds without them. */
function figureCells(columns: readonly HistoryColumn[], figures: RunFigures | null | undefined): ReactNode[] {
  return HISTORY_COLUMNS.map((c) =>
    !figures || !columns.includes(c) ? null : c === 'time' ? (
      <>
        {figures.time ?? ''}
        {figures.implausible.length ? (
          <span className="badge badge-warn" title={figures.implausible.join('\n')} data-testid="run-implausible">
            implausible
          </span>
        ) : null}
      </>
    ) : (
      <span className={`energy-cell${figures.estimated ? ' estimated' : ''}`} title={figures.title || undefined} data-testid="run-energy" data-estimated={figures.estimated ? 'true' : 'false'}>
        {figures.energy ?? (figures.time ? '—' : '')}
      </span>
    ),
  );
}

function RunDetail({ detail, subject, machines, onDelete, onClose, onUpdated }: { detail: Detail; subject: string | null; machines: readonly Machine[]; onDelete: (id: number) => void; onClose: () => void; onUpdated: (run: Run) => void }) {
  const client = useClient();
  const ref = useRef<HTMLElement>(null);
  // Opened from a row far down the table: bring the run into view.
  useEffect(() => ref.current?.scrollIntoView?.({ block: 'start' }), [detail.id]);
  const [{ confirming, tags, note, saveError }, dispatch] = useReducer(runDetailReducer, initialRunDetailState);
  const setConfirming = (confirming: boolean) => dispatch({ type: 'confirming', confirming });
  useEffect(() => setConfirming(false), [detail.id]);
  useEffect(() => {
    if (detail.state === 'ok') dispatch({ type: 'run', run: detail.run });
  }, [detail]);
  const saveMeta = async () => {
    dispatch({ type: 'save-start' });
    try {
      const run = await client.call('runs.update', { id: detail.id, tags: tags.split(',').map((t) => t.trim()).filter(Boolean), note });
      onUpdated(run);
    } catch (e) {
      dispatch({ type: 'save-failed', error: toApiError(e) });
    }
  };

  return (
    <section ref={ref} className="card run-detail" aria-labelledby="run-detail-heading" data-testid="run-detail">
      <div className="run-detail-head">
        <h2 id="run-detail-heading">
          Run #{detail.id}
          {detail.state === 'ok' ? ` — ${runKind(detail.run.kind).label}` : ''}
          {subject ? `: ${subject}` : ''}
        </h2>
        <div className="page-actions">
          {confirming ? (
            <>
              <button type="button" className="button button-danger" onClick={() => onDelete(detail.id)}>
                Confirm delete
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="button" onClick={() => setConfirming(true)} disabled={detail.state === 'loading'}>
              Delete
            </button>
          )}
          <button type="button" className="button" onClick={onClose} aria-label="Close run details">
            Close
          </button>
        </div>
      </div>
      {detail.state === 'loading' ? <Loading label="Loading run…" /> : null}
      {detail.state === 'error' ? <ErrorCallout error={detail.error} title={`Could not load run #${detail.id}`} /> : null}
      {detail.state === 'ok' ? (
        <div className="run-meta" data-testid="run-meta">
          {/* The run's own view below is full width: its tags and note sit on one row above it. */}
          <div className="model-options">
            <div className="field">
              <label htmlFor="run-tags">Tags (comma-separated)</label>
              <input id="run-tags" className="input" value={tags} onChange={(e) => dispatch({ type: 'edit', key: 'tags', value: e.target.value })} data-testid="run-tags" />
            </div>
            <div className="field field-wide">
              <label htmlFor="run-note">Note</label>
              <textarea id="run-note" className="input" rows={2} value={note} onChange={(e) => dispatch({ type: 'edit', key: 'note', value: e.target.value })} data-testid="run-note" />
            </div>
            <button type="button" className="button" onClick={() => void saveMeta()} data-testid="run-save-meta">
              Save tags and note
            </button>
          </div>
          {saveError ? <ErrorCallout error={saveError} title="Not saved" /> : null}
          <ExportButtons ids={[detail.id]} />
        </div>
      ) : null}
      {detail.state === 'ok' ? <WarningCallout title="Values outside their plausible range: check before trusting this run" items={implausibleNotes(detail.run.kind, detail.run.result)} /> : null}
      {detail.state === 'ok' ? <RunView run={detail.run} machines={machines} /> : null}
    </section>
  );
}

/** Report and bundle downloads for runs (`reports.render`, `runs.export`). */
function ExportButtons({ ids }: { ids: number[] }) {
  const client = useClient();
  const [{ error, busy }, dispatch] = useReducer(exportReducer, initialExportState);
  const download = (name: string, type: string, data: BlobPart) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([data], { type }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const report = async (format: 'html' | 'pdf' | 'md' | 'csv') => {
    dispatch({ type: 'report-start', format });
    try {
      const r = await client.call('reports.render', { ids, format });
      const data = r.encoding === 'base64' ? Uint8Array.from(atob(r.content), (c) => c.charCodeAt(0)) : r.content;
      download(r.fileName, r.mimeType, data);
    } catch (e) {
      dispatch({ type: 'failed', error: toApiError(e) });
    } finally {
      dispatch({ type: 'report-done' });
    }
  };
  const bundle = async () => {
    dispatch({ type: 'bundle-start' });
    try {
      const b = await client.call('runs.export', { ids });
      download(`flopscope-bundle-${ids.join('-')}.json`, 'application/json', JSON.stringify(b, null, 2));
    } catch (e) {
      dispatch({ type: 'failed', error: toApiError(e) });
    }
  };
  return (
    <div className="control-actions export-buttons" data-testid="export-buttons">
      {(['html', 'pdf', 'md', 'csv'] as const).map((f) => (
        <button type="button" key={f} className="button" disabled={busy !== null} onClick={() => void report(f)} data-testid={`export-${f}`}>
          {busy === f ? 'Exporting…' : `Export ${f.toUpperCase()}`}
        </button>
      ))}
      <button type="button" className="button" onClick={() => void bundle()} data-testid="export-bundle">
        Export bundle
      </button>
      {error ? <ErrorCallout error={error} title="Export failed" /> : null}
    </div>
  );
}

function ComparePanel({ compare, onClose }: { compare: { state: 'loading' } | { state: 'ok'; model: ReportModel; ids: number[] } | { state: 'error'; error: ApiError }; onClose: () => void }) {
  return (
    <div className="card compare-panel" data-testid="compare-panel">
      <div className="run-detail-head">
        <h2>{compare.state === 'ok' ? compare.model.title : 'Comparison'}</h2>
        <div className="page-actions">
          {compare.state === 'ok' ? <ExportButtons ids={compare.ids} /> : null}
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {compare.state === 'loading' ? <Loading label="Building the comparison…" /> : null}
      {compare.state === 'error' ? <ErrorCallout error={compare.error} title="Could not compare" /> : null}
      {compare.state === 'ok' ? (
        <>
          {compare.model.comparisons.map((c) => (
            <section key={c.runIds.join('-')} data-testid="comparison">
              {c.blocks.map((b) => (
                <ReportBlockView key={b.id} block={b} />
              ))}
            </section>
          ))}
          {compare.model.runs.map((r) => (
            <details key={r.header.id}>
              <summary>
                Run #{r.header.id} — {r.header.kind}
                {r.header.subject ? `: ${r.header.subject}` : ''} on {r.header.machine.hostname}, {r.header.createdAt}
              </summary>
              {r.blocks.map((b) => (
                <ReportBlockView key={b.id} block={b} />
              ))}
            </details>
          ))}
        </>
      ) : null}
    </div>
  );
}
