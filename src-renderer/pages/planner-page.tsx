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
import { GPU_CATALOG } from '../../src-shared/hardware/gpu-catalog.js';
import { DEFAULT_MFU } from '../../src-shared/planner/budget.js';
import { DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE, GRID_REFERENCE_POINTS } from '../../src-shared/planner/energy.js';
import { formatSI } from '../../src-shared/format/si.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useLifetime } from '../api/use-lifetime.js';
import { ErrorCallout, Loading } from '../components/callouts.js';
import { PageHeader } from '../components/page-header.js';
import { RunLink } from '../components/run-link.js';
import { PlannerFitOwn } from '../components/planner-fit-own.js';
import { PlannerGdLesson } from '../components/planner-gd-lesson.js';
import { PlanView } from '../components/plan-view.js';
import { PlannerParallelism } from '../components/planner-parallelism.js';
import { devicePeak, planFromForm, switchBudget, type BudgetKind, type PlannerForm } from '../planner-form.js';
import { initialPlannerState, plannerReducer, type PlannerAction } from '../planner-state.js';
import { NumberInput } from '../ui/number-input.js';
import { SectionNav } from '../ui/section-nav.js';
import { Segmented } from '../ui/segmented.js';
import { Select } from '../ui/select.js';

const BUDGET_KINDS: Array<{ value: BudgetKind; label: string }> = [
  { value: 'flops', label: 'FLOPs' },
  { value: 'device-hours', label: 'Device-hours' },
  { value: 'money', label: 'Money' },
];

/** Units shown beside the Planner's number fields. */
const UNITS: Partial<Record<keyof PlannerForm, string>> = {
  flops: 'FLOPs',
  hours: 'h',
  usd: 'USD',
  usdPerHour: 'USD/h',
  count: 'devices',
  gridGPerKwh: 'g/kWh',
  params: 'params',
  inferenceTokens: 'tokens',
  uniqueTokens: 'tokens',
  vocab: 'tokens',
  context: 'tokens',
};

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
      <NumberInput id={`plan-${key}`} value={form[key]} invalid={err?.field === key} onChange={(v) => set(key, v)} unit={UNITS[key]} testId={`input-${key}`} />
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
          Saved as <RunLink id={saved.runId} /> (see History).
        </p>
      ) : null}
      {saved && 'error' in saved ? <ErrorCallout error={saved.error} title="The plan was not saved" /> : null}
      <SectionNav
        sections={[
          { id: 'planner-budget', label: 'Budget' },
          { id: 'planner-plan', label: 'The plan' },
          { id: 'planner-fit-own', label: 'Fit your own' },
          { id: 'planner-parallelism', label: 'Memory & parallelism' },
          { id: 'planner-gd', label: 'Gradient descent cost' },
        ]}
      />

      <div className="card planner-controls" id="planner-budget" data-testid="planner-controls">
        <Segmented
          label="Budget"
          testId="budget"
          options={BUDGET_KINDS}
          value={form.budgetKind}
          onChange={(k) => dispatch({ type: 'form', form: switchBudget(form, k, outcome.ok ? outcome.plan.computeFlops : null, devicePeak(form.device, thisMachine)) })}
        />
        <div className="control-row model-options">
          {form.budgetKind === 'flops' ? input('flops', 'Compute (FLOPs)', 'e.g. 1e22; leave empty with Parameters set for the compute-optimal budget of that size') : null}
          {form.budgetKind !== 'flops' ? (
            <div className="field">
              <label htmlFor="plan-device">Device</label>
              <Select id="plan-device" value={form.device} onChange={(v) => set('device', v)} testId="plan-device">
                <option value={THIS}>This machine{thisMachine.device ? ` (${thisMachine.device.dtype} ${formatSI(thisMachine.device.peakFlops, 'FLOP/s')})` : ''}</option>
                {GPU_CATALOG.map((g) => (
                  <option key={g.name} value={g.name}>
                    {g.name}
                  </option>
                ))}
              </Select>
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
            <Select id="plan-fit" value={form.fit} onChange={(v) => set('fit', v)} testId="plan-fit">
              {(fits ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                  {f.builtin ? '' : ' (yours)'}
                </option>
              ))}
            </Select>
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
      <div id="planner-plan">{outcome.ok && fit ? <PlanView plan={outcome.plan} fit={fit} fits={fits ?? []} /> : null}</div>

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
