// Attention graphs on real ONNX Runtime against a float64 JS reference (full, causal, GQA and the banded sliding window against true |i − j| ≤ w/2 attention), and the profiler's FLOP count of each graph.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import { sessionOptions } from '../bench/gemm.js';
import { loadModelFromBytes } from '../onnx/load-model.js';
import { seededUniform } from '../planner/linreg-measure.js';
import {
  buildAttentionGraph,
  buildFullAttentionGraph,
  buildSlidingWindowGraph,
  edgeMask,
  graphAttentionFlops,
  keyRange,
  referenceAttention,
  slidingChunk,
  slidingUnsupported,
  type AttentionGraphSpec,
} from './attention-graphs.js';

interface Data {
  Q: Float32Array;
  K: Float32Array;
  V: Float32Array;
}

function data(spec: AttentionGraphSpec, seed = 1): Data {
  const kv = spec.kvHeads ?? spec.heads;
  return {
    Q: seededUniform(spec.batch * spec.heads * spec.seq * spec.headDim, seed),
    K: seededUniform(spec.batch * kv * spec.seq * spec.headDim, seed + 1),
    V: seededUniform(spec.batch * kv * spec.seq * spec.headDim, seed + 2),
  };
}

async function runGraph(model: Uint8Array, spec: AttentionGraphSpec, x: Data): Promise<Float32Array> {
  const kv = spec.kvHeads ?? spec.heads;
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  const s = await ort.InferenceSession.create(model, sessionOptions(1));
  try {
    const out = await s.run({
      Q: new ort.Tensor('float32', x.Q, [B, H, N, d]),
      K: new ort.Tensor('float32', x.K, [B, kv, N, d]),
      V: new ort.Tensor('float32', x.V, [B, kv, N, d]),
    });
    expect(out.O!.dims).toEqual([B, H, N, d]);
    return out.O!.data as Float32Array;
  } finally {
    await s.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Number.isFinite(a[i]!) ? Math.abs(a[i]! - b[i]!) : Infinity);
  return m;
}

async function profiledFlops(model: Uint8Array): Promise<{ flops: number; uncounted: number; warnings: string[] }> {
  const p = profileModel(await loadModelFromBytes(model, 'attention'), {});
  return { flops: p.totals.flops, uncounted: p.uncounted.length, warnings: p.warnings };
}

const SPECS: AttentionGraphSpec[] = [
  { kind: 'full', batch: 2, heads: 3, seq: 17, headDim: 8 },
  { kind: 'full', batch: 1, heads: 4, kvHeads: 2, seq: 24, headDim: 16 },
  { kind: 'causal', batch: 2, heads: 2, seq: 20, headDim: 4 },
  { kind: 'causal', batch: 1, heads: 6, kvHeads: 1, seq: 16, headDim: 8 },
  { kind: 'sliding', window: 8, batch: 2, heads: 3, seq: 32, headDim: 8 }, // c = 4, 8 chunks
  { kind: 'sliding', window: 2, batch: 1, heads: 2, seq: 7, headDim: 4 }, // c = 1: i − 1 … i + 1
  { kind: 'sliding', window: 12, batch: 1, heads: 4, kvHeads: 2, seq: 36, headDim: 16 }, // c = 6, GQA
  { kind: 'sliding', window: 16, batch: 1, heads: 2, seq: 8, headDim: 8 }, // one chunk: every key in reach
];

