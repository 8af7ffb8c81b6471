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
});
