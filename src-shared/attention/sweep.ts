/**
 * The efficient-transformer lab's sweep (pure; runs anywhere): every variant at every sequence
 * length through cost.ts, the sequence lengths where one variant's predicted time overtakes
 * another's, and warnings about inputs that are legal but easy to misread.
 *
 * A crossover is located by log-log interpolation (costs are near power laws in the sequence
 * length, and the lab's charts are log-log): between adjacent sequence lengths s₀ < s₁ where
 * δ(s) = ln t_a(s) − ln t_b(s) changes sign, δ is taken as linear in ln s, and the crossover is
 * s* = exp(ln s₀ + δ₀ · (ln s₁ − ln s₀) / (δ₀ − δ₁)). It is a real number, not a whole token count.
 * Two times within a relative 1e-9 count as equal (no sign), so identical curves (full and gqa
 * with kvHeads = heads) never cross; a pair may cross more than once.
 */
import { FieldError } from '../errors/field-error.js';
import { costOfValid, effectiveKvHeads, MAX_SEQ, validateDevice, validateSeq, validateShape, type ResolvedShape } from './cost.js';
import type { AttentionDevice, AttentionPoint, AttentionShape, AttentionVariant, Crossover } from './types.js';
import { checkDistinct, formatVariant, validateVariant, VariantError } from './variants.js';

/** More sequence lengths than any chart needs: likely a typo in a range. */
export const MAX_SWEEP_SEQS = 1000;

/** A bad sweep input that is not a shape, variant or device: `field` is 'seqs' (also the message's prefix). */
export class SweepError extends FieldError {
  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
    this.name = 'SweepError';
  }
}

export interface SweepInput {
  shape: AttentionShape;
  variants: AttentionVariant[];
  /** Any order; duplicates are dropped. Whole numbers 1 … 2^20. */
  seqs: number[];
  /** Required: every point carries a roofline prediction. */
  device: AttentionDevice;
}

export interface SweepResult {
  /** The sequence lengths used: sorted ascending, duplicates dropped. */
  seqs: number[];
  /** Variant-major: every seq of the first variant, then the second, … */
  points: AttentionPoint[];
  /** Sorted by seq. */
  crossovers: Crossover[];
  warnings: string[];
}

/**
 * Runs every variant at every seq. Throws ShapeError, DeviceError, VariantError (unknown or
 * repeated variants, a gqa head count that does not divide the heads, a window that makes the
 * variant full attention at every seq) or SweepError (seqs).
 */
export function sweep(input: SweepInput): SweepResult {
  const shape = validateShape(input.shape);
  validateDevice(input.device);
  const seqs = checkSeqs(input.seqs);
  if (!Array.isArray(input.variants) || input.variants.length === 0) {
    throw new VariantError('no variants given: list one or more, e.g. full, sliding:512, linear');
  }
  const kvs = input.variants.map((v) => {
    validateVariant(v);
    return effectiveKvHeads(shape, v);
  });
  checkDistinct(input.variants);
  const warnings: string[] = [];
  for (const v of input.variants) warnings.push(...checkAgainstSeqs(v, seqs, shape));

  // Validated once above; every point is costed without checking it again.
  const series = input.variants.map((v, i) => seqs.map((n) => costOfValid(shape, v, kvs[i]!, n, input.device)));
  for (const p of series.flat()) {
    for (const [k, value] of Object.entries(p)) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`internal: ${p.variant} at ${p.seq} has ${k} = ${value}`);
    }
  }
  warnings.push(...memoryWarnings(series, input.device));

  const crossovers: Crossover[] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) crossovers.push(...findCrossovers(series[i]!, series[j]!));
  }
  crossovers.sort((x, y) => x.seq - y.seq);
  return { seqs, points: series.flat(), crossovers, warnings };
}

