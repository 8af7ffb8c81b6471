/**
 * The run-kind registry: a new kind needs only its file (./<kind>.ts) and its line in the
 * registry. Every RunKind has exactly one entry under its own name, every entry's schemas accept
 * the example runs of the report tests, and what the store, the reports and the History page read
 * from an entry is consistent.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BenchResult } from '../../api/bench.js';
import { RUN_KINDS, type HardwareReport, type Run } from '../../api/types.js';
import { testRuns } from '../../reports/test-runs.js';
import { checkRunPayload, HISTORY_COLUMNS, kindOf, MEASURED_KINDS, RUN_KIND_ENTRIES, RUN_KIND_REGISTRY, runKind, type ResultOf } from './index.js';

describe('run-kind registry', () => {
  it('has exactly one entry per RunKind, under its own name', () => {
    expect(Object.keys(RUN_KIND_REGISTRY).sort()).toEqual([...RUN_KINDS].sort());
    for (const kind of RUN_KINDS) expect(runKind(kind).name).toBe(kind);
    expect(RUN_KIND_ENTRIES.map((e) => e.name)).toEqual([...RUN_KINDS]);
  });

  it("types each kind's result as its entry declares it", () => {
    expectTypeOf<ResultOf<'bench'>>().toEqualTypeOf<BenchResult>();
    expectTypeOf<ResultOf<'hardware'>>().toEqualTypeOf<HardwareReport>();
    expectTypeOf(kindOf(testRuns().bench as Run & { kind: 'bench' }).result).toEqualTypeOf<BenchResult | undefined>();
  });

  it("every entry's schemas accept the example runs of its kind", () => {
    const runs = Object.entries(testRuns());
    expect(new Set(runs.map(([, r]) => r.kind)).size).toBeGreaterThanOrEqual(5);
    for (const [key, run] of runs) {
      const stored = JSON.parse(JSON.stringify({ params: run.params ?? null, result: run.result })) as { params: unknown; result: unknown };
      const issues = checkRunPayload(run.kind, stored.params, stored.result, '');
      // The report fixtures' fit is a hand-made partial one (a law and a warning, no bootstrap or
      // residuals) that shows how a report lists a kind without blocks; the fit schema refuses
      // it, as an import would. Real fits pass (src-main/services/history/run-schemas.test.ts).
      if (key === 'fit') expect(issues, key).toContain('result.bootstrap: missing (expected an object)');
      else expect(issues, key).toEqual([]);
      expect(kindOf(run).entry).toBe(RUN_KIND_REGISTRY[run.kind]);
    }
  });

  it('gives measured kinds their figures, summary and History columns, and no others', () => {
    for (const e of RUN_KIND_ENTRIES) {
      expect(Boolean(e.keyFigures), e.name).toBe(e.measured);
      expect(Boolean(e.summary), e.name).toBe(e.measured);
      expect(e.history.columns.length > 0, e.name).toBe(e.measured);
      for (const c of e.history.columns) expect(HISTORY_COLUMNS).toContain(c);
      expect(e.label.length, e.name).toBeGreaterThan(0);
    }
    expect([...MEASURED_KINDS].sort()).toEqual(['attention', 'bench', 'lesson', 'llm', 'profile']);
  });

  it('reads a result that is not an object as undefined, and an unknown kind as one with nothing of its own', () => {
    const run = { ...testRuns().bench, result: 'broken' } as Run;
    expect(kindOf(run).result).toBeUndefined();
    const odd = { ...run, kind: 'from-the-future' } as unknown as Run;
    expect(kindOf(odd).entry).toMatchObject({ measured: false, history: { columns: [] } });
    expect(kindOf(odd).entry.reportBlocks).toBeUndefined();
  });
});
