/**
 * ZooGraph: the in-memory plan of one zoo model (Node main process / CLI). Family modules add
 * inputs, nodes and weights to it; weights are only *described* here (name, dims, how to fill
 * them), so a plan of ViT-B/16 costs a few hundred KB and its parameter count is known without
 * generating 346 MB of floats. `encode.ts` turns a plan into ONNX bytes, generating the weights
 * straight into the output buffer.
 *
 * Naming follows torch exports: node names are hierarchical module paths ("layer1.0.conv1"),
 * weights are "<module>.weight" / "<module>.bias", so the profiler can group nodes by block.
 */
import type { AttributeSpec, Dim, NodeSpec, ValueSpec } from '../onnx/build-graph.js';
import { TensorDataType } from '../onnx/onnx-schema.js';

/** How a weight tensor is filled: uniform in [center - bound, center + bound], or a constant. */
export type InitKind =
  | { kind: 'uniform'; bound: number; center?: number }
  | { kind: 'constant'; value: number };

/** A float32 initializer described but not yet generated. */
export interface LazyInitializer {
  name: string;
  dims: number[];
  init: InitKind;
  elements: number;
}

/** He (Kaiming) uniform for layers followed by ReLU-like activations: Var = 2 / fan_in. */
export const heUniform = (fanIn: number): InitKind => ({ kind: 'uniform', bound: Math.sqrt(6 / fanIn) });
/** Xavier/Glorot uniform: Var = 2 / (fan_in + fan_out). */
export const xavierUniform = (fanIn: number, fanOut: number): InitKind => ({ kind: 'uniform', bound: Math.sqrt(6 / (fanIn + fanOut)) });
/** Uniform with a given standard deviation (std·√3 bound), e.g. GPT-2's N(0, 0.02) embeddings. */
export const uniformStd = (std: number, center = 0): InitKind => ({ kind: 'uniform', bound: std * Math.sqrt(3), center });
export const constant = (value: number): InitKind => ({ kind: 'constant', value });

export class ZooGraph {
  readonly inputs: ValueSpec[] = [];
  readonly outputs: ValueSpec[] = [];
  readonly nodes: NodeSpec[] = [];
  readonly initializers: LazyInitializer[] = [];
  private readonly nodeNames = new Set<string>();
  private readonly valueNames = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** A graph input; returns its value name. */
  input(name: string, shape: Dim[], elemType: number = TensorDataType.FLOAT): string {
    this.claimValue(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  /** Declares an existing value as a graph output (its producer must have named it `value`). */
  output(value: string, shape: Dim[], elemType: number = TensorDataType.FLOAT): void {
    if (!this.valueNames.has(value)) throw new Error(`zoo graph: output ${value} is not produced by any node`);
    this.outputs.push({ name: value, elemType, shape });
  }

  /** A float32 weight; returns its value name. */
  param(name: string, dims: number[], init: InitKind): string {
    this.claimValue(name);
    const elements = dims.reduce((a, b) => a * b, 1);
    this.initializers.push({ name, dims, init, elements });
    return name;
  }

  /** Adds a node with one output and returns the output's value name (`<name>_output_0` unless given). */
  op(opType: string, name: string, inputs: string[], attributes: AttributeSpec[] = [], output?: string): string {
    return this.opN(opType, name, inputs, 1, attributes, output ? [output] : undefined)[0]!;
  }

  /** Adds a node with `outputs` outputs; returns their value names. */
  opN(opType: string, name: string, inputs: string[], outputs: number, attributes: AttributeSpec[] = [], names?: string[]): string[] {
    if (this.nodeNames.has(name)) throw new Error(`zoo graph: duplicate node name ${name}`);
    this.nodeNames.add(name);
    const outs = names ?? Array.from({ length: outputs }, (_, i) => `${name}_output_${i}`);
    for (const o of outs) this.claimValue(o);
    this.nodes.push({ opType, name, inputs, outputs: outs, attributes });
    return outs;
  }

  /** A 1-D int64 constant (Reshape shapes, Split sizes, axes), shared by value. */
  ints(values: number[]): string {
    return this.constant(`ints:${values.join(',')}`, { name: 'value_ints', type: 'ints', value: values });
  }

  /** A 0-D int64 constant (Gather indices, Range bounds). */
  int(value: number): string {
    return this.constant(`int:${value}`, { name: 'value_int', type: 'int', value });
  }

  /** A 0-D float constant (Clip bounds, scales). */
  float(value: number): string {
    return this.constant(`float:${value}`, { name: 'value_float', type: 'float', value });
  }

  /** A 1-D float constant of `length` copies of `value` (BatchNorm running statistics). */
  floats(value: number, length: number): string {
    return this.constant(`floats:${value}x${length}`, { name: 'value_floats', type: 'floats', value: new Array<number>(length).fill(value) });
  }

  /** Elements of all weights: what torch's `sum(p.numel() for p in model.parameters())` reports. */
  get params(): number {
    let n = 0;
    for (const t of this.initializers) n += t.elements;
    return n;
  }

  private constant(key: string, attribute: AttributeSpec): string {
    const hit = this.constants.get(key);
    if (hit) return hit;
    // Constant nodes rather than initializers: shape tensors and BN running statistics are not
    // model parameters (PyTorch keeps the latter as buffers), so they must not add to `params`.
    const name = `Constant_${this.constants.size}`;
    const out = this.op('Constant', name, [], [attribute], name);
    this.constants.set(key, out);
    return out;
  }

  private claimValue(name: string): void {
    if (this.valueNames.has(name)) throw new Error(`zoo graph: duplicate value name ${name}`);
    this.valueNames.add(name);
  }
}
