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
import { DataTable } from '../ui/data-table.js';
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
      <h3 className="subheading">Memory at {r.settings.context} tokens of context: {formatBytes(r.memory.totalBytes)}</h3>
      <DataTable
        testId="llm-memory"
        caption="Memory"
        columns={[{ label: 'Part' }, { label: 'Size', num: true }, { label: 'Kind' }, { label: 'Basis' }]}
        rows={(['weights', 'kvCache', 'compute', 'overhead'] as const).map((k) => ({
          key: k,
          cells: [{ weights: 'Weights', kvCache: 'K/V cache', compute: 'Compute buffers', overhead: 'Runtime overhead' }[k], formatBytes(r.memory.parts[k].bytes), r.memory.parts[k].kind, <span className="basis">{r.memory.parts[k].basis}</span>],
        }))}
      />
      <h3 className="subheading">Fit</h3>
      <DataTable
        testId="llm-fits"
        caption="Fit"
        columns={[{ label: 'Device' }, { label: 'Memory', num: true }, { label: 'Fits' }, { label: 'Longest context', num: true, unit: 'tokens' }, { label: 'Note' }]}
        rows={r.fits.map((f) => ({
          key: f.device,
          data: { fits: String(f.fits) },
          cells: [f.device, formatBytes(f.memoryBytes), f.fits ? 'yes' : f.gpuLayers !== undefined ? `split: ${f.gpuLayers}/${m.layers} layers on the GPU` : 'no', f.maxContext.toLocaleString('en-US'), <span className="basis">{f.note}</span>],
        }))}
      />
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
      <SvgChart
        testId="llm-decode-chart"
        render={(width) => renderLlmDecodeChart({ curve: r.decodeCurve }, { width })}
        values={{
          label: 'predicted decode speed per context depth',
          columns: [{ label: 'Context depth', num: true, unit: 'tokens' }, { label: 'Decode, predicted', num: true }],
          rows: r.decodeCurve.map((p) => ({ key: String(p.depth), cells: [p.depth.toLocaleString('en-US'), tps(p.tokensPerSecond)] })),
        }}
      />
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
      <p className="note">
        Measured through llama.cpp ({m.backend}, {m.threads} threads; load {m.loadMs.toFixed(0)} ms, peak memory {formatBytes(m.peakRssBytes)}
        {m.energyJoulesPerToken !== undefined ? `, ${formatJoules(m.energyJoulesPerToken)} per token` : ''})
      </p>
      <DataTable
        testId="llm-measured-table"
        caption="Measured beside predicted"
        columns={[
          { label: 'Depth', num: true, unit: 'tokens' },
          { label: 'Prefill measured', num: true },
          { label: 'predicted', num: true },
          { label: 'Decode measured', num: true },
          { label: 'predicted', num: true },
          { label: 'Decode measured ÷ predicted', num: true },
        ]}
        rows={m.points.map((p) => {
          const ratio = p.decodeTokensPerSecond / p.predictedDecodeTokensPerSecond;
          return {
            key: String(p.depth),
            cells: [
              p.depth,
              tps(p.prefillTokensPerSecond),
              tps(p.predictedPrefillTokensPerSecond),
              tps(p.decodeTokensPerSecond),
              tps(p.predictedDecodeTokensPerSecond),
              <span data-testid="llm-decode-ratio" data-ratio={ratio}>
                {ratio.toPrecision(2)}×
              </span>,
            ],
          };
        })}
      />
      <SvgChart testId="llm-measured-chart" render={(width) => renderLlmDecodeChart({ curve: r.decodeCurve, measured: m.points.map((p) => ({ depth: p.depth, tokensPerSecond: p.decodeTokensPerSecond })) }, { width })} />
    </div>
  );
}
