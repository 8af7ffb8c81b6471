/**
 * Transformers page (renderer): the efficient-transformer lab. A model shape (or a zoo preset:
 * GPT-2, BERT, ViT, MoE), a batch, a range of sequence lengths and the attention variants to
 * compare go in; the backend's cost-model sweep (`attention.sweep`, src-shared/attention) comes
 * back as curves against sequence length for the chosen metric, with crossovers and the device's
 * memory line, and the attention patterns are drawn in the page (patterns.ts). "Measure" runs the
 * full and sliding-window graphs through ONNX Runtime here (`attention.measure`, a job with a
 * progress bar and Cancel) and plots measured against predicted.
 */
import { Select } from '../ui/select.js';
import { useCallback, useEffect, useMemo } from 'react';
import { useKeptReducer } from '../api/kept-state.js';
import { settledJob } from '../measure-job.js';
import type { ZooEntry } from '../../src-shared/api/zoo.js';
import { attentionPattern, patternDensity, patternNote } from '../../src-shared/attention/patterns.js';
import { formatVariant, parseVariants, variantLabel } from '../../src-shared/attention/variants.js';
import { parseSeqs } from '../../src-shared/attention/format.js';
import { renderPatternGrid } from '../../src-shared/charts/attention-pattern-chart.js';
import { GPU_CATALOG } from '../../src-shared/hardware/gpu-catalog.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useJob, useLifetime, useResource } from '../api/use-lifetime.js';
import { AttentionMeasuredView, AttentionSweepView } from '../components/attention-result.js';
import { ErrorCallout } from '../components/callouts.js';
import { SvgChart } from '../components/model-whatif-training.js';
import { PageHeader } from '../components/page-header.js';
import { RunLink } from '../components/run-link.js';
import { initialTransformersState, transformersReducer, type TransformersForm } from '../transformers-state.js';
import { EnergyCard } from '../components/energy-view.js';
import { ENERGY_NOT_MEASURED, readEnergy } from '../../src-shared/energy/format.js';

const QUICK_VARIANTS = ['full', 'causal', 'sliding:512', 'dilated:512:2', 'global:512:16', 'bigbird:64:3:2', 'linear', 'gqa:4', 'flash', 'tome:16', 'prune:0.9'];

/** Transformer presets from the zoo's own defaults: GPT-2, BERT, ViT, the MoE transformer. */
function presetsFrom(zoo: ZooEntry[]): Array<{ name: string; title: string; dModel: number; heads: number; layers: number; ffn?: number }> {
  const out = [];
  for (const e of zoo) {
    const opt = (...names: string[]) => {
      const o = e.options.find((x) => names.includes(x.name));
      return typeof o?.default === 'number' ? o.default : undefined;
    };
    const dModel = opt('d_model', 'width');
    const heads = opt('heads');
    const layers = opt('layers', 'depth');
    if (dModel && heads && layers) out.push({ name: e.name, title: e.title, dModel, heads, layers, ...(opt('mlp', 'ffn') ? { ffn: opt('mlp', 'ffn')! } : {}) });
  }
  return out;
}


