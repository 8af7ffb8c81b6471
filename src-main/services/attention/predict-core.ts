/**
 * What the measured attention graph is predicted to take (Node side, pure): the cost model's
 * attention-kernel time for ONE layer of the shape on the device, for the kernel the graph runs
 * (full, or sliding with the window capped at the sequence). Shared by the measuring worker (its
 * time limit) and the service (the measured/predicted ratio).
 */
import { attentionCost } from '../../../src-shared/attention/cost.js';
import type { AttentionDevice, AttentionShape } from '../../../src-shared/attention/types.js';

export interface CorePrediction {
  shape: AttentionShape;
  device: AttentionDevice;
}

export function predictCore(input: CorePrediction, kind: string, window: number | undefined, seq: number): number {
  const variant = kind === 'sliding' && window !== undefined ? { kind: 'sliding' as const, window: Math.min(window, seq) } : { kind: 'full' as const };
  return attentionCost({ ...input.shape, layers: 1 }, variant, seq, input.device).attentionSeconds ?? Number.NaN;
}
