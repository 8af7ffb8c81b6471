/**
 * Progress of the page's benchmark run (renderer): a status line (announced politely to screen
 * readers), one labelled <progress> per phase in the order the phases ran, finished ones ticked,
 * the power strip (live from the job's power readings, then the stored run's series with its
 * phases), and the job's log lines. Pure view of bench-run.ts's state.
 */
import { useEffect, useRef } from 'react';
import { readEnergy } from '../../src-shared/energy/format.js';
import { isActive, type LogLine, type PhaseView, type RunState } from '../bench-run.js';
import { formatEta } from '../format.js';
import { jobStatusText } from '../job-status.js';
import { ProgressPowerStrip } from './energy-view.js';

function statusText(state: RunState): string {
  return jobStatusText(state, 'benchmark');
}

export function BenchProgress({ state }: { state: RunState }) {
  const text = statusText(state);
  return (
    <section className="card bench-progress" aria-labelledby="bench-progress-heading" data-testid="bench-progress">
      <div className="card-head">
        <h2 id="bench-progress-heading">Progress</h2>
        <p className={`run-status run-status-${state.status}`} role="status" aria-live="polite" data-testid="run-status">
          {text}
        </p>
      </div>
      {state.phases.length ? (
        <ol className="phase-list" aria-label="Phases">
          {state.phases.map((p, i) => (
            <PhaseRow key={`${i}:${p.name}`} phase={p} stopped={state.status === 'cancelled' || state.status === 'failed'} />
          ))}
        </ol>
      ) : null}
      <ProgressPowerStrip ticks={state.power} energy={finishedEnergy(state)} active={isActive(state.status)} />
      {state.logs.length ? <LogList logs={state.logs} /> : null}
    </section>
  );
}

/** The energy of the run this card followed, once its result is in (not an older run on screen). */
function finishedEnergy(state: RunState) {
  if (state.status !== 'done' || !state.shown || state.shown.runId !== state.storedRunId) return null;
  return readEnergy(state.shown.result.energy);
}

function PhaseRow({ phase, stopped }: { phase: PhaseView; stopped: boolean }) {
  const total = Math.max(phase.total, 1);
  const done = Math.min(phase.done, total);
  const state = phase.finished ? 'finished' : stopped ? 'stopped' : 'active';
  return (
    <li className={`phase phase-${state}`} data-phase={phase.name} data-state={state}>
      <div className="phase-head">
        <span className="phase-mark" aria-hidden="true">
          {phase.finished ? '✓' : stopped ? '–' : '•'}
        </span>
        <span className="phase-name">{phase.name}</span>
        {phase.detail ? <span className="phase-detail">{phase.detail}</span> : null}
        <span className="phase-count num">
          {done}/{phase.total}
        </span>
        <span className="phase-eta num">{phase.finished ? 'done' : stopped ? 'stopped' : formatEta(phase.etaMs)}</span>
      </div>
      <progress className="phase-bar" aria-label={`${phase.name} progress`} max={total} value={done} />
    </li>
  );
}

function LogList({ logs }: { logs: readonly LogLine[] }) {
  const ref = useRef<HTMLOListElement>(null);
  // Follow the newest line, as a terminal would.
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [logs.length]);
  return (
    <>
      <h3 className="subheading" id="bench-log-heading">
        Log
      </h3>
      <ol ref={ref} className="bench-log" aria-labelledby="bench-log-heading" tabIndex={0} data-testid="bench-log">
        {logs.map((l) => (
          <li key={l.key} className={l.level === 'warn' ? 'log-warn' : undefined}>
            {l.level === 'warn' ? <span className="log-level">warn</span> : null}
            {l.message}
          </li>
        ))}
      </ol>
    </>
  );
}
