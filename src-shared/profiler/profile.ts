/**
 * profileModel: a model's static cost under bound dimensions (pure; runs anywhere). Infers shapes
 * (shape-inference.ts), counts each node (count.ts), adds parameters, weight bytes and peak
 * activation memory (memory.ts), names each node's block (block.ts), and reports what it could
 * not count, by op type, instead of skipping it silently. No `measured` part: that comes from
 * running the model with ONNX Runtime.
 */
import { blockOf } from './block.js';
import { countNodes } from './count.js';
import type { CostStatus } from './count.js';
import { tensorBytes } from './dtype.js';
import type { Initializer, ModelIR, NodeIR } from './ir.js';
import { activationMemory } from './memory.js';
import { inferShapes } from './shape-inference.js';
import { numel } from './tensor-math.js';
import type { DimBindings, ProfileNode, ProfileResult, UncountedReason } from './types.js';

/**
 * Whether an initializer counts as parameters: integer index/shape data (int64), masks (bool),
 * strings and scalars (epsilons, scales, constants torch hoisted out of the graph) do not.
 */
export function isWeight(t: Initializer): boolean {
  return t.dims.length > 0 && t.elemType !== 'int64' && t.elemType !== 'bool' && t.elemType !== 'string' && t.elemType !== 'undefined';
}

/**
 * Ops that hand a weight on unchanged in substance (views, a transpose, a cast, a dequantize):
 * the parameters are attributed to the node that consumes the result, so "lm_head" MatMul
 * reading Transpose(wte) shows wte's parameters. Totals count each initializer once anyway.
 */
const WEIGHT_PASS_THROUGH = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose', 'Cast', 'DequantizeLinear']);

/**
 * Parameters per node and in total. `logical` (per node, input name → elements; NodeCost.weightElems)
 * replaces an initializer's stored element count: a packed 4-bit MatMulNBits weight is N·K
 * parameters, not its uint8 bytes, and its scales are quantisation data (0).
 */
function paramsByNode(order: NodeIR[], inits: Map<string, Initializer>, logical: Array<Record<string, number> | undefined> = []): { perNode: number[]; total: number } {
  const rootOf = new Map<string, string>();
  for (const [name, t] of inits) if (isWeight(t)) rootOf.set(name, name);
  const all = new Set<string>();
  const sizeOf = new Map<string, number>();
  const size = (r: string): number => sizeOf.get(r) ?? numel(inits.get(r)!.dims);
  const perNode = order.map((node, i) => {
    const roots = new Set<string>();
    const over = logical[i];
    node.inputs.forEach((name) => {
      const r = name ? rootOf.get(name) : undefined;
      if (r) { roots.add(r); all.add(r); }
      if (r && over && Object.hasOwn(over, name)) sizeOf.set(r, over[name]!);
    });
    const forwarded = node.inputs[0] ? rootOf.get(node.inputs[0]) : undefined;
    if (forwarded && WEIGHT_PASS_THROUGH.has(node.opType) && node.outputs[0]) {
      rootOf.set(node.outputs[0], forwarded);
      roots.delete(forwarded);
    }
    let p = 0;
    for (const r of roots) p += size(r);
    return p;
  });
  let total = 0;
  for (const r of all) total += size(r);
  return { perNode, total };
}

const REASON: Record<Exclude<CostStatus, 'counted'>, UncountedReason> = {
  'no-counter': 'no-counter', 'unknown-shape': 'unknown-shape', subgraph: 'subgraph',
};

/** Profiles `model` with its symbolic dimensions bound by `dims`. Throws ApiFailure('INVALID_REQUEST') for a malformed model. */
export function profileModel(model: ModelIR, dims: DimBindings): ProfileResult {
  const graph = model.graph;
  const inf = inferShapes(graph, dims);
  const costs = countNodes(inf);
  const inits = new Map(graph.initializers.map((t) => [t.name, t] as const));
  const params = paramsByNode(inf.order, inits, costs.map((c) => c.weightElems));

  const nodes: ProfileNode[] = inf.order.map((node, i) => {
    const c = costs[i]!;
    const moved = c.bytesRead + c.bytesWritten;
    return {
      name: node.name,
      opType: node.opType,
      outputShape: (node.outputs[0] && inf.shapes.get(node.outputs[0])) || null,
      params: params.perNode[i]!,
      macs: c.macs,
      flops: c.flops,
      otherOps: c.otherOps,
      bytesRead: c.bytesRead,
      bytesWritten: c.bytesWritten,
      intensity: moved > 0 ? (c.flops + c.otherOps) / moved : 0,
      block: blockOf(node.name),
      counted: c.status === 'counted',
    };
  });

  const uncountedMap = new Map<string, { opType: string; count: number; reason: UncountedReason }>();
  inf.order.forEach((node, i) => {
    const status = costs[i]!.status;
    if (status === 'counted') return;
    const reason = REASON[status];
    const key = `${reason}\u0000${node.opType}`;
    const e = uncountedMap.get(key) ?? { opType: node.opType, count: 0, reason };
    e.count++;
    uncountedMap.set(key, e);
  });
  const uncounted = [...uncountedMap.values()].sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType));

  const warnings = [...inf.warnings];
  const noCounter = uncounted.filter((u) => u.reason === 'no-counter');
  if (noCounter.length > 0) {
    warnings.push(`not counted, no counter for: ${noCounter.map((u) => `${u.opType} ×${u.count}`).join(', ')}`);
  }
  const unknownShape = inf.order.filter((_, i) => costs[i]!.status === 'unknown-shape');
  if (unknownShape.length > 0) {
    const first = unknownShape.slice(0, 3).map((n) => `'${n.name}'`).join(', ');
    warnings.push(`not counted, shapes unknown: ${unknownShape.length} node${unknownShape.length > 1 ? 's' : ''} (first: ${first}); the totals are lower bounds`);
  }
  const mem = activationMemory(graph, inf);
  if (mem.unknownTensors > 0) warnings.push(`activation memory leaves out ${mem.unknownTensors} tensor${mem.unknownTensors > 1 ? 's' : ''} of unknown shape`);

  let weightBytes = 0;
  for (const t of graph.initializers) weightBytes += tensorBytes(t.elemType, numel(t.dims));
  const sum = (k: 'macs' | 'flops' | 'otherOps'): number => nodes.reduce((a, n) => a + n[k], 0);

  return {
    model: {
      name: model.source || graph.name,
      opset: model.opsets[''] ?? model.opsets['ai.onnx'] ?? 0,
      producer: model.producer,
      fileBytes: model.fileBytes,
      inputs: inf.inputs.map((i) => ({ name: i.name, shape: i.shape ?? [], dtype: i.elemType })),
      dims: inf.dims,
    },
    totals: {
      params: params.total,
      macs: sum('macs'),
      flops: sum('flops'),
      otherOps: sum('otherOps'),
      weightBytes,
      activationBytes: mem.peakBytes,
    },
    nodes,
    uncounted,
    warnings,
  };
}
