/**
 * The cost of the learning algorithm itself (renderer): fitting y ≈ Xw by gradient descent on
 * ‖Xw − y‖² either recomputes Xᵀ(Xw − y) every step (4nd FLOPs, X read twice: memory-bound) or
 * precomputes XᵀX and Xᵀy once (2nd², a compute-bound GEMM) and then pays 2d² per step; the
 * closed form solves the normal equations once. The chart and break-even counts come from
 * src-shared/planner/gd-cost.ts (FLOPs always; predicted time from this machine's measured
 * roofline when a benchmark is stored); "Measure" times the three kernels through ONNX Runtime
 * here (`lesson.linreg.start`, stored as a 'lesson' run) and overlays the measured times.
 */
import { memo, useEffect, useReducer, useRef } from 'react';
import type { ThisMachineDevice } from '../../src-shared/api/planner.js';
import { formatSeconds, renderGdCostChart, type GdCostMetric } from '../../src-shared/charts/gd-cost-chart.js';
import { gdCost, GD_LIMITS } from '../../src-shared/planner/gd-cost.js';
import { formatCount } from '../../src-shared/planner/format.js';
import { toApiError, useClient } from '../api/api-context.js';
import { Segmented } from '../ui/segmented.js';
import { ErrorCallout } from './callouts.js';
import { ENERGY_NOT_MEASURED, energySourceText, formatJoules, formatWatts, readEnergy, withEstimate } from '../../src-shared/energy/format.js';
import { Fact, SvgChart } from './model-whatif-training.js';
import { gdLessonReducer, initialGdLessonState, type Measured } from '../gd-lesson-state.js';
import { formatNumber } from '../../src-shared/reports/report-parts.js';

/** The measurement's joules and average power, "(est.)" when estimated, with its source. */
function lessonEnergy(value: unknown): string {
  const e = readEnergy(value);
  if (!e) return ENERGY_NOT_MEASURED;
  return `${withEstimate(formatJoules(e.joules), e.estimated)} at ${withEstimate(formatWatts(e.avgWatts), e.estimated)} average — ${energySourceText(e)}`;
}

const steps = (k: number | null | undefined) => (k === null || k === undefined || !Number.isFinite(k) ? 'never' : `${formatCount(Math.ceil(k))} steps`);

