/**
 * "Fit your own law" (renderer): pick a CSV of your runs (params, tokens, loss[, flops]); the
 * backend fits L(N, D) = E + A/N^α + B/D^β the way Hoffmann et al. 2022 did (`fits.create`),
 * stores it as a 'fit' run, and the planner switches to it. Shows the constants with bootstrap
 * intervals, the compute-optimal exponents and the residuals; bad CSVs get the backend's message,
 * which names the column or row.
 */
import { memo, useState } from 'react';
import type { FitInfo } from '../../src-shared/api/planner.js';
import type { ApiError } from '../../src-shared/api/types.js';
import { renderResidualsChart } from '../../src-shared/charts/residuals-chart.js';
import { formatCount } from '../../src-shared/planner/format.js';
import { toApiError, useClient } from '../api/api-context.js';
import { DataTable } from '../ui/data-table.js';
import { FileButton } from '../ui/file-button.js';
import { ErrorCallout, WarningCallout } from './callouts.js';
import { SvgChart } from './model-whatif-training.js';
import { formatNumber } from '../../src-shared/reports/report-parts.js';

const ci = (x: readonly [number, number]) => `[${x[0].toPrecision(3)}, ${x[1].toPrecision(3)}]`;

/** Memoised: independent of the plan, so budget moves do not redraw its residuals chart. */
export const PlannerFitOwn = memo(function PlannerFitOwn({ onCreated }: { onCreated: (fit: FitInfo) => void | Promise<void> }) {
  const client = useClient();
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'fitting'; name: string } | { kind: 'done'; fit: FitInfo } | { kind: 'error'; error: ApiError }>({ kind: 'idle' });

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setState({ kind: 'fitting', name: file.name });
    try {
      const csv = await file.text();
      const fit = await client.call('fits.create', { name: file.name, csv });
      setState({ kind: 'done', fit });
      await onCreated(fit);
    } catch (e) {
      setState({ kind: 'error', error: toApiError(e) });
    }
  };

  const fitted = state.kind === 'done' ? state.fit.fitted : undefined;
  const worst = fitted ? [...fitted.residuals].sort((a, b) => Math.abs(b.logResidual) - Math.abs(a.logResidual)).slice(0, 5) : [];
  return (
    <div className="card" id="planner-fit-own" data-testid="fit-own">
      <h2 className="section-title">Fit your own law</h2>
      <p className="note">
        A CSV with a header row and columns <code>params</code>, <code>tokens</code>, <code>loss</code> (optionally <code>flops</code>), one row per training run, at least 10 runs. The fit minimises the Huber loss (δ = 10⁻³) of log-loss
        residuals with L-BFGS from a grid of starting points (Hoffmann et al. 2022, App. D.2), then bootstraps the runs for 95% intervals.
      </p>
      <FileButton id="fit-csv" label="Choose CSV…" accept=".csv,text/csv" testId="fit-csv" onFile={(f) => void onFile(f)} emptyText="No CSV chosen yet" />
      {state.kind === 'fitting' ? (
        <p className="note" role="status">
          Fitting {state.name}…
        </p>
      ) : null}
      {state.kind === 'error' ? <ErrorCallout error={state.error} title="The runs could not be fitted" /> : null}
      {state.kind === 'done' && fitted ? (
        <div data-testid="fit-result">
          <p role="status">
            Fitted <strong>{state.fit.label}</strong> to {fitted.nRuns} runs and stored it as run #{state.fit.runId}; the planner now uses it.
          </p>
          <dl className="facts">
            <div className="fact">
              <dt>α (params exponent)</dt>
              <dd className="num" data-testid="fit-alpha">
                {fitted.law.alpha.toFixed(4)} {ci(fitted.bootstrap.ci.alpha)}
              </dd>
            </div>
            <div className="fact">
              <dt>β (data exponent)</dt>
              <dd className="num" data-testid="fit-beta">
                {fitted.law.beta.toFixed(4)} {ci(fitted.bootstrap.ci.beta)}
              </dd>
            </div>
            <div className="fact">
              <dt>E, A, B</dt>
              <dd className="num">
                {fitted.law.E.toPrecision(4)}, {fitted.law.A.toPrecision(4)}, {fitted.law.B.toPrecision(4)}
              </dd>
            </div>
            <div className="fact">
              <dt>N* ∝ C^a</dt>
              <dd className="num">
                a = {fitted.frontierExponents.a.toFixed(3)} {ci(fitted.frontierExponents.ci.a)}
              </dd>
            </div>
            <div className="fact">
              <dt>RMSE of log-loss</dt>
              <dd className="num">{fitted.rmseLog.toPrecision(3)}</dd>
            </div>
          </dl>
          <SvgChart testId="residuals-chart" render={(width) => renderResidualsChart({ residuals: fitted.residuals }, { width })} />
          <h3 className="subheading">Largest residuals</h3>
          <DataTable
            testId="fit-residuals"
            caption="Largest residuals"
            columns={[{ label: 'Parameters', num: true }, { label: 'Tokens', num: true }, { label: 'Loss', num: true }, { label: 'Predicted', num: true }, { label: 'ln(loss / predicted)', num: true }]}
            rows={worst.map((r, i) => ({ key: String(i), cells: [formatCount(r.N), formatCount(r.D), r.loss.toFixed(4), r.predicted.toFixed(4), formatNumber(r.logResidual)] }))}
          />
          {fitted.warnings.length ? <WarningCallout title="Fit notes" items={fitted.warnings} /> : null}
        </div>
      ) : null}
    </div>
  );
});
