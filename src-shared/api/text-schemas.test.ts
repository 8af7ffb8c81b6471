// The text a person writes, parsed by the API's own schemas (the CLI parses its flags with them): --seq lists and ranges, quantities such as 7B and 1.4T.
import { describe, expect, it } from 'vitest';
import { seqsTextSchema } from './attention.js';
import { quantityTextSchema } from './planner.js';

const issue = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) => r.error?.issues.map((i) => i.message);

describe('seqsTextSchema', () => {
  it('parses lists and power-of-two ranges (K and M are 1024 and 1024²)', () => {
    expect(seqsTextSchema.parse('1024,4096,16384')).toEqual([1024, 4096, 16384]);
    expect(seqsTextSchema.parse('128..1K')).toEqual([128, 256, 512, 1024]);
    expect(seqsTextSchema.parse('100..1000')).toEqual([100, 200, 400, 800, 1000]);
    expect(seqsTextSchema.parse('1M..1M')).toEqual([1_048_576]);
  });

  it('refuses anything else with one issue saying what it takes', () => {
    for (const text of ['lots', '0,4', '4..2', '1.5K', '']) {
      expect(issue(seqsTextSchema.safeParse(text))).toEqual([`takes whole numbers separated by commas (1024,4096) or a range such as 128..1M, got ${JSON.stringify(text)}`]);
    }
    expect(issue(seqsTextSchema.safeParse('1..2M'))).toEqual(['hi: 2097152 is longer than the lab models (at most 1048576 = 2^20)']);
    expect(issue(seqsTextSchema.safeParse(Array.from({ length: 65 }, () => '8').join(',')))).toEqual(['at most 64 sequence lengths']);
  });
});

describe('quantityTextSchema', () => {
  it('parses numbers with exponents and suffixes K, M, B/G, T, P (any case)', () => {
    expect(quantityTextSchema.parse('7B')).toBe(7e9);
    expect(quantityTextSchema.parse('1.4T')).toBeCloseTo(1.4e12, 0);
    expect(quantityTextSchema.parse('5.76e23')).toBe(5.76e23);
    expect(quantityTextSchema.parse(' 2g ')).toBe(2e9);
    expect(quantityTextSchema.parse('-3')).toBe(-3);
    expect(quantityTextSchema.parse('0.4')).toBe(0.4);
  });

  it('refuses what is not a number with one issue', () => {
    expect(issue(quantityTextSchema.safeParse('lots'))).toEqual(['must be a number such as 1e23, 7e9 or 7B, got "lots"']);
    expect(issue(quantityTextSchema.safeParse('7X'))).toEqual(['must be a number such as 1e23, 7e9 or 7B, got "7X"']);
  });
});
