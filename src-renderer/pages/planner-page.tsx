/**
 * Planner page (renderer): a compute budget — FLOPs, device-hours on a catalog GPU or this
 * machine, or money — and a scaling-law fit in; N*, D*, tokens per parameter, loss, time, cost
 * energy and CO₂ at a PUE and grid intensity the user sets, and a concrete transformer shape out,
 * with the IsoFLOP, loss-contour and fit-comparison charts.
 * Everything is computed in the page with src-shared/planner on each keystroke or slider move;
 * the backend is asked only for the fit list (`fits.list`, custom fits included), what "this
 * machine" is (`planner.thisMachine`), to fit a CSV (`fits.create`) and to store a plan
 * (`plan.save`). Memory/parallelism and the gradient-descent cost lesson are sections below.
 */
import { useCallback, useDeferredValue, useEffect, useMemo } from 'react';
import { useKeptReducer } from '../api/kept-state.js';
import type { FitInfo } from '../../src-shared/api/planner.js';
import { renderFrontierCompareChart } from '../../src-shared/charts/frontier-compare-chart.js';
import { renderIsoflopChart } from '../../src-shared/charts/isoflop-chart.js';
import { lossContours, lossContourSvg, lossGrid, renderLossContourChart } from '../../src-shared/charts/loss-contour-chart.js';
import { GPU_CATALOG } from '../../src-shared/hardware/gpu-catalog.js';
import { DEFAULT_MFU } from '../../src-shared/planner/budget.js';
import { DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE, formatCo2Kg, formatKwh, GRID_REFERENCE_POINTS, GRID_SOURCE, PUE_SOURCE, type PlanEnergy } from '../../src-shared/planner/energy.js';
import { formatCount, formatDuration, formatSci, formatUsd } from '../../src-shared/planner/format.js';
import { frontierAt, lossAt } from '../../src-shared/planner/laws.js';
import type { PlanResult } from '../../src-shared/planner/plan.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useLifetime } from '../api/use-lifetime.js';
import { ErrorCallout, Loading, WarningCallout } from '../components/callouts.js';
import { Fact, SvgChart } from '../components/model-whatif-training.js';
import { PageHeader } from '../components/page-header.js';
import { PlannerFitOwn } from '../components/planner-fit-own.js';
import { PlannerGdLesson } from '../components/planner-gd-lesson.js';
import { PlannerParallelism } from '../components/planner-parallelism.js';
import { devicePeak, planFromForm, switchBudget, type BudgetKind, type PlannerForm } from '../planner-form.js';
import { initialPlannerState, plannerReducer, type PlannerAction } from '../planner-state.js';

const BUDGET_KINDS: Array<[BudgetKind, string]> = [
  ['flops', 'FLOPs'],
  ['device-hours', 'Device-hours'],
  ['money', 'Money'],
];

export const MFU_NOTE = `MFU defaults to ${DEFAULT_MFU.toFixed(2)}: large dense runs report 0.21–0.46 (Chowdhery et al. 2022, PaLM, Table 3: GPT-3 21.3%, Gopher 32.5%, Megatron-Turing NLG 30.2%, PaLM 46.2%).`;

const THIS = 'this';

/** A log₁₀ slider position as the text field shows it: 3 significant digits, "2.51e+20" → "2.51e20". */
export function sliderText(log10: number): string {
  return (10 ** log10).toPrecision(3).replace('e+', 'e');
}

