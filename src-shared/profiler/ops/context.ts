/**
 * What a shape rule sees of one node (pure; runs anywhere): its inputs' inferred shapes, element
 * types and folded constant values, its attributes, and ways to fail (a malformed model: throws
 * ApiFailure naming the node) or give up (an input shape or value is not known: the node's
 * outputs become unknown and inference carries on).
 */
import { ApiFailure } from '../../api/errors.js';
import type { AttributeValue, ElemType, NodeIR } from '../ir.js';
import { fmtShape, numel } from '../tensor-math.js';

/** Thrown inside a rule when it needs something that is not known; the driver catches it. */
export class Unknown extends Error {
  /** Set when worth a warning (a known shape whose value is not constant); null for a cascade from an unknown input. */
  readonly reason: string | null;
  constructor(reason: string | null) {
    super(reason ?? 'unknown input');
    this.reason = reason;
  }
}

export interface OpOutput {
  /** null: unknown. */
  shape: number[] | null;
  /** Defaults to the first input's type. */
  type?: ElemType;
  /** Folded constant values (row-major), when all inputs the result depends on are constant. */
  value?: number[] | null;
}

export type ShapeRule = (ctx: OpContext) => OpOutput[];

export interface TensorState {
  shapes: Map<string, number[]>;
  consts: Map<string, number[]>;
  types: Map<string, ElemType>;
}

/** Largest tensor we fold to constants: shape arithmetic is tiny; big constants are data, not shapes. */
export const MAX_FOLD = 1 << 16;

export class OpContext {
  readonly node: NodeIR;
  private readonly state: TensorState;
  private readonly warnSink: (message: string) => void;

  constructor(node: NodeIR, state: TensorState, warn: (message: string) => void) {
    this.node = node;
    this.state = state;
    this.warnSink = warn;
  }

  get label(): string {
    return `${this.node.opType} node '${this.node.name}'`;
  }

  /** Number of input slots (trailing optional ones may be missing). */
  get arity(): number {
    return this.node.inputs.length;
  }

  has(i: number): boolean {
    const n = this.node.inputs[i];
    return n !== undefined && n !== '';
  }

  inputName(i: number): string {
    return this.node.inputs[i] ?? '';
  }

  /** The input's shape; gives up (Unknown) when it is absent or not inferred. */
  shape(i: number): number[] {
    const s = this.maybeShape(i);
    if (!s) {
      if (!this.has(i)) this.fail(`required input ${i} is missing`);
      throw new Unknown(null);
    }
    return s;
  }

  maybeShape(i: number): number[] | null {
    return this.has(i) ? this.state.shapes.get(this.inputName(i)) ?? null : null;
  }

  /** The input's constant values; gives up (Unknown, with a warning) when it is not a folded constant. */
  value(i: number, what = 'input'): number[] {
    const v = this.maybeValue(i);
    if (v) return v;
    this.shape(i); // an unknown shape is a cascade, not worth its own warning
    throw new Unknown(`${this.label}: ${what} '${this.inputName(i)}' is not a constant, so the output shape is unknown`);
  }

  maybeValue(i: number): number[] | null {
    return this.has(i) ? this.state.consts.get(this.inputName(i)) ?? null : null;
  }

  /** True when every present input has a folded value (so a result can be folded too). */
  allConst(...indices: number[]): boolean {
    const idx = indices.length > 0 ? indices : this.node.inputs.map((_, i) => i);
    return idx.every((i) => !this.has(i) || this.maybeValue(i) !== null);
  }

  type(i: number): ElemType {
    return this.has(i) ? this.state.types.get(this.inputName(i)) ?? 'undefined' : 'undefined';
  }

  /** `'name' [2,3]`, for messages. */
  desc(i: number): string {
    return `'${this.inputName(i)}' ${fmtShape(this.maybeShape(i))}`;
  }

  attr(name: string): AttributeValue | undefined {
    return this.node.attributes[name];
  }

  int(name: string, def: number): number {
    const a = this.node.attributes[name];
    return a && (a.type === 'int' || a.type === 'float') ? a.value : def;
  }

  float(name: string, def: number): number {
    const a = this.node.attributes[name];
    return a && (a.type === 'float' || a.type === 'int') ? a.value : def;
  }

  ints(name: string): number[] | null {
    const a = this.node.attributes[name];
    if (!a) return null;
    if (a.type === 'ints' || a.type === 'floats') return a.value;
    if (a.type === 'int') return [a.value];
    return null;
  }

  string(name: string, def: string): string {
    const a = this.node.attributes[name];
    return a && a.type === 'string' ? a.value : def;
  }

  /** A malformed model: INVALID_REQUEST naming this node. */
  fail(message: string): never {
    throw new ApiFailure('INVALID_REQUEST', `${this.label}: ${message}`);
  }

  warn(message: string): void {
    this.warnSink(`${this.label}: ${message}`);
  }

  /** `values` when the result is small enough to keep as a constant, else null. */
  fold(shape: readonly number[], values: () => number[]): number[] | null {
    return numel(shape) <= MAX_FOLD ? values() : null;
  }
}
