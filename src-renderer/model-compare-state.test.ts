import { describe, expect, it } from 'vitest';
import type { ZooEntry } from '../src-shared/api/zoo.js';
import { initialModelCompareState, MAX_SLOTS, modelCompareReducer as reduce, type Row } from './model-compare-state.js';

const entry = (name: string, width = 1): ZooEntry => ({
  name,
  title: name,
  family: 'cnn',
  description: '',
  options: [
    { name: 'width', default: width, min: 0.25, max: 2, help: '' },
    { name: 'seed', default: 0, integer: true, help: '' },
  ],
});
const zoo = [entry('alexnet'), entry('resnet18', 2), entry('mobilenet-v2', 1)];
const row = (zoo: string, matched: Row['matched']): Row => ({ zoo, options: {}, result: {} as never, matched });

describe('compare architectures state', () => {
  it('starts on the preferred architectures with their default options, idle, no rows and no latency', () => {
    const s = initialModelCompareState(zoo);
    expect(s).toEqual({
      slots: [
        { zoo: 'mobilenet-v2', options: { width: '1', seed: '0' } },
        { zoo: 'resnet18', options: { width: '2', seed: '0' } },
      ],
      withLatency: false,
      rows: null,
      busy: null,
      error: null,
    });
  });

  it('a preferred architecture not in the zoo is replaced by the first entry; an empty zoo gives no slots', () => {
    expect(initialModelCompareState([entry('alexnet')]).slots.map((s) => s.zoo)).toEqual(['alexnet', 'alexnet']);
    expect(initialModelCompareState([]).slots).toEqual([]);
  });

  it('sets, adds (a copy of the last architecture with its defaults, at most four) and removes slots', () => {
    const s0 = initialModelCompareState(zoo);
    const s1 = reduce(s0, { type: 'set-slot', index: 1, slot: { zoo: 'alexnet', options: { width: '0.5', seed: '0' } } });
    expect(s1.slots[0]).toBe(s0.slots[0]);
    expect(s1.slots[1]).toEqual({ zoo: 'alexnet', options: { width: '0.5', seed: '0' } });
    const s2 = reduce(s1, { type: 'add-slot', zoo });
    expect(s2.slots[2]).toEqual({ zoo: 'alexnet', options: { width: '1', seed: '0' } });
    const full = reduce(s2, { type: 'add-slot', zoo });
    expect(full.slots).toHaveLength(MAX_SLOTS);
    expect(reduce(full, { type: 'add-slot', zoo })).toBe(full);
    expect(reduce(full, { type: 'remove-slot', index: 0 }).slots).toEqual(full.slots.slice(1));
    expect(reduce({ ...s0, slots: [] }, { type: 'add-slot', zoo }).slots).toEqual([{ zoo: 'alexnet', options: { width: '1', seed: '0' } }]);
  });

  it('toggles latency; the same value leaves the state as it is', () => {
    const s0 = initialModelCompareState(zoo);
    expect(reduce(s0, { type: 'with-latency', value: true }).withLatency).toBe(true);
    expect(reduce(s0, { type: 'with-latency', value: false })).toBe(s0);
  });

  it('work starts busy with the error cleared, reports progress, and finishes idle, keeping the error it failed with', () => {
    const failed = { ...initialModelCompareState(zoo), error: { code: 'internal', message: 'old' } as never };
    const s1 = reduce(failed, { type: 'start', busy: 'Profiling…' });
    expect(s1).toMatchObject({ busy: 'Profiling…', error: null });
    const s2 = reduce(s1, { type: 'progress', busy: 'Profiling 1 of 2: resnet18…' });
    expect(s2.busy).toBe('Profiling 1 of 2: resnet18…');
    expect(reduce(s2, { type: 'progress', busy: s2.busy! })).toBe(s2);
    expect(reduce(s2, { type: 'finish' })).toMatchObject({ busy: null, error: null });
    const error = { code: 'internal', message: 'boom' } as never;
    expect(reduce(s2, { type: 'finish', error })).toMatchObject({ busy: null, error });
  });

  it('a comparison sets the rows; a match also writes the chosen values into the slots', () => {
    const s0 = initialModelCompareState(zoo);
    const rows = [row('mobilenet-v2', null), row('resnet18', null)];
    const compared = reduce(s0, { type: 'rows', rows });
    expect(compared.rows).toBe(rows);
    expect(compared.slots).toBe(s0.slots);
    const matchedRows = [row('mobilenet-v2', null), row('resnet18', { option: 'width', value: 0.375, metric: 'macs' })];
    const matched = reduce(s0, { type: 'matched', rows: matchedRows });
    expect(matched.rows).toBe(matchedRows);
    expect(matched.slots).toEqual([s0.slots[0], { zoo: 'resnet18', options: { width: '0.375', seed: '0' } }]);
    expect(matched.slots[0]).toBe(s0.slots[0]);
  });
});
