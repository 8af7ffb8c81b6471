/**
 * The Benchmarks page's run form (renderer): suite (All / GEMM / Memory / Latency / GPU), length
 * (Quick or Full), CPU threads, and Run / Cancel. Suite and length are the shared segmented
 * control (ui/segmented.tsx: a radiogroup, arrow keys move within it); everything locks while a
 * run is in flight except Cancel. Focus never falls to <body>: when a run starts (Enter on Run or
 * in the threads field) it moves to Cancel, and back to Run when the run ends.
 */
import { useEffect, useRef, type FormEvent } from 'react';
import { Segmented } from '../ui/segmented.js';
import { NumberInput } from '../ui/number-input.js';
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
  const runRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const wasActive = useRef(active);
  useEffect(() => {
    if (active === wasActive.current) return;
    wasActive.current = active;
    const el = document.activeElement;
    // Only move focus that was in this form or has fallen to <body> (a control it sat on went disabled or away).
    const ours = !el || el === document.body || formRef.current?.contains(el);
    if (!ours) return;
    if (active) cancelRef.current?.focus();
    else runRef.current?.focus();
  }, [active]);

  return (
    <form ref={formRef} className="card bench-controls" aria-labelledby="bench-run-heading" onSubmit={submit} data-testid="bench-controls">
      <h2 id="bench-run-heading">Run a benchmark</h2>
      <div className="control-row">
        <Segmented label="Suite" testId="bench-suite" options={SUITE_CHOICES.map((c) => ({ value: c.id, label: c.label }))} value={settings.suite} onChange={(suite) => onChange({ ...settings, suite })} disabled={active} />
        <Segmented
          label="Length"
          testId="bench-length"
          options={[
            { value: 'quick', label: 'Quick', note: '≈30 s' },
            { value: 'full', label: 'Full', note: '≈3 min' },
          ]}
          value={settings.quick ? 'quick' : 'full'}
          onChange={(v) => onChange({ ...settings, quick: v === 'quick' })}
          disabled={active}
        />

        <div className="field">
          <label htmlFor="bench-threads">CPU threads</label>
          <NumberInput
            id="bench-threads"
            testId="bench-threads"
            value={settings.threads}
            unit="threads"
            size={4}
            onChange={(threads) => onChange({ ...settings, threads })}
            disabled={active || !cpuUsed}
            invalid={threads === null}
            describedBy="bench-threads-hint"
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
            <button type="button" ref={cancelRef} className="button button-danger" onClick={() => !cancelling && onCancel()} aria-disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          <button type="submit" ref={runRef} className="button button-primary" disabled={!active && threads === null} aria-disabled={active}>
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
