/**
 * A profile on screen (renderer): the totals with the counting convention, coverage (op types not
 * counted, and the profiler's warnings), where the FLOPs and bytes go by op type, the per-layer
 * table, the cost model's predicted latency (./model-prediction.tsx), and — when the model was run
 * — latency, the prediction checked against the measurement, energy (joules per inference and per
 * token, power, per device; "estimated" where it is) and the layers on this machine's roofline.
 * Profiles stored before predictions (no `check`) keep the roofline prediction table of their
 * slowest layers and the unmapped-kernel line they were shown with.
 */
import { useMemo, type ReactNode } from 'react';
import { DataTable } from '../ui/data-table.js';
import type { Roofline } from '../../src-shared/bench/roofline.js';
import { formatIntensity } from '../../src-shared/charts/axes.js';
import { OTHER_OP, opShares, renderOpShareChart } from '../../src-shared/charts/op-share-chart.js';
import { basisText, ENERGY_NOT_MEASURED, formatJoules, readEnergy, withEstimate } from '../../src-shared/energy/format.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import type { ProfileResult, UncountedReason } from '../../src-shared/profiler/types.js';
import { hrefFor } from '../routing.js';
import { formatCompact, formatCount, formatDims, measuredPoints, predictLayers, rooflineBasis } from '../model-run.js';
import { RooflineChartView } from './bench-charts.js';
import { EmptyState, WarningCallout } from './callouts.js';
import { ChartFrame } from './chart-frame.js';
import { EnergyCard } from './energy-view.js';
import { LayerTable } from './model-layer-table.js';
import { RunLink } from './run-link.js';
import { ModelPrediction } from './model-prediction.js';

export const CONVENTION =
  '1 MAC = one multiply-add; FLOPs = 2 × MACs for matrix products and convolutions; normalisation, activations, softmax, pooling and element-wise work are counted separately as other ops.';

const REASONS: Record<UncountedReason, string> = {
  'no-counter': 'no counter',
  'unknown-shape': 'unknown shape',
  subgraph: 'subgraph',
};

/** "Not counted: 3 × If (subgraph), 2 × Foo (no counter)". */
export function uncountedText(uncounted: ProfileResult['uncounted']): string {
  return `Not counted: ${uncounted.map((u) => `${u.count} × ${u.opType}${u.reason ? ` (${REASONS[u.reason] ?? u.reason})` : ''}`).join(', ')}`;
}

/**
 * `showStrip`: also draw the power strip in the Energy card. Off by default: on the Models page a
 * result is always this page's run, whose strip the progress card above already shows.
 */
/** A stored what-if run's link to the measured run it was asked from (its params: parentRunId, whatifs). */
export interface WhatifOrigin {
  parentRunId: number;
  whatifs: string[];
}

/** The what-if origin in a stored profile run's params, or null for a measured profile. */
export function whatifOrigin(params: unknown): WhatifOrigin | null {
  if (typeof params !== 'object' || params === null) return null;
  const p = params as { parentRunId?: unknown; whatifs?: unknown };
  if (typeof p.parentRunId !== 'number' || !Number.isInteger(p.parentRunId) || p.parentRunId < 1) return null;
  return { parentRunId: p.parentRunId, whatifs: Array.isArray(p.whatifs) ? p.whatifs.filter((w): w is string => typeof w === 'string') : [] };
}

