/**
 * The Hardware page's state in one reducer (renderer, pure): the last report, the last failure,
 * what is running (a detection or a save) and the run a save stored. A detection that does not
 * save withdraws the "Saved as run #" note; a failure keeps the report shown before it.
 */
import type { ResultOf } from '../src-shared/api/contract.js';
import type { ApiError } from '../src-shared/api/types.js';

export type HardwareResult = ResultOf<'hardware.detect'>;

export interface HardwareState {
  report: HardwareResult | null;
  error: ApiError | null;
  /** What is running; the page starts by detecting. */
  busy: null | 'detect' | 'save';
  savedRunId: number | null;
}

export const initialHardwareState: HardwareState = { report: null, error: null, busy: 'detect', savedRunId: null };

export type HardwareAction = { type: 'start'; save: boolean } | { type: 'detected'; report: HardwareResult; save: boolean } | { type: 'failed'; error: ApiError };

export function hardwareReducer(s: HardwareState, a: HardwareAction): HardwareState {
  switch (a.type) {
    case 'start':
      return { ...s, busy: a.save ? 'save' : 'detect', error: null, savedRunId: a.save ? s.savedRunId : null };
    case 'detected':
      return { ...s, busy: null, report: a.report, savedRunId: a.save ? a.report.runId : s.savedRunId };
    case 'failed':
      return { ...s, busy: null, error: a.error };
  }
}

/**
 * SIMD and matrix ISA extensions among a CPU's flags (x86: MMX, SSE*, AVX*, FMA, F16C, XOP, AMX*;
 * Arm: NEON/ASIMD*, SVE*, SME*, i8mm, bf16, fp16/fphp, dot product), in their order; the rest
 * (smep, smap, aes, sha, rdrand, …: security, crypto and system features) are not listed as ISA
 * extensions on the Hardware page.
 */
export function simdIsaFlags(flags: readonly string[]): string[] {
  const simd = /^(mmx\w*|3dnow\w*|sse\w*|ssse3|avx\w*|fma\w*|f16c|xop|amx\w*|neon|asimd\w*|sve\w*|sme(\d\w*|[if]\d\w*)?|i8mm|bf16|fp16|fphp|dotprod|svei8mm|svebf16)$/i;
  return flags.filter((f) => simd.test(f.trim()));
}
