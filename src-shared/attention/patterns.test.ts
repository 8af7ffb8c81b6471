// Unit tests for the attention patterns: shapes of each mask, seeded BigBird, and density = the cost model's attention FLOPs over full attention's wherever the model is exact.
import { describe, expect, it } from 'vitest';
import { attendedPairs, attentionCost } from './cost.js';
import { attentionPattern, patternDensity, patternNote } from './patterns.js';
import { parseVariant, VariantError } from './variants.js';

const v = (text: string) => parseVariant(text);
const at = (mask: Uint8Array, n: number, i: number, j: number) => mask[i * n + j];
const rowKeys = (mask: Uint8Array, n: number, i: number) => [...Array(n).keys()].filter((j) => at(mask, n, i, j) === 1);

describe('attentionPattern', () => {
  it('full (and linear, gqa, flash, tome, prune at layer 0) is all ones', () => {
    for (const text of ['full', 'linear', 'gqa:2', 'flash', 'tome:4', 'prune:0.5']) {
      const m = attentionPattern(v(text), 16);
      expect(m).toHaveLength(256);
      expect(patternDensity(m)).toBe(1);
    }
  });

  it('causal is the lower triangle with the diagonal', () => {
    const m = attentionPattern(v('causal'), 8);
    expect(rowKeys(m, 8, 0)).toEqual([0]);
    expect(rowKeys(m, 8, 7)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(at(m, 8, 2, 3)).toBe(0);
    expect(patternDensity(m)).toBe(36 / 64);
  });

  it('sliding: w keys around the query, shifted inward at the ends', () => {
    const m = attentionPattern(v('sliding:4'), 10);
    expect(rowKeys(m, 10, 0)).toEqual([0, 1, 2, 3]);
    expect(rowKeys(m, 10, 5)).toEqual([3, 4, 5, 6]);
    expect(rowKeys(m, 10, 9)).toEqual([6, 7, 8, 9]);
    const odd = attentionPattern(v('sliding:3'), 10);
    expect(rowKeys(odd, 10, 5)).toEqual([4, 5, 6]);
    // Symmetric in the interior: |i − j| ≤ w/2 for odd w.
    expect(patternDensity(attentionPattern(v('sliding:64'), 32))).toBe(1);
  });

  it('dilated: w keys of the query residue class, dilation apart', () => {
    const m = attentionPattern(v('dilated:3:2'), 12);
    expect(rowKeys(m, 12, 6)).toEqual([4, 6, 8]);
    expect(rowKeys(m, 12, 7)).toEqual([5, 7, 9]);
    expect(rowKeys(m, 12, 0)).toEqual([0, 2, 4]);
    expect(rowKeys(m, 12, 11)).toEqual([7, 9, 11]);
    expect(attentionPattern(v('dilated:4:1'), 20)).toEqual(attentionPattern(v('sliding:4'), 20));
  });

  it('global + sliding: the first g rows and columns are full', () => {
    const m = attentionPattern(v('global:2:2'), 10);
    expect(rowKeys(m, 10, 0)).toHaveLength(10);
    expect(rowKeys(m, 10, 1)).toHaveLength(10);
    expect(rowKeys(m, 10, 6)).toEqual([0, 1, 5, 6]);
    expect(rowKeys(m, 10, 2)).toEqual([0, 1, 2]);
  });

  it('BigBird: global blocks full, others see 3 + r + g blocks; the seed picks the random ones', () => {
    const n = 128;
    const b = 8;
    const m = attentionPattern(v('bigbird:8:2:1'), n, 7);
    expect(rowKeys(m, n, 3)).toHaveLength(n);
    for (let i = b; i < n; i++) {
      const keys = rowKeys(m, n, i);
      expect(keys).toHaveLength(6 * b);
      expect(keys.slice(0, b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const q = Math.floor(i / b);
      const blocks = new Set(keys.map((k) => Math.floor(k / b)));
      for (const neighbour of [q - 1, q, q + 1].filter((k) => k >= 1 && k < n / b)) expect(blocks.has(neighbour)).toBe(true);
    }
    // Queries of one block share their keys.
    expect(rowKeys(m, n, 16)).toEqual(rowKeys(m, n, 23));
    expect(attentionPattern(v('bigbird:8:2:1'), n, 7)).toEqual(m);
    expect(attentionPattern(v('bigbird:8:2:1'), n, 8)).not.toEqual(m);
    expect(patternDensity(attentionPattern(v('bigbird:8:2:1'), n, 8))).toBe(patternDensity(m));
  });

  it('rejects a bad n or variant', () => {
    expect(() => attentionPattern(v('full'), 0)).toThrow('n: must be a whole number from 1 to 256 (got 0)');
    expect(() => attentionPattern(v('full'), 257)).toThrow(RangeError);
    expect(() => attentionPattern({ kind: 'sliding', window: 0 }, 8)).toThrow(VariantError);
  });
});

describe('density against the cost model', () => {
  const shape = { dModel: 256, heads: 4, layers: 2 };

  it('equals attention FLOPs / full attention FLOPs where the model is exact', () => {
    const cases: [string, number][] = [
      ['sliding:16', 256],
      ['sliding:7', 100],
      ['sliding:300', 256],
      ['dilated:16:4', 256],
      ['dilated:10:3', 100],
      ['dilated:40:8', 128],
      ['global:16:3', 256],
      ['global:9:20', 64],
      ['global:64:1', 100],
      ['bigbird:16:3:2', 256],
      ['bigbird:8:1:0', 96],
      ['bigbird:32:3:2', 128],
      ['gqa:2', 64],
      ['flash', 64],
      ['full', 200],
    ];
    for (const [text, n] of cases) {
      const variant = v(text);
      const mask = attentionPattern(variant, n, 3);
      const density = patternDensity(mask);
      const ratio = attentionCost(shape, variant, n).attentionFlops / attentionCost(shape, v('full'), n).attentionFlops;
      expect(density, `${text} at n = ${n}`).toBeCloseTo(ratio, 12);
      expect(mask.reduce((a, x) => a + x, 0), `${text} pairs`).toBe(attendedPairs(variant, n));
    }
  });

  it('causal differs from the n²/2 convention by the diagonal only', () => {
    for (const n of [16, 100, 256]) {
      const density = patternDensity(attentionPattern(v('causal'), n));
      expect(density - 0.5).toBeCloseTo(1 / (2 * n), 12);
    }
  });

  it('notes what a drawing cannot show', () => {
    expect(patternNote(v('linear'))).toContain('O(n·d²)');
    expect(patternNote(v('tome:4'))).toContain('layer 0');
    expect(patternNote(v('sliding:4'))).toBeNull();
  });
});
