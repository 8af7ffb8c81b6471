/**
 * An LLM estimate on screen (renderer): parameters, the memory breakdown with what each part rests
 * on, fit against the chosen devices, predicted prefill/decode speed and the decode-vs-depth chart
 * (`EstimateView`), and — when measured through llama.cpp — measured beside predicted
 * (`MeasuredView`). Shown by the LLMs page and by History for a stored `llm` run.
 */
import type { LlmEstimateResult } from '../../src-shared/api/llm.js';
import { renderLlmDecodeChart } from '../../src-shared/charts/llm-decode-chart.js';
import { formatJoules } from '../../src-shared/energy/format.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { WarningCallout } from './callouts.js';
import { RunLink } from './run-link.js';
import { SvgChart } from './model-whatif-training.js';

const tps = (v: number | undefined) => (v === undefined ? '—' : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} tokens/s`);

export function EstimateView({ result: r }: { result: LlmEstimateResult }) {
  const m = r.model;
  return (
    <div className="card" data-testid="llm-result">
      <h2 className="section-title" data-testid="llm-model-name">
        {m.name}
      </h2>
      <p className="note" data-testid="llm-params">
        {m.architecture}, {m.params.toLocaleString('en-US')} parameters{m.activeParams !== m.params ? `, ${m.activeParams.toLocaleString('en-US')} active per token` : ''}; {m.layers} layers, hidden {m.hiddenSize}, {m.heads} heads ({m.kvHeads} K/V), context up to {m.contextMax}; weights {m.quant}.
      </p>
      <table className="data-table" data-testid="llm-memory">
        <caption>
          Memory at {r.settings.context} tokens of context: {formatBytes(r.memory.totalBytes)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col">Size</th>
            <th scope="col">Kind</th>
            <th scope="col">Basis</th>
          </tr>
        </thead>
        <tbody>
          {(['weights', 'kvCache', 'compute', 'overhead'] as const).map((k) => (
            <tr key={k}>
              <th scope="row">{{ weights: 'Weights', kvCache: 'K/V cache', compute: 'Compute buffers', overhead: 'Runtime overhead' }[k]}</th>
              <td>{formatBytes(r.memory.parts[k].bytes)}</td>
              <td>{r.memory.parts[k].kind}</td>
              <td>{r.memory.parts[k].basis}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data-table" data-testid="llm-fits">
        <caption>Fit</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Memory</th>
            <th scope="col">Fits</th>
            <th scope="col">Longest context</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {r.fits.map((f) => (
            <tr key={f.device} data-fits={String(f.fits)}>
              <th scope="row">{f.device}</th>
              <td>{formatBytes(f.memoryBytes)}</td>
              <td>{f.fits ? 'yes' : f.gpuLayers !== undefined ? `split: ${f.gpuLayers}/${m.layers} layers on the GPU` : 'no'}</td>
              <td>{f.maxContext.toLocaleString('en-US')}</td>
              <td>{f.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts" data-testid="llm-speed">
        <dt>Prefill ({r.prefill.tokens} tokens), predicted</dt>
        <dd data-testid="llm-prefill">{tps(r.prefill.predictedTokensPerSecond)}</dd>
        <dt>Time to first token, predicted</dt>
        <dd>{r.prefill.predictedTtftMs.toFixed(0)} ms</dd>
        <dt>Decode at depth {r.decode.contextDepth}, predicted</dt>
        <dd data-testid="llm-decode">{tps(r.decode.predictedTokensPerSecond)}</dd>
        <dt>Read per decoded token</dt>
        <dd>{formatBytes(r.decode.bytesPerToken)}</dd>
        <dt>Basis</dt>
        <dd data-testid="llm-basis">{r.device.basis}</dd>
      </dl>
      <SvgChart testId="llm-decode-chart" render={(width) => renderLlmDecodeChart({ curve: r.decodeCurve }, { width })} />
      {r.warnings.length ? <WarningCallout title="Warnings" items={r.warnings} /> : null}
    </div>
  );
}

export function MeasuredView({ result: r }: { result: LlmEstimateResult }) {
  const m = r.measured!;
  return (
    <div data-testid="llm-measured">
      {r.runId ? <p className="note">
          Stored as <RunLink id={r.runId} />.
        </p> : null}
      <table className="data-table" data-testid="llm-measured-table">
        <caption>
          Measured through llama.cpp ({m.backend}, {m.threads} threads; load {m.loadMs.toFixed(0)} ms, peak memory {formatBytes(m.peakRssBytes)}
          {m.energyJoulesPerToken !== undefined ? `, ${formatJoules(m.energyJoulesPerToken)} per token` : ''})
        </caption>
        <thead>
          <tr>
            <th scope="col">Depth</th>
            <th scope="col">Prefill measured</th>
            <th scope="col">predicted</th>
            <th scope="col">Decode measured</th>
            <th scope="col">predicted</th>
            <th scope="col">Decode measured ÷ predicted</th>
          </tr>
        </thead>
        <tbody>
          {m.points.map((p) => (
            <tr key={p.depth}>
              <th scope="row">{p.depth}</th>
              <td>{tps(p.prefillTokensPerSecond)}</td>
              <td>{tps(p.predictedPrefillTokensPerSecond)}</td>
              <td>{tps(p.decodeTokensPerSecond)}</td>
              <td>{tps(p.predictedDecodeTokensPerSecond)}</td>
              <td data-testid="llm-decode-ratio" data-ratio={p.decodeTokensPerSecond / p.predictedDecodeTokensPerSecond}>
                {(p.decodeTokensPerSecond / p.predictedDecodeTokensPerSecond).toPrecision(2)}×
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SvgChart testId="llm-measured-chart" render={(width) => renderLlmDecodeChart({ curve: r.decodeCurve, measured: m.points.map((p) => ({ depth: p.depth, tokensPerSecond: p.decodeTokensPerSecond })) }, { width })} />
    </div>
  );
}
