/**
 * LLMs page (renderer): "does this model fit on my machine, at what context, and how fast will
 * it prefill and generate?" The source is a well-known model (its shipped config.json), an
 * uploaded GGUF / config.json / safetensors, or a zoo GGUF (a Llama-style decoder the backend
 * writes) to measure with. The estimate (`llm.estimate`) comes back as parameters, a memory
 * breakdown with what each part rests on, fit against this machine and the chosen GPUs, and the
 * predicted prefill/decode speed with a decode-vs-depth chart; "Measure" runs the GGUF through
 * llama.cpp (`llm.measure`, a job with a progress bar and Cancel) and shows measured beside
 * predicted.
 */
import { useCallback, useEffect } from 'react';
import { useKeptReducer } from '../api/kept-state.js';
import { settledJob } from '../measure-job.js';
import { GPU_CATALOG } from '../../src-shared/hardware/gpu-catalog.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useJob, useLifetime, useResource } from '../api/use-lifetime.js';
import { ErrorCallout } from '../components/callouts.js';
import { EstimateView, MeasuredView } from '../components/llm-result.js';
import { PageHeader } from '../components/page-header.js';
import { RunLink } from '../components/run-link.js';
import { FileButton } from '../ui/file-button.js';
import { NumberInput } from '../ui/number-input.js';
import { Select } from '../ui/select.js';
import { apiSource, depthsOf, initialLlmsState, llmsReducer, measurable, settingsOf, type LlmForm } from '../llms-state.js';

const FIT_GPUS = ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 3060 (12GB)', 'NVIDIA L4 24GB', 'NVIDIA A100 80GB SXM4', 'NVIDIA H100 SXM5 80GB'].filter((n) => GPU_CATALOG.some((e) => e.name === n));
const APPLE = ['apple:16', 'apple:36', 'apple:128'];

