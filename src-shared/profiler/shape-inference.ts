/**
 * Shape inference over a ModelIR graph (pure; runs anywhere). Binds the symbolic dimensions of
 * the graph inputs, orders the nodes topologically, and runs each node's shape rule
 * (src-shared/profiler/ops/) to get every tensor's shape and element type, folding small
 * constants (Shape, Gather, Concat, Range…) so shape-computing subgraphs resolve to fixed sizes.
 *
 * A malformed model throws ApiFailure('INVALID_REQUEST') naming the node and tensor: an unbound
 * symbolic dimension, a non-positive or absurd dimension (> 2^31, or > 2^53 elements), a cycle,
 * a tensor nobody produces, operands whose shapes do not fit. An op without a rule never throws:
 * its outputs take the shapes the file records (value_info, graph outputs) or become unknown,
 * and everything computed from an unknown shape is unknown too. If/Loop/Scan bodies are not
 * entered. Unknowns are reported through `unknownOps` and `warnings`.
 */
import { ApiFailure } from '../api/errors.js';
import { topologicalOrder } from './graph-order.js';
import type { Dim, ElemType, GraphIR, NodeIR, TensorInfo } from './ir.js';
import { OpContext, Unknown } from './ops/context.js';
import type { OpOutput, TensorState } from './ops/context.js';
import { CONTROL_FLOW, shapeRuleFor } from './ops/index.js';
import { fmtShape, numel } from './tensor-math.js';
import type { DimBindings } from './types.js';

/** Largest single dimension we accept (2^31) and largest tensor (2^53 elements, exact in a double). */
export const MAX_DIM = 2 ** 31;
export const MAX_ELEMENTS = 2 ** 53;
/** Per-node "shape unknown because…" warnings kept before they are summarised. */
const MAX_NODE_WARNINGS = 10;

export interface ShapeInferenceResult {
  shapes: Map<string, number[]>;
  /** Folded constant values (row-major) of small tensors: inline initializers, Constant, Shape and what is computed from them. */
  consts: Map<string, number[]>;
  types: Map<string, ElemType>;
  /** Nodes in the topological order inference used. */
  order: NodeIR[];
  /** The graph inputs (initializers excluded) with their bound shapes (null when the graph gives none). */
  inputs: Array<{ name: string; shape: number[] | null; elemType: ElemType }>;
  /** The symbolic dimensions of the inputs and the values bound to them. */
  dims: Record<string, number>;
  /** Nodes with no shape rule (unknown op types and If/Loop/Scan), by name. */
  unknownOps: Set<string>;
  warnings: string[];
}

function invalid(message: string, issues?: string[]): never {
  throw new ApiFailure('INVALID_REQUEST', message, issues);
}

/** The key a user binds an unnamed dimension with: `<input>:<axis>`. */
export function unnamedDimKey(input: string, axis: number): string {
  return `${input}:${axis}`;
}

function checkBindings(dims: DimBindings): void {
  for (const [name, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_DIM) invalid(`--dim ${name}=${v}: a dimension must be an integer from 1 to 2^31`);
  }
}

/** Resolves a declared shape against the bindings; null when some dimension is symbolic and unbound. */
function resolveDeclared(shape: Dim[] | null, dims: DimBindings): number[] | null {
  if (!shape) return null;
  const out: number[] = [];
  for (const d of shape) {
    const v = typeof d === 'number' ? d : dims[d];
    if (v === undefined || !Number.isInteger(v) || v < 0) return null;
    out.push(v);
  }
  return out;
}

function checkShape(shape: readonly number[], where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) invalid(`${where} has a negative or fractional dimension: ${fmtShape(shape)}`);
    if (d > MAX_DIM) invalid(`${where} has an absurd dimension ${d} (more than 2^31): ${fmtShape(shape)}`);
  }
  if (numel(shape) > MAX_ELEMENTS) invalid(`${where} has an absurd shape ${fmtShape(shape)} (more than 2^53 elements)`);
}

/** An If output's shape when both branches declare the same fixed (or bound) shape for it. */
function ifBranchShape(node: NodeIR, i: number, dims: DimBindings): number[] | null {
  const shapes = ['then_branch', 'else_branch'].map((k) => {
    const a = node.attributes[k];
    return a && a.type === 'graph' ? resolveDeclared(a.value.outputs[i]?.shape ?? null, dims) : null;
  });
  const [t, e] = shapes;
  return t && e && t.length === e.length && t.every((d, j) => d === e[j]) ? t : null;
}

