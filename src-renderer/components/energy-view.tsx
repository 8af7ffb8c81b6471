/**
 * Energy on screen (renderer): the power strip (a thin mount of src-shared/charts/power-strip.ts,
 * live from a job's 'power' ticks or from a stored EnergyReport) and the Energy card of a benchmark
 * or measured model run: the source line with an "estimated" badge and the basis of an estimate,
 * joules, average and peak power, the efficiency figures (GFLOP/J and GB/J, or joules per
 * inference and per token), the devices, the phases, the sources that gave nothing (in a
 * disclosure) and the sampling warnings. A run stored before energy was measured says so.
 */
import { useMemo, type ReactNode } from 'react';
import { powerStripInput, renderPowerStrip, type PowerStripInput } from '../../src-shared/charts/power-strip.js';
import { basisText, energySourceText, formatGBPerJoule, formatGflopsPerJoule, formatJoules, formatWatts, separateEnergyWarnings, withEstimate } from '../../src-shared/energy/format.js';
import type { BenchEnergyEfficiency, EnergyReport, PowerTick, ProfileEnergyEfficiency } from '../../src-shared/energy/types.js';
import { liveStripInput } from '../energy-figures.js';
import { ChartFrame } from './chart-frame.js';
import { DataTable } from '../ui/data-table.js';

/** The strip sized to its frame (SafeMarkup from the svg`…` tag: every text in it is escaped). */
export function PowerStripView({ input, testId = 'power-strip' }: { input: PowerStripInput; testId?: string }) {
  return <ChartFrame draw={(width) => renderPowerStrip(input, { width })} deps={[input]} testId={testId} className="power-strip-frame" data={{ 'data-estimated': String(input.estimated), 'data-live': input.live ? 'true' : 'false' }} />;
}

/**
 * The strip under a progress card: the finished run's stored series (with its phases) once the
 * result is in, else the live ticks so far; nothing before the first tick (a count-only profile,
 * the page's own WebGPU phase) or for a result without energy.
 */
export function ProgressPowerStrip({ ticks, energy, active }: { ticks: readonly PowerTick[]; energy: EnergyReport | null | undefined; active: boolean }) {
  const input = useMemo(() => (energy && energy.series.length ? powerStripInput(energy) : ticks.length ? liveStripInput(ticks, active) : null), [energy, ticks, active]);
  if (!input) return null;
  return (
    <div className="progress-power" data-testid="progress-power">
      <h3 className="subheading">{input.live ? 'Power (live)' : 'Power'}</h3>
      <PowerStripView input={input} />
    </div>
  );
}

