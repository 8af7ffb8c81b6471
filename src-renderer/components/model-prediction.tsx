/**
 * The cost model's prediction on the Models page (renderer). Before a run: the predicted
 * whole-model latency on this machine, labelled "predicted", with what it rests on (a stored
 * benchmark, or theoretical peaks only — then a note suggests the benchmark). After a measured run:
 * the prediction checked against the measurement (src-shared/profiler/prediction-check.ts) — whole
 * model (measured median, predicted, ratio), the share of measured time in kernels within 1.5×,
 * the unattributed kernel time, a log–log chart of predicted against measured per kernel, per op
 * class, and the slowest kernels, where a kernel ONNX Runtime fused from several layers is one
 * row naming its members. Profiles from before predictions render nothing here.
 */
import { useMemo, type ReactNode } from 'react';
import { renderPredictedMeasuredChart, unitName } from '../../src-shared/charts/predicted-measured-chart.js';
import { CLOSE_FACTOR } from '../../src-shared/profiler/prediction-check.js';
import type { CheckUnit, PredictionCheck, ProfileResult, SpeedCheck } from '../../src-shared/profiler/types.js';
import { hrefFor } from '../routing.js';
import { formatMsValue, formatRatio, ratioClass } from '../model-run.js';
import { DataTable, type DataRow } from '../ui/data-table.js';
import { ChartFrame } from './chart-frame.js';

/** Kernels listed in the per-kernel table (slowest first). */
export const UNIT_ROWS = 20;