describe('attention graphs against the float64 reference', () => {
  for (const spec of SPECS) {
    const label = `${spec.kind}${spec.window ? `:${spec.window}` : ''} B${spec.batch} H${spec.heads}${spec.kvHeads ? `/kv${spec.kvHeads}` : ''} N${spec.seq} d${spec.headDim}`;
    it(`${label}: ORT output equals the reference`, async () => {
      const x = data(spec);
      const got = await runGraph(buildAttentionGraph(spec), spec, x);
      expect(maxAbsDiff(got, referenceAttention(spec, x.Q, x.K, x.V))).toBeLessThan(1e-5);
    });
  }

  it('the banded graph is true sliding-window attention, not full attention', async () => {
    const spec: AttentionGraphSpec = { kind: 'sliding', window: 16, batch: 1, heads: 2, seq: 64, headDim: 8 };
    const x = data(spec, 9);
    const got = await runGraph(buildSlidingWindowGraph({ ...spec, window: 16 }), spec, x);
    expect(maxAbsDiff(got, referenceAttention(spec, x.Q, x.K, x.V))).toBeLessThan(1e-5);
    // A window one step wider or narrower, or full attention, gives measurably different outputs.
    for (const other of [{ ...spec, kind: 'full' as const }, { ...spec, window: 18 }, { ...spec, window: 14 }]) {
      expect(maxAbsDiff(got, referenceAttention(other, x.Q, x.K, x.V))).toBeGreaterThan(1e-3);
    }
  });

  it('a window covering the whole sequence equals full attention', async () => {
    const spec: AttentionGraphSpec = { kind: 'sliding', window: 32, batch: 1, heads: 2, seq: 16, headDim: 8 };
    const x = data(spec, 4);
    const got = await runGraph(buildAttentionGraph(spec), spec, x);
    expect(maxAbsDiff(got, referenceAttention({ ...spec, kind: 'full' }, x.Q, x.K, x.V))).toBeLessThan(1e-5);
  });

  it('causal row 0 is V row 0; full attention over one key is that key', async () => {
    const spec: AttentionGraphSpec = { kind: 'causal', batch: 1, heads: 1, seq: 5, headDim: 3 };
    const x = data(spec, 2);
    const got = await runGraph(buildFullAttentionGraph({ ...spec, causal: true }), spec, x);
    for (let t = 0; t < 3; t++) expect(got[t]).toBeCloseTo(x.V[t]!, 6);
    const one: AttentionGraphSpec = { kind: 'full', batch: 1, heads: 2, seq: 1, headDim: 4 };
    const y = data(one, 3);
    expect(Array.from(await runGraph(buildAttentionGraph(one), one, y))).toEqual(Array.from(y.V));
  });

  it('cornerOutput adds O_corner = O[0, 0, 0, 0] and changes nothing else', async () => {
    for (const spec of [SPECS[0]!, SPECS[4]!]) {
      const x = data(spec, 6);
      const model = buildAttentionGraph({ ...spec, cornerOutput: true });
      const kv = spec.kvHeads ?? spec.heads;
      const { batch: B, heads: H, seq: N, headDim: d } = spec;
      const s = await ort.InferenceSession.create(model, sessionOptions(1));
      try {
        const feeds = {
          Q: new ort.Tensor('float32', x.Q, [B, H, N, d]),
          K: new ort.Tensor('float32', x.K, [B, kv, N, d]),
          V: new ort.Tensor('float32', x.V, [B, kv, N, d]),
        };
        const both = await s.run(feeds);
        const corner = await s.run(feeds, ['O_corner']);
        expect(Object.keys(corner)).toEqual(['O_corner']);
        expect(corner.O_corner!.dims).toEqual([1, 1, 1, 1]);
        expect(corner.O_corner!.data[0]).toBe((both.O!.data as Float32Array)[0]);
        expect(maxAbsDiff(both.O!.data as Float32Array, referenceAttention(spec, x.Q, x.K, x.V))).toBeLessThan(1e-5);
      } finally {
        await s.release();
      }
      expect((await profiledFlops(model)).flops).toBe(graphAttentionFlops(spec));
    }
  });

  it('GQA: query heads of one group read the same K/V head', () => {
    const spec: AttentionGraphSpec = { kind: 'full', batch: 1, heads: 4, kvHeads: 2, seq: 6, headDim: 4 };
    const x = data(spec);
    // Give heads 0 and 1 (group of K/V head 0) the same queries: their outputs must match.
    x.Q.copyWithin(6 * 4, 0, 6 * 4);
    const ref = referenceAttention(spec, x.Q, x.K, x.V);
    expect(Array.from(ref.subarray(24, 48))).toEqual(Array.from(ref.subarray(0, 24)));
    // Heads 2 and 3 read K/V head 1 instead.
    x.Q.copyWithin(2 * 24, 0, 24);
    const ref2 = referenceAttention(spec, x.Q, x.K, x.V);
    expect(maxAbsDiff(ref2.subarray(48, 72), ref2.subarray(0, 24))).toBeGreaterThan(1e-3);
  });
});

