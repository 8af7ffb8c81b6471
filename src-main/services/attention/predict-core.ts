/**
 * What the measured attention graph is predicted to take (Node side, pure): the cost model's
 * attention-kernel time for ONE layer of the shape on the device. For full attention the graph
 * computes exactly what the model counts. The banded sliding-window graph scores 3·(w/2) = 1.5·w
 * keys per query (its own chunk and both neighbours; see attention-graphs.ts) where the ideal
 * kernel the model describes scores w, so its prediction is the model's sliding-window time scaled
 * by the graph's FLOPs over the model's (both its compute and its banded traffic grow with the
 * keys scored). Shared by the measuring worker (its time limit) and the service (the ratio shown).
 */
import { attentionCost } from '../../../src-shared/attention/cost.js';
import type { AttentionDevice, AttentionShape } from '../../../src-shared/attention/types.js';
import { graphAttentionFlops, slidingUnsupported } from './attention-graphs.js';

export interface CorePrediction {
  shape: AttentionShape;
  device: AttentionDevice;
}

export function predictCore(input: CorePrediction, kind: string, window: number | undefined, seq: number): number {
  const shape = { ...input.shape, layers: 1 };
  if (kind === 'sliding' && window !== undefined) {
    const point = attentionCost(shape, { kind: 'sliding', window: Math.min(window, seq) }, seq, input.device);
    if (slidingUnsupported(window, seq)) return point.attentionSeconds ?? Number.NaN;
    const heads = shape.heads;
    const headDim = shape.headDim ?? shape.dModel / heads;
    const graph = graphAttentionFlops({ kind: 'sliding', window, batch: shape.batch ?? 1, heads, seq, headDim });
    return (point.attentionSeconds ?? Number.NaN) * (graph / point.attentionFlops);
  }
  return attentionCost(shape, { kind: 'full' }, seq, input.device).attentionSeconds ?? Number.NaN;
}