export function ModelResults({
  result,
  roofline,
  sourceLabel,
  showStrip = false,
  origin = null,
}: {
  result: ProfileResult;
  roofline: Roofline | null | 'loading';
  sourceLabel: string;
  showStrip?: boolean;
  /** Set when this profile is a stored what-if run (History): names the measured run it came from. */
  origin?: WhatifOrigin | null;
}) {
  const t = result.totals;
  const m = result.model;
  const meta = [
    sourceLabel,
    `opset ${m.opset}`,
    m.producer || null,
    `${result.nodes.length} layers`,
    m.inputs.map((i) => `${i.name} ${i.shape.join('×')} ${i.dtype}`).join(', ') || null,
    Object.keys(m.dims).length ? `dims ${formatDims(m.dims)}` : null,
  ].filter(Boolean);
  return (
    <section className="model-results" id="model-summary" aria-labelledby="model-results-heading" data-testid="model-results">
      <div className="results-head">
        <h2 id="model-results-heading" className="section-title">
          {m.name}
        </h2>
        <p className="results-meta num" data-testid="model-meta">
          {meta.join(' · ')}
        </p>
        {origin ? (
          <p className="note" data-testid="whatif-origin">
            A what-if{origin.whatifs.length ? ` (${origin.whatifs.join(', ')})` : ''} of <RunLink id={origin.parentRunId} />, the measured profile it was asked from.
          </p>
        ) : null}
      </div>
      <div className="card">
        <dl className="totals" data-testid="totals">
          <Total label="Parameters" value={t.params} testId="total-params" />
          <Total label="MACs" value={t.macs} testId="total-macs" />
          <Total label="FLOPs" value={t.flops} testId="total-flops" />
          <Total label="Other ops" value={t.otherOps} testId="total-other" />
          <Total label="Weight bytes" value={t.weightBytes} bytes testId="total-weights" />
          <Total label="Peak activation bytes" value={t.activationBytes} bytes testId="total-activations" />
        </dl>
        <p className="note convention" data-testid="convention">
          {CONVENTION}
        </p>
      </div>
      {result.uncounted.length ? (
        <div className="callout callout-warning" role="note" data-testid="uncounted">
          <p className="callout-title">{uncountedText(result.uncounted)}</p>
          <p>These layers are not in the totals above.</p>
        </div>
      ) : null}
      <WarningCallout title={result.warnings.length === 1 ? '1 warning' : `${result.warnings.length} warnings`} items={result.warnings} />
      <ModelPrediction result={result} />
      {result.measured ? <MeasuredSection result={result} roofline={roofline} /> : null}
      {result.measured ? (
        <EnergyCard
          energy={readEnergy(result.energy)}
          profile={result.energyEfficiency ?? null}
          showStrip={showStrip}
          missing={`Energy: ${ENERGY_NOT_MEASURED}.`}
          idPrefix="model"
          resultWarnings={result.warnings}
        />
      ) : null}
      <Card id="op-share" title="Where the FLOPs and bytes go">
        <p className="note">Share of the model’s FLOPs and of the bytes its layers read and write, by op type.</p>
        <OpShareChartView result={result} />
      </Card>
      <Card id="layers" title="Layers">
        <LayerTable result={result} />
      </Card>
    </section>
  );
}

function Total({ label, value, bytes, testId }: { label: string; value: number; bytes?: boolean; testId: string }) {
  return (
    <div className="total" data-testid={testId}>
      <dt>{label}</dt>
      <dd className="num total-value">{bytes ? formatBytes(value) : formatCompact(value)}</dd>
      <dd className="num total-exact">{formatCount(value)}</dd>
    </div>
  );
}

