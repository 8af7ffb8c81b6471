/**
 * A benchmark result on screen (renderer): its warnings first (a figure above the theoretical
 * peak, an implausibly low one, a software GPU adapter — never a bare number without them), then
 * the roofline, GEMM, STREAM and per-level bandwidth, energy (joules, power, GFLOP/J, GB/J, per
 * device; "estimated" where it is), the latency ladder and the GPU section. Only the parts the run
 * measured are shown; a run stored before energy was measured says so in the Energy card.
 */
import type { ReactNode } from 'react';
import type { BenchResult, GemmPoint, GpuBenchResult, MemoryResult, Roofline } from '../../src-shared/api/bench.js';
import type { CacheSizes } from '../../src-shared/bench/knees.js';
import { formatGBs, formatIntensity, formatNs } from '../../src-shared/charts/axes.js';
import { ENERGY_NOT_MEASURED, formatJoules, readEnergy, withEstimate } from '../../src-shared/energy/format.js';
import { formatBytes, formatFlops } from '../../src-shared/hardware/format.js';
import { implausibleNotes } from '../../src-shared/runs/plausibility.js';
import { SUITE_CHOICES, type ShownRun } from '../bench-run.js';
import { formatLocalDateTime, formatMs } from '../format.js';
import { BandwidthChartView, LatencyChartView, RooflineChartView } from './bench-charts.js';
import { EmptyState, WarningCallout } from './callouts.js';
import { EnergyCard } from './energy-view.js';

const ops = (gflops: number, dtype: string) => formatFlops(gflops, dtype === 'int8' ? 'int8' : undefined);

