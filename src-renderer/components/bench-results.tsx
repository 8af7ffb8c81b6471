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
import { fp16BeatsFp32, gemmSpread, hasNativeFp16, LLC_DIFFERENCE_NOTE, measuredLlcBytes, SPREAD_WARN } from '../benchmarks-page-state.js';
import { DataTable } from '../ui/data-table.js';
import { SectionNav } from '../ui/section-nav.js';
import { formatNumber } from '../../src-shared/reports/report-parts.js';

const ops = (gflops: number, dtype: string) => formatFlops(gflops, dtype === 'int8' ? 'int8' : undefined);

/** `title`: the heading (History names its run); by default "Results" for a fresh run, else "Latest stored benchmark". */
/**
 * `isa`: the CPU flags of the machine the run was measured on, when known (explains fp16 beating fp32).
 * `nav`: an in-page nav to the result's cards (the Benchmarks page; History leaves it out).
 */
export function BenchResults({ shown, caches, fresh, title, isa, nav = false }: { shown: ShownRun; caches: Partial<CacheSizes> | null; fresh: boolean; title?: string; isa?: readonly string[] | null; nav?: boolean }) {
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
      {nav ? (
        <SectionNav
          label="Results"
          sections={[
            r.roofline ? { id: 'bench-roofline', label: 'Roofline' } : null,
            r.gemm ? { id: 'bench-gemm', label: 'GEMM' } : null,
            r.memory ? { id: 'bench-memory', label: 'Memory bandwidth' } : null,
            { id: 'bench-energy-heading', label: 'Energy' },
            r.memory ? { id: 'bench-sweep', label: 'Bandwidth sweep' } : null,
            r.latency ? { id: 'bench-latency', label: 'Latency' } : null,
            r.gpu ? { id: 'bench-gpu', label: 'GPU' } : null,
          ].filter((x): x is { id: string; label: string } => x !== null)}
        />
      ) : null}
      <WarningCallout
        title={r.warnings.length === 1 ? '1 warning: check before trusting these numbers' : `${r.warnings.length} warnings: check before trusting these numbers`}
        items={r.warnings}
      />
      {/* A stored run (an imported one, say) can carry numbers no machine measured: say so rather than print them as measurements. */}
      <WarningCallout title="Values outside their plausible range: these numbers were probably changed by hand or damaged" items={implausibleNotes('bench', r)} />
      {r.roofline ? <RooflineCard roofline={r.roofline} /> : null}
      {r.gemm || r.memory ? (
        <div className="bench-grid">
          {r.gemm ? <GemmCard result={r} isa={isa ?? null} /> : null}
          {r.memory ? <MemoryCard memory={r.memory} osL3={caches?.l3Bytes ?? null} /> : null}
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
            <DataTable
              testId="latency-levels"
              columns={[{ label: 'Level' }, { label: 'Capacity', num: true }, { label: 'Latency', num: true }]}
              rows={r.latency.levels.map((l) => ({ key: l.name, cells: [<span className="mono">{l.name}</span>, formatBytes(l.bytes), formatNs(l.ns)] }))}
            />
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
    <section id={`bench-${id}`} className={`card${className ? ` ${className}` : ''}`} aria-labelledby={`bench-${id}-heading`} data-testid={`bench-${id}`}>
      <h2 id={`bench-${id}-heading`}>{title}</h2>
      {children}
    </section>
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

function GemmCard({ result, isa }: { result: BenchResult; isa: readonly string[] | null }) {
  const gemm = result.gemm!;
  const isBest = (p: GemmPoint) => gemm.best[p.dtype] === p.gflops;
  const spreads = gemm.results.map((p) => gemmSpread(p));
  const top = Math.max(1e-9, ...gemm.results.map((p, i) => spreads[i]?.bestGflops ?? p.gflops));
  const wide = gemm.results.filter((_, i) => spreads[i]?.large);
  const fp16Note = fp16BeatsFp32(gemm.results, isa ? hasNativeFp16(isa) : undefined);
  return (
    <Card id="gemm" title="GEMM (ONNX Runtime)">
      {gemm.results.length ? (
        <DataTable
          testId="gemm-table"
          caption="GEMM throughput"
          columns={[{ label: 'Dtype' }, { label: 'm×n×k', num: true }, { label: 'Threads', num: true }, { label: 'Median', num: true, unit: 'ms' }, { label: 'Throughput', num: true }, { label: 'Spread (median … best)', title: 'Throughput from the median time (dot) to the best time (end of the bar), over the timed runs' }]}
          rows={gemm.results.map((p, i) => {
            const sp = spreads[i];
            return {
              key: String(i),
              className: isBest(p) ? 'best-row' : undefined,
              cells: [
                <span className="mono nowrap">
                  {p.dtype}
                  {isBest(p) ? <span className="chip chip-best">best</span> : null}
                </span>,
                `${p.m}×${p.n}×${p.k}`,
                p.threads,
                formatMs(p.medianSeconds),
                ops(p.gflops, p.dtype),
                sp ? <SpreadBar lo={p.gflops} hi={sp.bestGflops} top={top} large={sp.large} label={`${ops(p.gflops, p.dtype)} … ${ops(sp.bestGflops, p.dtype)} over ${p.repeats} runs (median/best time ×${sp.ratio.toFixed(2)})`} /> : <span className="muted">one run</span>,
              ],
              titles: [undefined, undefined, undefined, `best ${formatMs(p.bestSeconds)} ms over ${p.repeats} runs`],
            };
          })}
        />
      ) : (
        <EmptyState>No GEMM sizes were measured.</EmptyState>
      )}
      {wide.length ? (
        <div className="callout callout-warning" role="note" data-testid="gemm-spread-warning">
          <p className="callout-title">Large run-to-run spread</p>
          <p>
            {wide.map((p) => `${p.dtype} ${p.m}×${p.n}×${p.k} (${p.threads} threads)`).join(', ')}: the median run took more than {SPREAD_WARN}× the best one, so the slowest took at least that. Another program, frequency scaling or too few threads for the size make these
            numbers unsteady; close busy programs and run again.
          </p>
        </div>
      ) : null}
      {fp16Note ? (
        <p className="note" data-testid="gemm-fp16-note">
          {fp16Note}
        </p>
      ) : null}
      {gemm.unsupported.length ? (
        <ul className="plain-list note">
          {gemm.unsupported.map((u) => (
            <li key={u.dtype}>
              <span className="mono">{u.dtype}</span>: not supported ({u.reason})
            </li>
          ))}
        </ul>
      ) : null}
      <p className="note table-note">Throughput from the median time per product; the bar runs to the throughput of the best run. 1 multiply-add = 2 FLOPs (int8: 2 OPs).</p>
    </Card>
  );
}

/** A range bar: from `lo` (dot: the reported, median-based figure) to `hi` (the best run), on a 0…top scale. */
function SpreadBar({ lo, hi, top, large, label }: { lo: number; hi: number; top: number; large: boolean; label: string }) {
  const W = 96;
  const x = (v: number) => Math.max(0, Math.min(W, (v / top) * W));
  return (
    <svg className={large ? 'spread-bar spread-large' : 'spread-bar'} width={W + 4} height={12} viewBox={`-2 0 ${W + 4} 12`} role="img" aria-label={label} data-testid="gemm-spread">
      <title>{label}</title>
      <line className="spread-track" x1={0} x2={W} y1={6} y2={6} />
      <line className="spread-range" x1={x(lo)} x2={x(hi)} y1={6} y2={6} />
      <circle className="spread-median" cx={x(lo)} cy={6} r={3} />
    </svg>
  );
}

function MemoryCard({ memory, osL3 }: { memory: MemoryResult; osL3: number | null }) {
  const llc = measuredLlcBytes(memory.sweep);
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
        <DataTable
          testId="bandwidth-levels"
          columns={[{ label: 'Level' }, { label: 'Working set', num: true }, { label: 'Read bandwidth', num: true }]}
          rows={memory.levels.map((l) => ({ key: l.name, cells: [<span className="mono">{l.name}</span>, formatBytes(l.bytes), formatGBs(l.GBs)] }))}
        />
      ) : null}
      <p className="note table-note">One measurement per working-set size and kernel: the sweep records no run-to-run spread.</p>
      <p className="note" data-testid="cache-boundary">
        {llc !== null ? (
          <>
            Measured last-level cache boundary: <span className="num">{formatBytes(llc)}</span> (largest bandwidth drop in the sweep, all {memory.threads} threads together)
          </>
        ) : (
          <>The sweep shows no clear last-level cache boundary</>
        )}
        {' · '}OS-reported L3: <span className="num">{osL3 ? formatBytes(osL3) : 'not known'}</span>. {llc !== null && osL3 ? LLC_DIFFERENCE_NOTE : null}
      </p>
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
        <DataTable
          testId="gpu-gemm-table"
          columns={[{ label: 'Kernel' }, { label: 'Dtype' }, { label: 'm×n×k', num: true }, { label: 'Median', num: true, unit: 'ms' }, { label: 'Throughput', num: true }, { label: 'Verified' }]}
          rows={gpu.gemm.map((g, i) => ({
            key: String(i),
            cells: [
              <span className="mono">{g.kernel}</span>,
              <span className="mono">{g.dtype}</span>,
              `${g.m}×${g.n}×${g.k}`,
              formatMs(g.medianSeconds),
              <span className={g.verified ? undefined : 'invalid'}>{formatFlops(g.gflops)}</span>,
              g.verified ? (
                <span className="verdict verdict-ok" aria-label="verified against the CPU">
                  ✓
                </span>
              ) : (
                <span className="verdict verdict-bad" aria-label="failed verification against the CPU">
                  ✗ failed
                </span>
              ),
            ],
            titles: [undefined, undefined, undefined, undefined, undefined, `max abs error ${formatNumber(g.maxAbsError)}, tolerance ${formatNumber(g.tolerance)}, ${g.checkedEntries} entries checked`],
          }))}
        />
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