describe('FLOPs of the graphs', () => {
  it('torch SDPA convention: q, k, v (1, 12, 64, 64) → 12,582,912 FLOPs', async () => {
    const spec: AttentionGraphSpec = { kind: 'full', batch: 1, heads: 12, seq: 64, headDim: 64 };
    expect(graphAttentionFlops(spec)).toBe(12_582_912);
    const p = await profiledFlops(buildAttentionGraph(spec));
    expect(p.flops).toBe(12_582_912);
    expect(p.uncounted).toBe(0);
    expect(p.warnings).toEqual([]);
  });

  for (const spec of [...SPECS, { kind: 'sliding', window: 256, batch: 2, heads: 12, seq: 1024, headDim: 64 } as AttentionGraphSpec]) {
    it(`the profiler counts exactly graphAttentionFlops: ${spec.kind}${spec.window ? `:${spec.window}` : ''} N${spec.seq}`, async () => {
      const p = await profiledFlops(buildAttentionGraph(spec));
      expect(p.flops).toBe(graphAttentionFlops(spec));
      expect(p.uncounted).toBe(0);
      expect(p.warnings).toEqual([]);
      const { batch: B, heads: H, seq: N, headDim: d } = spec;
      if (spec.kind === 'sliding') {
        const c = spec.window! / 2;
        expect(p.flops).toBe(12 * B * H * N * c * d);
        expect(p.flops).toBe(6 * B * H * N * spec.window! * d);
      } else {
        expect(p.flops).toBe(4 * N * N * d * H * B);
      }
    });
  }

  it('sliding FLOPs grow linearly in seq, full quadratically', () => {
    const at = (kind: 'full' | 'sliding', seq: number) => graphAttentionFlops({ kind, window: 256, batch: 1, heads: 12, seq, headDim: 64 });
    expect(at('sliding', 4096) / at('sliding', 1024)).toBe(4);
    expect(at('full', 4096) / at('full', 1024)).toBe(16);
    // Equal at N = 3c = 384: a chunked query scores 3c keys.
    expect(at('sliding', 384)).toBe(at('full', 384));
  });
});

describe('helpers and validation', () => {
  it('keyRange: full, causal and the clipped window', () => {
    expect(keyRange('full', 3, 10)).toEqual([0, 9]);
    expect(keyRange('causal', 3, 10)).toEqual([0, 3]);
    expect(keyRange('sliding', 3, 10, 4)).toEqual([1, 5]);
    expect(keyRange('sliding', 0, 10, 4)).toEqual([0, 2]);
    expect(keyRange('sliding', 9, 10, 4)).toEqual([7, 9]);
  });

  it('edge mask hides the clamped neighbours of the first and last chunk', () => {
    const m = edgeMask(3, 2); // [3, 1, 6]
    expect(Array.from(m)).toEqual([
      -Infinity, -Infinity, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, -Infinity, -Infinity,
    ]);
    expect(Array.from(edgeMask(1, 1))).toEqual([-Infinity, 0, -Infinity]);
  });

  it('chunks are window / 2; seq must be a multiple', () => {
    expect(slidingChunk(256, 4096)).toBe(128);
    expect(slidingUnsupported(256, 4096)).toBeNull();
    expect(slidingUnsupported(256, 1000)).toMatch(/multiple of the chunk window\/2 = 128/);
    expect(slidingUnsupported(256, 64)).toMatch(/shorter than the chunk window\/2 = 128: the window covers the whole sequence/);
    expect(() => slidingChunk(7, 14)).toThrow(/window must be even/);
    expect(() => slidingChunk(0, 14)).toThrow(/^window must be a whole number/);
  });

  it('rejects bad shapes with a RangeError naming the field', () => {
    const base = { batch: 1, heads: 4, seq: 8, headDim: 4 };
    expect(() => buildFullAttentionGraph({ ...base, kvHeads: 3 })).toThrow(/kvHeads must divide heads/);
    expect(() => buildFullAttentionGraph({ ...base, seq: 0 })).toThrow(/^seq must/);
    expect(() => buildFullAttentionGraph({ ...base, headDim: 1.5 })).toThrow(/^headDim must/);
    expect(() => buildSlidingWindowGraph({ ...base, window: 6 })).toThrow(/multiple of the chunk/);
    expect(() => buildAttentionGraph({ ...base, kind: 'sliding' })).toThrow(/window is required/);
    expect(() => graphAttentionFlops({ ...base, kind: 'sliding' })).toThrow(/window is required/);
  });
});
