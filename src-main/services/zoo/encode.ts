/**
 * Encodes a ZooGraph plan as ONNX ModelProto bytes (Node main process / CLI), generating the
 * seeded random weights straight into the one output buffer.
 *
 * Why not hand the weights to build-graph's `buildModel`: that needs every initializer as bytes
 * first and then copies them into protobufjs' output, so ViT-B/16 (346 MB of float32) would peak
 * at twice its size. Instead `buildModel` encodes the weightless skeleton (nodes, inputs,
 * outputs, opsets), we cut its GraphProto field out, and append each initializer as a
 * TensorProto whose header is encoded by protobufjs and whose raw_data bytes we write ourselves.
 * Field order inside a protobuf message is free, so the result is a valid ModelProto.
 */
import { buildModel } from '../onnx/build-graph.js';
import { TensorDataType, TensorProto } from '../onnx/onnx-schema.js';
import type { InitKind, ZooGraph } from './graph.js';

/** ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.raw_data = 9; wire type 2 (length-delimited). */
const MODEL_GRAPH_TAG = (7 << 3) | 2;
const GRAPH_INITIALIZER_TAG = (5 << 3) | 2;
const TENSOR_RAW_DATA_TAG = (9 << 3) | 2;

export interface EncodeOptions {
  graphName: string;
  docString?: string;
  seed: number;
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 128) { n = Math.floor(n / 128); len++; }
  return len;
}

function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 128) { out[pos++] = (n % 128) | 128; n = Math.floor(n / 128); }
  out[pos++] = n;
  return pos;
}

function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('zoo encoder: truncated varint');
    value += (b & 127) * scale;
    if (b < 128) return [value, pos];
    scale *= 128;
  }
}

/** Splits top-level ModelProto bytes into everything-but-the-graph and the GraphProto payload. */
function splitGraph(model: Uint8Array): { head: Uint8Array; graph: Uint8Array } {
  const head: Uint8Array[] = [];
  let graph: Uint8Array | null = null;
  let pos = 0;
  while (pos < model.length) {
    const start = pos;
    const [key, afterKey] = readVarint(model, pos);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let end: number;
    if (wire === 0) end = readVarint(model, afterKey)[1];
    else if (wire === 1) end = afterKey + 8;
    else if (wire === 5) end = afterKey + 4;
    else if (wire === 2) { const [len, p] = readVarint(model, afterKey); end = p + len; if (field === 7) graph = model.subarray(p, end); }
    else throw new Error(`zoo encoder: unexpected wire type ${wire}`);
    if (!(wire === 2 && field === 7)) head.push(model.subarray(start, end));
    pos = end;
  }
  if (!graph) throw new Error('zoo encoder: skeleton has no graph');
  return { head: concat(head), graph };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) { out.set(p, pos); pos += p.length; }
  return out;
}

/** FNV-1a of a string: a stable per-tensor seed, so a weight's values do not depend on build order. */
function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

// raw_data is little-endian; Float32Array bytes are in host order. Every platform Electron ships
// on is little-endian, but say so loudly rather than write garbage elsewhere.
if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) throw new Error('zoo encoder: big-endian hosts are not supported');

const CHUNK = 1 << 16;
const scratch = new Float32Array(CHUNK);
const scratchBytes = new Uint8Array(scratch.buffer);

/**
 * Writes `elements` float32 values for `init` at `out[pos..]`. The PRNG is Marsaglia's xorshift32
 * (2003): three shifts per value, ~2 ns in V8 (ViT-B/16's 86.6 M weights in well under a second),
 * deterministic on every platform, and far more than random enough for weights that only have to
 * keep activations finite.
 */
function fillWeights(out: Uint8Array, pos: number, elements: number, init: InitKind, seed: number): void {
  if (init.kind === 'constant') {
    scratch.fill(init.value);
    for (let done = 0; done < elements; done += CHUNK) {
      const n = Math.min(CHUNK, elements - done);
      out.set(scratchBytes.subarray(0, n * 4), pos + done * 4);
    }
    return;
  }
  const scale = (2 * init.bound) / 4294967296;
  const offset = (init.center ?? 0) - init.bound;
  let x = seed | 0 || 0x9e3779b9; // xorshift's state must not be 0
  for (let done = 0; done < elements; done += CHUNK) {
    const n = Math.min(CHUNK, elements - done);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      scratch[i] = offset + (x >>> 0) * scale;
    }
    out.set(scratchBytes.subarray(0, n * 4), pos + done * 4);
  }
}

/** Serializes `g` as an opset-17 ModelProto with float32 weights drawn from `seed`. */
export function encodeZooGraph(g: ZooGraph, opts: EncodeOptions): Uint8Array {
  const skeleton = buildModel({
    graphName: opts.graphName,
    docString: opts.docString,
    inputs: g.inputs,
    outputs: g.outputs,
    nodes: g.nodes,
    opset: 17,
  });
  const { head, graph } = splitGraph(skeleton);

  const tensors = g.initializers.map((t) => {
    const header = TensorProto.encode(TensorProto.fromObject({ dims: t.dims, dataType: TensorDataType.FLOAT, name: t.name })).finish();
    const rawLength = t.elements * 4;
    const tensorLength = header.length + 1 + varintLength(rawLength) + rawLength;
    return { t, header, rawLength, tensorLength };
  });
  const graphLength = graph.length + tensors.reduce((n, x) => n + 1 + varintLength(x.tensorLength) + x.tensorLength, 0);
  const total = head.length + 1 + varintLength(graphLength) + graphLength;
  // Protobuf (and so ONNX Runtime) refuses messages of 2 GiB or more; such models need external data.
  if (total >= 2 ** 31) throw new Error(`zoo model is ${(total / 2 ** 30).toFixed(2)} GiB; ONNX protobuf files are limited to 2 GiB`);

  const out = new Uint8Array(total);
  out.set(head, 0);
  let pos = head.length;
  out[pos++] = MODEL_GRAPH_TAG;
  pos = writeVarint(out, pos, graphLength);
  out.set(graph, pos);
  pos += graph.length;
  for (const { t, header, rawLength, tensorLength } of tensors) {
    out[pos++] = GRAPH_INITIALIZER_TAG;
    pos = writeVarint(out, pos, tensorLength);
    out.set(header, pos);
    pos += header.length;
    out[pos++] = TENSOR_RAW_DATA_TAG;
    pos = writeVarint(out, pos, rawLength);
    fillWeights(out, pos, t.elements, t.init, hashString(t.name, opts.seed));
    pos += rawLength;
  }
  if (pos !== total) throw new Error(`zoo encoder: wrote ${pos} of ${total} bytes`);
  return out;
}
