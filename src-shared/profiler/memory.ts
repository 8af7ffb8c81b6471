/**
 * Peak activation memory over a topological order (pure; runs anywhere).
 *
 * Activations are the tensors that depend on the graph inputs: the inputs themselves and node
 * outputs. Initializers, Constant outputs and anything computed only from them (a Transpose of a
 * weight, which a runtime folds at load time) are weights, not activations. A tensor is live from
 * the step its producer runs (the inputs: from the start) to the step of its last consumer; graph
 * outputs stay live to the end. A view (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout)
 * shares its input's buffer, so it adds no bytes and keeps that buffer alive as long as it is used.
 * At each step the producer's inputs and outputs are live together; the peak is the largest such
 * sum. Tensors of unknown shape count 0 bytes (the caller warns).
 */
import { tensorBytes } from './dtype.js';
import type { GraphIR } from './ir.js';
import type { ShapeInferenceResult } from './shape-inference.js';
import { numel } from './tensor-math.js';

/** Views that alias input 0 (Shape, Size and Constant make new small tensors instead). */
const ALIASING = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);

export interface ActivationMemory {
  peakBytes: number;
  /** Activation tensors whose shape is unknown (counted as 0 bytes). */
  unknownTensors: number;
}

export function activationMemory(graph: GraphIR, inf: ShapeInferenceResult): ActivationMemory {
  const constant = new Set<string>(graph.initializers.map((t) => t.name));
  const root = new Map<string, string>();
  const bytes = new Map<string, number>();
  let unknownTensors = 0;
  const sizeOf = (name: string): number => {
    const s = inf.shapes.get(name);
    if (!s) { unknownTensors++; return 0; }
    return tensorBytes(inf.types.get(name) ?? 'undefined', numel(s));
  };
  const lastUse = new Map<string, number>();
  const END = inf.order.length;

  // Buffers: graph inputs, then each non-view output; a view's output maps to its input's buffer.
  for (const i of inf.inputs) { root.set(i.name, i.name); bytes.set(i.name, sizeOf(i.name)); lastUse.set(i.name, -1); }
  const born = new Map<number, string[]>();
  inf.order.forEach((node, step) => {
    const ins = node.inputs.filter((n) => n);
    if (node.opType === 'Constant' || (ins.length > 0 && ins.every((n) => constant.has(n)))) {
      for (const o of node.outputs) if (o) constant.add(o);
      return;
    }
    for (const n of ins) {
      const r = root.get(n);
      if (r !== undefined) lastUse.set(r, Math.max(lastUse.get(r) ?? -1, step));
    }
    const src = node.inputs[0] ? root.get(node.inputs[0]) : undefined;
    node.outputs.forEach((o, j) => {
      if (!o) return;
      if (j === 0 && ALIASING.has(node.opType) && src !== undefined) { root.set(o, src); return; }
      root.set(o, o);
      bytes.set(o, sizeOf(o));
      lastUse.set(o, step);
      born.set(step, [...(born.get(step) ?? []), o]);
    });
  });
  for (const o of graph.outputs) {
    const r = root.get(o.name);
    if (r !== undefined) lastUse.set(r, END);
  }
  const dies = new Map<number, string[]>();
  for (const [name, step] of lastUse) dies.set(step, [...(dies.get(step) ?? []), name]);

  let live = 0;
  for (const i of inf.inputs) live += bytes.get(i.name) ?? 0;
  let peak = live;
  for (const name of dies.get(-1) ?? []) live -= bytes.get(name) ?? 0;
  for (let step = 0; step < END; step++) {
    for (const name of born.get(step) ?? []) live += bytes.get(name) ?? 0;
    peak = Math.max(peak, live);
    for (const name of dies.get(step) ?? []) live -= bytes.get(name) ?? 0;
  }
  return { peakBytes: peak, unknownTensors };
}
