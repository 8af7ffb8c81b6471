/**
 * Activation sparsity measured from a real run (Node main process / CLI): the fraction of exact
 * zeros each ReLU-like node outputs, the number that decides whether activation-sparse kernels
 * (or skipping zero rows) could pay off.
 *
 * Method: decode the ModelProto, add the first output of every ReLU-family node (Relu, Clip,
 * LeakyRelu, PRelu, ThresholdedRelu, HardSigmoid, HardSwish, Shrink; `opTypes` to change) to the
 * graph outputs, re-encode, run once in ONNX Runtime on random inputs (random-inputs.ts: N(0,1)
 * floats, in-vocabulary token ids) or the given ones, and count x === 0 per output. The model is
 * decoded with protobufjs' message classes (ModelProto.decode) rather than `decodeModel`'s plain
 * objects so that int64 fields (Slice ends = INT64_MAX) round-trip exactly; weights are loaded,
 * and external-data tensors are read into raw_data so the rebuilt model is self-contained. Only
 * the main graph is searched (not If/Loop bodies).
 *
 * On random inputs a ReLU after a zero-mean pre-activation is ≈ 50 % zeros; trained networks on
 * real data are usually sparser (Kurtz et al. 2020 report 60–90 % in ResNets/MobileNets), so
 * pass real inputs for a number to act on.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import type { Tensor } from 'onnxruntime-node';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ElemType, ModelIR } from '../../../src-shared/profiler/ir.js';
import { inferShapes } from '../../../src-shared/profiler/shape-inference.js';
import type { DimBindings } from '../../../src-shared/profiler/types.js';
import { throwIfAborted, type BenchReporter } from '../bench/types.js';
import { DataLocation, ModelProto, TensorDataType, onnxRoot } from '../onnx/onnx-schema.js';
import { inputSpecs, randomFeeds } from './random-inputs.js';
import type { ActivationSparsityReport, NodeSparsity } from '../../../src-shared/profiler/whatif/report-types.js';

export type { ActivationSparsityReport, NodeSparsity };

type Ort = typeof OrtModule;

export const RELU_LIKE = ['Relu', 'Clip', 'LeakyRelu', 'PRelu', 'ThresholdedRelu', 'HardSigmoid', 'HardSwish', 'Shrink'];

export interface ActivationSparsityOptions {
  /** Op types whose outputs are measured; default RELU_LIKE. */
  opTypes?: string[];
  inputs?: Record<string, Tensor>;
  seed?: number;
  threads?: number;
}

const CODE_OF: Partial<Record<ElemType, number>> = {
  float32: TensorDataType.FLOAT, float16: TensorDataType.FLOAT16, float64: TensorDataType.DOUBLE, bfloat16: TensorDataType.BFLOAT16,
  int8: TensorDataType.INT8, uint8: TensorDataType.UINT8, int32: TensorDataType.INT32, int64: TensorDataType.INT64,
};

interface ProtoEntry { key?: string; value?: string }
interface ProtoTensor { name?: string; dataLocation?: number; externalData?: ProtoEntry[]; rawData?: Uint8Array }
interface ProtoNode { name?: string; opType?: string; output?: string[] }
/** Graph outputs are ValueInfoProto messages: decoded ones and those built here with ValueInfo.create (read through outputName). */
interface ProtoGraph { node?: ProtoNode[]; output?: object[]; initializer?: ProtoTensor[] }
interface ProtoModel { graph?: ProtoGraph | null }

/** A decoded message is a ModelProto view when its graph, if any, is an object (the fields read here are all optional). */
function isProtoModel(message: object): message is ProtoModel {
  const graph: unknown = 'graph' in message ? message.graph : undefined;
  return graph === undefined || graph === null || typeof graph === 'object';
}

/** A ValueInfoProto's name ('' when unset). */
function outputName(output: object): string {
  return 'name' in output && typeof output.name === 'string' ? output.name : '';
}

/** Reads an external-data tensor's bytes (offset/length keys per the ONNX external data spec). */
async function inlineExternal(t: ProtoTensor, modelDir: string, files: Map<string, Buffer>): Promise<void> {
  const kv = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? ''] as const));
  const location = kv.get('location');
  if (!location) throw new ApiFailure('INVALID_REQUEST', `initializer '${t.name}' is external but names no location`);
  const file = path.resolve(modelDir, location);
  if (!file.startsWith(path.resolve(modelDir) + path.sep)) throw new ApiFailure('INVALID_REQUEST', `initializer '${t.name}' points outside the model's folder (${location})`);
  // One read per external file (exporters usually put every tensor in one file).
  let all = files.get(file);
  if (!all) { all = await readFile(file); files.set(file, all); }
  const offset = Number(kv.get('offset') ?? 0);
  const length = kv.has('length') ? Number(kv.get('length')) : all.length - offset;
  if (!(offset >= 0 && length >= 0 && offset + length <= all.length)) {
    throw new ApiFailure('INVALID_REQUEST', `initializer '${t.name}' needs bytes ${offset}–${offset + length} of ${location}, which has ${all.length}`);
  }
  t.rawData = new Uint8Array(all.buffer, all.byteOffset + offset, length);
  t.dataLocation = DataLocation.DEFAULT;
  t.externalData = [];
}

