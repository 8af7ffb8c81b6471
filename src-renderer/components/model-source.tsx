/**
 * The Models page's source form (renderer): a built-in architecture from the zoo (grouped by
 * family, with that entry's options as number or select inputs within their ranges) or an .onnx
 * file (file picker or drag-and-drop, uploaded through the serve door), a "Dimensions" field for
 * symbolic dimensions, and Profile / Profile and run / Cancel. Controlled: the page owns the state.
 */
import { Select } from '../ui/select.js';
import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { ZooEntry, ZooOption } from '../../src-shared/api/zoo.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { parseDims } from '../model-run.js';

export type SourceKind = 'zoo' | 'file';

export type UploadState =
  | { state: 'none' }
  | { state: 'uploading'; name: string }
  | { state: 'ready'; name: string; uploadId: string; bytes: number }
  | { state: 'error'; name: string; message: string };

export interface SourceSettings {
  kind: SourceKind;
  zoo: string;
  /** Option values as typed, per option name; validated by optionError. */
  options: Record<string, string>;
  dims: string;
}

/** Why an option's typed value is not acceptable, or null. */
export function optionError(option: ZooOption, text: string): string | null {
  if (option.choices) return option.choices.includes(text) ? null : `One of ${option.choices.join(', ')}`;
  const t = text.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) return 'A number';
  if (option.integer && !Number.isInteger(n)) return 'A whole number';
  if (option.min !== undefined && n < option.min) return `At least ${option.min}`;
  if (option.max !== undefined && n > option.max) return `At most ${option.max}`;
  return null;
}

/** The options to send: every option of the entry, parsed; null when one is invalid. */
export function optionValues(entry: ZooEntry, typed: Record<string, string>): Record<string, number | string> | null {
  const out: Record<string, number | string> = {};
  for (const o of entry.options) {
    const text = typed[o.name] ?? String(o.default);
    if (optionError(o, text)) return null;
    out[o.name] = o.choices ? text : Number(text.trim());
  }
  return out;
}

export function defaultOptions(entry: ZooEntry | undefined): Record<string, string> {
  return Object.fromEntries((entry?.options ?? []).map((o) => [o.name, String(o.default)]));
}

interface Props {
  zoo: readonly ZooEntry[];
  settings: SourceSettings;
  onChange(settings: SourceSettings): void;
  upload: UploadState;
  /** Absent where the window cannot upload (Electron, for now). */
  onFile: ((file: File) => void) | null;
  onProfile(run: boolean): void;
  onCancel(): void;
  active: boolean;
  cancelling: boolean;
  /** A dimension the last failed profile asked to bind. */
  askedDim: string | null;
}

