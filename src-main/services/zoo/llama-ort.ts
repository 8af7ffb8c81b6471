/**
 * Zoo family: the Llama-style decoder of llama.ts in ONNX Runtime's LLM form (Node main process /
 * CLI) — the graph shape onnxruntime-genai's model builder writes for int4 CPU models. Ops per
 * ORT's ContribOperators.md (com.microsoft domain):
 * - MatMulNBits (bits 4, block_size 32, no zero points → zero point 8): every projection and the
 *   LM head. B is uint8 [N, K/32, 16] (two 4-bit values per byte, the even k in the low nibble),
 *   scales fp32 [N·K/32]. Weights are quantised symmetric per block of 32 along K:
 *   s = max|w| / 7, q = clamp(round(w / s) + 8, 0, 15). q, k and v share one MatMulNBits (their
 *   weights concatenated along N, packed QKV as genai writes it).
 * - GroupQueryAttention with packed QKV, past_key.i / past_value.i → present_key.i /
 *   present_value.i ([batch, kv_heads, past + sequence, head_dim]), do_rotary = 1 with cos_cache /
 *   sin_cache [context, head_dim/2] (rotate-half, rotary_interleaved = 0), seqlens_k = past + S − 1
 *   per batch row and total_sequence_length = past + S (int32, computed in the graph from the
 *   input shapes), local_window_size = window for a sliding window (ORT's CPU kernel then lets each
 *   query see `window` keys, itself included — checked against llama's mask in llama.test.ts).
 *   ORT 1.30's CPU kernel refuses sequence > 1 after a non-empty cache when batch > 1 (a chunked
 *   prefill); batch 1, the first prompt and single-token decode steps run at any batch.
 * - SimplifiedLayerNormalization (ai.onnx domain, an ORT contrib op) for the first RMSNorm and
 *   SkipSimplifiedLayerNormalization (com.microsoft) for every later one, fusing the residual add
 *   (its 4th output, input + skip, is the residual stream).
 * The FFN's SiLU and ⊙ stay plain Sigmoid/Mul ops; the embedding stays fp32 (Gather).
 *
 * The weights are THE SAME as llama's at the same options and seed: the plan describes each one
 * exactly as llama.ts does (same name, dims [in, out], init), so `params` equals llama's formula,
 * and this module's encoder draws them with the zoo's generator (encode.ts) and quantises them.
 * The int4 graph carries them as packed B + scales instead: K·N/2 bytes + K·N/32 floats per
 * projection. No MoE (experts) option: ORT's MoE contrib ops are not part of this form.
 */
import { buildModel, type InitializerSpec } from '../onnx/build-graph.js';
import { decodeModel, TensorDataType } from '../onnx/onnx-schema.js';
import { encodeZooGraph, type EncodeOptions } from './encode.js';
import { constant, uniformStd, ZooGraph, type LazyInitializer } from './graph.js';
import { INIT_STD, llamaOptions, llamaParams, llamaShape, pastInputs, RMS_EPSILON, ropeTables, type LlamaShape } from './llama.js';
import { invalidOption } from './options.js';
import type { AttributeSpec } from '../onnx/build-graph.js';
import type { ResolvedOptions, ZooDefinition, ZooPlan } from './types.js';

export const BLOCK_SIZE = 32;
const MS = 'com.microsoft';

/** One MatMulNBits weight: the fp32 weights it quantises (each [K, nᵢ], concatenated along N). */
interface QuantizedWeight {
  b: string;
  scales: string;
  k: number;
  n: number;
  parts: LazyInitializer[];
}

/** A ZooGraph whose MatMulNBits weights are described as the fp32 weights they quantise. */
export class Int4Graph extends ZooGraph {
  readonly quantized: QuantizedWeight[] = [];

  /** A node of ORT's com.microsoft domain. */
  msOp(opType: string, name: string, inputs: string[], outputs: number, attributes: AttributeSpec[] = [], names?: string[]): string[] {
    const outs = this.opN(opType, name, inputs, outputs, attributes, names);
    this.nodes[this.nodes.length - 1]!.domain = MS;
    return outs;
  }

