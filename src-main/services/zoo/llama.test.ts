// The Llama-style decoder in both zoo forms: parameter counts against the closed form (and HF's
// Llama-2-7B / Mixtral-8x7B counts), real ONNX Runtime runs of the plain form (finite logits, K/V
// cache shapes, a cached decode step equal to the full-sequence run) and of the int4 form on the
// CPU execution provider (close to the plain form: same weights, quantised).
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../onnx/onnx-schema.js';
import { llamaParams } from './llama.js';
import { BLOCK_SIZE, quantizeInt4 } from './llama-ort.js';
import { buildZooModel, planZooModel, ZOO, type ZooOptionValues } from './zoo.js';

const SMALL = { width: 64, depth: 2, heads: 4, kv_heads: 2, ffn: 96, vocab: 100, sequence: 8, past: 4, context: 64 };
const IDS = [1, 2, 3, 7, 9, 11, 13, 17];

/** Formula inputs of SMALL-like options. */
function shape(o: typeof SMALL & { experts?: number }) {
  return { d: o.width, layers: o.depth, headDim: o.width / o.heads, kvHeads: o.kv_heads, ffn: o.ffn, vocab: o.vocab, experts: o.experts ?? 0 };
}

type Outputs = Record<string, ort.Tensor>;

const sessions = new Map<string, Promise<ort.InferenceSession>>();
function session(name: string, options: ZooOptionValues): Promise<ort.InferenceSession> {
  const key = `${name} ${JSON.stringify(options)}`;
  let s = sessions.get(key);
  if (!s) {
    s = ort.InferenceSession.create(buildZooModel(name, options).bytes, { intraOpNumThreads: 2, executionProviders: ['cpu'] });
    sessions.set(key, s);
  }
  return s;
}

