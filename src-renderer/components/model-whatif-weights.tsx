/**
 * What-ifs on the model's real weights (renderer): quantization (sizes per format, SQNR per
 * scheme and per tensor, roofline speed-ups), magnitude / 2:4 pruning (parameters and FLOPs
 * before → after, and the cubic gradual-pruning schedule), activation sparsity from a real run,
 * and mixture-of-experts accounting. Each button re-runs `profile.start` on the same source with
 * the what-if asked for; the reports' shapes are in src-shared/profiler/whatif/report-types.ts.
 */
import { useState } from 'react';
import { renderSparsityScheduleChart } from '../../src-shared/charts/sparsity-schedule-chart.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { WEIGHT_FORMATS } from '../../src-shared/profiler/whatif/quantize.js';
import type { ActivationSparsityReport, MoeReport, PruneMethod, PruneModelReport, QuantizeModelReport, SchemeResult } from '../../src-shared/profiler/whatif/report-types.js';
import { formatCompact, formatCount } from '../model-run.js';
import { Fact, SvgChart } from './model-whatif-training.js';
import { DataTable } from '../ui/data-table.js';

const db = (v: number | null) => (v === null ? 'lossless' : `${v.toFixed(1)} dB`);
const pct = (f: number) => `${(f * 100).toFixed(1)}%`;
const schemeName = (s: { bits: number; granularity: string; symmetric: boolean }) => `int${s.bits} ${s.granularity} ${s.symmetric ? 'symmetric' : 'asymmetric'}`;

export function QuantizeWhatif({ report, onRun, busy }: { report: QuantizeModelReport | null; onRun: () => void; busy: boolean }) {
  // Worst tensors: by their lowest SQNR over the schemes tried.
  const worst = report
    ? [...report.tensors]
        .map((t) => ({ t, min: Math.min(...t.results.map((r) => (r.sqnrDb === null ? Infinity : r.sqnrDb))) }))
        .sort((a, b) => a.min - b.min)
        .slice(0, 20)
    : [];
  const schemes = report?.summary ?? [];
  const find = (results: SchemeResult[], s: (typeof schemes)[number]) => results.find((r) => r.bits === s.bits && r.granularity === s.granularity && r.symmetric === s.symmetric);
  return (
    <div className="whatif-block" data-testid="whatif-quantize">
      <h3 className="subheading">Quantization</h3>
      <div className="control-row">
        <button type="button" className="button" disabled={busy} onClick={onRun}>
          Quantize weights
        </button>
        <span className="note">Quantizes the real weights under every scheme and measures the signal-to-quantization-noise ratio.</span>
      </div>
      {report ? (
        <>
          <DataTable
            testId="quant-sizes"
            caption="Weight size per format"
            columns={WEIGHT_FORMATS.map((f) => ({ label: f, num: true }))}
            rows={[{ key: 'sizes', cells: WEIGHT_FORMATS.map((f) => <span data-format={f}>{formatBytes(report.sizes[f])}</span>) }]}
          />
          <DataTable
            testId="quant-schemes"
            caption="SQNR per quantization scheme"
            columns={[{ label: 'Scheme' }, { label: 'Mean SQNR', num: true }, { label: 'Min SQNR', num: true }, { label: 'Worst tensor' }]}
            rows={schemes.map((s) => ({
              key: schemeName(s),
              data: { bits: String(s.bits) },
              cells: [<span className="mono">{schemeName(s)}</span>, db(s.meanSqnrDb), db(s.minSqnrDb), <span className="mono layer-name">{s.worstTensor ?? '—'}</span>],
            }))}
          />
          {report.speedups?.length ? (
            <p className="note" data-testid="quant-speedups">
              {report.speedups[0]?.layers[0]?.basis === 'cost model'
                ? "Speed-up on this machine's cost model, the profile's own prediction before and after (weights only, W·A32; products and convolutions at the format's measured GEMM rate): "
                : 'Roofline speed-up estimate (weights only, W·A32): '}
              {report.speedups.map((s) => `${s.format} ${s.speedup.toFixed(2)}×`).join(', ')}.
            </p>
          ) : null}
          <h4 className="minor-heading">Worst {worst.length} tensors by SQNR</h4>
          <DataTable
            testId="quant-tensors"
            caption={`Worst ${worst.length} tensors by SQNR`}
            columns={[{ label: 'Tensor' }, { label: 'Shape' }, ...schemes.map((s) => ({ label: `int${s.bits} ${s.granularity === 'per-channel' ? 'ch' : 't'} ${s.symmetric ? 'sym' : 'asym'}`, num: true, title: schemeName(s) }))]}
            rows={worst.map(({ t }) => ({
              key: t.name,
              cells: [
                <span className="mono layer-name">{t.name}</span>,
                <span className="mono">{t.dims.join('×')}</span>,
                ...schemes.map((s) => {
                  const r = find(t.results, s);
                  return r ? db(r.sqnrDb) : '—';
                }),
              ],
            }))}
          />
          {report.skipped.length ? <p className="note">{report.skipped.length} tensors left in full precision (biases, norms and other rank-1 or non-float tensors).</p> : null}
        </>
      ) : null}
    </div>
  );
}

