/**
 * "Compare architectures" on the Models page (renderer): 2–4 zoo architectures, each with its
 * options, counted (and optionally run) side by side — params, MACs, FLOPs, weight bytes, peak
 * activations, MACs per param, latency and achieved GFLOP/s — and "Match FLOPs / latency to the
 * first", which bisects one scaling option of every other architecture (compare-search.ts) until
 * its MACs (or median latency) come as close as they can to the first one's. Every profile made
 * here is scratch work: `profile.start` with store: false, so none of it lands in the history.
 */
import { DataTable } from '../ui/data-table.js';
import { Select } from '../ui/select.js';
import { useCallback, useReducer, type ReactNode } from 'react';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import type { JobEvent } from '../../src-shared/api/types.js';
import type { ZooEntry, ZooOption } from '../../src-shared/api/zoo.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { toApiError } from '../api/api-context.js';
import { useLifetime } from '../api/use-lifetime.js';
import { pickScalingOption, searchOption } from '../compare-search.js';
import { initialModelCompareState, MAX_SLOTS, modelCompareReducer, type Metric, type Row, type Slot } from '../model-compare-state.js';
import { asProfileResult, formatCompact, formatCount } from '../model-run.js';
import { ErrorCallout } from './callouts.js';
import { defaultOptions, optionError, optionValues } from './model-source.js';

const STEPS: Record<Metric, number> = { macs: 12, latency: 6 };

/** One scratch profile (store: false), followed to its result. */
export function profileScratch(client: FlopscopeClient, source: { zoo: string; options: Record<string, number | string> }, run: boolean): Promise<ProfileResult> {
  return client.call('profile.start', { source, run, store: false }).then(
    (job) =>
      new Promise<ProfileResult>((resolve, reject) => {
        let stop: (() => void) | null = null;
        let done = false;
        const settle = (fn: () => void) => {
          if (done) return;
          done = true;
          fn();
          // The subscription may replay synchronously, before `stop` is assigned.
          queueMicrotask(() => stop?.());
        };
        stop = client.subscribe(job.id, (event: JobEvent) => {
          if (event.type === 'result') {
            const result = asProfileResult(event.result);
            settle(() => (result ? resolve(result) : reject(new Error('The profile finished but its result is not in the expected shape.'))));
          } else if (event.type === 'error') settle(() => reject(Object.assign(new Error(event.error.message), { code: event.error.code })));
          else if (event.type === 'cancelled') settle(() => reject(new Error('The profile was cancelled.')));
        });
        if (done) stop();
      }),
  );
}

const latencyOf = (r: ProfileResult) => r.measured?.latencyMs.median ?? null;
const gflopsOf = (r: ProfileResult) => {
  const ms = latencyOf(r);
  return ms && ms > 0 ? r.totals.flops / (ms / 1e3) / 1e9 : null;
};
const label = (r: { zoo: string; options: Record<string, number | string> }, entry: ZooEntry | undefined) =>
  entry
    ? entry.options
        .filter((o) => o.name !== 'seed' && String(r.options[o.name]) !== String(o.default))
        .map((o) => `${o.name}=${r.options[o.name]}`)
        .join(', ') || 'defaults'
    : '';

