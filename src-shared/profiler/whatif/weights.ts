/**
 * Which node reads each weight, and how (pure; runs anywhere). The quantization and pruning
 * what-ifs need, per weight tensor: the products that use it, its output-channel axis (one scale
 * per output channel) and its input (reduction) axis (2:4 groups run along it). Weights reach a
 * product directly or through pass-through ops (a tied LM head reads Transpose(wte)); a Transpose
 * on the way permutes the axes, which we follow.
 *
 * Axes, by consumer (ONNX operator definitions):
 * - Conv W [Cout, Cin/g, k…]: out 0, in 1;  ConvTranspose W [Cin, Cout/g, k…]: out 1, in 0;
 * - Gemm B: transB=1 (torch Linear, [N, K]) out 0, in 1; transB=0 ([K, N]) out 1, in 0;
 *   Gemm A (rare): transA=0 ([M, K]) out 0, in 1; transA=1 out 1, in 0;
 * - MatMul B [.., K, N]: out rank−1, in rank−2;  MatMul A [.., M, K]: out rank−2, in rank−1;
 * - Gather (embedding table [rows, d]): out 0 (one scale per row), no input axis.
 */
import type { GraphIR, Initializer, NodeIR } from '../ir.js';
import { isWeight } from '../profile.js';

export const PRODUCT_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
const PASS_THROUGH = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose', 'Cast']);

export interface WeightReader {
  node: NodeIR;
  /** Which input of `node` carries the weight. */
  input: number;
  /** Axis permutation from the weight to what the node sees (identity unless a Transpose is on the way); null when a reshape-like op broke the axis correspondence. */
  perm: number[] | null;
}

export interface WeightUsage {
  init: Initializer;
  readers: WeightReader[];
}

function intAttr(node: NodeIR, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a && a.type === 'int' ? a.value : fallback;
}

/** Every weight initializer (isWeight) with the nodes that read it. */
export function weightUsage(graph: GraphIR): Map<string, WeightUsage> {
  const out = new Map<string, WeightUsage>();
  const origin = new Map<string, { root: string; perm: number[] | null }>();
  for (const t of graph.initializers) {
    if (!isWeight(t)) continue;
    out.set(t.name, { init: t, readers: [] });
    origin.set(t.name, { root: t.name, perm: t.dims.map((_, i) => i) });
  }
  // Resolve pass-through chains first (nodes may be listed in any order).
  const passNodes = new Set<NodeIR>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const node of graph.nodes) {
      if (!PASS_THROUGH.has(node.opType) || passNodes.has(node)) continue;
      const src = node.inputs[0] ? origin.get(node.inputs[0]) : undefined;
      const o = node.outputs[0];
      if (!src || !o) continue;
      let perm: number[] | null = src.perm;
      if (node.opType === 'Transpose') {
        const p = node.attributes.perm;
        const rank = perm?.length ?? 0;
        const order = p && p.type === 'ints' ? p.value : Array.from({ length: rank }, (_, i) => rank - 1 - i);
        perm = perm ? order.map((i) => perm![i]!) : null;
      } else if (node.opType !== 'Identity' && node.opType !== 'Dropout' && node.opType !== 'Cast') {
        perm = null;
      }
      origin.set(o, { root: src.root, perm });
      passNodes.add(node);
      changed = true;
    }
  }
  for (const node of graph.nodes) {
    if (passNodes.has(node)) continue;
    node.inputs.forEach((name, input) => {
      const o = name ? origin.get(name) : undefined;
      if (o) out.get(o.root)!.readers.push({ node, input, perm: o.perm });
    });
  }
  return out;
}

/** (output axis, input axis) in the coordinates the node sees, or null when the role is not a weight operand. */
function nodeAxes(r: WeightReader, rank: number): { out: number; in: number | null } | null {
  const { node, input } = r;
  switch (node.opType) {
    case 'Conv': return input === 1 ? { out: 0, in: 1 } : null;
    case 'ConvTranspose': return input === 1 ? { out: 1, in: 0 } : null;
    case 'Gemm': {
      if (input === 1) return intAttr(node, 'transB', 0) ? { out: 0, in: 1 } : { out: 1, in: 0 };
      if (input === 0) return intAttr(node, 'transA', 0) ? { out: 1, in: 0 } : { out: 0, in: 1 };
      return null;
    }
    case 'MatMul': {
      if (rank < 2) return null;
      if (input === 1) return { out: rank - 1, in: rank - 2 };
      if (input === 0) return { out: rank - 2, in: rank - 1 };
      return null;
    }
    case 'Gather': return input === 0 ? { out: 0, in: null } : null;
    default: return null;
  }
}

/** Maps an axis the node sees back to the stored weight's axis. */
function back(axis: number, perm: number[] | null): number | null {
  if (!perm) return null;
  return perm[axis] ?? null;
}

export interface WeightAxes {
  /** Output-channel axis of the stored tensor (per-channel scales); 0 when no consumer says. */
  channelAxis: number;
  /** Input (reduction) axis of the stored tensor for 2:4 groups; null when no product reads it with a known layout. */
  inputAxis: number | null;
  /** Product nodes (Conv/ConvTranspose/Gemm/MatMul) reading it as an operand. */
  products: string[];
}

/** Axes of a weight from its readers: a product's layout wins over an embedding Gather's. */
export function weightAxes(u: WeightUsage): WeightAxes {
  const rank = u.init.dims.length;
  let channelAxis: number | null = null;
  let inputAxis: number | null = null;
  let gatherAxis: number | null = null;
  const products: string[] = [];
  for (const r of u.readers) {
    const a = nodeAxes(r, rank);
    if (!a) continue;
    if (PRODUCT_OPS.has(r.node.opType)) {
      products.push(r.node.name);
      const out = back(a.out, r.perm);
      const inn = a.in === null ? null : back(a.in, r.perm);
      if (channelAxis === null && out !== null) channelAxis = out;
      if (inputAxis === null && inn !== null) inputAxis = inn;
    } else if (gatherAxis === null) {
      gatherAxis = back(a.out, r.perm);
    }
  }
  return { channelAxis: channelAxis ?? gatherAxis ?? 0, inputAxis, products };
}
