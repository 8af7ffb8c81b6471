/**
 * Attention patterns of the efficient-transformer lab (pure; runs anywhere): which keys each query
 * scores, as an n×n 0/1 mask (row = query, column = key, row-major), for small n (≤ 256) to draw.
 * The sets are the ones cost.ts counts, so the density of a sparse pattern is exactly its cost
 * model's attention FLOPs over full attention's (for BigBird when the block divides n):
 *   full, gqa, flash     every pair (GQA shares K/V heads and Flash tiles; neither drops a pair)
 *   causal               the lower triangle with the diagonal, n(n+1)/2 pairs; the cost model uses
 *                        the n²/2 convention (FlashAttention's benchmarks), so they differ by n/2
 *   sliding:w            the min(w, n) keys around the query, i − ⌊w/2⌋ … i + ⌈w/2⌉ − 1, shifted
 *                        inward at the ends (Beltagy et al. 2020, Longformer §3.1)
 *   dilated:w:dil        the same inside the query's residue class mod dil: keys i + k·dil, spanning
 *                        about w·dil positions (Longformer §3.1)
 *   global:w:g           sliding, plus the first g rows and columns full (Longformer §3.1)
 *   bigbird:b:r:g        blocks of b: the first g query blocks full; every other query block sees the
 *                        g global key blocks, its 3 neighbouring blocks (shifted inward) and r random
 *                        blocks drawn from the rest with a seeded generator (Zaheer et al. 2020 §2,
 *                        App. D: random blocks avoid the window and global blocks)
 *   linear               every pair interacts through φ(K)ᵀV (Katharopoulos et al. 2020), so the mask is
 *                        full, but its cost is O(n·d²), not per pair
 *   tome, prune          layer 0, which runs on all n tokens (full); later layers run on fewer tokens
 */
import { mulberry32 } from '../gpu/cpu-reference.js';
import { windowStart } from './cost.js';
import type { AttentionVariant } from './types.js';
import { validateVariant } from './variants.js';

/** Largest n a pattern is drawn for (a 256×256 mask is 64 KiB). */
export const MAX_PATTERN_N = 256;

/**
 * The n×n mask of `variant` (row-major: mask[i·n + j] = 1 when query i scores key j). `seed` picks
 * BigBird's random blocks (the same seed draws the same pattern). Throws RangeError for a bad n.
 */
export function attentionPattern(variant: AttentionVariant, n: number, seed = 1): Uint8Array {
  validateVariant(variant);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PATTERN_N) {
    throw new RangeError(`n: must be a whole number from 1 to ${MAX_PATTERN_N} (got ${String(n)})`);
  }
  const mask = new Uint8Array(n * n);
  const row = (i: number, from: number, to: number) => mask.fill(1, i * n + from, i * n + to);
  switch (variant.kind) {
    case 'causal':
      for (let i = 0; i < n; i++) row(i, 0, i + 1);
      break;
    case 'sliding': {
      const w = Math.min(variant.window, n);
      for (let i = 0; i < n; i++) {
        const s = windowStart(i, w, n);
        row(i, s, s + w);
      }
      break;
    }
    case 'dilated': {
      const dil = variant.dilation;
      for (let i = 0; i < n; i++) {
        const r = i % dil;
        const members = Math.ceil((n - r) / dil);
        const w = Math.min(variant.window, members);
        const s = windowStart((i - r) / dil, w, members);
        for (let k = s; k < s + w; k++) mask[i * n + r + k * dil] = 1;
      }
      break;
    }
    case 'global': {
      const g = Math.min(variant.globalTokens, n);
      const w = Math.min(variant.window, n);
      for (let i = 0; i < n; i++) {
        if (i < g) {
          row(i, 0, n);
          continue;
        }
        const s = windowStart(i, w, n);
        row(i, s, s + w);
        row(i, 0, g);
      }
      break;
    }
    case 'bigbird':
      bigbird(mask, n, variant.block, variant.randomBlocks, variant.globalBlocks, seed);
      break;
    default:
      mask.fill(1);
  }
  return mask;
}

function bigbird(mask: Uint8Array, n: number, b: number, r: number, g: number, seed: number): void {
  const blocks = Math.ceil(n / b);
  const globals = Math.min(g, blocks);
  const perQuery = Math.min(blocks, 3 + r + g);
  const random = mulberry32(seed);
  for (let q = 0; q < blocks; q++) {
    const keys = new Set<number>();
    if (q < globals) for (let k = 0; k < blocks; k++) keys.add(k);
    else {
      for (let k = 0; k < globals; k++) keys.add(k);
      const width = Math.min(3, blocks - globals);
      const start = Math.min(Math.max(q - 1, globals), blocks - width);
      for (let k = start; k < start + width; k++) keys.add(k);
      // The rest at random, without repeats, from the blocks not yet chosen (partial Fisher–Yates).
      const rest = [];
      for (let k = 0; k < blocks; k++) if (!keys.has(k)) rest.push(k);
      for (let t = 0; keys.size < perQuery; t++) {
        const pick = t + Math.floor(random() * (rest.length - t));
        [rest[t], rest[pick]] = [rest[pick]!, rest[t]!];
        keys.add(rest[t]!);
      }
    }
    for (let i = q * b; i < Math.min((q + 1) * b, n); i++) {
      for (const k of keys) mask.fill(1, i * n + k * b, i * n + Math.min((k + 1) * b, n));
    }
  }
}


/** The fraction of (query, key) pairs a mask scores. */
export function patternDensity(mask: Uint8Array): number {
  if (mask.length === 0) return 0;
  let ones = 0;
  for (const v of mask) ones += v;
  return ones / mask.length;
}

/** What the drawing of a variant's pattern does not show, for a caption; null when nothing. */
export function patternNote(variant: AttentionVariant): string | null {
  switch (variant.kind) {
    case 'causal':
      return 'the mask keeps the diagonal, n(n+1)/2 pairs; FLOPs use the n²/2 convention';
    case 'linear':
      return 'every pair interacts through φ(K)ᵀV, but no n×n matrix is formed: the cost is O(n·d²)';
    case 'gqa':
      return 'every pair is scored; the query heads of a group share one K/V head';
    case 'flash':
      return 'every pair is scored, tile by tile on chip: the n×n matrix never reaches main memory';
    case 'tome':
    case 'prune':
      return 'layer 0, on all tokens; later layers run on fewer tokens';
    case 'bigbird':
      return 'random blocks drawn with a seed; another seed draws others with the same count';
    default:
      return null;
  }
}
