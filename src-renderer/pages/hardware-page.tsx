/**
 * Hardware page (renderer, default section): what `hardware.detect` found on this machine: CPU,
 * memory, GPUs, and the theoretical peaks with the basis each was computed from, so a number is
 * never shown without its derivation. Re-detect re-probes; Save to history stores a 'hardware' run.
 * Caches and clocks use the CLI's wording (src-shared/hardware/format.ts): the cache line with the
 * L3 sharing groups and where the sizes came from, the OS's clocks beside the measured all-core
 * clock, and which of them the CPU peaks used; reports from before `cacheSource`, `l3Groups` and
 * `measuredClock` show what they have.
 */
import { useCallback, useEffect, useReducer } from 'react';
import { toApiError, useClient } from '../api/api-context.js';
import { useLifetime } from '../api/use-lifetime.js';
import { ErrorCallout, Loading } from '../components/callouts.js';
import { ReportView } from '../components/hardware-report-view.js';
import { PageHeader } from '../components/page-header.js';
import { RunLink } from '../components/run-link.js';
import { hardwareReducer, initialHardwareState } from '../hardware-state.js';

export function HardwarePage() {
  const client = useClient();
  const [{ report, error, busy, savedRunId }, dispatch] = useReducer(hardwareReducer, initialHardwareState);
  const { live } = useLifetime();

  const detect = useCallback(
    async (mode: { refresh?: boolean; save?: boolean }) => {
      const save = Boolean(mode.save);
      dispatch({ type: 'start', save });
      try {
        dispatch({ type: 'detected', report: await live(client.call('hardware.detect', mode)), save });
      } catch (e) {
        dispatch({ type: 'failed', error: toApiError(e) });
      }
    },
    [client, live],
  );

  useEffect(() => {
    void detect({});
  }, [detect]);

  const actions = (
    <>
      {savedRunId !== null ? (
        <span className="save-status" role="status" data-testid="save-status">
          Saved as <RunLink id={savedRunId} />
        </span>
      ) : null}
      {/* While busy the buttons are aria-disabled, not disabled: a disabled button drops the keyboard focus it had to <body>. */}
      <button type="button" className="button" onClick={() => busy === null && void detect({ refresh: true })} aria-disabled={busy !== null}>
        {busy === 'detect' && report ? 'Detecting…' : 'Re-detect'}
      </button>
      <button type="button" className="button button-primary" onClick={() => busy === null && void detect({ save: true })} disabled={!report} aria-disabled={busy !== null}>
        {busy === 'save' ? 'Saving…' : 'Save to history'}
      </button>
    </>
  );

  const subtitle = report
    ? `${report.machine.hostname} · ${report.machine.os.platform} ${report.machine.os.release} · ${report.machine.os.arch}`
    : 'What this machine can do, and how each number was derived.';

  return (
    <section className="page" data-testid="page-hardware" aria-busy={busy !== null}>
      <PageHeader title="Hardware" subtitle={subtitle} actions={actions} />
      {error ? <ErrorCallout error={error} title={report ? 'The last action failed' : 'Hardware detection failed'} onRetry={() => void detect({ refresh: true })} /> : null}
      {!report && !error ? <Loading label="Detecting hardware…" /> : null}
      {report ? <ReportView report={report} /> : null}
    </section>
  );
}
