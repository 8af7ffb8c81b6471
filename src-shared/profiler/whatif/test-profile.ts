/**
 * Hand-made ProfileResults for the what-if tests (pure; test support only): a node list with
 * just the fields the what-ifs read, the rest zero, so expected values can be computed by hand.
 */
import type { ProfileNode, ProfileResult } from '../types.js';

export type NodeSpec = Partial<ProfileNode> & { name: string };

export function node(spec: NodeSpec): ProfileNode {
  const n: ProfileNode = {
    opType: 'Add', outputShape: null, params: 0, macs: 0, flops: 0, otherOps: 0, bytesRead: 0, bytesWritten: 0,
    intensity: 0, block: null, counted: true, ...spec,
  };
  const moved = n.bytesRead + n.bytesWritten;
  if (spec.intensity === undefined) n.intensity = moved > 0 ? (n.flops + n.otherOps) / moved : 0;
  return n;
}

export function fakeProfile(nodes: NodeSpec[], opts: { params?: number; batch?: number; inputs?: ProfileResult['model']['inputs'] } = {}): ProfileResult {
  const ns = nodes.map(node);
  const params = opts.params ?? ns.reduce((a, n) => a + n.params, 0);
  return {
    model: {
      name: 'fake', opset: 17, producer: 'test', fileBytes: 0,
      inputs: opts.inputs ?? [{ name: 'x', shape: [1], dtype: 'float32' }],
      dims: { batch: opts.batch ?? 1 },
    },
    totals: {
      params,
      macs: ns.reduce((a, n) => a + n.macs, 0),
      flops: ns.reduce((a, n) => a + n.flops, 0),
      otherOps: ns.reduce((a, n) => a + n.otherOps, 0),
      weightBytes: 4 * params,
      activationBytes: 0,
    },
    nodes: ns,
    uncounted: [],
    warnings: [],
  };
}
