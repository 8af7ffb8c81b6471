// Unit tests for the chart helpers: tick picking, tick labels, label dodging.
import { describe, expect, it } from 'vitest';
import { dodge, formatIntensity, intensityTickLabel, logTicks, pow2Ticks } from './axes.js';

describe('axes helpers', () => {
  it('picks decades, or 1-2-5 over a narrow range', () => {
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(40, 300)).toEqual([50, 100, 200]);
    expect(logTicks(0.01, 1)).toEqual([0.01, 0.1, 1]);
    expect(logTicks(0, 10)).toEqual([]);
  });

  it('thins powers of two to the allowed count, keeping 1', () => {
    expect(pow2Ticks(1 / 16, 1024, 20)).toHaveLength(15);
    const thin = pow2Ticks(1 / 16, 1024, 8);
    expect(thin.length).toBeLessThanOrEqual(8);
    expect(thin).toContain(1);
  });

  it('labels intensities as fractions below one', () => {
    expect([1 / 16, 0.25, 1, 64].map(intensityTickLabel)).toEqual(['1/16', '1/4', '1', '64']);
    expect(formatIntensity(3.2)).toBe('3.2');
    expect(formatIntensity(0.123)).toBe('0.12');
    expect(formatIntensity(256.4)).toBe('256');
  });

  it('dodges labels apart, in order and within bounds', () => {
    const out = dodge([50, 52, 51, 200], 10, 0, 300);
    expect(out[0]).toBe(50);
    expect(out[2]).toBe(60); // 51 sorts after 50
    expect(out[1]).toBe(70);
    expect(out[3]).toBe(200);
    const squeezed = dodge([95, 96, 97], 10, 0, 100);
    expect(squeezed).toEqual([80, 90, 100]);
  });
});