const METHODS: Array<[PruneMethod, string]> = [
  ['global', 'Global magnitude'],
  ['layerwise', 'Layer-wise magnitude'],
  ['2:4', '2:4 structured'],
];

export function PruneWhatif({ report, onRun, busy }: { report: PruneModelReport | null; onRun: (method: PruneMethod, sparsity: number) => void; busy: boolean }) {
  const [method, setMethod] = useState<PruneMethod>('global');
  const [sparsity, setSparsity] = useState(0.5);
  const [sched, setSched] = useState({ initialSparsity: 0, finalSparsity: 0.8, startStep: 2000, pruningSteps: 10, frequency: 1000 });
  const schedField = (key: keyof typeof sched, label: string, step: number) => (
    <div className="field" key={key}>
      <label htmlFor={`sched-${key}`}>{label}</label>
      <input id={`sched-${key}`} className="input input-narrow num" type="number" step={step} min={0} value={sched[key]} onChange={(e) => setSched({ ...sched, [key]: Number(e.target.value) })} />
    </div>
  );
  return (
    <div className="whatif-block" data-testid="whatif-prune">
      <h3 className="subheading">Pruning</h3>
      <div className="control-row model-run-row">
        <div className="field">
          <label htmlFor="prune-method">Method</label>
          <select id="prune-method" className="select" value={method} onChange={(e) => setMethod(e.target.value as PruneMethod)}>
            {METHODS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="prune-sparsity">Sparsity {method === '2:4' ? '50% (fixed by 2:4)' : pct(sparsity)}</label>
          <input id="prune-sparsity" type="range" min={0} max={0.99} step={0.01} value={method === '2:4' ? 0.5 : sparsity} disabled={method === '2:4'} onChange={(e) => setSparsity(Number(e.target.value))} />
        </div>
        <div className="control-actions">
          <button type="button" className="button" disabled={busy} onClick={() => onRun(method, sparsity)}>
            Prune
          </button>
        </div>
      </div>
      {report ? (
        <dl className="facts whatif-facts" data-testid="prune-result">
          <Fact label="Achieved sparsity" value={pct(report.achievedSparsity)} testId="prune-achieved" />
          <Fact label="Parameters" value={`${formatCompact(report.cost.params.before)} → ${formatCompact(report.cost.params.after)}`} testId="prune-params" />
          <Fact label="FLOPs" value={`${formatCompact(report.cost.flops.before)} → ${formatCompact(report.cost.flops.after)}`} testId="prune-flops" />
          <Fact label="Method" value={`${report.method}${report.method === '2:4' ? '' : ` at ${pct(report.targetSparsity)}`}`} />
        </dl>
      ) : null}
      {report ? <p className="note">FLOPs after assume sparse kernels skip every zero; real speed-ups are lower (unstructured sparsity needs ≳ 90% to beat dense kernels; 2:4 gives at most 2× on the products).</p> : null}
      <h4 className="minor-heading">Gradual pruning schedule (Zhu &amp; Gupta 2017)</h4>
      <div className="control-row model-options">
        {schedField('initialSparsity', 's_i', 0.05)}
        {schedField('finalSparsity', 's_f', 0.05)}
        {schedField('startStep', 't₀', 100)}
        {schedField('pruningSteps', 'n', 1)}
        {schedField('frequency', 'Δt', 100)}
      </div>
      <SvgChart testId="sparsity-schedule-chart" render={(width) => renderSparsityScheduleChart(sched, { width })} />
    </div>
  );
}

export function ActivationWhatif({ report, onRun, busy }: { report: ActivationSparsityReport | null; onRun: () => void; busy: boolean }) {
  const nodes = report ? [...report.nodes].sort((a, b) => b.fraction - a.fraction).slice(0, 20) : [];
  return (
    <div className="whatif-block" data-testid="whatif-activations">
      <h3 className="subheading">Activation sparsity</h3>
      <div className="control-row">
        <button type="button" className="button" disabled={busy} onClick={onRun}>
          Measure activation sparsity
        </button>
        <span className="note">Runs the model with ONNX Runtime on random inputs and counts the zeros after each ReLU-family op.</span>
      </div>
      {report ? (
        <>
          <dl className="facts whatif-facts">
            <Fact label="Zeros overall" value={pct(report.overall.fraction)} testId="act-overall" />
            <Fact label="Elements measured" value={formatCount(report.overall.elements)} />
          </dl>
          <DataTable
            testId="act-by-op"
            caption="Activation zeros per op type"
            columns={[{ label: 'Op type' }, { label: 'Nodes', num: true }, { label: 'Zeros', num: true }]}
            rows={report.byOpType.map((o) => ({ key: o.opType, cells: [<span className="mono">{o.opType}</span>, o.nodes, pct(o.fraction)] }))}
          />
          <h4 className="minor-heading">Sparsest {nodes.length} nodes</h4>
          <DataTable
            testId="act-nodes"
            caption={`Sparsest ${nodes.length} nodes`}
            columns={[{ label: 'Node' }, { label: 'Op type' }, { label: 'Elements', num: true }, { label: 'Zeros', num: true }]}
            rows={nodes.map((n) => ({ key: n.name, cells: [<span className="mono layer-name">{n.name}</span>, <span className="mono">{n.opType}</span>, formatCount(n.elements), pct(n.fraction)] }))}
          />
        </>
      ) : null}
    </div>
  );
}

export function MoeWhatif({ report }: { report: MoeReport }) {
  return (
    <div className="whatif-block" data-testid="whatif-moe">
      <h3 className="subheading">Mixture of experts</h3>
      <dl className="facts whatif-facts">
        <Fact label="Total parameters" value={formatCompact(report.totalParams)} testId="moe-total" />
        <Fact label="Active per token" value={formatCompact(report.activeParamsPerToken)} testId="moe-active" />
        <Fact label="Active fraction" value={pct(report.activeFraction)} testId="moe-fraction" />
        {report.flops ? <Fact label="FLOPs: graph → per token" value={`${formatCompact(report.flops.graph)} → ${formatCompact(report.flops.active)}`} /> : null}
      </dl>
      <p className="note">
        {report.layers.map((l) => `${l.prefix}: ${l.experts} experts, top-${l.topK ?? '?'}`).join('; ')}
      </p>
      {report.warnings.map((w) => (
        <p key={w} className="note">
          {w}
        </p>
      ))}
    </div>
  );
}
