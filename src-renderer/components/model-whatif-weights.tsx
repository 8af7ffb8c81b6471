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
          <div className="table-wrap">
            <table className="data-table" data-testid="quant-sizes">
              <thead>
                <tr>
                  {WEIGHT_FORMATS.map((f) => (
                    <th key={f} scope="col" className="num">
                      {f}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  {WEIGHT_FORMATS.map((f) => (
                    <td key={f} className="num" data-format={f}>
                      {formatBytes(report.sizes[f])}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
          <div className="table-wrap">
            <table className="data-table" data-testid="quant-schemes">
              <thead>
                <tr>
                  <th scope="col">Scheme</th>
                  <th scope="col" className="num">
                    Mean SQNR
                  </th>
                  <th scope="col" className="num">
                    Min SQNR
                  </th>
                  <th scope="col">Worst tensor</th>
                </tr>
              </thead>
              <tbody>
                {schemes.map((s) => (
                  <tr key={schemeName(s)} data-bits={s.bits}>
                    <td className="mono">{schemeName(s)}</td>
                    <td className="num">{db(s.meanSqnrDb)}</td>
                    <td className="num">{db(s.minSqnrDb)}</td>
                    <td className="mono layer-name">{s.worstTensor ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.speedups?.length ? (
            <p className="note" data-testid="quant-speedups">
              {report.speedups[0]?.layers[0]?.basis === 'cost model'
                ? "Speed-up on this machine's cost model, the profile's own prediction before and after (weights only, W·A32; products and convolutions at the format's measured GEMM rate): "
                : 'Roofline speed-up estimate (weights only, W·A32): '}
              {report.speedups.map((s) => `${s.format} ${s.speedup.toFixed(2)}×`).join(', ')}.
            </p>
          ) : null}
          <h4 className="minor-heading">Worst {worst.length} tensors by SQNR</h4>
          <div className="table-wrap">
            <table className="data-table" data-testid="quant-tensors">
              <thead>
                <tr>
                  <th scope="col">Tensor</th>
                  <th scope="col">Shape</th>
                  {schemes.map((s) => (
                    <th key={schemeName(s)} scope="col" className="num">
                      {`int${s.bits} ${s.granularity === 'per-channel' ? 'ch' : 't'} ${s.symmetric ? 'sym' : 'asym'}`}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {worst.map(({ t }) => (
                  <tr key={t.name}>
                    <td className="mono layer-name">{t.name}</td>
                    <td className="mono">{t.dims.join('×')}</td>
                    {schemes.map((s) => {
                      const r = find(t.results, s);
                      return (
                        <td key={schemeName(s)} className="num">
                          {r ? db(r.sqnrDb) : '—'}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
          <div className="table-wrap">
            <table className="data-table" data-testid="act-by-op">
              <thead>
                <tr>
                  <th scope="col">Op type</th>
                  <th scope="col" className="num">
                    Nodes
                  </th>
                  <th scope="col" className="num">
                    Zeros
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.byOpType.map((o) => (
                  <tr key={o.opType}>
                    <td className="mono">{o.opType}</td>
                    <td className="num">{o.nodes}</td>
                    <td className="num">{pct(o.fraction)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4 className="minor-heading">Sparsest {nodes.length} nodes</h4>
          <div className="table-wrap">
            <table className="data-table" data-testid="act-nodes">
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Op type</th>
                  <th scope="col" className="num">
                    Elements
                  </th>
                  <th scope="col" className="num">
                    Zeros
                  </th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((n) => (
                  <tr key={n.name}>
                    <td className="mono layer-name">{n.name}</td>
                    <td className="mono">{n.opType}</td>
                    <td className="num">{formatCount(n.elements)}</td>
                    <td className="num">{pct(n.fraction)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