export function PlannerPage() {
  const client = useClient();
  const [state, dispatch] = useKeptReducer('planner', plannerReducer, initialPlannerState);
  const { form, fits, loadError, thisMachine, saved } = state;
  const { live } = useLifetime();

  const loadFits = useCallback(async () => {
    try {
      dispatch({ type: 'fits', fits: await live(client.call('fits.list', {})) });
    } catch (e) {
      dispatch({ type: 'load-error', error: toApiError(e) });
    }
  }, [client, live]);

  useEffect(() => {
    void loadFits();
    live(client.call('planner.thisMachine', {}))
      .then((t) => dispatch({ type: 'this-machine', thisMachine: t }))
      .catch((e: unknown) => dispatch({ type: 'this-machine', thisMachine: { device: null, note: toApiError(e).message } }));
  }, [client, live, loadFits]);

  const set = <K extends keyof PlannerForm>(key: K, value: PlannerForm[K]) => dispatch({ type: 'edit', key, value } as PlannerAction);

  const onFitCreated = useCallback(
    async (created: FitInfo) => {
      await loadFits();
      dispatch({ type: 'edit', key: 'fit', value: created.id });
    },
    [loadFits],
  );

  const customFits = useMemo(() => (fits ?? []).filter((f) => !f.builtin), [fits]);
  const outcome = useMemo(() => planFromForm(form, customFits, thisMachine), [form, customFits, thisMachine]);
  const fit = fits?.find((f) => f.id === form.fit) ?? null;
  // The parallelism section follows at low priority, so the charts above redraw first.
  const deferredPlan = useDeferredValue(outcome.ok ? outcome.plan : null);

  const save = async () => {
    if (!outcome.ok) return;
    try {
      const r = await client.call('plan.save', outcome.request);
      dispatch({ type: 'saved', saved: { runId: r.runId } });
    } catch (e) {
      dispatch({ type: 'saved', saved: { error: toApiError(e) } });
    }
  };

  const exportJson = () => {
    if (!outcome.ok) return;
    const blob = new Blob([JSON.stringify({ request: outcome.request, plan: outcome.plan }, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `flopscope-plan-${outcome.plan.fit.replace(/[^a-z0-9-]/gi, '_')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  if (loadError) return <ErrorCallout error={loadError} title="Could not load the scaling-law fits" onRetry={() => void loadFits()} />;

  const err = outcome.ok ? null : outcome.error;
  const fieldError = (key: keyof PlannerForm) =>
    err?.field === key ? (
      <p className="field-hint field-error" role="alert" data-testid={`error-${key}`}>
        {err.message}
      </p>
    ) : null;
  const input = (key: keyof PlannerForm, label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`plan-${key}`}>{label}</label>
      <input id={`plan-${key}`} className="input num" value={form[key]} aria-invalid={err?.field === key} onChange={(e) => set(key, e.target.value)} data-testid={`input-${key}`} />
      {hint ? <p className="field-hint">{hint}</p> : null}
      {fieldError(key)}
    </div>
  );

  // The slider moves the budget's main number on a log scale.
  const slider =
    form.budgetKind === 'flops'
      ? { key: 'flops' as const, min: 15, max: 30, label: 'Compute (log₁₀ FLOPs)' }
      : form.budgetKind === 'device-hours'
        ? { key: 'hours' as const, min: -1, max: 6, label: 'Hours (log₁₀)' }
        : { key: 'usd' as const, min: 1, max: 9, label: 'Budget (log₁₀ USD)' };
  const sliderValue = Math.log10(Number(form[slider.key]));

  return (
    <section className="page planner-page" data-testid="page-planner">
      <PageHeader
        title="Planner"
        subtitle="How many parameters and tokens a compute budget buys, under published scaling laws or your own."
        actions={
          <>
            <button type="button" className="button" disabled={!outcome.ok} onClick={exportJson} data-testid="plan-export">
              Export JSON
            </button>
            <button type="button" className="button button-primary" disabled={!outcome.ok} onClick={() => void save()} data-testid="plan-save">
              Save plan
            </button>
          </>
        }
      />
      {saved && 'runId' in saved ? (
        <p className="save-status" role="status" data-testid="plan-saved">
          Saved as run #{saved.runId} (see History).
        </p>
      ) : null}
      {saved && 'error' in saved ? <ErrorCallout error={saved.error} title="The plan was not saved" /> : null}

      <div className="card planner-controls" data-testid="planner-controls">
        <div className="segmented" role="radiogroup" aria-label="Budget">
          {BUDGET_KINDS.map(([k, label]) => (
            <label key={k} className="segment">
              <input type="radio" name="budget-kind" value={k} checked={form.budgetKind === k} onChange={() => dispatch({ type: 'form', form: switchBudget(form, k, outcome.ok ? outcome.plan.computeFlops : null, devicePeak(form.device, thisMachine)) })} data-testid={`budget-${k}`} /> {label}
            </label>
          ))}
        </div>
        <div className="control-row model-options">
          {form.budgetKind === 'flops' ? input('flops', 'Compute (FLOPs)', 'e.g. 1e22; leave empty with Parameters set for the compute-optimal budget of that size') : null}
          {form.budgetKind !== 'flops' ? (
            <div className="field">
              <label htmlFor="plan-device">Device</label>
              <select id="plan-device" className="select" value={form.device} onChange={(e) => set('device', e.target.value)} data-testid="plan-device">
                <option value={THIS}>This machine{thisMachine.device ? ` (${thisMachine.device.dtype} ${formatSci(thisMachine.device.peakFlops)} FLOP/s)` : ''}</option>
                {GPU_CATALOG.map((g) => (
                  <option key={g.name} value={g.name}>
                    {g.name}
                  </option>
                ))}
              </select>
              {form.device === THIS ? <p className="field-hint">{thisMachine.note}</p> : null}
              {form.device === THIS && thisMachine.powerNote ? (
                <p className="field-hint" data-testid="this-power">
                  Power: {thisMachine.power ? `${Number(thisMachine.power.watts.toPrecision(3))} W, ` : ''}
                  {thisMachine.powerNote}
                </p>
              ) : null}
              {fieldError('device')}
            </div>
          ) : null}
          {form.budgetKind === 'device-hours' ? input('hours', 'Hours (wall clock)') : null}
          {form.budgetKind === 'money' ? input('usd', 'Budget (USD)') : null}
          {form.budgetKind === 'money' ? input('usdPerHour', 'USD per device-hour') : null}
          {form.budgetKind !== 'flops' ? input('count', 'Devices') : null}
          {form.budgetKind !== 'flops' ? input('mfu', 'MFU (0–1)') : null}
        </div>
        <div className="field field-wide">
          <label htmlFor="plan-slider">{slider.label}</label>
          <input
            id="plan-slider"
            type="range"
            min={slider.min}
            max={slider.max}
            step={0.05}
            value={Number.isFinite(sliderValue) ? Math.min(slider.max, Math.max(slider.min, sliderValue)) : slider.min}
            onChange={(e) => set(slider.key, sliderText(Number(e.target.value)))}
            data-testid="plan-slider"
          />
        </div>
        {form.budgetKind !== 'flops' ? <p className="note">{MFU_NOTE}</p> : null}
        <div className="control-row model-options planner-energy-inputs">
          {input('pue', 'PUE (site)', `default ${DEFAULT_PUE}: Uptime Institute 2024 survey average; 1 = no cooling or other overhead`)}
          {input(
            'gridGPerKwh',
            'Grid intensity (gCO₂/kWh)',
            `default ${DEFAULT_GRID_G_PER_KWH}: Ember 2024 world average for 2023; e.g. ${GRID_REFERENCE_POINTS.map((r) => `${r.where} ${r.gPerKwh}`).join(', ')}`,
          )}
        </div>
        <div className="control-row model-options">
          <div className="field">
            <label htmlFor="plan-fit">Scaling law</label>
            <select id="plan-fit" className="select" value={form.fit} onChange={(e) => set('fit', e.target.value)} data-testid="plan-fit">
              {(fits ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                  {f.builtin ? '' : ' (yours)'}
                </option>
              ))}
            </select>
            {fieldError('fit')}
          </div>
          {input('params', 'Parameters (optional)', 'fix the size, e.g. 7B')}
          {input('inferenceTokens', 'Inference tokens (optional)', 'lifetime demand, e.g. 1e13')}
          {input('uniqueTokens', 'Unique tokens (optional)', 'data limit, e.g. 1T')}
          {input('vocab', 'Vocabulary')}
          {input('context', 'Context')}
        </div>
      </div>

      {!fits ? <Loading label="Loading fits…" /> : null}
      {fit ? <FitCard fit={fit} /> : null}
      {outcome.ok && fit ? <PlanView plan={outcome.plan} fit={fit} fits={fits ?? []} /> : null}

      <PlannerFitOwn onCreated={onFitCreated} />
      {deferredPlan ? <PlannerParallelism plan={deferredPlan} /> : null}
      <PlannerGdLesson thisMachine={thisMachine} />
    </section>
  );
}

function FitCard({ fit }: { fit: FitInfo }) {
  return (
    <div className="card fit-card" data-testid="fit-card">
      <h2 className="section-title">{fit.label}</h2>
      <p className="note" data-testid="fit-source">
        Source: {fit.source}
      </p>
      {fit.frontier.kind === 'power-law' ? <p className="note">{fit.frontier.note}</p> : <p className="note">Frontier: the law’s own minimum under C = 6ND (closed form, Hoffmann et al. 2022 eq. 4).</p>}
      <dl className="facts" data-testid="fit-constants">
        {fit.constants.map((c) => (
          <div className="fact" key={c.name} title={c.note}>
            <dt>{c.name}</dt>
            <dd className="num">
              {c.value.toPrecision(4)}
              {c.note ? <span className="field-hint"> {c.note}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      {fit.lawNote ? <p className="note">{fit.lawNote}</p> : null}
    </div>
  );
}

const COMPARE_RANGE: [number, number] = [1e18, 1e27];

function PlanView({ plan, fit, fits }: { plan: PlanResult; fit: FitInfo; fits: FitInfo[] }) {
  const d = plan.details;
  const s = d.shapeFull;
  const loss = (N: number, D: number) => lossAt(fit.law, N, D);
  const C = plan.computeFlops;
  // Budgets and map ranges snap to decades, so while a slider moves within a decade the curves
  // and the 100 × 100 contour grid stay put (and are reused) and only the plan marker moves.
  const k = Math.round(Math.log10(C));
  const budgets = [k - 2, k - 1, k, k + 1, k + 2].map((e) => 10 ** e);
  const lo = frontierAt(fit, budgets[0]!).N;
  const hi = frontierAt(fit, budgets[budgets.length - 1]!).N;
  const logN = Math.floor(Math.log10(plan.params));
  const logD = Math.floor(Math.log10(plan.tokens));
  const contour = useMemo(() => {
    try {
      const grid = lossGrid((N, D) => lossAt(fit.law, N, D), [10 ** (logN - 2), 10 ** (logN + 3)], [10 ** (logD - 2), 10 ** (logD + 3)], 100);
      return { grid, bands: lossContours(grid) };
    } catch {
      return null;
    }
  }, [fit, logN, logD]);
  const frontier = Array.from({ length: 41 }, (_, i) => frontierAt(fit, 10 ** (k - 4 + (8 * i) / 40)));
  const series = fits.map((f) => ({
    id: f.id,
    label: f.label,
    points: Array.from({ length: 28 }, (_, i) => {
      const c = COMPARE_RANGE[0] * 10 ** ((i * Math.log10(COMPARE_RANGE[1] / COMPARE_RANGE[0])) / 27);
      return { C: c, ...frontierAt(f, c) };
    }),
  }));
  const ratio = d.shapeFlops / d.sixND;
  return (
    <>
      <div className="card" data-testid="plan-result">
        <h2 className="section-title">The plan</h2>
        <dl className="facts">
          <Fact label="Compute" value={`${formatSci(C)} FLOPs`} testId="plan-compute" />
          <Fact label={d.paramsCount === 'non-embedding' ? 'Parameters N* (non-embedding)' : 'Parameters N*'} value={formatCount(plan.params)} testId="plan-params" />
          <Fact label="Tokens D*" value={formatCount(plan.tokens)} testId="plan-tokens" />
          <Fact label="Tokens per parameter" value={plan.tokensPerParam.toFixed(1)} testId="plan-ratio" />
          <Fact label="Predicted loss" value={plan.loss.toFixed(3)} testId="plan-loss" />
          {plan.time ? <Fact label="Training time" value={`${formatDuration(plan.time.seconds)} on ${plan.time.devices}`} testId="plan-time" /> : null}
          {plan.costUsd !== undefined ? <Fact label="Cost" value={formatUsd(plan.costUsd)} testId="plan-cost" /> : null}
          {d.device ? <Fact label="Device peak" value={`${formatSci(d.device.peakFlops)} FLOP/s ${d.device.dtype} × MFU ${d.mfu}`} /> : null}
        </dl>
        <PlanEnergyBlock energy={plan.energy} unavailable={plan.energyUnavailable} />
        {d.mode !== 'budget' ? (
          <p className="note">
            At this budget the fit’s optimum is {formatCount(d.optimal.params)} parameters on {formatCount(d.optimal.tokens)} tokens (loss {d.optimal.loss.toFixed(3)}).
          </p>
        ) : null}
        <h3 className="subheading">Shape</h3>
        <div className="table-wrap">
          <table className="data-table" data-testid="plan-shape">
            <thead>
              <tr>
                <th>Layers</th>
                <th>d_model</th>
                <th>Heads × size</th>
                <th>FFN</th>
                <th>Vocabulary</th>
                <th>Context</th>
                <th>Exact parameters</th>
                <th>FLOPs / token</th>
                <th>6N</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="num">{s.layers}</td>
                <td className="num">{s.dModel}</td>
                <td className="num">
                  {s.heads} × {s.headDim}
                </td>
                <td className="num">{s.ffn}</td>
                <td className="num">{s.vocab}</td>
                <td className="num">{s.context}</td>
                <td className="num" data-testid="shape-params">
                  {s.exactParams.toLocaleString('en-US')}
                </td>
                <td className="num">{formatSci(s.flopsPerToken)}</td>
                <td className="num">{formatSci(6 * plan.params)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p className="note" data-testid="shape-flops-note">
          Whole run: {formatSci(d.shapeFlops)} FLOPs counted layer by layer (attention over the context included, Hoffmann et al. 2022 App. F) against 6·N·D = {formatSci(d.sixND)} (×{ratio.toFixed(3)}). Forward per token: projections{' '}
          {formatSci(s.forwardBreakdown.attention)}, attention scores {formatSci(s.forwardBreakdown.attentionScores)}, FFN {formatSci(s.forwardBreakdown.ffn)}, logits {formatSci(s.forwardBreakdown.logits)}; training = 3 × forward.
        </p>
        {d.warnings.length ? <WarningCallout title="Notes" items={d.warnings} /> : null}
      </div>

      {d.inference || d.dataConstrained ? (
        <div className="card" data-testid="plan-beyond">
          <h2 className="section-title">Beyond compute-optimal</h2>
          {d.inference ? (
            <p data-testid="plan-inference">
              <strong>Inference-aware</strong> (Sardana et al. 2023): serving {formatCount(d.inference.inferenceTokens)} tokens, the same loss {d.inference.targetLoss.toFixed(3)} costs least with {formatCount(d.inference.params)} parameters (×
              {d.inference.paramsRatio.toFixed(2)}) on {formatCount(d.inference.tokens)} tokens (×{d.inference.tokensRatio.toFixed(2)}): {formatSci(d.inference.totalFlops)} FLOPs training + inference, {(d.inference.savedFraction * 100).toFixed(1)}% less
              than the compute-optimal model.
            </p>
          ) : null}
          {d.dataConstrained ? (
            <p data-testid="plan-data-constrained">
              <strong>Data-constrained</strong> (Muennighoff et al. 2023): with {formatCount(d.dataConstrained.uniqueTokens)} unique tokens{' '}
              {d.dataConstrained.binding
                ? `train ${formatCount(d.dataConstrained.params)} parameters for ${d.dataConstrained.epochs.toFixed(1)} epochs (${formatCount(d.dataConstrained.tokens)} tokens, worth ${formatCount(d.dataConstrained.effectiveTokens)} fresh ones): loss ${d.dataConstrained.loss.toFixed(3)} against ${d.dataConstrained.unconstrainedLoss.toFixed(3)} with unlimited data.`
                : `the constraint does not bind: the plan needs ${d.dataConstrained.epochs.toFixed(2)} epochs.`}
            </p>
          ) : null}
        </div>
      ) : null}

      <div className="card planner-charts" data-testid="planner-charts">
        <h2 className="section-title">Charts</h2>
        <SvgChart testId="isoflop-chart" render={(width) => renderIsoflopChart({ loss, budgets, nRange: [lo / 10, hi * 10], plan: { N: plan.params, D: plan.tokens, C, loss: plan.loss }, fitLabel: fit.label }, { width })} />
        <SvgChart
          testId="loss-contour-chart"
          render={(width) => {
            const overlay = { frontier, plan: { N: plan.params, D: plan.tokens }, isoFlopLines: [C / 10, C, C * 10], fitLabel: fit.label };
            return contour
              ? lossContourSvg(contour.grid, contour.bands, overlay, { width })
              : renderLossContourChart({ ...overlay, loss, nRange: [plan.params / 100, plan.params * 100], dRange: [plan.tokens / 100, plan.tokens * 100] }, { width });
          }}
        />
        <SvgChart testId="frontier-compare-chart" render={(width) => renderFrontierCompareChart({ series, plan: { C, N: plan.params, D: plan.tokens }, cRange: COMPARE_RANGE }, { width })} />
      </div>
    </>
  );
}

const WATTS_SOURCE_LABEL: Record<PlanEnergy['wattsSource'], string> = {
  'catalog TDP': 'catalog TDP',
  measured: 'measured',
  estimated: 'estimated, no sensor',
};

/** The plan's energy and CO₂ (src-shared/planner/energy.ts), or why they are unknown. */
function PlanEnergyBlock({ energy, unavailable }: { energy: PlanEnergy | null; unavailable: string | undefined }) {
  if (!energy) {
    return (
      <div className="planner-energy" data-testid="plan-energy">
        <h3 className="subheading">Energy &amp; carbon</h3>
        <p className="note" data-testid="plan-energy-unavailable">
          Not estimated: {unavailable ?? 'choose a device to estimate energy'}
          {unavailable === 'choose a device to estimate energy' ? ' (a Device-hours or Money budget names one).' : '.'}
        </p>
      </div>
    );
  }
  const e = energy;
  return (
    <div className="planner-energy" data-testid="plan-energy">
      <h3 className="subheading">Energy &amp; carbon</h3>
      <dl className="facts">
        <Fact label="Energy (facility)" value={formatKwh(e.kwh)} testId="plan-energy-kwh" />
        <Fact label={`IT + overhead (PUE ${e.pue})`} value={`${formatKwh(e.itKwh)} + ${formatKwh(e.overheadKwh)}`} testId="plan-energy-it" />
        <Fact label={`CO₂ at ${e.gridGPerKwh} g/kWh`} value={formatCo2Kg(e.co2Kg)} testId="plan-energy-co2" />
        <Fact label="Power per device" value={`${Number(e.deviceWatts.toPrecision(3))} W (${WATTS_SOURCE_LABEL[e.wattsSource]})`} testId="plan-energy-watts" />
        <Fact label="FLOP per joule (at this MFU)" value={formatSci(e.flopsPerJoule)} testId="plan-energy-fpj" />
      </dl>
      <p className="note" data-testid="plan-energy-source">
        Power: {e.wattsBasis}. {e.basis}
      </p>
      <p className="note">
        PUE default: {PUE_SOURCE}. Grid default: {GRID_SOURCE}.
      </p>
    </div>
  );
}