/** `title`: the heading (History names its run); by default "Results" for a fresh run, else "Latest stored benchmark". */
export function BenchResults({ shown, caches, fresh, title }: { shown: ShownRun; caches: Partial<CacheSizes> | null; fresh: boolean; title?: string }) {
  const r = shown.result;
  const suite = SUITE_CHOICES.find((s) => s.id === r.suite)?.label ?? r.suite;
  const energy = readEnergy(r.energy);
  const meta = [
    shown.runId !== null ? `Run #${shown.runId}` : 'Not stored',
    `${suite} suite, ${r.quick ? 'quick' : 'full'}`,
    `${r.threads} thread${r.threads === 1 ? '' : 's'}`,
    `${r.elapsedSeconds.toFixed(1)} s`,
    energy ? withEstimate(formatJoules(energy.joules), energy.estimated) : null,
    shown.createdAt ? formatLocalDateTime(shown.createdAt) : null,
  ].filter(Boolean);

  return (
    <section className="bench-results" aria-labelledby="bench-results-heading" data-testid="bench-results">
      <div className="results-head">
        <h2 id="bench-results-heading" className="section-title">
          {title ?? (fresh ? 'Results' : 'Latest stored benchmark')}
        </h2>
        <p className="results-meta num" data-testid="results-meta">
          {meta.join(' · ')}
        </p>
      </div>
      <WarningCallout
        title={r.warnings.length === 1 ? '1 warning: check before trusting these numbers' : `${r.warnings.length} warnings: check before trusting these numbers`}
        items={r.warnings}
      />
      {/* A stored run (an imported one, say) can carry numbers no machine measured: say so rather than print them as measurements. */}
      <WarningCallout title="Values outside their plausible range: these numbers were probably changed by hand or damaged" items={implausibleNotes('bench', r)} />
      {r.roofline ? <RooflineCard roofline={r.roofline} /> : null}
      {r.gemm || r.memory ? (
        <div className="bench-grid">
          {r.gemm ? <GemmCard result={r} /> : null}
          {r.memory ? <MemoryCard memory={r.memory} /> : null}
        </div>
      ) : null}
      <EnergyCard
        energy={energy}
        bench={r.energyEfficiency ?? null}
        // A fresh run's strip is already under the progress card above.
        showStrip={!fresh}
        missing={fresh ? 'Energy: not measured for this run.' : `Energy: ${ENERGY_NOT_MEASURED}.`}
        idPrefix="bench"
        resultWarnings={r.warnings}
      />
      {r.memory ? (
        <Card id="sweep" title="Read bandwidth by working-set size">
          <p className="note">All threads reading together; each level holds until the working set outgrows it.</p>
          <BandwidthChartView memory={r.memory} />
        </Card>
      ) : null}
      {r.latency ? (
        <Card id="latency" title="Load latency">
          <p className="note">Pointer chasing: each load depends on the one before, so the time per load is the latency of the level the working set fits in.</p>
          <LatencyChartView latency={r.latency} caches={caches} />
          {r.latency.levels.length ? (
            <Table testId="latency-levels" head={['Level', 'Capacity', 'Latency']} numeric={[false, true, true]}>
              {r.latency.levels.map((l) => (
                <tr key={l.name}>
                  <td className="mono">{l.name}</td>
                  <td className="num">{formatBytes(l.bytes)}</td>
                  <td className="num">{formatNs(l.ns)}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <EmptyState>No cache levels could be told apart in this sweep.</EmptyState>
          )}
        </Card>
      ) : null}
      {r.gpu ? <GpuCard gpu={r.gpu} /> : null}
    </section>
  );
}

function Card({ id, title, children, className }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <section className={`card${className ? ` ${className}` : ''}`} aria-labelledby={`bench-${id}-heading`} data-testid={`bench-${id}`}>
      <h2 id={`bench-${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

function Table({ head, numeric, children, testId }: { head: string[]; numeric: boolean[]; children: ReactNode; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={numeric[i] ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function RooflineCard({ roofline }: { roofline: Roofline }) {
  const ridge = roofline.ridge;
  const bw = ridge ? roofline.ceilings.find((c) => c.kind === 'bandwidth' && c.name === ridge.level && c.source === 'measured') : undefined;
  return (
    <Card id="roofline" title="Roofline">
      <p className="note">
        Solid lines were measured on this machine, dashed ones are theoretical peaks. Hover a line for its number and how it was obtained.
        {ridge ? (
          <>
            {' '}
            The ridge at <span className="num">{formatIntensity(ridge.intensity)} FLOP/byte</span> is where {ridge.dtype} compute (
            <span className="num">{ops(ridge.gflops, ridge.dtype)}</span>) meets {ridge.level} bandwidth
            {bw ? (
              <>
                {' '}
                (<span className="num">{formatGBs(bw.value)}</span>)
              </>
            ) : null}
            : kernels of lower intensity are limited by memory, higher ones by compute.
          </>
        ) : null}
      </p>
      <RooflineChartView roofline={roofline} />
    </Card>
  );
}

function GemmCard({ result }: { result: BenchResult }) {
  const gemm = result.gemm!;
  const isBest = (p: GemmPoint) => gemm.best[p.dtype] === p.gflops;
  return (
    <Card id="gemm" title="GEMM (ONNX Runtime)">
      {gemm.results.length ? (
        <Table testId="gemm-table" head={['Dtype', 'm×n×k', 'Threads', 'Median', 'Throughput']} numeric={[false, true, true, true, true]}>
          {gemm.results.map((p, i) => (
            <tr key={i} className={isBest(p) ? 'best-row' : undefined}>
              <td className="mono nowrap">
                {p.dtype}
                {isBest(p) ? <span className="chip chip-best">best</span> : null}
              </td>
              <td className="num">
                {p.m}×{p.n}×{p.k}
              </td>
              <td className="num">{p.threads}</td>
              <td className="num" title={`best ${formatMs(p.bestSeconds)} ms over ${p.repeats} runs`}>
                {formatMs(p.medianSeconds)} ms
              </td>
              <td className="num">{ops(p.gflops, p.dtype)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <EmptyState>No GEMM sizes were measured.</EmptyState>
      )}
      {gemm.unsupported.length ? (
        <ul className="plain-list note">
          {gemm.unsupported.map((u) => (
            <li key={u.dtype}>
              <span className="mono">{u.dtype}</span>: not supported ({u.reason})
            </li>
          ))}
        </ul>
      ) : null}
      <p className="note table-note">Throughput from the median time per product; 1 multiply-add = 2 FLOPs (int8: 2 OPs).</p>
    </Card>
  );
}

function MemoryCard({ memory }: { memory: MemoryResult }) {
  const stream: Array<[string, number]> = [
    ['Copy', memory.copyGBs],
    ['Scale', memory.scaleGBs],
    ['Add', memory.addGBs],
    ['Triad', memory.triadGBs],
  ];
  return (
    <Card id="memory" title="Memory bandwidth">
      <dl className="facts stream-facts" data-testid="stream">
        {stream.map(([label, v]) => (
          <div className="fact" key={label}>
            <dt>{label}</dt>
            <dd className="num">{formatGBs(v)}</dd>
          </div>
        ))}
        <div className="fact">
          <dt>Arrays</dt>
          <dd className="num">3 × {formatBytes(memory.arrayBytes)}</dd>
        </div>
        <div className="fact">
          <dt>Threads</dt>
          <dd className="num">{memory.threads}</dd>
        </div>
      </dl>
      <p className="note table-note">STREAM kernels on arrays far larger than the caches: DRAM bandwidth.</p>
      {memory.levels.length ? (
        <Table testId="bandwidth-levels" head={['Level', 'Working set', 'Read bandwidth']} numeric={[false, true, true]}>
          {memory.levels.map((l) => (
            <tr key={l.name}>
              <td className="mono">{l.name}</td>
              <td className="num">{formatBytes(l.bytes)}</td>
              <td className="num">{formatGBs(l.GBs)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}

function adapterName(gpu: Extract<GpuBenchResult, { available: true }>): string {
  const a = gpu.adapter;
  return a.description || [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unnamed adapter';
}

/** "no WebGPU adapter: …" reasons already say what is missing; others get that prefix. */
function unavailableText(reason: string): string {
  if (/^no webgpu/i.test(reason)) return reason.charAt(0).toUpperCase() + reason.slice(1);
  return `No WebGPU adapter: ${reason}`;
}

function GpuCard({ gpu }: { gpu: GpuBenchResult }) {
  if (!gpu.available) {
    return (
      <Card id="gpu" title="GPU (WebGPU)">
        <p className="empty-state" data-testid="gpu-unavailable">
          {unavailableText(gpu.reason)}
        </p>
      </Card>
    );
  }
  const b = gpu.bandwidth;
  return (
    <Card id="gpu" title="GPU (WebGPU)">
      <p className="gpu-adapter">
        <span className="gpu-name">{adapterName(gpu)}</span>
        {gpu.adapter.software ? (
          <span className="badge badge-warn" data-testid="software-adapter">
            software adapter
          </span>
        ) : null}
        <span className="device-tag">{gpu.backend}</span>
      </p>
      {gpu.adapter.software ? <p className="note">This adapter runs WebGPU on the CPU: its numbers say nothing about a GPU.</p> : null}
      {gpu.gemm.length ? (
        <Table testId="gpu-gemm-table" head={['Kernel', 'Dtype', 'm×n×k', 'Median', 'Throughput', 'Verified']} numeric={[false, false, true, true, true, false]}>
          {gpu.gemm.map((g, i) => (
            <tr key={i}>
              <td className="mono">{g.kernel}</td>
              <td className="mono">{g.dtype}</td>
              <td className="num">
                {g.m}×{g.n}×{g.k}
              </td>
              <td className="num">{formatMs(g.medianSeconds)} ms</td>
              <td className={g.verified ? 'num' : 'num invalid'}>{formatFlops(g.gflops)}</td>
              <td title={`max abs error ${g.maxAbsError.toExponential(2)}, tolerance ${g.tolerance.toExponential(2)}, ${g.checkedEntries} entries checked`}>
                {g.verified ? (
                  <span className="verdict verdict-ok" aria-label="verified against the CPU">
                    ✓
                  </span>
                ) : (
                  <span className="verdict verdict-bad" aria-label="failed verification against the CPU">
                    ✗ failed
                  </span>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <EmptyState>No GPU GEMM completed.</EmptyState>
      )}
      <dl className="facts gpu-facts">
        <div className="fact">
          <dt>Copy</dt>
          <dd className="num">{formatGBs(b.copyGBs)}</dd>
        </div>
        {b.readGBs !== undefined ? (
          <div className="fact">
            <dt>Read</dt>
            <dd className="num">{formatGBs(b.readGBs)}</dd>
          </div>
        ) : null}
        <div className="fact">
          <dt>Array</dt>
          <dd className="num">{formatBytes(b.bytes)}</dd>
        </div>
        <div className="fact">
          <dt>Data check</dt>
          <dd>{b.verified ? '✓ verified' : '✗ did not match'}</dd>
        </div>
      </dl>
    </Card>
  );
}