function checkSeqs(seqs: unknown): number[] {
  if (!Array.isArray(seqs) || seqs.length === 0) throw new SweepError('seqs', 'no sequence lengths given (e.g. 128 … 1048576)');
  for (const s of seqs as unknown[]) {
    const shown = JSON.stringify(s) ?? String(s);
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1) throw new SweepError('seqs', `${shown} is not a positive whole number of tokens`);
    if (s > MAX_SEQ) throw new SweepError('seqs', `${s} is longer than the lab models (at most ${MAX_SEQ} = 2^20)`);
  }
  const out = [...new Set(seqs as number[])].sort((a, b) => a - b);
  if (out.length > MAX_SWEEP_SEQS) throw new SweepError('seqs', `${out.length} sequence lengths is more than a sweep draws (at most ${MAX_SWEEP_SEQS})`);
  return out;
}

/** Keys per query (the bound a window puts on it) above which the variant is full attention. */
function fullAt(v: AttentionVariant, n: number): boolean {
  switch (v.kind) {
    case 'sliding':
      return v.window >= n;
    case 'dilated':
      return v.dilation === 1 && v.window >= n;
    case 'global':
      return v.window >= n || v.globalTokens >= n;
    case 'bigbird':
      return (3 + v.randomBlocks + v.globalBlocks) * v.block >= n || v.globalBlocks * v.block >= n;
    default:
      return false;
  }
}

function list(ns: number[]): string {
  return ns.length <= 6 ? ns.join(', ') : `${ns.slice(0, 3).join(', ')}, …, ${ns.slice(-2).join(', ')}`;
}

/** Throws when a windowed variant is full attention at every seq; warns where it is at some. */
function checkAgainstSeqs(v: AttentionVariant, seqs: number[], shape: ResolvedShape): string[] {
  const token = formatVariant(v);
  const largest = seqs[seqs.length - 1]!;
  const full = seqs.filter((n) => fullAt(v, n));
  const warnings: string[] = [];
  if (full.length === seqs.length) {
    if (v.kind === 'sliding' || v.kind === 'dilated' || (v.kind === 'global' && v.window >= largest)) {
      throw new VariantError(
        `"${token}": the window is at least every sequence length (largest ${largest}), so it equals full attention — pick a window below ${largest}`,
      );
    }
    if (v.kind === 'global') {
      throw new VariantError(
        `"${token}": ${v.globalTokens} global tokens are at least every sequence length (largest ${largest}), so it equals full attention — pick fewer than ${largest}`,
      );
    }
    if (v.kind === 'bigbird') {
      const blocks = 3 + v.randomBlocks + v.globalBlocks;
      throw new VariantError(
        `"${token}": its ${blocks} key blocks of ${v.block} (${blocks * v.block} keys per query, 3 sliding + ${v.randomBlocks} random + ${v.globalBlocks} global) cover every sequence length (largest ${largest}), so it equals full attention — pick fewer or smaller blocks (below ${largest} keys)`,
      );
    }
  } else if (full.length > 0) {
    warnings.push(`"${token}" equals full attention at seq ${list(full)} (its window covers the whole sequence there)`);
  }
  if (v.kind === 'dilated') {
    const short = seqs.filter((n) => (v.window - 1) * v.dilation + 1 > n && !fullAt(v, n));
    if (short.length > 0) {
      warnings.push(`"${token}": the dilated span (w−1)·dilation+1 = ${(v.window - 1) * v.dilation + 1} exceeds seq ${list(short)}, where queries see fewer than ${v.window} keys`);
    }
  }
  if (v.kind === 'tome') {
    if (shape.layers === 1) {
      warnings.push(`"${token}": with 1 layer nothing is merged before the layer runs, so it equals no merging`);
    } else if (v.r > 0) {
      // Layer l merges r of its n_l tokens; bipartite matching can merge at most ⌊n_l/2⌋ (Bolya et al. 2023 §3).
      const last = shape.layers - 2;
      const over = seqs.filter((n) => 2 * v.r > Math.max(n - v.r * last, 1));
      if (over.length > 0) {
        warnings.push(
          `"${token}": at seq ${list(over)} some layer merges more than half of its tokens, which ToMe's bipartite matching cannot (at most half per layer); the model does not cap r and floors the tokens at 1`,
        );
      }
    }
  }
  if (v.kind === 'prune' && v.keep === 1) warnings.push(`"${token}": keep = 1 prunes nothing, so it equals full attention`);
  if (v.kind === 'tome' && v.r === 0) warnings.push(`"${token}": r = 0 merges nothing, so it equals full attention`);
  if (v.kind === 'gqa' && v.kvHeads === shape.heads) warnings.push(`"${token}": as many K/V heads as heads (${shape.heads}) is plain multi-head attention`);
  return warnings;
}