  /** MatMulNBits(x, int4 of the [K, Σnᵢ] concatenation of `parts`); the parts count as parameters. */
  matMulNBits(name: string, x: string, k: number, parts: Array<{ name: string; n: number }>, output?: string): string {
    const lazy = parts.map((p) => {
      this.param(p.name, [k, p.n], uniformStd(INIT_STD));
      return this.initializers[this.initializers.length - 1]!;
    });
    const n = parts.reduce((a, p) => a + p.n, 0);
    const w = { b: `${name}.weight_Q4`, scales: `${name}.weight_scales`, k, n, parts: lazy };
    this.quantized.push(w);
    return this.msOp('MatMulNBits', name, [x, w.b, w.scales], 1, [
      { name: 'K', type: 'int', value: k },
      { name: 'N', type: 'int', value: n },
      { name: 'bits', type: 'int', value: 4 },
      { name: 'block_size', type: 'int', value: BLOCK_SIZE },
    ], output ? [output] : undefined)[0]!;
  }
}

/** SkipSimplifiedLayerNormalization(x, skip, w) → [normalised, x + skip]; the unused mean / inv_std_var outputs are left empty. */
function skipRms(g: Int4Graph, name: string, x: string, skip: string, d: number): { norm: string; sum: string } {
  const [norm, , , sum] = g.msOp('SkipSimplifiedLayerNormalization', name, [x, skip, g.param(`${name}.weight`, [d], constant(1))], 4, [
    { name: 'epsilon', type: 'float', value: RMS_EPSILON },
  ]);
  const node = g.nodes[g.nodes.length - 1]!;
  node.outputs = [norm!, '', '', sum!];
  return { norm: norm!, sum: sum! };
}

/** seqlens_k (int32 [batch]) and total_sequence_length (int32 scalar) from the shapes of the inputs. */
function sequenceLengths(g: Int4Graph, ids: string, pastKey: string | null): { seqlensK: string; total: string } {
  const idsShape = g.op('Shape', 'gqa.ids_shape', [ids]);
  const seq = g.op('Gather', 'gqa.sequence', [idsShape, g.int(1)], [{ name: 'axis', type: 'int', value: 0 }]);
  const past = pastKey
    ? g.op('Gather', 'gqa.past', [g.op('Shape', 'gqa.past_shape', [pastKey]), g.int(2)], [{ name: 'axis', type: 'int', value: 0 }])
    : g.int(0);
  const total64 = g.op('Add', 'gqa.total64', [past, seq]);
  const total = g.op('Cast', 'gqa.total_sequence_length', [total64], [{ name: 'to', type: 'int', value: TensorDataType.INT32 }]);
  const last = g.op('Cast', 'gqa.last_index', [g.op('Sub', 'gqa.minus_one', [total64, g.int(1)])], [{ name: 'to', type: 'int', value: TensorDataType.INT32 }]);
  const batch = g.op('Slice', 'gqa.batch', [idsShape, g.ints([0]), g.ints([1])]);
  return { seqlensK: g.op('Expand', 'gqa.seqlens_k', [last, batch]), total };
}