/** Runs `ids` after the cache in `past` (the presents of an earlier run), or after an empty cache. */
async function run(name: string, options: typeof SMALL & Record<string, number>, ids: number[], past?: Outputs): Promise<Outputs> {
  const s = await session(name, options);
  const headDim = options.width / options.heads;
  const feeds: Outputs = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) };
  for (let i = 0; i < (options.past > 0 ? options.depth : 0); i++) {
    for (const kv of ['key', 'value']) {
      feeds[`past_${kv}.${i}`] = past?.[`present_${kv}.${i}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, options.kv_heads, 0, headDim]);
    }
  }
  return s.run(feeds);
}

const logits = (r: Outputs) => r.logits!.data as Float32Array;

/** ‖a − b‖ / ‖a‖ over [from, to). */
function relError(a: Float32Array, b: Float32Array, from = 0, to = a.length): number {
  let num = 0;
  let den = 0;
  for (let i = from; i < to; i++) { num += (a[i]! - b[i]!) ** 2; den += a[i]! ** 2; }
  return Math.sqrt(num / den);
}

function maxAbsDiff(a: Float32Array, aFrom: number, b: Float32Array, bFrom: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[aFrom + i]! - b[bFrom + i]!));
  return m;
}

describe('llama zoo: parameters', () => {
  it.each(['llama', 'llama-int4'])('%s has exactly the closed-form count (defaults and small options)', (name) => {
    expect(planZooModel(name).params).toBe(15_471_104);
    expect(ZOO.find((e) => e.name === name)!.reference!.params).toBe(15_471_104);
    expect(planZooModel(name, SMALL).params).toBe(llamaParams(shape(SMALL)));
    // Hand count of SMALL: 2·100·64 + 64 + 2·(128 + 2·4096 + 2·64·32 + 3·64·96) = 12,864 + 2·(128 + 8,192 + 4,096 + 18,432).
    expect(planZooModel(name, SMALL).params).toBe(12_864 + 2 * 30_848);
  });

  it('llama with experts adds E SwiGLU experts and a router per layer, and reports active parameters', () => {
    const m = planZooModel('llama', { ...SMALL, experts: 4 });
    expect(m.params).toBe(llamaParams(shape({ ...SMALL, experts: 4 })));
    const expert = 3 * 64 * 96;
    expect(m.moe).toMatchObject({ experts: 4, topK: 2, expertParams: 2 * 4 * expert, activeParamsPerToken: m.params - 2 * 4 * expert + 2 * 2 * expert });
  });

  it('matches HF counts at Llama-2-7B and Mixtral-8x7B shapes', () => {
    const llama2 = { width: 4096, depth: 32, heads: 32, kv_heads: 32, ffn: 11008, vocab: 32000, sequence: 1 };
    expect(planZooModel('llama', llama2).params).toBe(6_738_415_616);
    expect(llamaParams({ d: 4096, layers: 32, headDim: 128, kvHeads: 8, ffn: 14336, vocab: 32000, experts: 8 })).toBe(46_702_792_704);
  });

  it('refuses inconsistent options', () => {
    expect(() => planZooModel('llama', { heads: 8, kv_heads: 3 })).toThrow(/"kv_heads" must divide heads \(8\)/);
    expect(() => planZooModel('llama', { past: 4000, sequence: 128 })).toThrow(/"context" must be at least past \+ sequence/);
    expect(() => planZooModel('llama-int4', { ffn: 100 })).toThrow(/"ffn" must be a multiple of 32/);
    expect(() => planZooModel('llama-int4', { experts: 2 })).toThrow(/has no option "experts"/);
  });
});

describe('llama zoo: int4 packing', () => {
  it('quantises symmetric per block of 32 along K into MatMulNBits layout', () => {
    // W [K = 32, N = 2]: column 0 = k / 31 · 7 (max 7 → scale 1), column 1 = −1 everywhere (scale 1/7).
    const w = new Float32Array(64);
    for (let k = 0; k < 32; k++) { w[k * 2] = (k / 31) * 7; w[k * 2 + 1] = -1; }
    const { b, scales } = quantizeInt4([w], [2], 32);
    expect(b.length).toBe(2 * (BLOCK_SIZE / 2));
    expect(Array.from(scales)).toEqual([1, Math.fround(1 / 7)]);
    expect(b[0]).toBe(8 | (8 << 4)); // k 0 → 0 + 8 (low nibble), k 1 → round(0.226) + 8 (high)
    expect(b[15]! >> 4).toBe(15); // k 31 → 7 + 8
    expect(b[16]).toBe(1 | (1 << 4)); // −1 / (1/7) + 8 = 1
  });

  it('writes uint8 B [N, K/32, 16] and fp32 scales, com.microsoft ops', () => {
    const g = decodeModel(buildZooModel('llama-int4', { ...SMALL, depth: 1 }).bytes).graph!;
    const b = g.initializer.find((t) => t.name === 'blocks.0.attn.qkv_proj.weight_Q4')!;
    expect(b.dims).toEqual([64 + 2 * 32, 2, 16]);
    expect(g.initializer.find((t) => t.name === 'blocks.0.attn.qkv_proj.weight_scales')!.dims).toEqual([128 * 2]);
    const ops = new Set(g.node.map((n) => `${n.domain ?? ''}:${n.opType}`));
    for (const op of ['com.microsoft:GroupQueryAttention', 'com.microsoft:MatMulNBits', 'com.microsoft:SkipSimplifiedLayerNormalization', ':SimplifiedLayerNormalization']) expect(ops).toContain(op);
  });
});

describe('llama zoo: ONNX Runtime runs', () => {
  afterAll(async () => {
    for (const s of sessions.values()) await (await s).release();
  });

  it('plain form: finite logits, K/V cache shapes [batch, kv_heads, past + sequence, head_dim]', async () => {
    const first = await run('llama', SMALL, IDS.slice(0, 5));
    expect(first.logits!.dims).toEqual([1, 5, 100]);
    expect(logits(first).every(Number.isFinite)).toBe(true);
    expect(first['present_key.1']!.dims).toEqual([1, 2, 5, 16]);
    const next = await run('llama', SMALL, IDS.slice(5), first);
    expect(next.logits!.dims).toEqual([1, 3, 100]);
    expect(next['present_value.0']!.dims).toEqual([1, 2, 8, 16]);
    // The prefill graph (past 0) has no past inputs and the same outputs.
    const prefill = planZooModel('llama', { ...SMALL, past: 0 });
    expect(prefill.inputs.map((i) => i.name)).toEqual(['input_ids']);
    expect(prefill.outputs.map((o) => o.name)).toEqual(planZooModel('llama', SMALL).outputs.map((o) => o.name));
  });

  it.each([['llama', 0], ['llama', 3], ['llama-int4', 0], ['llama-int4', 3]] as const)('%s window %i: a cached decode step equals the full-sequence run', async (name, window) => {
    const o = { ...SMALL, window };
    const full = logits(await run(name, o, IDS));
    const prompt = await run(name, o, IDS.slice(0, 7));
    const step = logits(await run(name, o, IDS.slice(7), prompt));
    expect(maxAbsDiff(step, 0, full, 7 * 100, 100)).toBeLessThan(1e-3);
    // A chunk after the cache (past 5, sequence 3) too.
    const chunk = logits(await run(name, o, IDS.slice(5), await run(name, o, IDS.slice(0, 5))));
    expect(maxAbsDiff(chunk, 0, full, 5 * 100, 300)).toBeLessThan(1e-3);
  });

  it.each([0, 3])('int4 form runs on the CPU EP and is within 20 %% of the plain form (window %i)', async (window) => {
    const o = { ...SMALL, window };
    const plain = await run('llama', o, IDS);
    const int4 = await run('llama-int4', o, IDS);
    expect(int4.logits!.dims).toEqual([1, 8, 100]);
    expect(logits(int4).every(Number.isFinite)).toBe(true);
    for (let row = 0; row < IDS.length; row++) expect(relError(logits(plain), logits(int4), row * 100, row * 100 + 100)).toBeLessThan(0.2);
    // Same RoPE convention and positions: layer 0's rotated keys agree to the quantisation error.
    expect(relError(plain['present_key.0']!.data as Float32Array, int4['present_key.0']!.data as Float32Array)).toBeLessThan(0.15);
    expect(int4['present_key.1']!.dims).toEqual([1, 2, 8, 16]);
  });

  it.each(['llama', 'llama-int4'])('%s window W: each token sees exactly W keys (row W is the first to change)', async (name) => {
    const o = { ...SMALL, depth: 1, past: 0 };
    const full = logits(await run(name, { ...o, window: 0 }, IDS));
    for (const w of [1, 2, 3]) {
      const windowed = logits(await run(name, { ...o, window: w }, IDS));
      const firstChanged = IDS.findIndex((_, row) => maxAbsDiff(full, row * 100, windowed, row * 100, 100) > 1e-5);
      expect(firstChanged).toBe(w);
    }
  });

  it('the window matters (so the int4 comparison checks its semantics)', async () => {
    const a = logits(await run('llama', { ...SMALL, window: 0 }, IDS));
    const b = logits(await run('llama', { ...SMALL, window: 3 }, IDS));
    expect(maxAbsDiff(a, 0, b, 0, 300)).toBeLessThan(1e-6); // rows 0–2 see ≤ 3 tokens either way
    expect(relError(a, b, 700, 800)).toBeGreaterThan(0.3);
  });
});