export function ModelSource({ zoo, settings, onChange, upload, onFile, onProfile, onCancel, active, cancelling, askedDim }: Props) {
  const [dragging, setDragging] = useState(false);
  const entry = zoo.find((z) => z.name === settings.zoo);
  const families = [...new Set(zoo.map((z) => z.family))];
  const dims = parseDims(settings.dims);
  const optionsOk = settings.kind === 'zoo' ? Boolean(entry && optionValues(entry, settings.options)) : true;
  const sourceOk = settings.kind === 'zoo' ? optionsOk : upload.state === 'ready';
  const canRun = !active && sourceOk && dims.ok;

  // The Profile buttons are disabled while the job runs, which drops keyboard focus to <body>:
  // when the job ends, focus goes back to the button that started it (if nothing else took it).
  const profileButton = useRef<HTMLButtonElement>(null);
  const runButton = useRef<HTMLButtonElement>(null);
  const trigger = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (active) return;
    const b = trigger.current;
    trigger.current = null;
    if (b && b.isConnected && !b.disabled && (document.activeElement === null || document.activeElement === document.body)) b.focus();
  }, [active]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canRun) return;
    trigger.current = profileButton.current;
    onProfile(false);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && onFile && !active) onFile(file);
  };

  return (
    <form className="card model-source" aria-labelledby="model-source-heading" onSubmit={submit} data-testid="model-source">
      <h2 id="model-source-heading">Model</h2>
      <fieldset className="segmented" disabled={active}>
        <legend>Source</legend>
        <div className="segments">
          <label className="segment">
            <input type="radio" name="model-source" value="zoo" checked={settings.kind === 'zoo'} onChange={() => onChange({ ...settings, kind: 'zoo' })} />
            <span>Built-in architecture</span>
          </label>
          <label className="segment">
            <input type="radio" name="model-source" value="file" checked={settings.kind === 'file'} onChange={() => onChange({ ...settings, kind: 'file' })} />
            <span>ONNX file</span>
          </label>
        </div>
      </fieldset>

      {settings.kind === 'zoo' ? (
        <div className="control-row model-options">
          <div className="field">
            <label htmlFor="model-zoo">Architecture</label>
            <Select
              id="model-zoo"
              value={settings.zoo}
              disabled={active}
              onChange={(value) => onChange({ ...settings, zoo: value, options: defaultOptions(zoo.find((z) => z.name === value)) })}
            >
              {families.map((f) => (
                <optgroup key={f} label={f}>
                  {zoo
                    .filter((z) => z.family === f)
                    .map((z) => (
                      <option key={z.name} value={z.name}>
                        {z.name} — {z.title}
                      </option>
                    ))}
                </optgroup>
              ))}
            </Select>
          </div>
          {entry?.options.map((o) => (
            <OptionField
              key={`${entry.name}:${o.name}`}
              option={o}
              value={settings.options[o.name] ?? String(o.default)}
              disabled={active}
              onChange={(v) => onChange({ ...settings, options: { ...settings.options, [o.name]: v } })}
            />
          ))}
        </div>
      ) : null}
      {settings.kind === 'zoo' && entry ? (
        <p className="note model-entry-note">
          {entry.description}
          {entry.reference ? ` Reference (default options): ${[entry.reference.params ? `${(entry.reference.params / 1e6).toFixed(2)} M params` : null, entry.reference.macs ? `${(entry.reference.macs / 1e9).toFixed(2)} G MACs` : null].filter(Boolean).join(', ')} — ${entry.reference.source}.` : ''}
        </p>
      ) : null}

      {settings.kind === 'file' ? (
        onFile ? (
          <div
            className={`drop-zone${dragging ? ' drop-zone-over' : ''}`}
            data-testid="drop-zone"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={drop}
          >
            <label htmlFor="model-file" className="drop-label">
              Drop an <span className="mono">.onnx</span> file here, or choose one:
            </label>
            <input
              id="model-file"
              type="file"
              accept=".onnx"
              disabled={active}
              data-testid="model-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) onFile(file);
                e.target.value = '';
              }}
            />
            <p className="drop-status" role="status" aria-live="polite" data-testid="upload-status">
              {upload.state === 'uploading'
                ? `Uploading ${upload.name}…`
                : upload.state === 'ready'
                  ? `${upload.name} (${formatBytes(upload.bytes)}) is ready to profile.`
                  : upload.state === 'error'
                    ? `Could not upload ${upload.name}: ${upload.message}`
                    : 'Only the graph is read to count; weights are read only to run it.'}
            </p>
          </div>
        ) : (
          <p className="empty-state" data-testid="no-upload">
            Opening files is not available in this window yet — use <code>flopscope profile FILE</code>
          </p>
        )
      ) : null}

      <div className="control-row model-run-row">
        <div className="field field-wide">
          <label htmlFor="model-dims">Dimensions</label>
          <input
            id="model-dims"
            className="input input-wide mono"
            type="text"
            placeholder="batch=1, sequence=128"
            value={settings.dims}
            disabled={active}
            aria-invalid={!dims.ok}
            aria-describedby="model-dims-hint"
            onChange={(e) => onChange({ ...settings, dims: e.target.value })}
          />
          <span id="model-dims-hint" className={!dims.ok ? 'field-hint field-error' : askedDim ? 'field-hint field-ask' : 'field-hint'} data-testid="dims-hint">
            {!dims.ok
              ? dims.message
              : askedDim
                ? `The model leaves “${askedDim}” unbound: give it a value here (${askedDim}=<n>).`
                : 'Values for symbolic input dimensions, as name=value; the zoo binds its own.'}
          </span>
        </div>
        <div className="control-actions">
          {active ? (
            <button type="button" className="button button-danger" onClick={onCancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          <button type="submit" className="button" disabled={!canRun} ref={profileButton}>
            Profile
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!canRun}
            ref={runButton}
            onClick={() => {
              trigger.current = runButton.current;
              onProfile(true);
            }}
          >
            Profile and run
          </button>
        </div>
      </div>
      <p className="note control-note">Profile counts parameters, FLOPs and bytes from the graph (fast). Profile and run also times every layer with ONNX Runtime on the CPU.</p>
    </form>
  );
}

function OptionField({ option, value, disabled, onChange }: { option: ZooOption; value: string; disabled: boolean; onChange(value: string): void }) {
  const id = `model-opt-${option.name}`;
  const error = optionError(option, value);
  const range = option.min !== undefined || option.max !== undefined ? `${option.min ?? '…'}–${option.max ?? '…'}` : null;
  return (
    <div className="field">
      <label htmlFor={id} title={option.help}>
        {option.name}
      </label>
      {option.choices ? (
        <Select id={id} value={value} disabled={disabled} onChange={(value) => onChange(value)}>
          {option.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      ) : (
        <input
          id={id}
          className="input num"
          type="number"
          inputMode={option.integer ? 'numeric' : 'decimal'}
          min={option.min}
          max={option.max}
          step={option.integer ? 1 : 'any'}
          value={value}
          disabled={disabled}
          aria-invalid={error !== null}
          aria-describedby={`${id}-hint`}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      <span id={`${id}-hint`} className={error ? 'field-hint field-error' : 'field-hint'} title={option.help}>
        {error ?? range ?? option.help}
      </span>
    </div>
  );
}
