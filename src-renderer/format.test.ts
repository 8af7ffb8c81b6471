// Unit tests for the UI-only formatters.
import { describe, expect, it } from 'vitest';
import { formatEta, formatGHz, formatLocalDateTime, formatMs } from './format.js';

describe('formatLocalDateTime', () => {
  it('prints local YYYY-MM-DD HH:MM', () => {
    const d = new Date(2025, 0, 5, 7, 3);
    expect(formatLocalDateTime(d.toISOString())).toBe('2025-01-05 07:03');
  });
  it('passes through what it cannot parse', () => {
    expect(formatLocalDateTime('yesterday')).toBe('yesterday');
  });
});

describe('formatGHz', () => {
  it('prints two decimals or unknown', () => {
    expect(formatGHz(3)).toBe('3.00 GHz');
    expect(formatGHz(null)).toBe('unknown');
  });
});

describe('formatEta', () => {
  it('prints seconds, minutes and nothing when unknown', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(400)).toBe('ETA <1 s');
    expect(formatEta(12_300)).toBe('ETA 12 s');
    expect(formatEta(185_000)).toBe('ETA 3 min 05 s');
  });
});

describe('formatMs', () => {
  it('scales its decimals to the size', () => {
    expect(formatMs(0.221677)).toBe('222');
    expect(formatMs(0.0153)).toBe('15.30');
    expect(formatMs(0.000047)).toBe('0.047');
  });
});