export function LlmsPage() {
  const client = useClient();
  const [state, dispatch] = useKeptReducer('llms', llmsReducer, initialLlmsState, (s) => ({ ...s, measure: settledJob(s.measure) }));
  const { source, form, estimate, measured, measure, saved } = state;
  const models = useResource(() => client.call('llm.models', {}), [client]);
  const { live } = useLifetime();
  const job = useJob(client);
  const parsed = settingsOf(form);
  const src = apiSource(source);
  const requestKey = JSON.stringify([src, parsed, form.devices]);

  useEffect(() => {
    if (!src || 'error' in parsed) return;
    live(client.call('llm.estimate', { source: src, settings: parsed.settings, devices: form.devices })).then(
      (ok) => dispatch({ type: 'estimate', estimate: { ok } }),
      (e: unknown) => dispatch({ type: 'estimate', estimate: { error: toApiError(e) } }),
    );
  }, [client, live, requestKey]);

  const onFile = async (file: File | undefined) => {
    if (!file || !client.upload) return;
    dispatch({ type: 'source', source: { kind: 'upload', state: 'uploading', name: file.name } });
    try {
      const done = await live(client.upload(file));
      dispatch({ type: 'source', source: { kind: 'upload', state: 'ready', name: file.name, uploadId: done.uploadId, bytes: done.bytes } });
    } catch (e) {
      dispatch({ type: 'source', source: { kind: 'upload', state: 'error', name: file.name, message: toApiError(e).message } });
    }
  };

  const startMeasure = async () => {
    const depths = depthsOf(form.depths);
    if (!src || 'error' in parsed || !depths) return;
    dispatch({ type: 'measure-requested' });
    try {
      const started = await client.call('llm.measure', { source: src, settings: parsed.settings, devices: form.devices, depths });
      dispatch({ type: 'measure-started', jobId: started.id });
      job.follow(started.id, (event) => dispatch({ type: 'measure-event', event }));
    } catch (e) {
      dispatch({ type: 'measure-failed', error: toApiError(e) });
    }
  };
  const cancel = useCallback(async () => {
    if (measure.state !== 'running') return;
    dispatch({ type: 'measure-cancelling' });
    await client.call('jobs.cancel', { id: measure.jobId }).catch(() => {});
  }, [client, measure]);
  const save = async () => {
    if (!src || 'error' in parsed) return;
    try {
      const r = await client.call('llm.estimate', { source: src, settings: parsed.settings, devices: form.devices, store: true });
      dispatch({ type: 'saved', runId: r.runId ?? null });
    } catch (e) {
      dispatch({ type: 'estimate', estimate: { error: toApiError(e) } });
    }
  };

  const ok = estimate && 'ok' in estimate ? estimate.ok : null;
  const running = measure.state === 'running' || measure.state === 'cancelling';
  const edit = (key: Exclude<keyof LlmForm, 'devices' | 'kvDtype'>) => (e: React.ChangeEvent<HTMLInputElement>) => dispatch({ type: 'edit', key, value: e.target.value });

  return (
    <section className="page llms-page" data-testid="page-llms">
      <PageHeader
        title="LLMs"
        subtitle="Does the model fit here, at what context, and how fast will it prefill and generate: predicted from the model's own numbers and this machine's measured ceilings, and measured through llama.cpp."
        actions={
          <button type="button" className="button" disabled={!ok} onClick={() => void save()} data-testid="llm-save">
            Save estimate
          </button>
        }
      />
      {saved ? (
        <p className="save-status" role="status" data-testid="llm-saved">
          Saved as <RunLink id={saved} /> (see History).
        </p>
      ) : null}
      <div className="card" data-testid="llm-source">
        <div className="control-row model-options">
          <div className="field">
            <label htmlFor="llm-known">Well-known model</label>
            <Select id="llm-known" testId="llm-known" value={source.kind === 'known' ? source.id : ''} onChange={(id) => dispatch({ type: 'source', source: { kind: 'known', id } })}>
              {source.kind !== 'known' ? <option value="">(not chosen)</option> : null}
              {models.state === 'ready'
                ? models.value.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name} ({(m.params / 1e9).toFixed(1)} B)
                    </option>
                  ))
                : null}
            </Select>
          </div>
          <div className="field">
            <span className="ui-field-label">Or a file (.gguf, config.json, .safetensors)</span>
            <FileButton
              id="llm-file"
              testId="llm-file"
              label="Open a model file…"
              accept=".gguf,.json,.safetensors"
              disabled={!client.upload}
              onFile={(f) => void onFile(f)}
              fileName={source.kind === 'upload' && source.state !== 'none' ? source.name : null}
            />
          </div>
          <div className="field">
            <label htmlFor="llm-zoo">Or a zoo GGUF to measure</label>
            <Select
              id="llm-zoo"
              testId="llm-zoo"
              value={source.kind === 'zoo' ? `${source.size}:${source.quant}` : ''}
              onChange={(v) => {
                const [size, quant] = v.split(':') as ['tiny' | 'small' | 'medium' | 'large', 'F16' | 'Q8_0' | 'Q4_0'];
                if (size && quant) dispatch({ type: 'source', source: { kind: 'zoo', size, quant } });
              }}
            >
              <option value="">(not chosen)</option>
              {(['tiny', 'small', 'medium', 'large'] as const).flatMap((size) =>
                (['Q8_0', 'Q4_0', 'F16'] as const).map((quant) => (
                  <option key={`${size}:${quant}`} value={`${size}:${quant}`}>
                    {size} Llama-style decoder, {quant}
                  </option>
                )),
              )}
            </Select>
          </div>
        </div>
        {source.kind === 'upload' && source.state !== 'none' ? (
          <p className="drop-status" role="status" data-testid="llm-upload-status">
            {source.state === 'uploading' ? `Uploading ${source.name}…` : source.state === 'ready' ? `${source.name} (${formatBytes(source.bytes)}) uploaded.` : `Could not upload ${source.name}: ${source.message}`}
          </p>
        ) : null}
        {models.state === 'error' ? <ErrorCallout error={models.error} title="Could not list the well-known models" /> : null}
      </div>

      <div className="card" data-testid="llm-settings">
        <div className="control-row model-options">
          {(
            [
              ['quant', 'Weights (for a config)', 'llm-quant', ''],
              ['context', 'Context', 'llm-context', 'tokens'],
              ['batch', 'Batch', 'llm-batch', 'sequences'],
              ['prompt', 'Prompt', 'llm-prompt', 'tokens'],
              ['gen', 'Generated', 'llm-gen', 'tokens'],
              ['depth', 'Decode at depth', 'llm-depth', 'tokens'],
            ] as const
          ).map(([key, label, id, unit]) => (
            <div className="field" key={key}>
              <label htmlFor={id}>{label}</label>
              {unit ? (
                <NumberInput id={id} testId={id} value={form[key]} unit={unit} onChange={(value) => dispatch({ type: 'edit', key, value })} size={7} />
              ) : (
                <input id={id} className="input" data-testid={id} value={form[key]} onChange={edit(key)} />
              )}
            </div>
          ))}
          <div className="field">
            <label htmlFor="llm-kv">K/V cache</label>
            <Select id="llm-kv" testId="llm-kv" value={form.kvDtype} onChange={(v) => dispatch({ type: 'kv-dtype', value: v as LlmForm['kvDtype'] })}>
              {(['f16', 'q8_0', 'q4_0', 'bf16', 'f32'] as const).map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <fieldset className="device-picks" data-testid="llm-devices">
          <legend>Also fit against</legend>
          {[...FIT_GPUS, ...APPLE].map((d) => (
            <label key={d} className="check">
              <input type="checkbox" checked={form.devices.includes(d)} onChange={() => dispatch({ type: 'toggle-device', device: d })} />
              {d.startsWith('apple:') ? `Apple unified memory, ${d.slice(6)} GB` : d}
            </label>
          ))}
        </fieldset>
        {'error' in parsed ? <p className="field-error" role="alert">{parsed.error}</p> : null}
      </div>

      {estimate && 'error' in estimate ? <ErrorCallout error={estimate.error} title="Could not estimate this model" /> : null}
      {ok ? <EstimateView result={ok} /> : null}

      <div className="card" data-testid="llm-measure">
        <h2 className="section-title">Measured on this machine (llama.cpp)</h2>
        <p className="note">Runs the GGUF through llama.cpp (node-llama-cpp's prebuilt binaries) like llama-bench: prefill of the prompt and decode of the generated tokens at each context depth, the median of repeated runs.</p>
        <div className="control-row">
          <div className="field">
            <label htmlFor="llm-depths">Context depths</label>
            <input id="llm-depths" data-testid="llm-depths" value={form.depths} onChange={edit('depths')} />
          </div>
        </div>
        <div className="control-actions">
          <button type="button" className="button button-primary" disabled={!measurable(source) || running || !depthsOf(form.depths)} onClick={() => void startMeasure()} data-testid="llm-measure-start">
            Measure
          </button>
          <button type="button" className="button button-danger" disabled={measure.state !== 'running'} onClick={() => void cancel()} data-testid="llm-measure-cancel">
            Cancel
          </button>
        </div>
        {!measurable(source) ? <p className="field-hint">Measuring needs a GGUF: upload one or pick a zoo GGUF.</p> : null}
        {measure.state === 'running' ? (
          <div className="phase-list" data-testid="llm-progress">
            <progress max={measure.total} value={measure.done} aria-label="Measurement progress" />
            <span className="phase-detail">
              {measure.done} / {measure.total} — {measure.label}
            </span>
          </div>
        ) : null}
        {measure.state === 'cancelling' ? <p role="status">Cancelling…</p> : null}
        {measure.state === 'cancelled' ? (
          <p role="status" data-testid="llm-cancelled">
            Cancelled — nothing was stored.
          </p>
        ) : null}
        {measure.state === 'failed' ? <ErrorCallout error={measure.error} title="The measurement failed" /> : null}
        {measured?.measured ? <MeasuredView result={measured} /> : null}
      </div>
    </section>
  );
}
