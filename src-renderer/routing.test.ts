// Unit tests for hash routing.
import { describe, expect, it } from 'vitest';
import { hrefFor, hrefForRun, routeFromHash, SECTIONS, sectionFromHash } from './routing.js';

describe('sectionFromHash', () => {
  it('maps every section href back to its id', () => {
    for (const s of SECTIONS) expect(sectionFromHash(hrefFor(s.id))).toBe(s.id);
  });
  it('falls back to hardware for empty, unknown or token fragments', () => {
    expect(sectionFromHash('')).toBe('hardware');
    expect(sectionFromHash('#/nope')).toBe('hardware');
    expect(sectionFromHash('#token=abc')).toBe('hardware');
  });
});

describe('routeFromHash', () => {
  it('reads a run permalink under History and round-trips hrefForRun', () => {
    expect(hrefForRun(42)).toBe('#/history/run/42');
    expect(routeFromHash(hrefForRun(42))).toEqual({ section: 'history', runId: 42 });
    expect(routeFromHash('#/history/run/7/')).toEqual({ section: 'history', runId: 7 });
    expect(sectionFromHash(hrefForRun(42))).toBe('history');
  });
  it('keeps plain section routes, with no run', () => {
    for (const s of SECTIONS) expect(routeFromHash(hrefFor(s.id))).toEqual({ section: s.id, runId: null });
  });
  it('opens no run for malformed ids, other sections or token fragments', () => {
    expect(routeFromHash('#/history/run/')).toEqual({ section: 'history', runId: null });
    expect(routeFromHash('#/history/run/abc')).toEqual({ section: 'history', runId: null });
    expect(routeFromHash('#/history/run/0')).toEqual({ section: 'history', runId: null });
    expect(routeFromHash('#/history/run/-3')).toEqual({ section: 'history', runId: null });
    expect(routeFromHash('#/history/run/12x')).toEqual({ section: 'history', runId: null });
    expect(routeFromHash('#/models/run/12')).toEqual({ section: 'models', runId: null });
    expect(routeFromHash('#token=abc')).toEqual({ section: 'hardware', runId: null });
  });
});
