// Unit tests for the attention-variant syntax: every kind parses and formats back, bad tokens name the token and the problem, lists reject empties and duplicates, labels.
import { describe, expect, it } from 'vitest';
import type { AttentionVariant } from './types.js';
import { formatVariant, parseVariant, parseVariants, validateVariant, VARIANT_KINDS, variantLabel, VariantError } from './variants.js';

const ALL: [string, AttentionVariant][] = [
  ['full', { kind: 'full' }],
  ['causal', { kind: 'causal' }],
  ['sliding:512', { kind: 'sliding', window: 512 }],
  ['dilated:256:4', { kind: 'dilated', window: 256, dilation: 4 }],
  ['global:512:2', { kind: 'global', window: 512, globalTokens: 2 }],
  ['bigbird:64:3:2', { kind: 'bigbird', block: 64, randomBlocks: 3, globalBlocks: 2 }],
  ['linear', { kind: 'linear' }],
  ['gqa:4', { kind: 'gqa', kvHeads: 4 }],
  ['flash', { kind: 'flash' }],
  ['tome:8', { kind: 'tome', r: 8 }],
  ['prune:0.7', { kind: 'prune', keep: 0.7 }],
];

function errorOf(f: () => unknown): VariantError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(VariantError);
    expect(err).toBeInstanceOf(Error);
    expect((err as VariantError).field).toBe('variants');
    return err as VariantError;
  }
  throw new Error('expected a VariantError');
}

describe('parseVariant / formatVariant', () => {
  it('parses every kind and formats it back', () => {
    expect(ALL.map(([, v]) => v.kind).sort()).toEqual([...VARIANT_KINDS].sort());
    for (const [text, v] of ALL) {
      expect(parseVariant(text)).toEqual(v);
      expect(formatVariant(v)).toBe(text);
      expect(parseVariant(formatVariant(v))).toEqual(v);
    }
  });

  it('ignores case and spaces, allows zero where zero means something', () => {
    expect(parseVariant('  Sliding : 512 ')).toEqual({ kind: 'sliding', window: 512 });
    expect(parseVariant('tome:0')).toEqual({ kind: 'tome', r: 0 });
    expect(parseVariant('bigbird:64:0:0')).toEqual({ kind: 'bigbird', block: 64, randomBlocks: 0, globalBlocks: 0 });
    expect(parseVariant('prune:1')).toEqual({ kind: 'prune', keep: 1 });
    expect(parseVariant('prune:.5')).toEqual({ kind: 'prune', keep: 0.5 });
  });

  it('names the token and what is wrong', () => {
    expect(errorOf(() => parseVariant('sliding:abc')).message).toContain('"sliding:abc": the window must be a positive whole number');
    expect(errorOf(() => parseVariant('sliding:0')).message).toContain('"sliding:0": the window must be a positive whole number');
    expect(errorOf(() => parseVariant('sliding:12.5')).message).toContain('positive whole number');
    expect(errorOf(() => parseVariant('sliding:1e3')).message).toContain('"sliding:1e3"');
    expect(errorOf(() => parseVariant('dilated:256:x')).message).toContain('the dilation must be a positive whole number');
    expect(errorOf(() => parseVariant('bigbird:64:-1:2')).message).toContain('the number of random blocks must be a non-negative whole number');
    expect(errorOf(() => parseVariant('gqa:0')).message).toContain('"gqa:0": the number of K/V heads');
    expect(errorOf(() => parseVariant('tome:two')).message).toContain('"tome:two"');
    expect(errorOf(() => parseVariant('prune:0')).message).toContain('"prune:0": the kept fraction must be greater than 0');
    expect(errorOf(() => parseVariant('prune:1.5')).message).toContain('at most 1');
    expect(errorOf(() => parseVariant('prune:half')).message).toContain('0 < keep ≤ 1');
    expect(errorOf(() => parseVariant('sliding:9999999')).message).toContain('at most 1048576');
  });

  it('says how many parameters a kind takes', () => {
    expect(errorOf(() => parseVariant('sliding')).message).toBe('"sliding": sliding needs the window, written sliding:W (e.g. sliding:512)');
    expect(errorOf(() => parseVariant('full:2')).message).toContain('full takes no parameters');
    expect(errorOf(() => parseVariant('bigbird:64:3')).message).toContain('bigbird:BLOCK:RANDOM:GLOBAL');
  });

  it('lists the known variants for an unknown one and suggests a near miss', () => {
    const m = errorOf(() => parseVariant('slidin')).message;
    expect(m).toMatch(/^unknown variant "slidin" \(known: full, causal, sliding:W, dilated:W:DIL/);
    expect(m).toContain('did you mean sliding:W?');
    expect(errorOf(() => parseVariant('performer')).message).not.toContain('did you mean');
    expect(errorOf(() => parseVariant('')).message).toContain('empty variant');
  });
});

describe('validateVariant', () => {
  it('checks values built in code', () => {
    expect(validateVariant({ kind: 'sliding', window: 8 })).toEqual({ kind: 'sliding', window: 8 });
    expect(errorOf(() => validateVariant({ kind: 'sliding', window: Number.NaN })).message).toContain('"sliding:NaN": the window');
    expect(errorOf(() => validateVariant({ kind: 'prune', keep: 2 })).message).toContain('at most 1');
    expect(errorOf(() => validateVariant({ kind: 'nope' } as unknown as AttentionVariant)).message).toContain('unknown variant "nope"');
    expect(errorOf(() => validateVariant({ kind: 'dilated', window: 8 } as unknown as AttentionVariant)).message).toContain('"dilated:8:undefined"');
  });
});

describe('parseVariants', () => {
  it('parses a comma-separated list in order', () => {
    expect(parseVariants('full, sliding:512,linear')).toEqual([{ kind: 'full' }, { kind: 'sliding', window: 512 }, { kind: 'linear' }]);
  });

  it('rejects an empty list, an empty entry and duplicates', () => {
    expect(errorOf(() => parseVariants('')).message).toContain('no variants given');
    expect(errorOf(() => parseVariants('  ')).message).toContain('no variants given');
    expect(errorOf(() => parseVariants('full,,linear')).message).toContain('empty variant at position 2');
    expect(errorOf(() => parseVariants('full,linear,full')).message).toBe('"full" is listed twice');
    expect(errorOf(() => parseVariants('sliding:512,sliding:0512')).message).toContain('the same as "sliding:512"');
    expect(errorOf(() => parseVariants('full,slidin')).message).toContain('unknown variant "slidin"');
  });
});

describe('variantLabel', () => {
  it('labels every kind for a legend', () => {
    expect(variantLabel({ kind: 'sliding', window: 512 })).toBe('sliding window w=512');
    expect(variantLabel({ kind: 'gqa', kvHeads: 1 })).toBe('MQA (1 K/V head)');
    expect(variantLabel({ kind: 'gqa', kvHeads: 4 })).toBe('GQA, 4 K/V heads');
    expect(variantLabel({ kind: 'bigbird', block: 64, randomBlocks: 3, globalBlocks: 2 })).toBe('BigBird b=64, 3 random + 2 global blocks');
    const labels = ALL.map(([, v]) => variantLabel(v));
    expect(new Set(labels).size).toBe(labels.length);
  });
});
