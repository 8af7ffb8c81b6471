/** The LLMs page's reducer and form parsing (renderer, pure). */
import { describe, expect, it } from 'vitest';
import { apiSource, depthsOf, initialLlmsState, llmsReducer, measurable, settingsOf } from './llms-state.js';

describe('LLMs page state', () => {
  it('parses the form into API settings, naming the field that is wrong', () => {
    expect(settingsOf({ ...initialLlmsState.form, context: '8K', depth: '' })).toEqual({ settings: { quant: 'Q4_K_M', kvDtype: 'f16', context: 8192, batch: 1, prompt: 512, gen: 128 } });
    expect(settingsOf({ ...initialLlmsState.form, batch: 'two' })).toEqual({ error: 'batch: "two" is not a positive whole number' });
    expect(depthsOf('0,4K,16k')).toEqual([0, 4096, 16384]);
    expect(depthsOf('0,deep')).toBeNull();
  });

  it('knows which sources the API takes and which can be measured', () => {
    expect(apiSource({ kind: 'known', id: 'gpt2' })).toEqual({ known: 'gpt2' });
    expect(apiSource({ kind: 'upload', state: 'uploading', name: 'x.gguf' })).toBeNull();
    expect(measurable({ kind: 'upload', state: 'ready', name: 'x.gguf', uploadId: 'u', bytes: 1 })).toBe(true);
    expect(measurable({ kind: 'upload', state: 'ready', name: 'config.json', uploadId: 'u', bytes: 1 })).toBe(false);
    expect(measurable({ kind: 'zoo', size: 'tiny', quant: 'Q8_0' })).toBe(true);
  });

  it('follows a measurement to its result and keeps the stored run; a new source clears it', () => {
    let s = llmsReducer(initialLlmsState, { type: 'measure-started', jobId: 'j' });
    s = llmsReducer(s, { type: 'measure-event', event: { type: 'progress', phase: 'pp512 @ 0', done: 2, total: 5, etaMs: null, seq: 1, jobId: 'j', at: 0 } });
    expect(s.measure).toMatchObject({ state: 'running', done: 2, total: 5 });
    s = llmsReducer(s, { type: 'measure-event', event: { type: 'result', result: { model: { name: 'm' } }, runId: 7, seq: 2, jobId: 'j', at: 0 } as never });
    expect(s.measure).toEqual({ state: 'idle' });
    expect(s.measured).toMatchObject({ model: { name: 'm' }, runId: 7 });
    expect(llmsReducer(s, { type: 'source', source: { kind: 'known', id: 'gpt2' } }).measured).toBeNull();
  });
});
