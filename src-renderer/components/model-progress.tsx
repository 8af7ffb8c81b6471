/**
 * Progress of a profile job (renderer): a polite status line and one labelled <progress> per
 * phase ('load', 'count', then ONNX Runtime's warm-up and timed runs), styled like the
 * Benchmarks page's, and for a measured run the power strip (live from the job's power readings,
 * then the stored series). Pure view of model-run.ts's state.
 */
import { readEnergy } from '../../src-shared/energy/format.js';
import { isProfileActive, type ProfileRunState } from '../model-run.js';
import { formatEta } from '../format.js';
import { jobStatusText } from '../job-status.js';
import { ProgressPowerStrip } from './energy-view.js';

function statusText(state: ProfileRunState): string {
  return jobStatusText(state, 'profile');
}

export function ModelProgress({ state }: { state: ProfileRunState }) {
  const stopped = state.status === 'cancelled' || state.status === 'failed';
  return (
    <section className="card bench-progress" aria-labelledby="model-progress-heading" data-testid="model-progress">
      <div className="card-head">
        <h2 id="model-progress-heading">Progress</h2>
        <p className={`run-status run-status-${state.status}`} role="status" aria-live="polite" data-testid="run-status">
          {statusText(state)}
        </p>
      </div>
      {state.phases.length ? (
        <ol className="phase-list" aria-label="Phases">
          {state.phases.map((p, i) => {
            const total = Math.max(p.total, 1);
            const done = Math.min(p.done, total);
            const s = p.finished ? 'finished' : stopped ? 'stopped' : 'active';
            return (
              <li key={`${i}:${p.name}`} className={`phase phase-${s}`} data-phase={p.name} data-state={s}>
                <div className="phase-head">
                  <span className="phase-mark" aria-hidden="true">
                    {p.finished ? '✓' : stopped ? '–' : '•'}
                  </span>
                  <span className="phase-name">{p.name}</span>
                  <span className="phase-count num">
                    {done}/{p.total}
                  </span>
                  <span className="phase-eta num">{p.finished ? 'done' : stopped ? 'stopped' : formatEta(p.etaMs)}</span>
                </div>
                <progress className="phase-bar" aria-label={`${p.name} progress`} max={total} value={done} />
              </li>
            );
          })}
        </ol>
      ) : null}
      <ProgressPowerStrip ticks={state.power} energy={state.status === 'done' ? readEnergy(state.result?.energy) : null} active={isProfileActive(state.status)} />
    </section>
  );
}
