import { describe, expect, it } from 'vitest';
import type { ZooEntry } from '../src-shared/api/zoo.js';
import { initialModelsPageState as s0, modelsPageReducer as reduce } from './models-page-state.js';

const entry = (name: string): ZooEntry => ({ name, title: name, family: 'cnn', options: [] }) as never;

describe('models page state', () => {
  it('the first zoo list picks the preferred model; a reload keeps the choice', () => {
    const s = reduce(s0, { type: 'zoo-loaded', entries: [entry('alexnet'), entry('resnet18')] });
    expect(s.zoo.state).toBe('ok');
    expect(s.settings.zoo).toBe('resnet18');
    const chosen = reduce(s, { type: 'settings', settings: { ...s.settings, zoo: 'alexnet' } });
    expect(reduce(chosen, { type: 'zoo-loaded', entries: [entry('resnet18')] }).settings.zoo).toBe('alexnet');
  });

  it('asks for an unbound dimension once', () => {
    const s = reduce(s0, { type: 'ask-dim', name: 'batch' });
    expect(s.settings.dims).toBe('batch=');
    expect(reduce(s, { type: 'ask-dim', name: 'batch' })).toBe(s);
    expect(reduce(s, { type: 'ask-dim', name: 'seq' }).settings.dims).toBe('batch=, seq=');
  });

  it('a what-if run adds its report, a fresh profile replaces them', () => {
    const a = reduce(s0, { type: 'whatifs', reports: { quantize: 1 } as never, add: false });
    expect(reduce(a, { type: 'whatifs', reports: { prune: 2 } as never, add: true }).whatifs).toEqual({ quantize: 1, prune: 2 });
    expect(reduce(a, { type: 'whatifs', reports: { prune: 2 } as never, add: false }).whatifs).toEqual({ prune: 2 });
  });

  it('keeps the measured result when a what-if runs: its report and run go beside it, linked to the measured run', () => {
    const profiled = { source: { zoo: 'resnet18', options: {} }, dims: {}, label: 'zoo resnet18' };
    const measuredResult = { measured: { latencyMs: 3 }, whatifs: { moe: 9 } } as never;
    let s = reduce(s0, { type: 'job-started', profiled, whatif: null });
    s = reduce(s, { type: 'job-done', jobId: 'j1', result: measuredResult, runId: 11 });
    expect(s.measured).toEqual({ result: measuredResult, storedRunId: 11, profiled });
    expect(s.whatifs).toEqual({ moe: 9 });
    // A what-if on it: the measured result stays, the report joins, the run is linked to #11.
    s = reduce(s, { type: 'job-started', profiled, whatif: 'quantize' });
    expect(s.pendingWhatif).toBe('quantize');
    const whatifResult = { whatifs: { quantize: 1 } } as never;
    s = reduce(s, { type: 'job-done', jobId: 'j2', result: whatifResult, runId: 12 });
    expect(s.measured!.result).toBe(measuredResult);
    expect(s.measured!.storedRunId).toBe(11);
    expect(s.whatifs).toEqual({ moe: 9, quantize: 1 });
    expect(s.whatifRuns).toEqual([{ what: 'quantize', runId: 12, parentRunId: 11 }]);
    expect(s.pendingWhatif).toBeNull();
    // The same end taken in again (the page mounted again) changes nothing.
    expect(reduce(s, { type: 'job-done', jobId: 'j2', result: whatifResult, runId: 12 })).toBe(s);
    // A failed what-if leaves the measured result; a fresh profile replaces it and clears the what-ifs.
    s = reduce(reduce(s, { type: 'job-started', profiled, whatif: 'prune 2:4' }), { type: 'job-ended', jobId: 'j3' });
    expect(s.pendingWhatif).toBeNull();
    expect(s.measured!.result).toBe(measuredResult);
    const other = { ...profiled, label: 'zoo alexnet' };
    const fresh = { whatifs: {} } as never;
    s = reduce(reduce(s, { type: 'job-started', profiled: other, whatif: null }), { type: 'job-done', jobId: 'j4', result: fresh, runId: 13 });
    expect(s.measured).toEqual({ result: fresh, storedRunId: 13, profiled: other });
    expect(s.whatifs).toEqual({});
    expect(s.whatifRuns).toEqual([]);
  });
});