/** Infers every tensor's shape under the given bindings. Throws ApiFailure('INVALID_REQUEST') for a malformed model. */
export function inferShapes(graph: GraphIR, dims: DimBindings): ShapeInferenceResult {
  checkBindings(dims);
  const state: TensorState = { shapes: new Map(), consts: new Map(), types: new Map() };
  const warnings: string[] = [];
  const warn = (m: string): void => { warnings.push(m); };

  // Initializers: fixed shapes; small inline values are constants.
  const initNames = new Set<string>();
  for (const t of graph.initializers) {
    initNames.add(t.name);
    checkShape(t.dims, `initializer '${t.name}'`);
    state.shapes.set(t.name, [...t.dims]);
    state.types.set(t.name, t.elemType);
    if (t.location.kind === 'inline' && t.location.values.length === numel(t.dims)) state.consts.set(t.name, [...t.location.values]);
  }

  // Graph inputs: bind symbolic dimensions.
  const used: Record<string, number> = {};
  const unbound: string[] = [];
  const inputs: ShapeInferenceResult['inputs'] = [];
  for (const inp of graph.inputs) {
    if (initNames.has(inp.name)) continue; // an initializer listed as an input (IR < 4 style): a weight
    if (!inp.shape) {
      warn(`input '${inp.name}' has no shape in the graph, so nothing computed from it can be counted`);
      inputs.push({ name: inp.name, shape: null, elemType: inp.elemType });
      state.types.set(inp.name, inp.elemType);
      continue;
    }
    const shape: number[] = [];
    inp.shape.forEach((d, axis) => {
      if (typeof d === 'number') {
        if (!Number.isInteger(d) || d < 1) invalid(`input '${inp.name}' dimension ${axis} is ${d}: dimensions must be positive integers`);
        if (d > MAX_DIM) invalid(`input '${inp.name}' dimension ${axis} is ${d}: more than 2^31 is absurd`);
        shape.push(d);
        return;
      }
      const key = d === '' ? unnamedDimKey(inp.name, axis) : d;
      const v = dims[key];
      if (v === undefined) {
        unbound.push(d === ''
          ? `input '${inp.name}' dimension ${axis} has no size or name: bind it with --dim ${key}=<n>`
          : `input '${inp.name}' dimension '${d}' is symbolic: bind it with --dim ${d}=<n>`);
        shape.push(1);
        return;
      }
      used[key] = v;
      shape.push(v);
    });
    checkShape(shape, `input '${inp.name}'`);
    state.shapes.set(inp.name, shape);
    state.types.set(inp.name, inp.elemType);
    inputs.push({ name: inp.name, shape, elemType: inp.elemType });
  }
  if (unbound.length > 0) {
    const unique = [...new Set(unbound)];
    invalid(unique.length === 1 ? unique[0]! : `${unique[0]!} (and ${unique.length - 1} more unbound dimension${unique.length > 2 ? 's' : ''})`, unique);
  }
  for (const name of Object.keys(dims)) {
    if (!(name in used)) warn(`--dim ${name}=${dims[name]} matches no symbolic dimension of the model's inputs`);
  }

  // Shapes the file records, as a fallback for ops without rules.
  const declared = new Map<string, TensorInfo>();
  for (const v of [...graph.valueInfo, ...graph.outputs]) declared.set(v.name, v);

  const order = topologicalOrder(graph);
  const unknownOps = new Set<string>();
  const noRule = new Map<string, { nodes: number; fromFile: number }>();
  let unknownReasons = 0;

  for (const node of order) {
    const rule = CONTROL_FLOW.has(node.opType) ? null : shapeRuleFor(node);
    let outs: OpOutput[] = [];
    const ctx = new OpContext(node, state, warn);
    if (!rule) {
      unknownOps.add(node.name);
      if (CONTROL_FLOW.has(node.opType)) {
        warn(`${ctx.label}: its subgraph is not entered, so its cost is not counted and its outputs have the shapes the file records, if any`);
      }
    } else {
      try {
        outs = rule(ctx);
      } catch (e) {
        if (e instanceof ApiFailure) throw e;
        if (e instanceof Unknown) {
          if (e.reason && ++unknownReasons <= MAX_NODE_WARNINGS) warn(e.reason);
        } else {
          warn(`${ctx.label}: shape rule failed (${(e as Error).message}); its outputs are treated as unknown`);
        }
        outs = [];
      }
    }
    let fromFile = 0;
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const o = outs[i];
      const decl = declared.get(name);
      let shape = o?.shape ?? null;
      if (!shape && decl) {
        shape = resolveDeclared(decl.shape, dims);
        if (shape) fromFile++;
      }
      if (!shape && node.opType === 'If') shape = ifBranchShape(node, i, dims);
      // Type: the rule's, else the file's, else (ops with a rule) the first input's.
      let type: ElemType = o?.type ?? decl?.elemType ?? 'undefined';
      if (type === 'undefined' && rule) type = ctx.type(0);
      state.types.set(name, type);
      if (!shape) return;
      checkShape(shape, `${ctx.label} output '${name}'`);
      state.shapes.set(name, shape);
      const value = o?.value;
      if (value && value.length === numel(shape)) state.consts.set(name, value);
    });
    if (!rule) {
      const key = CONTROL_FLOW.has(node.opType) ? null : node.domain ? `${node.domain}.${node.opType}` : node.opType;
      if (key) {
        const e = noRule.get(key) ?? { nodes: 0, fromFile: 0 };
        e.nodes++;
        if (fromFile > 0) e.fromFile++;
        noRule.set(key, e);
      }
    }
  }
  if (unknownReasons > MAX_NODE_WARNINGS) {
    warn(`… and ${unknownReasons - MAX_NODE_WARNINGS} more nodes whose output shapes are unknown because an input is not a constant`);
  }
  for (const [op, e] of noRule) {
    warn(`no shape rule for op ${op} (${e.nodes} node${e.nodes > 1 ? 's' : ''}): ${e.fromFile} took output shapes from the file's value_info, the rest are unknown`);
  }
  return { shapes: state.shapes, consts: state.consts, types: state.types, order, inputs, dims: used, unknownOps, warnings };
}
