// Unit tests for the renderer's energy figures: the live strip's input, and the History row's
// time and energy cells for measured, estimated and old runs.
import { describe, expect, it } from 'vitest';
import { benchResult, benchResultWithEnergy, profileEnergy, profileResult } from '../src-shared/reports/test-runs.js';
import { liveStripInput, runFigures, summaryFigures } from './energy-figures.js';

describe('liveStripInput', () => {
  it('keeps the readings and is estimated when any reading is', () => {
    expect(liveStripInput([{ t: 0.5, watts: 10, estimated: false }], true)).toEqual({ series: [{ t: 0.5, watts: 10 }], estimated: false, live: true });
    expect(liveStripInput([{ t: 0.5, watts: 10, estimated: false }, { t: 1, watts: 12, estimated: true }], false).estimated).toBe(true);
    expect(liveStripInput([], true).series).toEqual([]);
  });
});

describe('runFigures', () => {
  it('a measured benchmark: elapsed seconds and joules', () => {
    expect(runFigures('bench', benchResultWithEnergy(1, 'measured'))).toEqual({ time: '12.5 s', energy: '845 J', estimated: false, title: '845 J over the run; powercap (RAPL)', implausible: [] });
  });

  it('an estimated benchmark says (est.) and gives the basis on hover', () => {
    const f = runFigures('bench', benchResultWithEnergy(2, 'estimated'))!;
    expect(f.energy).toBe('2.54 kJ (est.)');
    expect(f.estimated).toBe(true);
    expect(f.title).toContain('estimated: catalog TDP × measured CPU utilisation');
    expect(f.title).toContain('basis: AMD EPYC 7B13 Test CPU: 240 W TDP');
  });

  it('a benchmark stored before energy: the time, no energy, and why', () => {
    expect(runFigures('bench', benchResult(1))).toEqual({ time: '12.5 s', energy: null, estimated: false, title: 'not measured (run predates energy)', implausible: [] });
  });

  it('a model run: latency and joules per inference when measured, nothing when only counted', () => {
    expect(runFigures('profile', { ...profileResult(), ...profileEnergy() })).toMatchObject({ time: '0.125 ms/inference', energy: '6 mJ/inference', estimated: false });
    expect(runFigures('profile', profileResult())).toMatchObject({ time: '0.125 ms/inference', energy: null, title: 'not measured (run predates energy)', implausible: [] });
    expect(runFigures('profile', { ...profileResult(), measured: undefined })).toMatchObject({ time: null, energy: null });
  });

  it('other kinds and damaged results', () => {
    expect(runFigures('plan', {})).toBeNull();
    expect(runFigures('hardware', {})).toBeNull();
    expect(runFigures('bench', 'junk')).toEqual({ time: null, energy: null, estimated: false, title: '', implausible: [] });
    expect(runFigures('bench', { elapsedSeconds: 'x', energy: { joules: 1 } })).toMatchObject({ time: null, energy: null });
  });
});

describe('summaryFigures (the list query\'s figures, runs-repo.ts)', () => {
  it('reads the same cells as the full result', () => {
    for (const [kind, result] of [
      ['bench', benchResultWithEnergy(1, 'measured')],
      ['bench', benchResultWithEnergy(2, 'estimated')],
      ['bench', benchResult(1)],
      ['profile', { ...profileResult(), ...profileEnergy() }],
      ['profile', profileResult()],
    ] as const) {
      const r = result as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const figures = {
        elapsedSeconds: typeof r.elapsedSeconds === 'number' ? r.elapsedSeconds : null,
        latencyMedianMs: r.measured?.latencyMs?.median ?? null,
        energy: r.energy ? { joules: r.energy.joules, estimated: r.energy.estimated, source: r.energy.source, estimateBasis: r.energy.estimateBasis ?? null } : null,
        joulesPerInference: r.energyEfficiency?.joulesPerInference ?? null,
      };
      expect(summaryFigures({ kind, figures })).toEqual(runFigures(kind, result));
    }
    expect(summaryFigures({ kind: 'hardware' })).toBeNull();
    // A measured attention sweep or lesson shows its energy; a predicted-only sweep nothing.
    const e = benchResultWithEnergy(2, 'estimated').energy!;
    expect(summaryFigures({ kind: 'attention', figures: { elapsedSeconds: null, latencyMedianMs: null, energy: { joules: e.joules, estimated: true, source: e.source, estimateBasis: null }, joulesPerInference: null } })).toMatchObject({ time: null, energy: '2.54 kJ (est.)', estimated: true });
    expect(summaryFigures({ kind: 'lesson', figures: { elapsedSeconds: null, latencyMedianMs: null, energy: null, joulesPerInference: null } })).toEqual({ time: null, energy: null, estimated: false, title: '', implausible: [] });
  });

  it('flags a shown number outside its plausible range instead of printing it as a measurement (-1.0 s, 2.8e+301 kWh)', () => {
    const hostile = { ...benchResultWithEnergy(1, 'measured'), elapsedSeconds: -1 };
    hostile.energy = { ...hostile.energy!, joules: 1e307 };
    const f = runFigures('bench', hostile)!;
    expect(f.time).toBe('-1.0 s');
    expect(f.implausible).toEqual([
      "elapsedSeconds is -1 s: outside the range of a benchmark's duration (more than 0 s, at most 604800 s); it was probably changed by hand or damaged",
      'energy.joules is 1.00e+307 J: outside the range of the energy of a benchmark (at least 0 J, at most 3.60e+9 J); it was probably changed by hand or damaged',
    ]);
    // The History row reads the same figures from the list's summary.
    expect(summaryFigures({ kind: 'bench', figures: { elapsedSeconds: -1, latencyMedianMs: null, energy: { joules: 1e307, estimated: false, source: 'powercap (RAPL)', estimateBasis: null }, joulesPerInference: null } })!.implausible).toHaveLength(2);
  });
});
