/**
 * The efficient-transformer lab's part of the API contract (runs anywhere): a sweep request as
 * plain JSON (variants as the CLI writes them, devices by name) and its result. The cost models
 * are src-shared/attention; the backend resolves "this" (this machine's measured roofline) and
 * runs the measured sweep through ONNX Runtime.
 */
import { z } from 'zod';
import type { AttentionDevice, AttentionPoint, Crossover } from '../attention/types.js';
import { parseVariants } from '../attention/variants.js';
import type { EnergyReport } from '../energy/types.js';
import type { JobInfo } from './types.js';

const int = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' });

export const attentionRequestSchema = z
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
    seqs: z.array(int).min(1, { error: 'give at least one sequence length' }).max(64, { error: 'at most 64 sequence lengths' }),
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
  .transform((req) => ({ ...req, parsedVariants: parseVariants(req.variants) }));

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

export const attentionMethods = {
  /** Cost-model sweep of attention variants over sequence lengths, predicted on a device (stored with store: true). */
  'attention.sweep': attentionRequestSchema,
  /** The same sweep plus full and sliding-window attention measured through ONNX Runtime here; stored as an 'attention' run. */
  'attention.measure': attentionRequestSchema,
} as const;

export interface AttentionResults {
  'attention.sweep': AttentionSweepResult;
  'attention.measure': JobInfo;
}