function planLlamaInt4(o: ResolvedOptions): ZooPlan {
  const s: LlamaShape = llamaShape('llama-int4', o);
  if (s.d % BLOCK_SIZE !== 0) throw invalidOption('llama-int4', 'width', `must be a multiple of ${BLOCK_SIZE} (the int4 block size); got ${s.d}`);
  if (s.ffn % BLOCK_SIZE !== 0) throw invalidOption('llama-int4', 'ffn', `must be a multiple of ${BLOCK_SIZE} (the int4 block size); got ${s.ffn}`);
  const g = new Int4Graph();
  const ids = g.input('input_ids', ['batch', 'sequence'], TensorDataType.INT64);
  const pasts = pastInputs(g, s);
  const { seqlensK, total } = sequenceLengths(g, ids, pasts[0]?.key ?? null);
  const rope = ropeTables(g, s.context, s.headDim);
  const kvd = s.kvHeads * s.headDim;
  let residual = g.op('Gather', 'embed_tokens', [g.param('embed_tokens.weight', [s.vocab, s.d], uniformStd(INIT_STD)), ids], [{ name: 'axis', type: 'int', value: 0 }]);
  let pending: string | null = null; // the last FFN output, not yet added to the residual stream
  const norm = (name: string): string => {
    if (pending === null) {
      return g.op('SimplifiedLayerNormalization', name, [residual, g.param(`${name}.weight`, [s.d], constant(1))], [
        { name: 'axis', type: 'int', value: -1 }, { name: 'epsilon', type: 'float', value: RMS_EPSILON },
      ]);
    }
    const r = skipRms(g, name, pending, residual, s.d);
    residual = r.sum;
    return r.norm;
  };
  for (let i = 0; i < s.layers; i++) {
    const b = `blocks.${i}`;
    const h = norm(`${b}.attn_norm`);
    const qkv = g.matMulNBits(`${b}.attn.qkv_proj`, h, s.d, [
      { name: `${b}.attn.q_proj.weight`, n: s.d }, { name: `${b}.attn.k_proj.weight`, n: kvd }, { name: `${b}.attn.v_proj.weight`, n: kvd },
    ]);
    const past = pasts[i];
    const [attn] = g.msOp('GroupQueryAttention', `${b}.attn.gqa`, [qkv, '', '', past?.key ?? '', past?.value ?? '', seqlensK, total, rope.cos, rope.sin], 3, [
      { name: 'num_heads', type: 'int', value: s.heads },
      { name: 'kv_num_heads', type: 'int', value: s.kvHeads },
      { name: 'do_rotary', type: 'int', value: 1 },
      { name: 'rotary_interleaved', type: 'int', value: 0 },
      { name: 'scale', type: 'float', value: 1 / Math.sqrt(s.headDim) },
      { name: 'local_window_size', type: 'int', value: s.window > 0 ? s.window : -1 },
    ], [`${b}.attn.gqa_output_0`, `present_key.${i}`, `present_value.${i}`]);
    pending = g.matMulNBits(`${b}.attn.o_proj`, attn!, s.d, [{ name: `${b}.attn.o_proj.weight`, n: s.d }]);
    const f = norm(`${b}.ffn_norm`);
    const gate = g.matMulNBits(`${b}.mlp.gate_proj`, f, s.d, [{ name: `${b}.mlp.gate_proj.weight`, n: s.ffn }]);
    const act = g.op('Mul', `${b}.mlp.act`, [gate, g.op('Sigmoid', `${b}.mlp.act.sigmoid`, [gate])]);
    const up = g.matMulNBits(`${b}.mlp.up_proj`, f, s.d, [{ name: `${b}.mlp.up_proj.weight`, n: s.ffn }]);
    pending = g.matMulNBits(`${b}.mlp.down_proj`, g.op('Mul', `${b}.mlp.mul`, [act, up]), s.ffn, [{ name: `${b}.mlp.down_proj.weight`, n: s.d }]);
  }
  g.matMulNBits('lm_head', norm('norm'), s.d, [{ name: 'lm_head.weight', n: s.vocab }], 'logits');
  g.output('logits', ['batch', 'sequence', s.vocab]);
  const totalDim = s.past > 0 ? 'total_sequence' : 'sequence';
  for (let i = 0; i < s.layers; i++) {
    g.output(`present_key.${i}`, ['batch', s.kvHeads, totalDim, s.headDim]);
    g.output(`present_value.${i}`, ['batch', s.kvHeads, totalDim, s.headDim]);
  }
  return { graph: g, dims: s.past > 0 ? { batch: 1, sequence: s.sequence, past: s.past } : { batch: 1, sequence: s.sequence } };
}

/** The float32 values the zoo's encoder writes for `t` at `seed` (the same generator, so the same weights as llama). */
export function zooWeights(t: LazyInitializer, seed: number): Float32Array {
  const g = new ZooGraph();
  g.param(t.name, t.dims, t.init);
  const raw = decodeModel(encodeZooGraph(g, { graphName: 'weights', seed })).graph?.initializer[0]?.rawData;
  if (!raw || raw.length !== t.elements * 4) throw new Error(`zoo: could not generate ${t.name}`);
  return new Float32Array(Uint8Array.from(raw).buffer);
}

/**
 * Symmetric 4-bit block quantisation of W = [K, N] (given as [K, nᵢ] parts concatenated along N)
 * into MatMulNBits' layout: B uint8 [N, K/32, 16], scales [N·K/32].
 */
