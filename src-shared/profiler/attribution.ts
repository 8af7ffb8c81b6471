/**
 * Which graph nodes each ONNX Runtime kernel computes (pure; no I/O).
 *
 * ORT optimises the graph before it runs it: it folds constants, fuses neighbours (Conv+BN+ReLU,
 * MatMul+Add into Gemm, MatMul+Mul into FusedMatMul, LayerNorm, GELU, attention) and converts
 * layouts (NCHWc Convs with ReorderInput/ReorderOutput around them). Its profiler names each kernel
 * after a node of the *optimised* graph, which it can write to a file
 * (SessionOptions.optimizedModelFilePath). This module maps every optimised node back to the
 * original nodes it replaces, from the two graphs' structure, without a table of fusion names:
 *
 * 1. Each optimised node's outputs are matched to original tensors: a tensor of the same name, or,
 *    for a node whose output ORT renamed, the original tensor its node name is derived from (ORT
 *    names an NCHWc Conv "<original output>_nchwc").
 * 2. An optimised node claims the original nodes between its matched outputs and the tensors that
 *    exist in both graphs (graph inputs, initializers, constant-folded values and every other
 *    matched output): a backward walk from the original producer of each matched output that stops
 *    at such tensors. A node ORT left alone claims itself; a fused node claims its members
 *    (Conv+BN+Clip → the Conv, the BatchNormalization and the Clip).
 * 3. A node that claims nothing (a layout conversion, a copy, a second kernel for a value another
 *    node already claimed) is a helper: its time goes to the group of the node that produces its
 *    input, or else of the first node that consumes its output, and the result says so.
 * 4. Original nodes no kernel claims were folded away (constants, shape arithmetic, removed
 *    identities).
 *
 * Kernel time of a group of several original nodes is split between them in proportion to a
 * weight the caller gives (the predicted time of each node), and every split is labelled.
 */

import type { ModelIR } from './ir.js';

export interface GraphShape {
  nodes: ReadonlyArray<{ name: string; opType: string; inputs: readonly string[]; outputs: readonly string[] }>;
  /** Names of the graph inputs and initializers. */
  sources: Iterable<string>;
}

/** A model's graph as attributeKernels reads it: its nodes, and its inputs and initializers as sources. */
export function graphShape(model: ModelIR): GraphShape {
  return { nodes: model.graph.nodes, sources: [...model.graph.inputs.map((t) => t.name), ...model.graph.initializers.map((t) => t.name)] };
}

export interface KernelAttribution {
  /** The original nodes this optimised node computes (empty for a helper that found no group). */
  members: string[];
  /**
   * 'same': the node kept its original name and computes that node only; 'fused': it computes
   * several original nodes, or one under a new name; 'helper': a layout conversion or copy whose
   * time goes to the group of `helperOf`; 'unattributed': none of these.
   */
  how: 'same' | 'fused' | 'helper' | 'unattributed';
  /** For a helper: the optimised node whose group it joins. */
  helperOf?: string;
}

export interface Attribution {
  /** Per optimised node name. */
  kernels: Map<string, KernelAttribution>;
  /** Original nodes that no kernel computes (folded into constants or removed). */
  folded: string[];
}

/**
 * How ORT names a node it creates, after what it replaces (onnxruntime/core/optimizer/*):
 * "<original output tensor>_nchwc" (NchwcTransformer), "<original node>/<Name>Fusion/"
 * (MatMulScaleFusion, QuickGeluFusion, …) and "fused <original node>" (older fusions).
 */
const DERIVED_TENSOR = /^(.+)_nchwc$/;
/** Ops that only give a tensor another shape (no arithmetic). */
const RESHAPES = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten']);
const DERIVED_NODE = [/^(.+)\/[A-Za-z0-9]+Fusion\/?$/, /^fused (.+)$/];