/** One warning per variant: the first seq whose training activations exceed the device's memory. */
function memoryWarnings(series: AttentionPoint[][], device: AttentionDevice): string[] {
  const out: string[] = [];
  for (const points of series) {
    const first = points.find((p) => p.activationBytes > device.memoryBytes);
    if (first) {
      out.push(
        `"${first.variant}": from seq ${first.seq} its training activations (${gb(first.activationBytes)}) exceed ${device.name}'s memory (${gb(device.memoryBytes)})`,
      );
    }
  }
  return out;
}

function gb(bytes: number): string {
  const v = bytes / 1e9;
  return `${v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)} GB`;
}

/** Times within 0.1% of each other count as a tie: a roofline prediction is not finer than that. */
function sign(a: number, b: number): number {
  if (Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b))) return 0;
  return a < b ? -1 : 1;
}

/** The numeric measures of a point a crossover can be located on. */
export type CrossoverMetric = 'flops' | 'attentionFlops' | 'activationBytes' | 'bytesMoved' | 'intensity' | 'kvCacheBytes' | 'predictedSeconds';

/**
 * Crossovers of two series over the same seqs, by log-log interpolation (see the header), on one
 * measure (predicted time unless told): `a` is the one with the lower value beyond `seq`.
 */
export function findCrossovers(x: readonly AttentionPoint[], y: readonly AttentionPoint[], metric: CrossoverMetric = 'predictedSeconds'): Crossover[] {
  const out: Crossover[] = [];
  const v = (p: AttentionPoint) => p[metric];
  let prev = -1;
  for (let k = 0; k < x.length; k++) {
    if (!(v(x[k]!) > 0) || !(v(y[k]!) > 0)) continue;
    const s = sign(v(x[k]!), v(y[k]!));
    if (s === 0) continue;
    if (prev >= 0) {
      const sPrev = sign(v(x[prev]!), v(y[prev]!));
      if (s !== sPrev) {
        const d0 = Math.log(v(x[prev]!)) - Math.log(v(y[prev]!));
        const d1 = Math.log(v(x[k]!)) - Math.log(v(y[k]!));
        const l0 = Math.log(x[prev]!.seq);
        const l1 = Math.log(x[k]!.seq);
        const seq = Math.exp(l0 + (d0 * (l1 - l0)) / (d0 - d1));
        // Beyond the crossover the sign is s: −1 means x is lower.
        const [a, b] = s < 0 ? [x[k]!.variant, y[k]!.variant] : [y[k]!.variant, x[k]!.variant];
        out.push({ a, b, seq });
      }
    }
    prev = k;
  }
  return out;
}

/**
 * Sequence lengths lo · 2^(k/perOctave) rounded to whole numbers, from lo up to hi, with hi itself
 * added when the grid misses it: logSeqs(128, 1048576, 1) is 128, 256, …, 1048576.
 */
export function logSeqs(lo: number, hi: number, perOctave = 1): number[] {
  for (const [name, value] of [['lo', lo], ['hi', hi]] as const) {
    try {
      validateSeq(value, name);
    } catch (err) {
      throw new SweepError('seqs', (err as Error).message);
    }
  }
  if (hi < lo) throw new SweepError('seqs', `the range ends (${hi}) before it starts (${lo})`);
  if (!Number.isInteger(perOctave) || perOctave < 1 || perOctave > 64) {
    throw new SweepError('seqs', `points per octave must be a whole number from 1 to 64 (got ${perOctave})`);
  }
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const v = Math.round(lo * 2 ** (k / perOctave));
    if (v > hi) break;
    if (out[out.length - 1] !== v) out.push(v);
  }
  if (out[out.length - 1] !== hi) out.push(hi);
  if (out.length > MAX_SWEEP_SEQS) throw new SweepError('seqs', `${out.length} sequence lengths is more than a sweep draws (at most ${MAX_SWEEP_SEQS}); use fewer per octave`);
  return out;
}
