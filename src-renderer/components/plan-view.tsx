/**
 * A training plan on screen (renderer): N*, D*, tokens per parameter, loss, time, cost, energy and
 * CO₂, the concrete transformer shape, what lies beyond compute-optimal, and the IsoFLOP,
 * loss-contour and fit-comparison charts. Shown by the Planner for the plan being edited and by
 * History for a stored `plan` run (its fit looked up by id in `fits.list`).
 */
import { useMemo } from 'react';
import type { FitInfo } from '../../src-shared/api/planner.js';
import { renderFrontierCompareChart } from '../../src-shared/charts/frontier-compare-chart.js';
import { isoflopCurve, renderIsoflopChart } from '../../src-shared/charts/isoflop-chart.js';
import { lossContourSvg, renderLossContourChart } from '../../src-shared/charts/loss-contour-chart.js';
import { formatCo2Kg, formatKwh, GRID_SOURCE, PUE_SOURCE, type PlanEnergy } from '../../src-shared/planner/energy.js';
import { formatCount, formatDuration, formatUsd } from '../../src-shared/planner/format.js';
import { formatSI } from '../../src-shared/format/si.js';
import { COMPARE_RANGE, lossLandscape, planChartInputs } from '../../src-shared/planner/plan-charts.js';
import type { PlanResult } from '../../src-shared/planner/plan.js';
import { GPU_CATALOG } from '../../src-shared/hardware/gpu-catalog.js';
import { devicesLabel, farFromOptimal } from '../planner-state.js';
import { DataTable } from '../ui/data-table.js';
import { WarningCallout } from './callouts.js';
import { Fact, SvgChart } from './model-whatif-training.js';