export function attributeKernels(original: GraphShape, optimized: GraphShape): Attribution {
  const producer = new Map<string, number>();
  original.nodes.forEach((n, i) => n.outputs.forEach((t) => t && producer.set(t, i)));
  const originalSources = new Set(original.sources);
  const isOriginalTensor = (t: string): boolean => producer.has(t) || originalSources.has(t);
  const originalByName = new Map(original.nodes.map((n, i) => [n.name, i] as const));
  /** For a node whose outputs ORT renamed: the original tensors its name says it computes. */
  const derivedTensors = (name: string): string[] => {
    const t = DERIVED_TENSOR.exec(name)?.[1];
    if (t !== undefined && producer.has(t)) return [t];
    for (const re of DERIVED_NODE) {
      const node = re.exec(name)?.[1];
      const i = node === undefined ? undefined : originalByName.get(node);
      if (i !== undefined) return original.nodes[i]!.outputs.filter((o) => o && producer.has(o));
    }
    return [];
  };

  // 1. optimised node → the original tensors it computes.
  const matched = optimized.nodes.map((n) => {
    const out = n.outputs.filter((t) => t && producer.has(t));
    if (out.length === 0) out.push(...derivedTensors(n.name));
    return out;
  });
  // A Reshape ORT inserted after a kernel to give back a tensor's original shape (MatMulAddFusion
  // on an input of rank > 2: Reshape → Gemm → Reshape) carries the name of a tensor another kind of
  // node computed: the kernel before it computed that tensor, and the Reshape is a helper.
  const optimizedProducer = new Map<string, number>();
  optimized.nodes.forEach((n, k) => n.outputs.forEach((t) => t && optimizedProducer.set(t, k)));
  optimized.nodes.forEach((n, k) => {
    if (!RESHAPES.has(n.opType) || originalByName.has(n.name)) return;
    const before = optimizedProducer.get(n.inputs[0] ?? '');
    if (before === undefined || RESHAPES.has(optimized.nodes[before]!.opType)) return;
    const moved = matched[k]!.filter((t) => !RESHAPES.has(original.nodes[producer.get(t)!]!.opType));
    if (moved.length === 0) return;
    matched[before]!.push(...moved);
    matched[k] = matched[k]!.filter((t) => !moved.includes(t));
  });

  // Tensors that exist in both graphs: a walk stops there.
  const boundary = new Set<string>();
  for (const t of optimized.sources) if (isOriginalTensor(t)) boundary.add(t);
  for (const t of originalSources) boundary.add(t);
  for (const n of optimized.nodes) for (const t of n.inputs) if (t && isOriginalTensor(t)) boundary.add(t);
  for (const outs of matched) for (const t of outs) boundary.add(t);

  // 2. claims, in the optimised graph's order (topological, as ORT writes it).
  const owner = new Array<number>(original.nodes.length).fill(-1);
  const claims: number[][] = optimized.nodes.map(() => []);
  optimized.nodes.forEach((n, k) => {
    const stack: number[] = [];
    const same = originalByName.get(n.name);
    if (same !== undefined && original.nodes[same]!.opType === n.opType) stack.push(same);
    for (const t of matched[k]!) stack.push(producer.get(t)!);
    while (stack.length) {
      const i = stack.pop()!;
      // Constant nodes are values, not work: ORT folds them into initializers at load time.
      if (owner[i] !== -1 || original.nodes[i]!.opType === 'Constant') continue;
      owner[i] = k;
      claims[k]!.push(i);
      for (const t of original.nodes[i]!.inputs) {
        if (!t || boundary.has(t)) continue;
        const p = producer.get(t);
        if (p !== undefined) stack.push(p);
      }
    }
  });

  // 3. helpers join their producer's group, else their first consumer's.
  const optProducer = new Map<string, number>();
  const optConsumers = new Map<string, number[]>();
  optimized.nodes.forEach((n, k) => {
    n.outputs.forEach((t) => t && optProducer.set(t, k));
    n.inputs.forEach((t) => t && optConsumers.set(t, [...(optConsumers.get(t) ?? []), k]));
  });
  const groupOf = (k: number, seen = new Set<number>()): number | null => {
    if (claims[k]!.length > 0) return k;
    if (seen.has(k)) return null;
    seen.add(k);
    for (const t of optimized.nodes[k]!.inputs) {
      const p = t ? optProducer.get(t) : undefined;
      if (p !== undefined) {
        const g = groupOf(p, seen);
        if (g !== null) return g;
      }
    }
    for (const t of optimized.nodes[k]!.outputs) {
      for (const c of optConsumers.get(t) ?? []) {
        const g = groupOf(c, seen);
        if (g !== null) return g;
      }
    }
    return null;
  };

  const kernels = new Map<string, KernelAttribution>();
  optimized.nodes.forEach((n, k) => {
    const members = claims[k]!.map((i) => original.nodes[i]!.name);
    if (members.length > 0) {
      const how = members.length === 1 && members[0] === n.name ? 'same' : 'fused';
      kernels.set(n.name, { members, how });
      return;
    }
    const g = groupOf(k);
    if (g === null) kernels.set(n.name, { members: [], how: 'unattributed' });
    else kernels.set(n.name, { members: claims[g]!.map((i) => original.nodes[i]!.name), how: 'helper', helperOf: optimized.nodes[g]!.name });
  });
  const folded = original.nodes.filter((_, i) => owner[i] === -1).map((n) => n.name);
  return { kernels, folded };
}

/**
 * Splits `ms` between `members` in proportion to `weight(member)` (a predicted time); equal shares
 * when every weight is zero or unknown.
 */
export function splitByWeight(ms: number, members: readonly string[], weight: (name: string) => number): Map<string, number> {
  const w = members.map((m) => {
    const v = weight(m);
    return Number.isFinite(v) && v > 0 ? v : 0;
  });
  const total = w.reduce((a, b) => a + b, 0);
  return new Map(members.map((m, i) => [m, total > 0 ? (ms * w[i]!) / total : ms / members.length] as const));
}