export function TransformersPage() {
  const client = useClient();
  const [state, dispatch] = useKeptReducer('transformers', transformersReducer, initialTransformersState, (s) => ({ ...s, measure: settledJob(s.measure) }));
  const { form, metric, result, measured, measure, saved, hasRoofline } = state;
  const zooList = useResource(() => client.call('zoo.list', {}), [client]);
  const { live } = useLifetime();
  const job = useJob(client);

  useEffect(() => {
    // Without a stored benchmark "this machine" has no roofline: start on a catalog GPU instead.
    live(client.call('planner.thisMachine', {})).then(
      (t) => dispatch({ type: 'roofline', has: Boolean(t.roofline) }),
      () => dispatch({ type: 'roofline-unknown' }),
    );
  }, [client, live]);

  // The presets wait for the zoo; without it (an error) there are none.
  const presets = useMemo(() => presetsFrom(zooList.state === 'ready' ? zooList.value : []), [zooList.state === 'ready' ? zooList.value : null]);
  const set = (key: keyof TransformersForm, value: string) => dispatch({ type: 'edit', key, value });

  /** The form as an API request, or a message naming the field that is not a number. */
  const request = useMemo(() => {
    const int = (label: string, text: string, optional = false): number | undefined | string => {
      if (!text.trim() && optional) return undefined;
      return /^\s*\d+\s*$/.test(text) && Number(text) > 0 ? Number(text) : `${label}: "${text || '(empty)'}" is not a positive whole number`;
    };
    const fields = {
      dModel: int('d_model', form.dModel),
      heads: int('heads', form.heads),
      kvHeads: int('K/V heads', form.kvHeads, true),
      ffn: int('FFN', form.ffn, true),
      layers: int('layers', form.layers),
      batch: int('batch', form.batch),
    };
    for (const v of Object.values(fields)) if (typeof v === 'string') return { error: v };
    const from = parseSeqs(form.seqFrom);
    const to = parseSeqs(form.seqTo);
    if (!from || from.length !== 1) return { error: `from: "${form.seqFrom}" is not a sequence length (e.g. 256 or 4K)` };
    if (!to || to.length !== 1) return { error: `to: "${form.seqTo}" is not a sequence length (e.g. 64K or 1M)` };
    const seqs = parseSeqs(`${from[0]}..${to[0]}`);
    if (!seqs) return { error: `sequence range: ${form.seqFrom} .. ${form.seqTo} must go from a smaller to a larger length` };
    const n = (k: keyof typeof fields) => fields[k] as number | undefined;
    return {
      req: {
        shape: {
          dModel: n('dModel')!,
          heads: n('heads')!,
          ...(n('kvHeads') ? { kvHeads: n('kvHeads') } : {}),
          ...(n('ffn') ? { ffn: n('ffn') } : {}),
          layers: n('layers')!,
          batch: n('batch')!,
        },
        variants: form.variants,
        seqs: seqs.slice(0, 64),
        device: form.device,
      },
    };
  }, [form]);

  // Recompute (debounced) whenever the request changes.
  useEffect(() => {
    if (hasRoofline === null) return;
    if ('error' in request) {
      dispatch({ type: 'result', result: { error: { code: 'INVALID_REQUEST', message: request.error! } } });
      return;
    }
    const timer = setTimeout(() => {
      live(client.call('attention.sweep', request.req)).then(
        (r) => dispatch({ type: 'result', result: { ok: r } }),
        (e: unknown) => dispatch({ type: 'result', result: { error: toApiError(e) } }),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [client, live, request, hasRoofline]);

  const patterns = useMemo(() => {
    try {
      return parseVariants(form.variants).map((original) => {
        // Drawn at 64 tokens: windows scaled to 16 and BigBird blocks to 8, labelled as drawn.
        const v = original.kind === 'sliding' || original.kind === 'dilated' || original.kind === 'global' ? { ...original, window: Math.min(original.window, 16) } : original.kind === 'bigbird' ? { ...original, block: 8 } : original;
        const mask = attentionPattern(v, 64);
        const note = patternNote(v);
        return { mask, n: 64, label: `${variantLabel(v)}${note ? ` (${note})` : ''}`, density: patternDensity(mask) };
      });
    } catch {
      return [];
    }
  }, [form.variants]);

  const toggleVariant = (v: string) => {
    const list = form.variants.split(',').map((s) => s.trim()).filter(Boolean);
    set('variants', (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]).join(','));
  };

  const startMeasure = async () => {
    if ('error' in request) return;
    dispatch({ type: 'measure-requested' });
    try {
      const started = await client.call('attention.measure', request.req);
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
    if ('error' in request) return;
    try {
      const r = await client.call('attention.sweep', { ...request.req, store: true });
      dispatch({ type: 'saved', runId: r.runId });
    } catch (e) {
      dispatch({ type: 'result', result: { error: toApiError(e) } });
    }
  };

  const ok = result && 'ok' in result ? result.ok : null;
  const labels = useMemo(() => {
    try {
      return Object.fromEntries(parseVariants(form.variants).map((v) => [formatVariant(v), variantLabel(v)]));
    } catch {
      return undefined;
    }
  }, [form.variants]);
  const running = measure.state === 'running' || measure.state === 'cancelling';

  return (
    <section className="page transformers-page" data-testid="page-transformers">
      <PageHeader
        title="Transformers"
        subtitle="Which attention for long sequences: FLOPs, memory, bytes and time by sequence length, predicted on a roofline and measured here."
        actions={
          <button type="button" className="button" disabled={!ok} onClick={() => void save()} data-testid="att-save">
            Save sweep
          </button>
        }
      />
      {saved ? (
        <p className="save-status" role="status" data-testid="att-saved">
          Saved as <RunLink id={saved} /> (see History).
        </p>
      ) : null}
      <div className="card" data-testid="att-controls">
        <div className="control-row model-options">
          <div className="field">
            <label htmlFor="att-preset">Preset</label>
            <Select
              id="att-preset"
              value={form.preset}
              onChange={(value) => {
                const p = presets.find((x) => x.name === value);
                dispatch({ type: 'preset', name: value, preset: p });
              }}
              testId="att-preset"
            >
              <option value="custom">custom</option>
              {presets.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.title}
                </option>
              ))}
            </Select>
          </div>
          {(
            [
              ['dModel', 'd_model'],
              ['heads', 'Heads'],
              ['kvHeads', 'K/V heads'],
              ['ffn', 'FFN width'],
              ['layers', 'Layers'],
              ['batch', 'Batch'],
              ['seqFrom', 'Sequence from'],
              ['seqTo', 'to'],
            ] as const
          ).map(([key, label]) => (
            <div className="field" key={key}>
              <label htmlFor={`att-${key}`}>{label}</label>
              <input id={`att-${key}`} className="input input-narrow num" value={form[key]} placeholder={key === 'kvHeads' ? 'heads' : key === 'ffn' ? '4·d' : undefined} onChange={(e) => set(key, e.target.value)} data-testid={`att-${key}`} />
            </div>
          ))}
          <div className="field">
            <label htmlFor="att-device">Predict on</label>
            <Select id="att-device" value={form.device} onChange={(value) => set('device', value)} testId="att-device">
              <option value="this">This machine (measured roofline)</option>
              {GPU_CATALOG.filter((g) => g.bf16 && g.memBandwidthGBs).map((g) => (
                <option key={g.name} value={g.name}>
                  {g.name} (bf16)
                </option>
              ))}
            </Select>
          </div>
        </div>
        <div className="field field-wide">
          <label htmlFor="att-variants">Variants</label>
          <input id="att-variants" className="input input-wide mono" value={form.variants} onChange={(e) => set('variants', e.target.value)} data-testid="att-variants" />
          <div className="chips">
            {QUICK_VARIANTS.map((v) => (
              <button type="button" key={v} className={`chip${form.variants.split(',').map((s) => s.trim()).includes(v) ? ' chip-best' : ''}`} onClick={() => toggleVariant(v)}>
                {v}
              </button>
            ))}
          </div>
          <p className="field-hint">full, causal, sliding:W, dilated:W:DIL, global:W:G, bigbird:BLOCK:RANDOM:GLOBAL, linear, gqa:KV, flash, tome:R, prune:KEEP</p>
        </div>
      </div>

      {result && 'error' in result ? (
        <p className="field-hint field-error callout callout-error" role="alert" data-testid="att-error">
          {result.error.message}
        </p>
      ) : null}

      {ok ? <AttentionSweepView result={ok} metric={metric} onMetric={(m) => dispatch({ type: 'metric', metric: m })} labels={labels} /> : null}

      {patterns.length ? (
        <div className="card" data-testid="att-patterns">
          <h2 className="section-title">Attention patterns (64 tokens; windows scaled to 16, BigBird blocks to 8)</h2>
          <SvgChart testId="att-pattern-grid" render={(width) => renderPatternGrid(patterns, { width })} />
        </div>
      ) : null}

      <div className="card" data-testid="att-measure">
        <h2 className="section-title">Measured on this machine</h2>
        <p className="note">
          Full and sliding-window attention built as ONNX graphs (the window as banded, chunked matmuls — real sparse compute, not a mask) and run through ONNX Runtime at each sequence length; points that would need more than half
          this machine’s memory, or too long, are skipped with the reason.
        </p>
        <div className="control-actions">
          <button type="button" className="button button-primary" disabled={!ok || running || form.device !== 'this'} onClick={() => void startMeasure()} data-testid="att-measure-start">
            Measure
          </button>
          <button type="button" className="button button-danger" disabled={measure.state !== 'running'} onClick={() => void cancel()} data-testid="att-measure-cancel">
            Cancel
          </button>
        </div>
        {hasRoofline === false ? (
          <p className="field-hint" data-testid="att-no-roofline">
            This machine has no measured roofline yet: run the benchmarks (Benchmarks page or <code>flopscope bench all --quick</code>) to predict and measure here.
          </p>
        ) : form.device !== 'this' ? (
          <p className="field-hint">Measuring runs on this machine: choose “This machine” to measure.</p>
        ) : null}
        {measure.state === 'running' ? (
          <div className="phase-list" data-testid="att-progress">
            <progress max={measure.total} value={measure.done} aria-label="Measured sweep progress" />
            <span className="phase-detail">
              {measure.done} / {measure.total} — {measure.label}
            </span>
          </div>
        ) : null}
        {measure.state === 'cancelling' ? <p role="status">Cancelling…</p> : null}
        {measure.state === 'cancelled' ? (
          <p role="status" data-testid="att-cancelled">
            Cancelled — nothing was stored.
          </p>
        ) : null}
        {measure.state === 'failed' ? <ErrorCallout error={measure.error} title="The measured sweep failed" /> : null}
        {measured?.measured ? <AttentionMeasuredView result={measured} /> : null}
        {measured?.measured ? (
          <EnergyCard
            energy={readEnergy(measured.energy)}
            showStrip
            missing={ENERGY_NOT_MEASURED}
            idPrefix="att"
            resultWarnings={measured.warnings}
          />
        ) : null}
      </div>
    </section>
  );
}