function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" id={`model-${id}`} aria-labelledby={`model-${id}-heading`} data-testid={`model-${id}`}>
      <h2 id={`model-${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

function OpShareChartView({ result }: { result: ProfileResult }) {
  const values = useMemo(
    () => ({
      label: 'share of FLOPs and bytes by op type',
      columns: [{ label: 'Op type' }, { label: 'Layers', num: true }, { label: 'FLOPs', num: true }, { label: 'Share of FLOPs', num: true, unit: '%' }, { label: 'Bytes moved', num: true }, { label: 'Share of bytes', num: true, unit: '%' }],
      rows: opShares(result.nodes).map((r) => ({
        key: r.opType,
        cells: [r.opType === OTHER_OP ? 'other op types' : r.opType, r.count, formatCompact(r.flops), (r.flopsShare * 100).toFixed(1), formatBytes(r.bytes), (r.bytesShare * 100).toFixed(1)],
      })),
    }),
    [result],
  );
  return <ChartFrame draw={(width) => renderOpShareChart(result.nodes, { width })} deps={[result]} testId="op-share-chart" values={values} />;
}

function MeasuredSection({ result, roofline }: { result: ProfileResult; roofline: Roofline | null | 'loading' }) {
  const measured = result.measured!;
  const points = useMemo(() => measuredPoints(result), [result]);
  const basis = roofline && roofline !== 'loading' ? rooflineBasis(roofline) : null;
  // The cost model's check (above) replaces the roofline table; older profiles keep it.
  const rooflineTable = !result.check;
  const predictions = useMemo(() => (basis && rooflineTable ? predictLayers(result, basis) : []), [result, basis, rooflineTable]);
  const unmappedMs = measured.unmapped.reduce((s, u) => s + u.ms, 0);
  const kernelMs = unmappedMs + measured.nodes.reduce((s, n) => s + n.ms, 0);
  const energy = readEnergy(result.energy);
  const perInference =
    energy && result.energyEfficiency
      ? {
          text: withEstimate(formatJoules(result.energyEfficiency.joulesPerInference), energy.estimated),
          title: energy.estimated ? `estimated: ${basisText(energy.estimateBasis)}` : energy.source,
        }
      : null;
  return (
    <Card id="measured" title="Measured with ONNX Runtime">
      <dl className="facts measured-facts" data-testid="latency">
        <div className="fact">
          <dt>Latency (median)</dt>
          <dd className="num" data-testid="latency-median">
            {measured.latencyMs.median.toFixed(2)} ms
          </dd>
        </div>
        <div className="fact">
          <dt>p90</dt>
          <dd className="num">{measured.latencyMs.p90.toFixed(2)} ms</dd>
        </div>
        <div className="fact">
          <dt>Timed runs</dt>
          <dd className="num">{measured.latencyMs.runs}</dd>
        </div>
        <div className="fact">
          <dt>Threads</dt>
          <dd className="num">{measured.threads}</dd>
        </div>
        {measured.profiledLatencyMs !== undefined ? (
          // The per-layer times come from a second session with ORT's profiler on, which costs time of its own.
          <div className="fact" title="The per-layer times below come from a second run with ONNX Runtime's profiler on; the latency above is timed without it. The difference is what profiling costs, a few µs on every kernel.">
            <dt>With the profiler on</dt>
            <dd className="num" data-testid="latency-profiled">
              {measured.profiledLatencyMs.toFixed(2)} ms
            </dd>
          </div>
        ) : null}
        {measured.profilerCostUs !== undefined ? (
          <div className="fact" title="ONNX Runtime's profiler records its own bookkeeping inside every kernel's time. FLOPscope measures it in the same run (a chain of tiny Adds with and without the profiler) and takes it out of every per-layer time below.">
            <dt>Profiler's cost per kernel</dt>
            <dd className="num" data-testid="profiler-cost">
              {measured.profilerCostUs.toFixed(1)} µs, taken out
            </dd>
          </div>
        ) : null}
        {perInference ? (
          // Energy beside time; the Energy card below has the source and the rest.
          <div className="fact" title={perInference.title}>
            <dt>Energy per inference</dt>
            <dd className="num" data-testid="latency-energy">
              {perInference.text}
            </dd>
          </div>
        ) : null}
      </dl>
      {result.trace ? (
        <p>
          <button type="button" className="button" data-testid="export-trace" onClick={() => downloadTrace(result)}>
            Export trace (Chrome/Perfetto JSON)
          </button>{' '}
          <span className="note">Open it in ui.perfetto.dev or chrome://tracing to see every op on the timeline.</span>
        </p>
      ) : null}
      {result.check ? null : (
        // Profiles from before attribution: kernels no layer claimed (the check above has this line otherwise).
        <p className="note" data-testid="unattributed" data-ms={unmappedMs} data-share={kernelMs > 0 ? unmappedMs / kernelMs : 0}>
          Unattributed kernel time: {unmappedMs.toFixed(3)} ms per run
          {measured.unmapped.length ? ` (${measured.unmapped.length} ONNX Runtime kernel${measured.unmapped.length === 1 ? '' : 's'} that no layer claims)` : ''}.
        </p>
      )}
      <h3 className="subheading">Layers on this machine’s roofline</h3>
      {roofline === 'loading' ? (
        <p className="note">Loading the latest benchmark…</p>
      ) : roofline === null ? (
        <p className="empty-state" data-testid="no-roofline">
          <a href={hrefFor('benchmarks')}>Run the quick benchmark</a> to place layers on this machine's roofline.
        </p>
      ) : (
        <>
          <p className="note">Each dot is a measured layer: its arithmetic intensity against the throughput it achieved ({points.length} layers with a measured time). Hover a dot for its name.</p>
          <RooflineChartView roofline={roofline} extraPoints={points} />
          {!rooflineTable ? null : basis ? (
            <>
              <h3 className="subheading">Predicted vs measured (slowest {predictions.length} layers)</h3>
              <DataTable
                testId="prediction-table"
                caption="Roofline prediction against measured time, slowest layers"
                columns={[{ label: 'Layer' }, { label: 'Op type' }, { label: 'Intensity', num: true }, { label: 'Predicted', num: true, unit: 'ms' }, { label: 'Measured', num: true, unit: 'ms' }, { label: 'Measured / predicted', num: true }]}
                rows={predictions.map((p) => ({
                  key: p.name,
                  cells: [
                    <span className="mono layer-name">{p.name}</span>,
                    <span className="mono">{p.opType}</span>,
                    p.intensity > 0 ? formatIntensity(p.intensity) : '—',
                    p.predictedMs !== null ? p.predictedMs.toFixed(4) : '—',
                    p.measuredMs.toFixed(3),
                    p.ratio !== null ? `${p.ratio.toFixed(1)}×` : '—',
                  ],
                }))}
              />
              <p className="note table-note">
                Predicted = (FLOPs + other ops) ÷ min({basis.computeLabel} {formatCompact(basis.computeGflops * 1e9)}FLOP/s, {basis.bandwidthLabel} {basis.bandwidthGBs.toFixed(1)} GB/s × intensity): the roofline’s best case, so a ratio above 1× is time lost to overheads, caches or a kernel below the roof.
              </p>
            </>
          ) : (
            <EmptyState>The latest benchmark has no fp32 compute and DRAM bandwidth ceilings to predict layer times from.</EmptyState>
          )}
        </>
      )}
    </Card>
  );
}

/** Saves the measured run's per-op timeline as a .json file (a Blob download: no server round trip). */
function downloadTrace(result: ProfileResult): void {
  const blob = new Blob([JSON.stringify(result.trace)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${result.model.name.replace(/[^\w.-]+/g, '_').replace(/\.onnx$/, '')}-trace.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
