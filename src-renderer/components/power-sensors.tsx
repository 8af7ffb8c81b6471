/**
 * "Power sensors" card on the Hardware page (renderer): what `energy.sources` says a run would
 * read on this machine — each channel with where it is read and whether it counts in the total —
 * why every other source is not available (with the fix where it is a permission), and, when no
 * sensor measures the CPU, the basis the estimate is labelled with. Pure view of the API answer.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../src-shared/api/types.js';
import type { PowerSourcesReport } from '../../src-shared/energy/types.js';
import { toApiError, useClient } from '../api/api-context.js';
import { basisText } from '../../src-shared/energy/format.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorCallout, Loading } from './callouts.js';

export function PowerSensorsCard() {
  const client = useClient();
  const [found, setFound] = useState<PowerSourcesReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let alive = true;
    client.call('energy.sources', {}).then(
      (r) => alive && setFound(r),
      (e: unknown) => alive && setError(toApiError(e)),
    );
    return () => {
      alive = false;
    };
  }, [client]);

  const measured = found?.channels.filter((c) => c.source !== 'estimate') ?? [];
  return (
    <section className="card" aria-labelledby="power-heading" data-testid="power-sensors">
      <h2 id="power-heading">Power sensors</h2>
      {error ? <ErrorCallout error={error} title="Could not look for power sensors" /> : null}
      {!found && !error ? <Loading label="Looking for power sensors…" /> : null}
      {found ? (
        <>
          <p className="note" data-testid="power-summary">
            {measured.length
              ? `Benchmarks and model runs read ${measured.length} channel(s) here, every 100 ms.`
              : 'No power sensor is readable on this machine: benchmarks and model runs report estimated energy.'}{' '}
            {found.cpuMeasured ? 'The CPU is measured.' : <>The CPU is <strong>estimated</strong>: {basisText(found.estimateBasis)}.</>}
          </p>
          {measured.length ? (
            <DataTable
              testId="power-channels"
              caption="Power channels"
              columns={[{ label: 'Channel' }, { label: 'Device' }, { label: 'Source' }, { label: 'Read from' }, { label: 'In total' }]}
              rows={measured.map((c) => ({
                key: c.id,
                cells: [c.label, <span className="mono">{c.kind}</span>, <span className="mono">{c.source}</span>, <span className="basis">{c.detail}</span>, c.inTotal ? 'yes' : 'no (inside or beside another)'],
              }))}
            />
          ) : null}
          {found.unavailable.length ? (
            <>
              <h3 className="subheading">Not available</h3>
              <ul className="plain-list" data-testid="power-unavailable">
                {found.unavailable.map((u) => (
                  <li key={u}>{u}</li>
                ))}
              </ul>
            </>
          ) : null}
          {found.warnings.length ? (
            <div className="callout callout-warning" role="note" data-testid="power-warnings">
              <p className="callout-title">{found.warnings.length === 1 ? 'Power sensor warning' : `${found.warnings.length} power sensor warnings`}</p>
              <ul>
                {found.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
