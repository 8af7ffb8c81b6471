/**
 * A hardware report on screen (renderer): CPU (caches, clocks), memory, GPUs and the theoretical
 * peaks with the basis each was computed from. Shown by the Hardware page for this machine and by
 * History for a stored `hardware` run.
 */
import type { ReactNode } from 'react';
import type { HardwareReport } from '../../src-shared/api/types.js';
import { describeCaches, describeMeasuredClock, describeOsClock, describePeakClock, formatBytes, formatFlops } from '../../src-shared/hardware/format.js';
import { simdIsaFlags } from '../hardware-state.js';
import { DataTable } from '../ui/data-table.js';
import { EmptyState, WarningCallout } from './callouts.js';
import { PeaksChartView } from './peaks-chart-view.js';
import { PowerSensorsCard } from './power-sensors.js';

/** `sensors`: also show this machine's live power sensors (the Hardware page; not for a stored report). */
export function ReportView({ report, sensors = true }: { report: HardwareReport; sensors?: boolean }) {
  const { cpu, memory, gpus, peaks, warnings } = report;
  const isa = simdIsaFlags(cpu.isa);
  return (
    <>
      <WarningCallout title={warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`} items={warnings} />
      <div className="card-grid">
        <article className="card card-wide" aria-labelledby="cpu-heading">
          <h2 id="cpu-heading">CPU</h2>
          <dl className="facts">
            <Fact label="Model" testId="cpu-model">
              {cpu.model}
            </Fact>
            <Fact label="Vendor">{cpu.vendor}</Fact>
            <Fact label="Physical cores" testId="cpu-physical-cores" numeric>
              {cpu.physicalCores}
            </Fact>
            <Fact label="Logical threads" testId="cpu-logical-cores" numeric>
              {cpu.logicalCores}
            </Fact>
          </dl>
          <h3 className="subheading">Caches</h3>
          <div data-testid="cpu-caches">
            <span className="num">{describeCaches(cpu)}</span>{' '}
            <span className="note" data-testid="cpu-cache-source">
              {cpu.cacheSource ? `from ${cpu.cacheSource}` : 'source not recorded'}
            </span>
          </div>
          <ClockView report={report} />
          <h3 className="subheading">SIMD and matrix ISA extensions</h3>
          {isa.length ? (
            <ul className="chips" aria-label="ISA extensions" data-testid="isa">
              {isa.map((flag) => (
                <li key={flag} className="chip">
                  {flag}
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>None reported</EmptyState>
          )}
        </article>

        <article className="card" aria-labelledby="memory-heading">
          <h2 id="memory-heading">Memory</h2>
          <dl className="facts">
            <Fact label="Total" testId="memory-total" numeric>
              {formatBytes(memory.totalBytes)}
            </Fact>
          </dl>
          <h2 id="gpu-heading" className="card-section">
            GPUs
          </h2>
          {gpus.length === 0 ? (
            <EmptyState>No GPU detected</EmptyState>
          ) : (
            <ul className="gpu-list" aria-labelledby="gpu-heading">
              {gpus.map((gpu, i) => (
                <li key={i} className="gpu">
                  <span className="gpu-name">
                    <span className="device-tag">gpu:{i}</span> {gpu.model}
                  </span>
                  <span className="gpu-meta">
                    {gpu.vendor} · VRAM <span className="num">{formatBytes(gpu.vramBytes)}</span> · driver {gpu.driver ?? 'unknown'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </article>
      </div>

      <section className="card" aria-labelledby="peaks-heading">
        <h2 id="peaks-heading">Theoretical peaks</h2>
        <p className="note">Upper bounds computed from the detected hardware, not measurements. Each row says how it was derived.</p>
        {peaks.length === 0 ? (
          <EmptyState>No peaks could be computed for this machine.</EmptyState>
        ) : (
          <>
            <PeaksChartView peaks={peaks} />
            <DataTable
              testId="peaks-table"
              caption="Theoretical peaks"
              columns={[{ label: 'Device' }, { label: 'Dtype' }, { label: 'Peak', num: true }, { label: 'Basis' }]}
              rows={peaks.map((p) => ({
                key: `${p.device}/${p.dtype}`,
                cells: [<span className="mono">{p.device}</span>, <span className="mono">{p.dtype}</span>, formatFlops(p.gflops, p.dtype), <span className="basis">{p.basis}</span>],
                titles: [undefined, undefined, `${p.gflops} GFLOP/s`],
              }))}
            />
          </>
        )}
      </section>

      {sensors ? <PowerSensorsCard /> : null}
    </>
  );
}

/** The OS's clocks beside the measured all-core one (its method in the tooltip and the note), and the clock the CPU peaks used. */
function ClockView({ report }: { report: HardwareReport }) {
  const mc = report.cpu.measuredClock;
  const measured = describeMeasuredClock(mc);
  const peakClock = describePeakClock(report);
  return (
    <>
      <h3 className="subheading">Clock</h3>
      <div data-testid="cpu-clock">
        <span className="num" data-testid="cpu-os-clock">
          OS: {describeOsClock(report.cpu)}
        </span>
        {' · '}
        <span className="num" data-testid="cpu-measured-clock" title={mc && measured ? `Measured by FLOPscope: ${mc.method}, on ${mc.threads} threads at once` : undefined}>
          {measured ?? (mc === null ? 'all-core clock not measured' : 'no measured clock in this report')}
        </span>
      </div>
      <p className="note" data-testid="cpu-peak-clock">
        {peakClock ? `CPU peaks use the ${peakClock}.` : 'No CPU peak was computed, so no clock was used.'}
        {mc && measured ? ` Measured clock: ${mc.method}.` : ''}
      </p>
    </>
  );
}

function Fact({ label, children, testId, numeric }: { label: string; children: ReactNode; testId?: string; numeric?: boolean }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={numeric ? 'num' : undefined} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
