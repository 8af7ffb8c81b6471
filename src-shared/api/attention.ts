/**
 * The efficient-transformer lab's part of the API contract (runs anywhere): a sweep request as
 * plain JSON (variants as the CLI writes them, devices by name) and its result. The cost models
 * are src-shared/attention; the backend resolves "this" (this machine's measured roofline) and
 * runs the measured sweep through ONNX Runtime.
 */
import { z } from 'zod';
import type { AttentionDevice, AttentionPoint, Crossover } from '../attention/types.js';
import { logSeqs } from '../attention/sweep.js';
import { parseVariants } from '../attention/variants.js';
import { FieldError } from '../errors/field-error.js';
import type { EnergyReport } from '../energy/types.js';
import type { JobInfo } from './types.js';
import { lazyMethods, lazySchema } from './lazy-schema.js';

const int = lazySchema(() => z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }));

/**
 * Sequence lengths as a person writes them: "1024,4096" or a range "128..1M" (powers of two from
 * lo up to hi, hi included; suffixes K and M = 1024, 1024²). Null when the text is not that; a
 * range bound past MAX_SEQ throws SweepError (field 'seqs'). Use `seqsTextSchema` for typed values
 * with a field-named error; this is its parser (the Transformers page reads its form fields with it).
 */
export function parseSeqs(text: string): number[] | null {
  const num = (t: string): number | null => {
    const m = /^\s*(\d+)\s*([kKmM]?)\s*$/.exec(t);
    if (!m) return null;
    return Number(m[1]) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1024 : 1024 * 1024) : 1);
  };
  const range = /^(.+)\.\.(.+)$/.exec(text.trim());
  if (range) {
    const lo = num(range[1]!);
    const hi = num(range[2]!);
    if (lo === null || hi === null || lo < 1 || hi < lo) return null;
    return logSeqs(lo, hi, 1);
  }
  const parts = text.split(',').map(num);
  return parts.every((p): p is number => p !== null && p > 0) ? parts : null;
}

/** The seqs list: whole numbers, 1 to 64 of them (each length is judged by the sweep, which names it). */
const seqList = lazySchema(() => z.array(int).min(1, { error: 'give at least one sequence length' }).max(64, { error: 'at most 64 sequence lengths' }));

/** Parses seq text, adding one issue on failure: the syntax, or a range bound past the longest sequence the lab models. */
function seqsFromText(text: string, ctx: z.RefinementCtx): number[] {
  try {
    const seqs = parseSeqs(text);
    if (seqs) return seqs;
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message.replace(/^seqs: /, '') });
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: `takes whole numbers separated by commas (1024,4096) or a range such as 128..1M, got ${JSON.stringify(text)}` });
  return z.NEVER;
}

/**
 * `--seq` text ("1024,4096,16384" or "128..1M") parsed into the list of lengths, or one issue:
 * "takes whole numbers separated by commas (…) or a range such as 128..1M, got …", or a range
 * bound past the longest sequence the lab models. The CLI parses --seq with it.
 */
export const seqsTextSchema = lazySchema(() => z.string().max(2000).transform(seqsFromText).pipe(seqList));

/** A request's seqs: the list itself, or the text the CLI writes, parsed here at the door into the list. */
const seqsSchema = lazySchema(() => z
  .union([z.string().max(2000), z.array(z.unknown())], { error: 'expected a list of sequence lengths, or text such as 1024,4096 or 128..1M' })
  .transform((v, ctx) => (typeof v === 'string' ? seqsFromText(v, ctx) : v))
  .pipe(seqList));

export const attentionRequestSchema = lazySchema(() => z
  .object({
    shape: z
      .object({
        dModel: int,
        heads: int,
        headDim: int.optional(),
        kvHeads: int.optional(),
        ffn: int.optional(),
        layers: int.optional(),
        batch: int.optional(),
        dtype: z.enum(['fp32', 'bf16', 'fp16']).optional(),
      })
      .strict(),
    /** Comma-separated, as the CLI writes them: full,causal,sliding:512,dilated:512:2,… */
    variants: z.string().min(1, { error: 'give at least one variant' }).max(2000),
    /** Lengths, or text as the CLI writes them ("1024,4096" or "128..1M"); a handler gets the list. */
    seqs: seqsSchema,
    /** "this" (this machine's measured roofline; the default) or a catalog GPU. */
    device: z.string().min(1).max(200).optional(),
    /** Store the sweep as an 'attention' run. */
    store: z.boolean().optional(),
    /** Measured sweep only: ONNX Runtime intra-op threads. */
    threads: int.min(1).max(1024).optional(),
  })
  .strict()
  // The variants mini-language is parsed here, at the door, once the rest of the request is valid:
  // a bad token throws VariantError (a FieldError), which dispatch answers as INVALID_REQUEST
  // naming 'variants'. The wire format stays the string; the handler gets the typed list too.
  .transform((req) => ({ ...req, parsedVariants: parseVariants(req.variants) })));

/** The request as it travels (variants as a string). */
export type AttentionRequest = z.input<typeof attentionRequestSchema>;
/** The request as a handler gets it: the wire form plus `parsedVariants`, the variants as values. */
export type ParsedAttentionRequest = z.output<typeof attentionRequestSchema>;

/** The variants the measured sweep can run as real ONNX graphs. */
export const MEASURED_KINDS = ['full', 'sliding'] as const;

export interface MeasuredAttentionPoint {
  variant: string;
  seq: number;
  /** Attention core (QKᵀ, softmax, ·V) of one layer, median seconds; absent when skipped or failed. */
  seconds?: number;
  /** The cost model's attention-kernel time for one layer on this machine. */
  predictedSeconds?: number;
  /** seconds / predictedSeconds. */
  ratio?: number;
  peakBytes?: number;
  verified?: boolean;
  skipped?: string;
  failed?: string;
  /**
   * Joules of one call: the average power while this point was measured (its own progress phase)
   * × `seconds`. Labelled estimated wherever the sweep's energy is.
   */
  joulesPerCall?: number;
}

export interface AttentionSweepResult {
  shape: { dModel: number; heads: number; headDim: number; kvHeads: number; ffn: number; layers: number; batch: number; bytesPerElement: number; dtype: 'fp32' | 'bf16' | 'fp16' };
  variants: string[];
  seqs: number[];
  device: AttentionDevice;
  points: AttentionPoint[];
  crossovers: Crossover[];
  warnings: string[];
  /** Present for a measured sweep. */
  measured?: {
    threads: number | null;
    points: MeasuredAttentionPoint[];
    /** Least-squares slope of log time on log seq per measured variant (≈1 linear, ≈2 quadratic). */
    slopes: Array<{ variant: string; slope: number; points: number }>;
    note: string;
  };
  /** Power sampled during a measured sweep (measured where the platform exposes it, else a labelled estimate). */
  energy?: EnergyReport;
  runId: number | null;
}

export const attentionMethods = lazyMethods({
  /** Cost-model sweep of attention variants over sequence lengths, predicted on a device (stored with store: true). */
  'attention.sweep': () => attentionRequestSchema,
  /** The same sweep plus full and sliding-window attention measured through ONNX Runtime here; stored as an 'attention' run. */
  'attention.measure': () => attentionRequestSchema,
});

export interface AttentionResults {
  'attention.sweep': AttentionSweepResult;
  'attention.measure': JobInfo;
}
