/**
 * Runs' subjects: what each kind's run is about, read from its stored result and params, in the
 * same words whether runs.list reads the paths in SQL (src-main/store/repos/runs-repo.test.ts) or
 * a report reads a full run here.
 */
import { describe, expect, it } from 'vitest';
import { testRuns } from '../reports/test-runs.js';
import { subjectOf } from './kinds/index.js';
import { atPath, dimsText, fromSql } from './subject.js';

describe('run subjects', () => {
  it('name what each kind of run is about', () => {
    const t = testRuns();
    expect(subjectOf(t.bench)).toMatch(/suite/);
    expect(subjectOf(t.profile)).toContain(String(atPath(t.profile.result, '$.model.name')));
    expect(subjectOf(t.plan)).toMatch(/^fit .*params/);
    expect(subjectOf(t.attention)).toMatch(/seq \d+–\d+/);
    expect(subjectOf({ kind: 'llm', params: {}, result: { model: { name: 'Llama 3 8B', quant: 'Q4_K_M' }, settings: { context: 4096 }, measured: { backend: 'cpu' } } })).toBe('Llama 3 8B, Q4_K_M, 4096 tokens, measured (cpu)');
    expect(subjectOf({ kind: 'fit', params: { name: 'my runs' }, result: { nRuns: 12 } })).toBe('my runs, 12 runs');
  });

  it('leave out what a run does not have, and give null when it has nothing', () => {
    expect(subjectOf({ kind: 'llm', params: {}, result: { model: { name: 'X' } } })).toBe('X');
    expect(subjectOf({ kind: 'bench', params: {}, result: 'broken' })).toBeNull();
  });

  it('read paths and SQL values the same way', () => {
    expect(atPath({ a: { b: [{ c: 3 }] } }, '$.a.b[0].c')).toBe(3);
    expect(atPath({ a: 1 }, '$.a.b')).toBeUndefined();
    expect(fromSql('{"batch":1,"sequence":128}')).toEqual({ batch: 1, sequence: 128 });
    expect(fromSql('resnet50')).toBe('resnet50');
    expect(dimsText({ batch: 1, sequence: 128 })).toBe('batch 1, sequence 128');
  });
});
