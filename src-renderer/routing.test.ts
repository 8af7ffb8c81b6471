// Unit tests for hash routing.
import { describe, expect, it } from 'vitest';
import { hrefFor, SECTIONS, sectionFromHash } from './routing.js';

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
