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
            {found.cpuMeasured ? 'The CPU is measured.' : <>The CPU is <strong>estimated</strong>: {found.estimateBasis}.</>}
          </p>
          {measured.length ? (
            <div className="table-wrap">
              <table className="data-table" data-testid="power-channels">
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">Device</th>
                    <th scope="col">Source</th>
                    <th scope="col">Read from</th>
                    <th scope="col">In total</th>
                  </tr>
                </thead>
                <tbody>
                  {measured.map((c) => (
                    <tr key={c.id}>
                      <td>{c.label}</td>
                      <td className="mono">{c.kind}</td>
                      <td className="mono">{c.source}</td>
                      <td className="basis">{c.detail}</td>
                      <td>{c.inTotal ? 'yes' : 'no (inside or beside another)'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
