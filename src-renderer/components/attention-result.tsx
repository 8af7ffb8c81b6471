/**
 * An attention sweep on screen (renderer): the cost-model curves against sequence length for the
 * chosen metric, with crossovers and the device's memory line (`AttentionSweepView`), and — when
 * measured through ONNX Runtime — measured against predicted with per-call energy
 * (`AttentionMeasuredView`). Shown by the Transformers page and by History for a stored
 * `attention` run.
 */
import { DataTable } from '../ui/data-table.js';
import { Select } from '../ui/select.js';
import type { AttentionSweepResult } from '../../src-shared/api/attention.js';
import { ATTENTION_METRICS, attentionCrossoversOf, renderAttentionSweepChart, type AttentionMetric } from '../../src-shared/charts/attention-sweep-chart.js';
import { ChartTips, formatSeconds, SweepCrossoverTable, SweepValuesTable } from './attention-sweep-tables.js';
import { formatJoules, withEstimate } from '../../src-shared/energy/format.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { WarningCallout } from './callouts.js';
import { RunLink } from './run-link.js';
import { SvgChart } from './model-whatif-training.js';

/** `labels`: display names by variant spec ("sliding:512" → its label), when the variants parse. */
export function AttentionSweepView({ result: ok, metric, onMetric, labels }: { result: AttentionSweepResult; metric: AttentionMetric; onMetric: (metric: AttentionMetric) => void; labels: Record<string, string> | undefined }) {
  const memoryIsRam = ok.device.name.startsWith('this machine');
  return (
    <div className="card" data-testid="att-result">
      <div className="control-row">
        <div className="field">
          <label htmlFor="att-metric">Metric</label>
          <Select id="att-metric" wide value={metric} onChange={(value) => onMetric(value as AttentionMetric)} testId="att-metric">
            {(Object.keys(ATTENTION_METRICS) as AttentionMetric[]).map((m) => (
              <option key={m} value={m}>
                {ATTENTION_METRICS[m].label}
              </option>
            ))}
          </Select>
        </div>
        <p className="note">
          On {ok.device.name}: {ok.device.source}
        </p>
      </div>
      <div className="att-chart-row">
        <ChartTips testId="att-sweep-tips">
          <SvgChart
            testId="att-sweep-chart"
            render={(width) =>
              renderAttentionSweepChart(
                { points: ok.points, metric, crossovers: attentionCrossoversOf(ok.points, metric).map((c) => ({ a: c.aVariants[0]!, b: c.bVariants[0]!, seq: c.seq })), memoryBytes: ok.device.memoryBytes, memoryLabel: memoryIsRam ? 'RAM' : 'GPU memory', ...(labels ? { labels } : {}) },
                { width },
              )
            }
          />
        </ChartTips>
        <SweepCrossoverTable points={ok.points} metric={metric} labels={labels} memoryBytes={ok.device.memoryBytes} memoryLabel={memoryIsRam ? 'RAM' : 'GPU memory'} />
      </div>
      <SweepValuesTable points={ok.points} metric={metric} labels={labels} />
      {ok.warnings.length ? <WarningCallout title="Notes" items={ok.warnings} /> : null}
    </div>
  );
}

export function AttentionMeasuredView({ result }: { result: AttentionSweepResult }) {
  const m = result.measured!;
  // The chart compares the graph's time with the model's attention-kernel time for one layer.
  const points = m.points
    .filter((p) => p.predictedSeconds !== undefined)
    .map((p) => {
      const base = result.points.find((q) => q.variant === p.variant && q.seq === p.seq)!;
      return { ...base, predictedSeconds: p.predictedSeconds!, ...(p.seconds !== undefined ? { measuredSeconds: p.seconds } : {}) };
    })
    .map(({ measuredSeconds, ...rest }) => (measuredSeconds === undefined ? rest : { ...rest, measuredSeconds }));
  return (
    <div data-testid="att-measured">
      {result.runId ? <p className="note">
          Stored as <RunLink id={result.runId} />.
        </p> : null}
      <ChartTips testId="att-measured-tips">
        <SvgChart testId="att-measured-chart" render={(width) => renderAttentionSweepChart({ points, metric: 'predictedSeconds', measured: true }, { width })} />
      </ChartTips>
      <p className="note">{m.note}</p>
      <ul className="plain-list" data-testid="att-slopes">
        {m.slopes.map((s) => (
          <li key={s.variant}>
            {s.variant}: measured time ∝ seq^{s.slope.toFixed(2)} ({s.points} points)
          </li>
        ))}
      </ul>
      <DataTable
        testId="att-measured-table"
        caption="Measured against predicted time per variant and sequence length"
        columns={[
          { label: 'Variant' },
          { label: 'Seq', num: true },
          { label: 'Measured', num: true },
          { label: 'Predicted', num: true },
          { label: 'Measured / predicted', num: true },
          { label: 'Peak memory (est.)', num: true },
          { label: 'Energy per call', num: true, title: 'Average power while the point was measured × its time per call' },
        ]}
        rows={m.points.map((p) => ({
          key: `${p.variant}-${p.seq}`,
          cells: [
            p.variant,
            p.seq,
            ...(p.skipped || p.failed
              ? // A point that did not run: why, in the Measured column; the rest stay empty.
                [p.skipped ? `skipped: ${p.skipped}` : `failed: ${p.failed}`, '', '', '', '']
              : [
                  formatSeconds(p.seconds),
                  formatSeconds(p.predictedSeconds),
                  p.ratio !== undefined ? `×${p.ratio.toFixed(2)}` : '—',
                  p.peakBytes !== undefined ? formatBytes(p.peakBytes) : '—',
                  <span data-testid="att-joules">{p.joulesPerCall !== undefined ? withEstimate(formatJoules(p.joulesPerCall), result.energy?.estimated ?? false) : '—'}</span>,
                ]),
          ],
        }))}
      />
    </div>
  );
}