export function PlanView({ plan, fit, fits }: { plan: PlanResult; fit: FitInfo; fits: FitInfo[] }) {
  const d = plan.details;
  const offOptimal = d.mode !== 'budget' ? farFromOptimal(plan.tokensPerParam, d.optimal.tokens / d.optimal.params) : null;
  const s = d.shapeFull;
  const C = plan.computeFlops;
  const charts = planChartInputs(fit, fits, plan);
  const { loss, landscape } = charts;
  // The 100 × 100 grid is kept while the ranges (decades around the plan) stay put.
  const contour = useMemo(() => lossLandscape(loss, landscape.nRange, landscape.dRange), [fit, landscape.logN, landscape.logD]);
  const ratio = d.shapeFlops / d.sixND;
  return (
    <>
      <div className="card" data-testid="plan-result">
        <h2 className="section-title">The plan</h2>
        <dl className="facts">
          <Fact label="Compute" value={formatSI(C, 'FLOPs')} testId="plan-compute" />
          <Fact label={d.paramsCount === 'non-embedding' ? 'Parameters N* (non-embedding)' : 'Parameters N*'} value={formatCount(plan.params)} testId="plan-params" />
          <Fact label="Tokens D*" value={formatCount(plan.tokens)} testId="plan-tokens" />
          <Fact label="Tokens per parameter" value={plan.tokensPerParam.toFixed(1)} testId="plan-ratio" />
          <Fact label="Predicted loss" value={plan.loss.toFixed(3)} testId="plan-loss" />
          {plan.time ? <Fact label="Training time" value={`${formatDuration(plan.time.seconds)} on ${devicesLabel(plan.time.devices, !GPU_CATALOG.some((g) => g.name === d.device?.name))}`} testId="plan-time" /> : null}
          {plan.costUsd !== undefined ? <Fact label="Cost" value={formatUsd(plan.costUsd)} testId="plan-cost" /> : null}
          {d.device ? <Fact label="Device peak" value={`${formatSI(d.device.peakFlops, 'FLOP/s')} ${d.device.dtype} × MFU ${d.mfu}`} /> : null}
        </dl>
        {offOptimal ? (
          <div className="callout callout-warning" role="note" data-testid="plan-far-from-optimal">
            <p className="callout-title">Far from compute-optimal</p>
            <p>{offOptimal}</p>
          </div>
        ) : null}
        <PlanEnergyBlock energy={plan.energy} unavailable={plan.energyUnavailable} />
        {d.mode !== 'budget' ? (
          <p className="note">
            At this budget the fit’s optimum is {formatCount(d.optimal.params)} parameters on {formatCount(d.optimal.tokens)} tokens (loss {d.optimal.loss.toFixed(3)}).
          </p>
        ) : null}
        <h3 className="subheading">Shape</h3>
        <DataTable
          testId="plan-shape"
          caption="Transformer shape"
          columns={[{ label: 'Dimension' }, { label: 'Value', num: true }]}
          rows={(
            [
              ['Layers', s.layers],
              ['d_model', s.dModel],
              ['Heads × head size', `${s.heads} × ${s.headDim}`],
              ['FFN width', s.ffn],
              ['Vocabulary', `${s.vocab} tokens`],
              ['Context', `${s.context} tokens`],
              ['Exact parameters', <span data-testid="shape-params">{s.exactParams.toLocaleString('en-US')}</span>],
              ['FLOPs per token (training)', formatSI(s.flopsPerToken, 'FLOPs')],
              ['6N', formatSI(6 * plan.params, 'FLOPs')],
            ] as const
          ).map(([label, value]) => ({ key: label, cells: [label, value] }))}
        />
        <p className="note" data-testid="shape-flops-note">
          Whole run: {formatSI(d.shapeFlops, 'FLOPs')} counted layer by layer (attention over the context included, Hoffmann et al. 2022 App. F) against 6·N·D = {formatSI(d.sixND, 'FLOPs')} (×{ratio.toFixed(3)}). Forward per token: projections{' '}
          {formatSI(s.forwardBreakdown.attention, 'FLOPs')}, attention scores {formatSI(s.forwardBreakdown.attentionScores, 'FLOPs')}, FFN {formatSI(s.forwardBreakdown.ffn, 'FLOPs')}, logits {formatSI(s.forwardBreakdown.logits, 'FLOPs')}; training = 3 × forward.
        </p>
        {d.warnings.length ? <WarningCallout title="Notes" items={d.warnings} /> : null}
      </div>

      {d.inference || d.dataConstrained ? (
        <div className="card" data-testid="plan-beyond">
          <h2 className="section-title">Beyond compute-optimal</h2>
          {d.inference ? (
            <p data-testid="plan-inference">
              <strong>Inference-aware</strong> (Sardana et al. 2023): serving {formatCount(d.inference.inferenceTokens)} tokens, the same loss {d.inference.targetLoss.toFixed(3)} costs least with {formatCount(d.inference.params)} parameters (×
              {d.inference.paramsRatio.toFixed(2)}) on {formatCount(d.inference.tokens)} tokens (×{d.inference.tokensRatio.toFixed(2)}): {formatSI(d.inference.totalFlops, 'FLOPs')} training + inference, {(d.inference.savedFraction * 100).toFixed(1)}% less
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
        <SvgChart
          testId="isoflop-chart"
          render={(width) => renderIsoflopChart({ loss, budgets: charts.budgets, nRange: charts.nRange, plan: { N: plan.params, D: plan.tokens, C, loss: plan.loss }, fitLabel: fit.label }, { width })}
          values={{
            label: `each curve's minimum (${fit.label})`,
            columns: [{ label: 'Budget', num: true }, { label: 'Parameters', num: true }, { label: 'Tokens', num: true }, { label: 'Tokens per parameter', num: true }, { label: 'Loss', num: true }],
            // The chart's own curves (its budgets, and the plan's when it is not one of them), minimum by minimum.
            rows: [...new Set([...charts.budgets, C])]
              .sort((a, b) => a - b)
              .flatMap((b) => {
                const m = isoflopCurve(loss, b, charts.nRange).minimum;
                return m ? [{ key: String(b), cells: [formatSI(b, 'FLOPs'), formatCount(m.N), formatCount(m.D), (m.D / m.N).toFixed(1), m.loss.toFixed(3)] }] : [];
              }),
          }}
        />
        <SvgChart
          testId="loss-contour-chart"
          render={(width) =>
            contour ? lossContourSvg(contour.grid, contour.bands, charts.overlay, { width }) : renderLossContourChart({ ...charts.overlay, loss, ...charts.fallbackRanges }, { width })
          }
        />
        <SvgChart
          testId="frontier-compare-chart"
          render={(width) => renderFrontierCompareChart({ series: charts.series, plan: { C, N: plan.params, D: plan.tokens }, cRange: COMPARE_RANGE }, { width })}
          values={{
            label: 'compute-optimal parameters per budget, by law',
            columns: [{ label: 'Budget', num: true }, ...charts.series.map((s) => ({ label: s.label, num: true }))],
            rows: (charts.series[0]?.points ?? []).map((p, i) => ({ key: String(i), cells: [formatSI(p.C, 'FLOPs'), ...charts.series.map((s) => (s.points[i] ? formatCount(s.points[i].N) : '—'))] })),
          }}
        />
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
        <Fact label="FLOPs per joule (at this MFU)" value={formatSI(e.flopsPerJoule, 'FLOP/J')} testId="plan-energy-fpj" />
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