function percent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%` : '—';
}

/** "3.2× slower than predicted", "within 1.5× of the prediction", "0.6× (faster than predicted)". */
export function ratioWords(ratio: number | null): string {
  const where = ratioClass(ratio, CLOSE_FACTOR);
  if (where === null) return 'no ratio';
  if (where === 'close') return `within ${CLOSE_FACTOR}× of the prediction`;
  return where === 'slower' ? 'slower than predicted' : 'faster than predicted';
}

export function ModelPrediction({ result }: { result: ProfileResult }) {
  const predicted = result.predicted;
  if (!predicted) return null;
  const check = result.measured && result.check ? result.check : null;
  return (
    <section className="card model-prediction" aria-labelledby="model-prediction-heading" data-testid="model-prediction">
      <h2 id="model-prediction-heading">{check ? 'Predicted vs measured on this machine' : 'Predicted latency on this machine'}</h2>
      <dl className="facts prediction-facts">
        <div className="fact">
          <dt>
            Whole model, <strong>predicted</strong> by the cost model
          </dt>
          <dd className="num" data-testid="predicted-latency">
            {formatMsValue(predicted.latencyMs)} ms <span className="chip chip-predicted">predicted</span>
          </dd>
        </div>
        {check ? <CheckFacts check={check} speed={result.speed} /> : null}
      </dl>
      <p className="note prediction-basis" data-testid="prediction-basis">
        Basis: {predicted.basis}
      </p>
      {predicted.measured ? null : (
        <div className="callout callout-warning" role="note" data-testid="prediction-theoretical">
          <p className="callout-title">Predicted from theoretical peaks</p>
          <p>
            No benchmark of this machine is stored, so the prediction assumes the hardware’s paper peaks — a best case.{' '}
            <a href={hrefFor('benchmarks')}>Run the quick benchmark</a> for a cost model measured on this machine.
          </p>
        </div>
      )}
      {!result.measured ? (
        <p className="note" data-testid="prediction-run-hint">
          Each layer’s predicted ms is in the Layers table below. “Profile and run” measures the model with ONNX Runtime and checks the prediction against it.
        </p>
      ) : null}
      {check ? <CheckDetail check={check} order={result.nodes} /> : null}
    </section>
  );
}

function Fact({ label, value, testId, title }: { label: ReactNode; value: ReactNode; testId?: string; title?: string }) {
  return (
    <div className="fact" title={title}>
      <dt>{label}</dt>
      <dd className="num" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function CheckFacts({ check, speed }: { check: PredictionCheck; speed?: SpeedCheck | undefined }) {
  const ratio = Number.isFinite(check.latencyRatio) ? check.latencyRatio : null;
  const where = ratioClass(ratio, CLOSE_FACTOR);
  return (
    <>
      <Fact label="Measured (median)" value={`${formatMsValue(check.measuredMs)} ms`} testId="check-measured" />
      <Fact
        label="Measured ÷ predicted"
        value={<span className={where ? `ratio ratio-${where}` : undefined}>{formatRatio(ratio)}</span>}
        testId="prediction-ratio"
        title={ratioWords(ratio)}
      />
      <Fact
        label={`Measured time in kernels within ${CLOSE_FACTOR}×`}
        value={percent(check.closeTimeShare)}
        testId="close-time-share"
        title={`${percent(check.closeUnitShare)} of the timed kernels are within ${CLOSE_FACTOR}× of their prediction either way`}
      />
      <Fact label="Unattributed kernel time" value={<UnattributedValue ms={check.unattributedMs} share={check.unattributedShare} />} testId="check-unattributed" />
      {speed && check.speedCorrectedRatio !== undefined ? (
        <Fact
          label="Machine speed during the run"
          value={
            <>
              {formatRatio(speed.ratio)} of its benchmark <span className="muted">(corrected measured ÷ predicted {formatRatio(check.speedCorrectedRatio)})</span>
              {speed.small ? (
                <span className="muted" data-testid="speed-small" title={`${speed.small.shape} measured again just before the run: ${speed.small.nowGflops.toFixed(0)} GFLOP/s now against ${speed.small.benchmarkGflops.toFixed(0)} GFLOP/s in the benchmark`}>
                  ; small kernels {formatRatio(speed.small.ratio)}
                </span>
              ) : null}
            </>
          }
          testId="speed-check"
          title={`${speed.shape} measured again just before the run: ${speed.nowGflops.toFixed(0)} GFLOP/s now against ${speed.benchmarkGflops.toFixed(0)} GFLOP/s in the benchmark the prediction rests on`}
        />
      ) : null}
    </>
  );
}

function UnattributedValue({ ms, share }: { ms: number; share: number }) {
  return (
    <>
      {formatMsValue(ms)} ms <span className="muted">({percent(share)} of kernel time)</span>
    </>
  );
}

/** The units slowest first, each one's layers in graph order (a fused group reads as the model runs it). */
export function orderedUnits(units: readonly CheckUnit[], nodes: ReadonlyArray<{ name: string }>): CheckUnit[] {
  const index = new Map(nodes.map((n, i) => [n.name, i] as const));
  const at = (name: string) => index.get(name) ?? Number.MAX_SAFE_INTEGER;
  return units.map((u) => (u.nodes.length > 1 ? { ...u, nodes: [...u.nodes].sort((a, b) => at(a) - at(b)) } : u)).sort((a, b) => b.measuredMs - a.measuredMs);
}

function CheckDetail({ check, order }: { check: PredictionCheck; order: ReadonlyArray<{ name: string }> }) {
  const units = useMemo(() => orderedUnits(check.units, order), [check, order]);
  const values = useMemo(
    () => ({
      label: 'predicted and measured time per kernel, slowest first',
      columns: [{ label: 'Kernel (layers)', truncate: true }, { label: 'Op class' }, { label: 'Predicted', num: true, unit: 'ms' }, { label: 'Measured', num: true, unit: 'ms' }, { label: 'Measured ÷ predicted', num: true }],
      rows: units.map((u) => ({ key: u.nodes.join('|'), cells: [unitName(u.nodes), u.opType, formatMsValue(u.predictedMs), formatMsValue(u.measuredMs), u.predictedMs > 0 ? formatRatio(u.measuredMs / u.predictedMs) : '—'], titles: [u.nodes.join(' + ')] })),
    }),
    [units],
  );
  const shown = units.slice(0, UNIT_ROWS);
  const fused = units.filter((u) => u.nodes.length > 1).length;
  return (
    <>
      <h3 className="subheading">Predicted against measured, per kernel</h3>
      <p className="note">
        One dot per ONNX Runtime kernel ({units.length}): a layer it ran on its own, or a group of layers it fused into one kernel (ringed; predicted times summed). On the dashed diagonal
        the prediction is exact; the shaded band is within {CLOSE_FACTOR}× either way. Above the diagonal is slower than predicted. Hover a dot for its layers.
      </p>
      <ChartFrame draw={(width) => renderPredictedMeasuredChart(units, { width, closeFactor: CLOSE_FACTOR })} deps={[units]} testId="predicted-measured-chart" values={values} />

      <h3 className="subheading">By op class</h3>
      <DataTable
        testId="prediction-by-op"
        caption="Predicted against measured, by op class"
        columns={[{ label: 'Op class' }, { label: 'Kernels', num: true }, { label: 'Predicted', num: true, unit: 'ms' }, { label: 'Measured', num: true, unit: 'ms' }, { label: 'Measured ÷ predicted', num: true }]}
        rows={[
          ...check.byOpType.map((o) => ({ key: o.opType, data: { op: o.opType }, cells: [<span className="mono">{o.opType || '(unknown)'}</span>, o.units, formatMsValue(o.predictedMs), formatMsValue(o.measuredMs), <Ratio ratio={o.ratio} />] })),
          {
            key: '\u0000unattributed',
            testId: 'unattributed',
            className: 'unattributed-row muted',
            data: { ms: String(check.unattributedMs), share: String(check.unattributedShare) },
            cells: ['Unattributed (no layer claims the kernel)', '—', '—', formatMsValue(check.unattributedMs), `${percent(check.unattributedShare)} of kernel time`],
          },
        ]}
      />

      <h3 className="subheading">
        Per layer: the slowest {shown.length} of {units.length} kernels
      </h3>
      <DataTable
        testId="prediction-units"
        caption="Predicted against measured, per kernel"
        limit={UNIT_ROWS}
        columns={[{ label: 'Layer (or fused layers)' }, { label: 'Op type' }, { label: 'Predicted', num: true, unit: 'ms' }, { label: 'Measured', num: true, unit: 'ms' }, { label: 'Measured ÷ predicted', num: true }]}
        rows={shown.map(unitRow)}
      />
      <p className="note table-note">
        A kernel ONNX Runtime fused from several layers is one row naming its members{fused ? ` (${fused} here)` : ''}: its time is measured as a whole, so it is compared with the sum of
        its members’ predictions. The Layers table below shows every layer’s predicted ms beside its measured share.
      </p>
    </>
  );
}

function Ratio({ ratio }: { ratio: number | null }) {
  const where = ratioClass(ratio, CLOSE_FACTOR);
  return (
    <span className={where ? `ratio ratio-${where}` : undefined} title={ratioWords(ratio)}>
      {formatRatio(ratio)}
    </span>
  );
}

function unitRow(unit: CheckUnit): DataRow {
  const ratio = unit.predictedMs > 0 && unit.measuredMs > 0 ? unit.measuredMs / unit.predictedMs : null;
  const fused = unit.nodes.length > 1;
  return {
    key: unit.nodes.join('\u0000'),
    data: { nodes: String(unit.nodes.length), ...(fused ? { fused: 'true' } : {}) },
    titles: [fused ? `fused kernel: ${unit.nodes.join(', ')}` : undefined],
    cells: [
      <span className="mono layer-name">
        {fused ? (
          <>
            <span className="chip">fused</span> {unitName(unit.nodes, 4)}
          </>
        ) : (
          unit.nodes[0]
        )}
      </span>,
      <span className="mono">{unit.opType}</span>,
      formatMsValue(unit.predictedMs),
      formatMsValue(unit.measuredMs),
      <Ratio ratio={ratio} />,
    ],
  };
}