/** Rebuilds the model with every measured node's first output exposed as a graph output. */
export async function withActivationOutputs(
  bytes: Uint8Array,
  model: ModelIR,
  dims: DimBindings,
  opTypes: readonly string[],
  modelDir: string | null,
): Promise<{ bytes: Uint8Array; targets: Array<{ name: string; opType: string; output: string }> }> {
  const wanted = new Set(opTypes);
  const types = inferShapes(model.graph, dims).types;
  const message = ModelProto.decode(bytes);
  if (!isProtoModel(message)) throw new ApiFailure('INVALID_REQUEST', `${model.source}: its graph field is not a GraphProto`);
  const graph = message.graph;
  if (!graph) throw new ApiFailure('INVALID_REQUEST', `${model.source} has no graph`);
  const ValueInfo = onnxRoot.lookupType('onnx.ValueInfoProto');
  const existing = new Set((graph.output ?? []).map(outputName));
  const targets: Array<{ name: string; opType: string; output: string }> = [];
  model.graph.nodes.forEach((n) => {
    const out = n.outputs[0];
    if (!wanted.has(n.opType) || !out) return;
    targets.push({ name: n.name, opType: n.opType, output: out });
    if (existing.has(out)) return;
    const code = CODE_OF[types.get(out) ?? 'float32'] ?? TensorDataType.FLOAT;
    graph.output = graph.output ?? [];
    graph.output.push(ValueInfo.create({ name: out, type: { tensorType: { elemType: code } } }));
    existing.add(out);
  });
  const files = new Map<string, Buffer>();
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation === DataLocation.EXTERNAL) {
      if (!modelDir) throw new ApiFailure('INVALID_REQUEST', `initializer '${t.name}' stores its data externally; pass the model file, not its bytes`);
      await inlineExternal(t, modelDir, files);
    }
  }
  return { bytes: ModelProto.encode(message as never).finish(), targets };
}

function countZeros(data: ArrayLike<number | bigint>): number {
  let z = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0 || data[i] === 0n) z++;
  return z;
}

/** Runs the model once and reports the fraction of zeros each ReLU-like node outputs. */
export async function activationSparsity(
  source: { file: string } | { bytes: Uint8Array; name: string },
  model: ModelIR,
  dims: DimBindings,
  options: ActivationSparsityOptions = {},
  reporter?: BenchReporter,
): Promise<ActivationSparsityReport> {
  const bytes = 'file' in source ? new Uint8Array(await readFile(source.file)) : source.bytes;
  const modelDir = 'file' in source ? path.dirname(path.resolve(source.file)) : null;
  const rebuilt = await withActivationOutputs(bytes, model, dims, options.opTypes ?? RELU_LIKE, modelDir);
  if (reporter) throwIfAborted(reporter.signal);
  const ort: Ort = await import('onnxruntime-node');
  const specs = inputSpecs(model.graph, dims);
  const feeds = { ...randomFeeds(ort.Tensor, specs.filter((s) => !options.inputs?.[s.name]), options.seed ?? 1), ...options.inputs };
  const session = await ort.InferenceSession.create(rebuilt.bytes, {
    graphOptimizationLevel: 'basic',
    intraOpNumThreads: options.threads ?? 1,
    logSeverityLevel: 3,
  });
  try {
    const fetches = [...new Set(rebuilt.targets.map((t) => t.output))];
    const result = fetches.length > 0 ? await session.run(feeds, fetches) : {};
    const nodes: NodeSparsity[] = rebuilt.targets.map((t) => {
      const tensor = result[t.output];
      const data = tensor?.data as ArrayLike<number | bigint> | undefined;
      const elements = data?.length ?? 0;
      const zeros = data ? countZeros(data) : 0;
      return { name: t.name, opType: t.opType, output: t.output, elements, zeros, fraction: elements > 0 ? zeros / elements : 0 };
    });
    const elements = nodes.reduce((a, n) => a + n.elements, 0);
    const zeros = nodes.reduce((a, n) => a + n.zeros, 0);
    const byOp = new Map<string, { opType: string; nodes: number; elements: number; zeros: number; fraction: number }>();
    for (const n of nodes) {
      const e = byOp.get(n.opType) ?? { opType: n.opType, nodes: 0, elements: 0, zeros: 0, fraction: 0 };
      e.nodes++;
      e.elements += n.elements;
      e.zeros += n.zeros;
      e.fraction = e.elements > 0 ? e.zeros / e.elements : 0;
      byOp.set(n.opType, e);
    }
    return { nodes, overall: { elements, zeros, fraction: elements > 0 ? zeros / elements : 0 }, byOpType: [...byOp.values()] };
  } finally {
    await session.release();
  }
}