/** Memoised: the lesson does not depend on the plan, so budget slider moves do not redraw it. */
export const PlannerGdLesson = memo(function PlannerGdLesson({ thisMachine }: { thisMachine: ThisMachineDevice }) {
  const client = useClient();
  const [{ nText, dText, kText, metric, job }, dispatch] = useReducer(gdLessonReducer, initialGdLessonState);
  const unsubscribe = useRef<(() => void) | null>(null);
  useEffect(() => () => unsubscribe.current?.(), []);

  const n = Number(nText);
  const d = Number(dText);
  const kMax = Number(kText);
  const valid = Number.isInteger(n) && n >= 2 && n <= GD_LIMITS.maxN && Number.isInteger(d) && d >= 1 && d <= 8192 && Number.isInteger(kMax) && kMax >= 2 && kMax <= GD_LIMITS.maxSteps;
  const roofline = thisMachine.roofline;
  const cost = valid ? gdCost(n, d, kMax, 4, roofline) : null;
  const measured = job.state === 'done' && job.m.n === n && job.m.d === d ? job.m : null;

  const measure = async () => {
    dispatch({ type: 'measure' });
    try {
      const info = await client.call('lesson.linreg.start', { n, d });
      unsubscribe.current?.();
      unsubscribe.current = client.subscribe(info.id, (e) => {
        if (e.type === 'result') dispatch({ type: 'result', m: e.result as Measured, runId: e.runId });
        else if (e.type === 'error') dispatch({ type: 'error', error: e.error });
        else if (e.type === 'cancelled') dispatch({ type: 'cancelled' });
      });
    } catch (e) {
      dispatch({ type: 'error', error: toApiError(e) });
    }
  };

  return (
    <div className="card" id="planner-gd" data-testid="gd-lesson">
      <h2 className="section-title">The cost of the learning algorithm</h2>
      <p className="note">
        Least squares by gradient descent, g = 2Xᵀ(Xw − y) with X of n × d in fp32. Recomputing Xw every step costs about 4nd FLOPs and reads X twice (≈0.5 FLOP/byte: memory-bound). Precomputing G = XᵀX and h = Xᵀy costs 2nd² once (a compute-bound
        GEMM), then 2d² per step. The closed form adds a Cholesky solve (d³/3) and needs no steps.
      </p>
      <div className="control-row model-options">
        <div className="field">
          <label htmlFor="gd-n">Samples n</label>
          <input id="gd-n" className="input input-narrow num" value={nText} onChange={(e) => dispatch({ type: 'edit', key: 'nText', value: e.target.value })} data-testid="gd-n" />
        </div>
        <div className="field">
          <label htmlFor="gd-d">Features d</label>
          <input id="gd-d" className="input input-narrow num" value={dText} onChange={(e) => dispatch({ type: 'edit', key: 'dText', value: e.target.value })} data-testid="gd-d" />
        </div>
        <div className="field">
          <label htmlFor="gd-k">Steps (chart)</label>
          <input id="gd-k" className="input input-narrow num" value={kText} onChange={(e) => dispatch({ type: 'edit', key: 'kText', value: e.target.value })} />
        </div>
        <Segmented<GdCostMetric>
          label="Show"
          testId="gd-metric"
          options={[
            { value: 'flops', label: 'FLOPs' },
            { value: 'seconds', label: 'Time' },
          ]}
          value={metric}
          onChange={(v) => dispatch({ type: 'edit', key: 'metric', value: v })}
        />
        <button type="button" className="button" disabled={!valid || job.state === 'running' || n * d > 2 ** 28} onClick={() => void measure()} data-testid="gd-measure">
          {job.state === 'running' ? 'Measuring…' : 'Measure on this machine'}
        </button>
      </div>
      {!valid ? <p className="field-hint field-error">Give whole numbers: n from 2 to 1e10, d from 1 to 8192, steps from 2 to 1e9.</p> : null}
      {job.state === 'error' ? <ErrorCallout error={job.error} title="The measurement failed" /> : null}
      {cost ? (
        <dl className="facts" data-testid="gd-breakeven">
          <Fact label="Break-even (FLOPs)" value={steps(cost.breakEven.precomputeVsRecompute.flops)} testId="gd-breakeven-flops" />
          <Fact label="Break-even (roofline time)" value={roofline ? steps(cost.breakEven.precomputeVsRecompute.seconds) : 'run a benchmark first'} testId="gd-breakeven-time" />
          {measured ? <Fact label="Break-even (measured)" value={steps(measured.measuredBreakEvenSteps)} testId="gd-breakeven-measured" /> : null}
          {measured ? (
            <Fact
              label={`Measured (${measured.threads} threads)`}
              value={`step ${formatSeconds(measured.seconds.recomputeStep)} vs ${formatSeconds(measured.seconds.precomputeStep)}; XᵀX ${formatSeconds(measured.seconds.precompute)} (${measured.gflops.precompute.toFixed(1)} GFLOP/s)`}
              testId="gd-measured"
            />
          ) : null}
          {measured ? <Fact label="Energy of the measurement" value={lessonEnergy(measured.energy)} testId="gd-energy" /> : null}
        </dl>
      ) : null}
      {job.state === 'done' && !job.m.verified.ok ? <p className="field-hint field-error">ONNX Runtime’s results differed from the reference (relative error {formatNumber(job.m.verified.maxRelError)}).</p> : null}
      {job.state === 'done' && job.runId ? <p className="note">Stored as run #{job.runId}.</p> : null}
      {valid ? (
        <SvgChart
          testId="gd-cost-chart"
          render={(width) => renderGdCostChart({ n, d, kMax, ...(roofline ? { roofline } : {}), ...(measured ? { measured: measured.seconds } : {}) }, { width, metric: metric === 'seconds' && !roofline && !measured ? 'flops' : metric })}
        />
      ) : null}
      <p className="note">{roofline ? `Roofline: ${roofline.peakGflops.toFixed(0)} GFLOP/s fp32, ${roofline.bandwidthGBs.toFixed(1)} GB/s DRAM, measured on this machine.` : 'No benchmark stored for this machine: time predictions need its measured roofline (Benchmarks page).'}</p>
    </div>
  );
});
