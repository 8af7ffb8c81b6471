/**
 * The Benchmarks page's run form (renderer): suite (All / GEMM / Memory / Latency / GPU), length
 * (Quick or Full), CPU threads, and Run / Cancel. Suite and length are native radio groups
 * (arrow keys move within a group), styled as segmented buttons; everything locks while a run
 * is in flight except Cancel.
 */
import type { FormEvent } from 'react';
import type { BenchSuite } from '../../src-shared/api/bench.js';
import { SUITE_CHOICES } from '../bench-run.js';

export interface BenchSettings {
  suite: BenchSuite;
  quick: boolean;
  /** As typed, so an empty or partial field can be edited; parsed by parseThreads. */
  threads: string;
}

/** The thread count if the field holds a whole number in range, else null. */
export function parseThreads(text: string, maxThreads: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= maxThreads ? n : null;
}

interface Props {
  settings: BenchSettings;
  onChange(settings: BenchSettings): void;
  onRun(): void;
  onCancel(): void;
  active: boolean;
  cancelling: boolean;
  physicalCores: number | null;
  logicalCores: number | null;
}

export function BenchControls({ settings, onChange, onRun, onCancel, active, cancelling, physicalCores, logicalCores }: Props) {
  const maxThreads = Math.max(1, Math.min(1024, logicalCores ?? 1024));
  const threads = parseThreads(settings.threads, maxThreads);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!active && threads !== null) onRun();
  };
  const cpuUsed = settings.suite !== 'gpu';

  return (
    <form className="card bench-controls" aria-labelledby="bench-run-heading" onSubmit={submit} data-testid="bench-controls">
      <h2 id="bench-run-heading">Run a benchmark</h2>
      <div className="control-row">
        <fieldset className="segmented" disabled={active}>
          <legend>Suite</legend>
          <div className="segments">
            {SUITE_CHOICES.map((s) => (
              <label key={s.id} className="segment">
                <input type="radio" name="bench-suite" value={s.id} checked={settings.suite === s.id} onChange={() => onChange({ ...settings, suite: s.id })} />
                <span>{s.label}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="segmented" disabled={active}>
          <legend>Length</legend>
          <div className="segments">
            <label className="segment">
              <input type="radio" name="bench-length" value="quick" checked={settings.quick} onChange={() => onChange({ ...settings, quick: true })} />
              <span>
                Quick <span className="segment-note">≈30 s</span>
              </span>
            </label>
            <label className="segment">
              <input type="radio" name="bench-length" value="full" checked={!settings.quick} onChange={() => onChange({ ...settings, quick: false })} />
              <span>
                Full <span className="segment-note">≈3 min</span>
              </span>
            </label>
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor="bench-threads">CPU threads</label>
          <input
            id="bench-threads"
            className="input num"
            type="number"
            inputMode="numeric"
            min={1}
            max={maxThreads}
            step={1}
            value={settings.threads}
            onChange={(e) => onChange({ ...settings, threads: e.target.value })}
            disabled={active || !cpuUsed}
            aria-invalid={threads === null}
            aria-describedby="bench-threads-hint"
          />
          <span id="bench-threads-hint" className={threads === null ? 'field-hint field-error' : 'field-hint'}>
            {threads === null
              ? `A whole number from 1 to ${maxThreads}`
              : physicalCores
                ? `Default: ${physicalCores} physical core${physicalCores === 1 ? '' : 's'}`
                : 'Default: all physical cores'}
          </span>
        </div>

        <div className="control-actions">
          {active ? (
            <button type="button" className="button button-danger" onClick={onCancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          <button type="submit" className="button button-primary" disabled={active || threads === null}>
            {active ? 'Running…' : 'Run'}
          </button>
        </div>
      </div>
      <p className="note control-note">
        {settings.suite === 'gpu' || settings.suite === 'all'
          ? 'The GPU part runs first, through WebGPU in this window; the CPU parts then run one at a time in the background. '
          : 'The benchmark runs in the background, one measurement at a time. '}
        Close other busy programs for steadier numbers. Only a finished run is stored.
      </p>
    </form>
  );
}