export function quantizeInt4(parts: Float32Array[], widths: number[], k: number): { b: Uint8Array; scales: Float32Array } {
  const n = widths.reduce((a, w) => a + w, 0);
  const blocks = k / BLOCK_SIZE;
  const b = new Uint8Array(n * blocks * (BLOCK_SIZE / 2));
  const scales = new Float32Array(n * blocks);
  const column = new Float32Array(k);
  let col = 0;
  parts.forEach((w, p) => {
    const width = widths[p]!;
    for (let j = 0; j < width; j++, col++) {
      for (let kk = 0; kk < k; kk++) column[kk] = w[kk * width + j]!;
      for (let blk = 0; blk < blocks; blk++) {
        let max = 0;
        for (let t = 0; t < BLOCK_SIZE; t++) max = Math.max(max, Math.abs(column[blk * BLOCK_SIZE + t]!));
        const scale = max / 7;
        scales[col * blocks + blk] = scale;
        const base = (col * blocks + blk) * (BLOCK_SIZE / 2);
        for (let t = 0; t < BLOCK_SIZE; t += 2) {
          const q = (v: number) => scale === 0 ? 8 : Math.min(15, Math.max(0, Math.round(v / scale) + 8));
          b[base + t / 2] = q(column[blk * BLOCK_SIZE + t]!) | (q(column[blk * BLOCK_SIZE + t + 1]!) << 4);
        }
      }
    }
  });
  return { b, scales };
}

const floatBytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Encodes an Int4Graph (llama-int4's plan): fp32 initializers as the zoo draws them, each
 * MatMulNBits weight as packed B + scales, opset 17 + com.microsoft 1. Holds the weights twice
 * while protobufjs encodes (fine for the int4 sizes the zoo builds).
 */
export function encodeLlamaInt4(g: ZooGraph, opts: EncodeOptions): Uint8Array {
  if (!(g instanceof Int4Graph)) throw new Error('llama-int4 encoder: not an int4 plan');
  const quantizedNames = new Set(g.quantized.flatMap((w) => w.parts.map((p) => p.name)));
  const initializers: InitializerSpec[] = [];
  for (const t of g.initializers) {
    if (!quantizedNames.has(t.name)) initializers.push({ name: t.name, dataType: TensorDataType.FLOAT, dims: t.dims, raw: floatBytes(zooWeights(t, opts.seed)) });
  }
  for (const w of g.quantized) {
    const { b, scales } = quantizeInt4(w.parts.map((p) => zooWeights(p, opts.seed)), w.parts.map((p) => p.dims[1]!), w.k);
    initializers.push({ name: w.b, dataType: TensorDataType.UINT8, dims: [w.n, w.k / BLOCK_SIZE, BLOCK_SIZE / 2], raw: b });
    initializers.push({ name: w.scales, dataType: TensorDataType.FLOAT, dims: [w.n * (w.k / BLOCK_SIZE)], raw: floatBytes(scales) });
  }
  return buildModel({
    graphName: opts.graphName,
    docString: opts.docString,
    inputs: g.inputs,
    outputs: g.outputs,
    nodes: g.nodes,
    initializers,
    opset: 17,
    extraOpsets: [{ domain: MS, version: 1 }],
  });
}

export const LLAMA_INT4: ZooDefinition = {
  name: 'llama-int4',
  title: 'Llama-style decoder, ONNX Runtime int4 form',
  family: 'llama',
  description: 'The llama decoder as onnxruntime-genai writes int4 CPU models: com.microsoft GroupQueryAttention (K/V cache, rotary), MatMulNBits 4-bit weights (block 32, symmetric), (Skip)SimplifiedLayerNormalization. Same weights as llama at the same options and seed, quantised. Runs on ONNX Runtime only (contrib ops). Input ids [batch, sequence] (int64).',
  options: llamaOptions(false),
  reference: {
    params: llamaParams({ d: 512, layers: 4, headDim: 64, kvHeads: 2, ffn: 1408, vocab: 4096, experts: 0 }),
    source: 'Same closed form as llama, 2·V·d + d + L·(2d + 2d² + 2d·kv + 3d·f), counting each 4-bit weight as one parameter (Touvron et al. 2023 architecture; the int4 scales are quantisation data, not parameters)',
  },
  plan: planLlamaInt4,
};
