/**
 * History page (renderer): the stored runs (`runs.list`), newest first. Selecting a row loads the
 * full run (`runs.get`) as JSON beside the table; Delete asks once more, then calls `runs.delete`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, Run, RunSummary } from '../../src-shared/api/types.js';
import { toApiError, useClient } from '../api/api-context.js';
import { EmptyState, ErrorCallout, Loading } from '../components/callouts.js';
import { PageHeader } from '../components/page-header.js';
import { formatLocalDateTime } from '../format.js';

type Detail = { id: number; state: 'loading' } | { id: number; state: 'ok'; run: Run } | { id: number; state: 'error'; error: ApiError };

export function HistoryPage() {
  const client = useClient();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const alive = useRef(true);

  const load = useCallback(async () => {
    setError(null);
    try {
      const list = await client.call('runs.list', {});
      if (alive.current) setRuns(list);
    } catch (e) {
      if (alive.current) setError(toApiError(e));
    }
  }, [client]);

  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [load]);

  const select = useCallback(
    async (id: number) => {
      setNotice(null);
      setDetail({ id, state: 'loading' });
      try {
        const run = await client.call('runs.get', { id });
        if (alive.current) setDetail((d) => (d?.id === id ? { id, state: 'ok', run } : d));
      } catch (e) {
        if (alive.current) setDetail((d) => (d?.id === id ? { id, state: 'error', error: toApiError(e) } : d));
      }
    },
    [client],
  );

  const remove = useCallback(
    async (id: number) => {
      try {
        await client.call('runs.delete', { id });
        if (!alive.current) return;
        setDetail(null);
        setNotice(`Deleted run #${id}`);
        await load();
      } catch (e) {
        if (alive.current) setDetail({ id, state: 'error', error: toApiError(e) });
      }
    },
    [client, load],
  );

  return (
    <section className="page" data-testid="page-history">
      <PageHeader
        title="History"
        subtitle="Stored hardware reports, benchmarks and model runs, from every machine that shares this database."
        actions={
          <>
            {notice ? (
              <span className="save-status" role="status">
                {notice}
              </span>
            ) : null}
            <button type="button" className="button" onClick={() => void load()}>
              Refresh
            </button>
          </>
        }
      />
      {error ? <ErrorCallout error={error} title="Could not list runs" onRetry={() => void load()} /> : null}
      {!runs && !error ? <Loading label="Loading runs…" /> : null}
      {runs && runs.length === 0 ? <EmptyState>No runs yet — save a hardware report or run a benchmark.</EmptyState> : null}
      {runs && runs.length > 0 ? (
        <div className={detail ? 'split' : undefined}>
          <div className="card table-card">
            <table className="data-table runs-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    ID
                  </th>
                  <th scope="col">Kind</th>
                  <th scope="col">Machine</th>
                  <th scope="col">Date</th>
                  <th scope="col">App version</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr
                    key={run.id}
                    className={detail?.id === run.id ? 'selected' : undefined}
                    // The whole row is a mouse target; the ID button is the keyboard one.
                    onClick={() => void select(run.id)}
                    data-run-id={run.id}
                  >
                    <td className="num">
                      <button type="button" className="link-button" aria-pressed={detail?.id === run.id} aria-label={`Show run ${run.id}`}>
                        #{run.id}
                      </button>
                    </td>
                    <td>
                      <span className="chip">{run.kind}</span>
                    </td>
                    <td>{run.hostname}</td>
                    <td className="num">
                      <time dateTime={run.createdAt} title={run.createdAt}>
                        {formatLocalDateTime(run.createdAt)}
                      </time>
                    </td>
                    <td className="mono">{run.appVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {detail ? <RunDetail detail={detail} onDelete={(id) => void remove(id)} onClose={() => setDetail(null)} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function RunDetail({ detail, onDelete, onClose }: { detail: Detail; onDelete: (id: number) => void; onClose: () => void }) {
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setConfirming(false), [detail.id]);

  return (
    <aside className="card run-detail" aria-labelledby="run-detail-heading" data-testid="run-detail">
      <div className="run-detail-head">
        <h2 id="run-detail-heading">Run #{detail.id}</h2>
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
        <pre className="json" tabIndex={0} aria-label={`Run ${detail.id} as JSON`}>
          {JSON.stringify(detail.run, null, 2)}
        </pre>
      ) : null}
    </aside>
  );
}
