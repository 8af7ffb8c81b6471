/**
 * A small builder for hand-made ModelIR graphs (pure; runs anywhere): the profiler's tests build
 * networks with it, and it documents by example what the ONNX loader produces. Attributes given
 * as plain values become int/float/ints/floats/string attributes; pass an AttributeValue for the
 * rest (tensors, graphs).
 */
import type { AttributeValue, Dim, ElemType, GraphIR, ModelIR, NodeIR, TensorInfo } from './ir.js';

export type AttrInput = number | number[] | string | string[] | AttributeValue;

function toAttr(v: AttrInput): AttributeValue {
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: v } : { type: 'float', value: v };
  if (typeof v === 'string') return { type: 'string', value: v };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return { type: 'strings', value: v as string[] };
    const nums = v as number[];
    return nums.every((x) => Number.isInteger(x)) ? { type: 'ints', value: nums } : { type: 'floats', value: nums };
  }
  return v;
}

/** A tensor attribute (Constant's value, ConstantOfShape's value). */
export function tensorAttr(elemType: ElemType, dims: number[], values: number[] | null): AttributeValue {
  return { type: 'tensor', value: { elemType, dims, values } };
}

export class GraphBuilder {
  private readonly g: GraphIR = { name: 'graph', inputs: [], outputs: [], initializers: [], nodes: [], valueInfo: [] };
  private counter = 0;

  input(name: string, shape: Dim[] | null, elemType: ElemType = 'float32'): this {
    this.g.inputs.push({ name, elemType, shape });
    return this;
  }

  output(name: string, shape: Dim[] | null = null, elemType: ElemType = 'float32'): this {
    this.g.outputs.push({ name, elemType, shape });
    return this;
  }

  valueInfo(name: string, shape: Dim[] | null, elemType: ElemType = 'float32'): this {
    this.g.valueInfo.push({ name, elemType, shape } satisfies TensorInfo);
    return this;
  }

  /** An initializer; with `values` it is stored inline (available to constant folding). */
  init(name: string, dims: number[], elemType: ElemType = 'float32', values?: number[]): this {
    this.g.initializers.push({
      name, elemType, dims,
      location: values ? { kind: 'inline', values } : { kind: 'raw', offset: 0, length: 0 },
    });
    return this;
  }

  /** A node; returns the builder. Named `<opType>_<n>` unless `opts.name` is given. */
  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrInput> = {}, opts: { name?: string; domain?: string } = {}): this {
    const attributes: NodeIR['attributes'] = {};
    for (const [k, v] of Object.entries(attrs)) attributes[k] = toAttr(v);
    this.g.nodes.push({ name: opts.name ?? `${opType}_${this.counter++}`, opType, domain: opts.domain ?? '', inputs, outputs, attributes });
    return this;
  }

  graph(): GraphIR {
    return this.g;
  }

  model(opts: { opset?: number; source?: string } = {}): ModelIR {
    return { source: opts.source ?? 'test.onnx', irVersion: 8, opsets: { '': opts.opset ?? 17 }, producer: 'hand-built', graph: this.g, fileBytes: 0 };
  }
}