function Fact({ label, value, title, testId }: { label: string; value: ReactNode; title?: string; testId?: string }) {
  return (
    <div className="fact" data-testid={testId} title={title}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

export interface EnergyCardProps {
  energy: EnergyReport | null;
  bench?: BenchEnergyEfficiency | null;
  profile?: ProfileEnergyEfficiency | null;
  /** Draw the power strip in the card (when the progress card above does not already show it). */
  showStrip: boolean;
  /** What to say when `energy` is null. */
  missing: string;
  /** Heading id prefix ('bench', 'model'), matching the page's other cards. */
  idPrefix: string;
  /** The result's own warnings (shown above the results): energy warnings among them are not repeated. */
  resultWarnings: readonly string[];
}

export function EnergyCard({ energy, bench, profile, showStrip, missing, idPrefix, resultWarnings }: EnergyCardProps) {
  const headingId = `${idPrefix}-energy-heading`;
  if (!energy) {
    return (
      <section className="card" aria-labelledby={headingId} data-testid="energy">
        <h2 id={headingId}>Energy</h2>
        <p className="energy-missing" data-testid="energy-missing">
          {missing}
        </p>
      </section>
    );
  }
  const est = energy.estimated;
  const basis = est ? (energy.estimateBasis ?? 'no basis was recorded') : undefined;
  const mark = (text: string) => withEstimate(text, est);
  const inTotal = energy.devices.filter((d) => d.inTotal).length;
  const warnings = separateEnergyWarnings(energy, resultWarnings);
  const gemm = Object.entries(bench?.gemmGflopsPerJoule ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  return (
    <section className={`card energy-card${est ? ' estimated' : ''}`} aria-labelledby={headingId} data-testid="energy" data-estimated={est}>
      <h2 id={headingId}>Energy</h2>
      <p className="energy-source" data-testid="energy-source">
        <span>Source:</span> <span className="energy-source-text">{energySourceText(energy)}</span>
        {est ? (
          <span className="badge badge-warn" title={basis} data-testid="energy-estimated">
            estimated
          </span>
        ) : null}
      </p>
      {est ? (
        <p className="note" data-testid="energy-basis">
          Estimated, not measured: {basisText(basis)}. Treat these figures as a rough guide; machines with RAPL, hwmon or nvidia-smi power readings are measured instead.
        </p>
      ) : null}
      <dl className="facts energy-facts" data-testid="energy-facts">
        <Fact label={est ? 'Energy (estimated)' : 'Energy'} value={mark(formatJoules(energy.joules))} title={basis} testId="energy-joules" />
        <Fact label="Average power" value={mark(formatWatts(energy.avgWatts))} title={basis} testId="energy-avg" />
        <Fact label="Peak power" value={mark(formatWatts(energy.peakWatts))} title={basis} testId="energy-peak" />
        <Fact label="Sampled for" value={`${energy.durationSeconds.toFixed(1)} s`} />
        <Fact label="Readings" value={`${energy.samples}${energy.intervalMs ? ` (every ${energy.intervalMs} ms)` : ''}`} />
        {gemm.map(([dtype, v]) => (
          <Fact key={dtype} label={`GEMM ${dtype} per joule`} value={mark(formatGflopsPerJoule(v, dtype))} title={`best ${dtype} GFLOP/s ÷ average watts during the GEMM phase`} testId={`energy-gemm-${dtype}`} />
        ))}
        {bench && bench.streamGBPerJoule !== null ? (
          <Fact label="STREAM triad per joule" value={mark(formatGBPerJoule(bench.streamGBPerJoule))} title="triad GB/s ÷ average watts during the STREAM phase" testId="energy-stream" />
        ) : null}
        {profile ? (
          <>
            <Fact label="Per inference" value={mark(formatJoules(profile.joulesPerInference))} title="average watts during the timed runs × median latency" testId="energy-per-inference" />
            <Fact
              label="Per token"
              value={profile.joulesPerToken !== null ? mark(formatJoules(profile.joulesPerToken)) : '—'}
              title={profile.joulesPerToken !== null ? `per inference ÷ ${profile.tokensPerInference ?? '?'} tokens` : 'the model does not take token ids'}
              testId="energy-per-token"
            />
            {profile.tokensPerInference !== null ? <Fact label="Tokens per inference" value={String(profile.tokensPerInference)} /> : null}
          </>
        ) : null}
      </dl>
      {warnings.length ? (
        <div className="callout callout-warning" role="note" data-testid="energy-warnings">
          <p className="callout-title">{warnings.length === 1 ? '1 energy warning' : `${warnings.length} energy warnings`}</p>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {showStrip && energy.series.length ? <PowerStripView input={powerStripInput(energy)} testId="energy-power-strip" /> : null}
      {energy.devices.length ? (
        <>
          <h3 className="subheading">Per device</h3>
          <DataTable
            testId="energy-devices"
            caption="Energy per device"
            columns={[{ label: 'Device' }, { label: 'Source' }, { label: 'Average', num: true }, { label: 'Peak', num: true }, { label: 'Energy', num: true }, { label: 'Estimated' }]}
            rows={energy.devices.map((d, i) => ({
              key: `${d.channel}:${i}`,
              ...(d.inTotal ? {} : { className: 'muted-row' }),
              cells: [
                <>
                  {d.label} <span className="chip">{d.kind}</span>
                  {d.inTotal ? null : (
                    <span className="chip chip-warn" title="Already counted inside another device (a sub-zone of a package), a whole-platform zone, or a second source for the same device">
                      not in total
                    </span>
                  )}
                </>,
                <>
                  {d.source}
                  <span className="energy-detail">{d.detail}</span>
                </>,
                formatWatts(d.avgWatts),
                formatWatts(d.peakWatts),
                formatJoules(d.joules),
                d.estimated ? <span className="badge badge-warn">estimated</span> : 'measured',
              ],
            }))}
          />
          <p className="note table-note">
            The total adds the {inTotal} device{inTotal === 1 ? '' : 's'} in it; “not in total” rows are already counted inside another.
          </p>
        </>
      ) : null}
      {energy.phases.length ? (
        <>
          <h3 className="subheading">Per phase</h3>
          <DataTable
            testId="energy-phases"
            caption="Energy per phase"
            columns={[{ label: 'Phase' }, { label: 'Time', num: true }, { label: 'Average', num: true }, { label: 'Energy', num: true }]}
            rows={energy.phases.map((p, i) => ({
              key: `${i}:${p.phase}`,
              cells: [<span className="mono">{p.phase}</span>, `${(p.endS - p.startS).toFixed(1)} s`, mark(formatWatts(p.avgWatts)), mark(formatJoules(p.joules))],
            }))}
          />
        </>
      ) : null}
      {energy.unavailable.length ? (
        <details className="energy-unavailable" data-testid="energy-unavailable">
          <summary>
            {energy.unavailable.length} power source{energy.unavailable.length === 1 ? '' : 's'} not available here
          </summary>
          <ul>
            {energy.unavailable.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
