/**
 * Random model inputs for measured runs (Node main process / CLI): one ONNX Runtime tensor per
 * graph input, of the bound shape and the declared element type, from a seeded PRNG so a run
 * (and any failure it hits) is reproducible.
 *
 * Values, by what the input feeds:
 * - float inputs: N(0, 1) (Box–Muller), the scale a normalised image or hidden state has;
 * - integer inputs that index an embedding (a Gather whose data is an initializer, reached
 *   directly or through Cast/Reshape/Squeeze/Unsqueeze/Flatten/Identity): uniform in
 *   [0, rows) where rows = the table's size along the Gather axis (its first dim for axis 0), so
 *   token ids are always in the vocabulary;
 * - integer inputs named like a mask ("attention_mask"): all ones (every token attends), the case
 *   latency is usually quoted for;
 * - other integer inputs: small non-negative values in {0, 1} (safe for type ids and masks; a
 *   graph that needs particular integers, a length or a `k`, must be given its inputs);
 * - bool inputs: uniform true/false.
 */
import type { Tensor } from 'onnxruntime-node';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ElemType, GraphIR } from '../../../src-shared/profiler/ir.js';
import type { DimBindings } from '../../../src-shared/profiler/types.js';
import { unnamedDimKey } from '../../../src-shared/profiler/shape-inference.js';
import { floatToHalf } from '../onnx/read-tensor.js';

type TensorCtor = typeof Tensor;

/** mulberry32: a small, fast 32-bit PRNG (Tommy Ettinger, public domain); uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box–Muller transform). */
export function gaussian(n: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand(); // (0, 1]: log(0) avoided
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}


const INDEX_PASS_THROUGH = new Set(['Cast', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity']);

/**
 * The number of rows of the smallest embedding table that input `name` indexes (through
 * index-preserving ops), or null when it feeds no Gather on an initializer.
 */
export function embeddingRows(graph: GraphIR, name: string): number | null {
  const inits = new Map(graph.initializers.map((t) => [t.name, t] as const));
  const seen = new Set<string>([name]);
  const frontier = [name];
  let rows: number | null = null;
  while (frontier.length > 0) {
    const t = frontier.pop()!;
    for (const node of graph.nodes) {
      if (node.opType === 'Gather' && node.inputs[1] === t) {
        const table = node.inputs[0] ? inits.get(node.inputs[0]) : undefined;
        if (table && table.dims.length > 0) {
          const a = node.attributes.axis;
          const axisRaw = a && a.type === 'int' ? a.value : 0;
          const axis = axisRaw < 0 ? axisRaw + table.dims.length : axisRaw;
          const r = table.dims[axis];
          if (r !== undefined && r > 0) rows = rows === null ? r : Math.min(rows, r);
        }
      } else if (INDEX_PASS_THROUGH.has(node.opType) && node.inputs[0] === t) {
        for (const o of node.outputs) if (o && !seen.has(o)) { seen.add(o); frontier.push(o); }
      }
    }
  }
  return rows;
}

export interface InputSpec {
  name: string;
  elemType: ElemType;
  shape: number[];
  /** How the values are drawn, for logs and docs. */
  fill: 'normal' | 'token-ids' | 'ones' | 'small-ints' | 'bool';
  /** Upper bound (exclusive) of integer values. */
  high?: number;
}

/** Resolves every graph input's shape and value rule. Throws INVALID_REQUEST for an unbound or unknown shape. */
export function inputSpecs(graph: GraphIR, dims: DimBindings): InputSpec[] {
  const initNames = new Set(graph.initializers.map((t) => t.name));
  return graph.inputs.filter((i) => !initNames.has(i.name)).map((input): InputSpec => {
    if (!input.shape) throw new ApiFailure('INVALID_REQUEST', `input '${input.name}' has no shape in the graph, so it cannot be generated for a run`);
    const shape = input.shape.map((d, axis) => {
      if (typeof d === 'number') return d;
      const key = d === '' ? unnamedDimKey(input.name, axis) : d;
      const v = dims[key];
      if (v === undefined) throw new ApiFailure('INVALID_REQUEST', `input '${input.name}' dimension '${key}' is symbolic: bind it with --dim ${key}=<n>`);
      return v;
    });
    const t = input.elemType;
    if (t === 'float32' || t === 'float16' || t === 'float64') return { name: input.name, elemType: t, shape, fill: 'normal' };
    if (t === 'bool') return { name: input.name, elemType: t, shape, fill: 'bool' };
    if (['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64'].includes(t)) {
      const rows = embeddingRows(graph, input.name);
      if (rows !== null) return { name: input.name, elemType: t, shape, fill: 'token-ids', high: rows };
      if (/mask/i.test(input.name)) return { name: input.name, elemType: t, shape, fill: 'ones' };
      return { name: input.name, elemType: t, shape, fill: 'small-ints', high: 2 };
    }
    throw new ApiFailure('INVALID_REQUEST', `input '${input.name}' has element type ${t}, which FLOPscope cannot generate random values for`);
  });
}

/** Integer values for a spec, as numbers. */
function integers(spec: InputSpec, n: number, rand: () => number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    out[i] = spec.fill === 'ones' ? 1 : Math.floor(rand() * (spec.high ?? 2));
  }
  return out;
}

/** One tensor per spec, from the seeded PRNG. `TensorClass` is onnxruntime-node's Tensor. */
export function randomFeeds(TensorClass: TensorCtor, specs: InputSpec[], seed = 1): Record<string, Tensor> {
  const rand = seededRandom(seed);
  const feeds: Record<string, Tensor> = {};
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const { shape } = spec;
    switch (spec.elemType) {
      case 'float32': feeds[spec.name] = new TensorClass('float32', gaussian(n, rand), shape); break;
      case 'float64': feeds[spec.name] = new TensorClass('float64', Float64Array.from(gaussian(n, rand)), shape); break;
      case 'float16': feeds[spec.name] = new TensorClass('float16', Uint16Array.from(gaussian(n, rand), floatToHalf), shape); break;
      case 'bool': feeds[spec.name] = new TensorClass('bool', Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0)), shape); break;
      case 'int64': feeds[spec.name] = new TensorClass('int64', BigInt64Array.from(integers(spec, n, rand), BigInt), shape); break;
      case 'uint64': feeds[spec.name] = new TensorClass('uint64', BigUint64Array.from(integers(spec, n, rand), BigInt), shape); break;
      case 'int32': feeds[spec.name] = new TensorClass('int32', Int32Array.from(integers(spec, n, rand)), shape); break;
      case 'int16': feeds[spec.name] = new TensorClass('int16', Int16Array.from(integers(spec, n, rand)), shape); break;
      case 'int8': feeds[spec.name] = new TensorClass('int8', Int8Array.from(integers(spec, n, rand)), shape); break;
      case 'uint8': feeds[spec.name] = new TensorClass('uint8', Uint8Array.from(integers(spec, n, rand)), shape); break;
      case 'uint16': feeds[spec.name] = new TensorClass('uint16', Uint16Array.from(integers(spec, n, rand)), shape); break;
      case 'uint32': feeds[spec.name] = new TensorClass('uint32', Uint32Array.from(integers(spec, n, rand)), shape); break;
      default: throw new ApiFailure('INVALID_REQUEST', `input '${spec.name}' has element type ${spec.elemType}, which FLOPscope cannot generate random values for`);
    }
  }
  return feeds;
}
