// Unit tests for the UI-only formatters.
import { describe, expect, it } from 'vitest';
import { formatGHz, formatLocalDateTime } from './format.js';

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