export function ModelCompare({ zoo, client }: { zoo: readonly ZooEntry[]; client: FlopscopeClient }) {
  const [{ slots, withLatency, rows, busy, error }, dispatch] = useReducer(modelCompareReducer, zoo, initialModelCompareState);
  // Every profile is awaited through live(): once the card is gone the work stops where it waits.
  const { live } = useLifetime();

  const entryOf = useCallback((name: string) => zoo.find((z) => z.name === name), [zoo]);
  const sources = slots.map((s) => {
    const entry = entryOf(s.zoo);
    const options = entry ? optionValues(entry, s.options) : null;
    return options ? { zoo: s.zoo, options } : null;
  });
  const valid = sources.every(Boolean) && slots.length >= 2;

  const guard = async (what: string, work: () => Promise<void>) => {
    dispatch({ type: 'start', busy: what });
    try {
      await work();
    } catch (e) {
      dispatch({ type: 'finish', error: toApiError(e) });
      return;
    }
    dispatch({ type: 'finish' });
  };

  const compare = () =>
    guard('Profiling…', async () => {
      const out: Row[] = [];
      for (const [i, source] of sources.entries()) {
        if (!source) return;
        dispatch({ type: 'progress', busy: `Profiling ${i + 1} of ${sources.length}: ${source.zoo}…` });
        out.push({ ...source, result: await live(profileScratch(client, source, withLatency)), matched: null });
      }
      dispatch({ type: 'rows', rows: out });
    });

  const match = (metric: Metric) =>
    guard('Matching…', async () => {
      const first = sources[0];
      if (!first) return;
      const run = metric === 'latency' || withLatency;
      dispatch({ type: 'progress', busy: `Profiling ${first.zoo}…` });
      const base = await live(profileScratch(client, first, run));
      const target = metric === 'macs' ? base.totals.macs : latencyOf(base);
      if (target === null) throw new Error(`${first.zoo} has no measured latency.`);
      const out: Row[] = [{ ...first, result: base, matched: null }];
      for (const source of sources.slice(1)) {
        if (!source) return;
        const entry = entryOf(source.zoo);
        const option = entry ? pickScalingOption(entry.options) : null;
        if (!option || option.min === undefined || option.max === undefined) {
          out.push({ ...source, result: await live(profileScratch(client, source, run)), matched: null });
          continue;
        }
        const results = new Map<number, ProfileResult>();
        let step = 0;
        const best = await searchOption({
          target,
          min: option.min,
          max: option.max,
          integer: Boolean(option.integer),
          maxEvaluations: STEPS[metric],
          evaluate: async (value) => {
            step += 1;
            dispatch({ type: 'progress', busy: `Matching ${source.zoo}: ${option.name} = ${formatValue(value)} (step ${step} of at most ${STEPS[metric]})…` });
            const r = await live(profileScratch(client, { zoo: source.zoo, options: { ...source.options, [option.name]: value } }, run));
            results.set(value, r);
            return metric === 'macs' ? r.totals.macs : (latencyOf(r) ?? NaN);
          },
        });
        out.push({ zoo: source.zoo, options: { ...source.options, [option.name]: best.value }, result: results.get(best.value)!, matched: { option: option.name, value: best.value, metric } });
      }
      // The inputs follow the matched values, so a later Compare profiles what is on screen.
      dispatch({ type: 'matched', rows: out });
    });

  const setSlot = (i: number, slot: Slot) => dispatch({ type: 'set-slot', index: i, slot });
  const families = [...new Set(zoo.map((z) => z.family))];
  const measured = rows?.some((r) => latencyOf(r.result) !== null) ?? false;
  const matched = rows?.some((r) => r.matched) ?? false;
  const firstRow = rows?.[0];

  return (
    <section className="card model-compare" id="model-compare" aria-labelledby="model-compare-heading" data-testid="model-compare" aria-busy={busy !== null}>
      <h2 id="model-compare-heading">Compare architectures</h2>
      <p className="note">Count 2–4 built-in architectures side by side. These profiles are scratch work: none of them is stored in the history.</p>
      <div className="compare-slots">
        {slots.map((slot, i) => {
          const entry = entryOf(slot.zoo);
          const scaling = i > 0 && entry ? pickScalingOption(entry.options) : null;
          return (
            <fieldset key={i} className="compare-slot" data-testid={`compare-slot-${i + 1}`} disabled={busy !== null}>
              <legend>{i === 0 ? 'First (the reference)' : `Architecture ${i + 1}`}</legend>
              <div className="model-options">
                <div className="field">
                  <span className="field-label">Architecture</span>
                  <Select
                    ariaLabel={`Architecture ${i + 1}`}
                    value={slot.zoo}
                    onChange={(value) => setSlot(i, { zoo: value, options: defaultOptions(entryOf(value)) })}
                  >
                    {families.map((f) => (
                      <optgroup key={f} label={f}>
                        {zoo
                          .filter((z) => z.family === f)
                          .map((z) => (
                            <option key={z.name} value={z.name}>
                              {z.name}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </Select>
                </div>
                {entry?.options.map((o) => (
                  <CompareOption key={`${entry.name}:${o.name}`} slot={i + 1} option={o} value={slot.options[o.name] ?? String(o.default)} onChange={(v) => setSlot(i, { ...slot, options: { ...slot.options, [o.name]: v } })} />
                ))}
              </div>
              <div className="compare-slot-foot">
                {i > 0 ? (
                  <span className="note" data-testid="compare-scaling">
                    {scaling ? `Matching scales ${scaling.name} (${scaling.min}–${scaling.max})` : 'No scaling option to match with'}
                  </span>
                ) : null}
                {slots.length > 2 ? (
                  <button type="button" className="button" onClick={() => dispatch({ type: 'remove-slot', index: i })}>
                    Remove
                  </button>
                ) : null}
              </div>
            </fieldset>
          );
        })}
      </div>
      <div className="control-row model-run-row">
        {slots.length < MAX_SLOTS ? (
          <button type="button" className="button" disabled={busy !== null} onClick={() => dispatch({ type: 'add-slot', zoo })}>
            Add architecture
          </button>
        ) : null}
        <label className="check compare-check">
          <input type="checkbox" checked={withLatency} disabled={busy !== null} onChange={(e) => dispatch({ type: 'with-latency', value: e.target.checked })} /> With latency (runs each model)
        </label>
        <div className="control-actions">
          <button type="button" className="button button-primary" disabled={!valid || busy !== null} onClick={() => void compare()}>
            Compare
          </button>
          <button type="button" className="button" disabled={!valid || busy !== null} onClick={() => void match('macs')}>
            Match FLOPs to the first
          </button>
          <button type="button" className="button" disabled={!valid || busy !== null} onClick={() => void match('latency')}>
            Match latency to the first
          </button>
        </div>
      </div>
      <p className="note" role="status" aria-live="polite" data-testid="compare-status">
        {busy ?? (rows ? `${rows.length} architectures compared${matched ? ', matched to the first' : ''}.` : '')}
      </p>
      {error ? <ErrorCallout error={error} title="Could not compare" /> : null}
      {rows && firstRow ? (
        <CompareTable rows={rows} firstRow={firstRow} matched={matched} measured={measured} entryOf={entryOf} />
      ) : null}
    </section>
  );
}

/** The architectures side by side: one row each, the first the reference for the ratios. */
function CompareTable({ rows, firstRow, matched, measured, entryOf }: { rows: readonly Row[]; firstRow: Row; matched: boolean; measured: boolean; entryOf: (name: string) => ZooEntry | undefined }) {
  const firstMs = latencyOf(firstRow.result);
  type Col = { label: string; num?: boolean; col: string; show: boolean; cell: (r: Row, i: number) => ReactNode; value?: (r: Row) => number; title?: (r: Row) => string; mono?: boolean };
  const cols: Col[] = [
    { label: 'Architecture', col: 'zoo', show: true, mono: true, cell: (r) => r.zoo },
    { label: 'Options', col: 'options', show: true, mono: true, cell: (r) => label(r, entryOf(r.zoo)) },
    { label: 'Matched', col: 'matched', show: matched, mono: true, cell: (r, i) => (r.matched ? `${r.matched.option} = ${formatValue(r.matched.value)}` : i === 0 ? 'reference' : '—') },
    { label: 'Params', num: true, col: 'params', show: true, cell: (r) => formatCompact(r.result.totals.params), value: (r) => r.result.totals.params, title: (r) => formatCount(r.result.totals.params) },
    { label: 'MACs', num: true, col: 'macs', show: true, cell: (r) => formatCompact(r.result.totals.macs), value: (r) => r.result.totals.macs, title: (r) => formatCount(r.result.totals.macs) },
    { label: 'FLOPs', num: true, col: 'flops', show: true, cell: (r) => formatCompact(r.result.totals.flops), value: (r) => r.result.totals.flops, title: (r) => formatCount(r.result.totals.flops) },
    { label: 'Weights', num: true, col: 'weights', show: true, cell: (r) => formatBytes(r.result.totals.weightBytes) },
    { label: 'Peak activations', num: true, col: 'activations', show: true, cell: (r) => formatBytes(r.result.totals.activationBytes) },
    { label: 'MACs / param', num: true, col: 'macs-per-param', show: true, cell: (r) => (r.result.totals.params > 0 ? (r.result.totals.macs / r.result.totals.params).toFixed(1) : '—') },
    { label: 'Latency (median)', num: true, col: 'latency', show: measured, cell: (r) => { const ms = latencyOf(r.result); return ms !== null ? `${ms.toFixed(2)} ms` : '—'; } },
    { label: 'GFLOP/s', num: true, col: 'gflops', show: measured, cell: (r) => { const g = gflopsOf(r.result); return g !== null ? g.toFixed(1) : '—'; } },
    { label: 'MACs ratio to the first', num: true, col: 'macs-ratio', show: matched, cell: (r) => (firstRow.result.totals.macs > 0 ? `${(r.result.totals.macs / firstRow.result.totals.macs).toFixed(3)}×` : '—') },
    { label: 'Latency ratio to the first', num: true, col: 'latency-ratio', show: matched && measured, cell: (r) => { const ms = latencyOf(r.result); return ms !== null && firstMs ? `${(ms / firstMs).toFixed(3)}×` : '—'; } },
  ];
  const shown = cols.filter((c) => c.show);
  return (
    <DataTable
      testId="compare-table"
      caption="Architectures compared"
      columns={shown.map((c) => ({ label: c.label, num: c.num }))}
      rows={rows.map((r, i) => ({
        key: String(i),
        data: { row: String(i + 1), zoo: r.zoo },
        cells: shown.map((c) => c.cell(r, i)),
        cellClass: shown.map((c) => (c.mono ? 'mono' : undefined)),
        titles: shown.map((c) => c.title?.(r)),
        cellData: shown.map((c) => ({ col: c.col, ...(c.value ? { value: String(c.value(r)) } : {}) })),
      }))}
    />
  );
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
}

/** A compact option input; named "Architecture N: option" so it never shadows the single-model form's fields. */
function CompareOption({ slot, option, value, onChange }: { slot: number; option: ZooOption; value: string; onChange(value: string): void }) {
  const error = optionError(option, value);
  const name = `Architecture ${slot}: ${option.name}`;
  return (
    <div className="field">
      <span className="field-label" title={option.help}>
        {option.name}
      </span>
      {option.choices ? (
        <Select ariaLabel={name} value={value} onChange={(value) => onChange(value)}>
          {option.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      ) : (
        <input
          className="input input-narrow num"
          type="number"
          aria-label={name}
          min={option.min}
          max={option.max}
          step={option.integer ? 1 : 'any'}
          value={value}
          aria-invalid={error !== null}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error ? <span className="field-hint field-error">{error}</span> : null}
    </div>
  );
}
