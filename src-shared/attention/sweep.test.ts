// Unit tests for the lab's sweep: points for every variant × seq, crossovers by log-log interpolation (linear overtakes full near N ≈ d), field-named errors, warnings, logSeqs, and no NaN from 128 to 1,048,576 tokens.
import { describe, expect, it } from 'vitest';
import { attentionCost, DeviceError, ShapeError } from './cost.js';
import { findCrossovers, logSeqs, sweep, SweepError } from './sweep.js';
import type { AttentionDevice, AttentionPoint, AttentionShape } from './types.js';
import { parseVariants, VariantError } from './variants.js';

const gpu: AttentionDevice = { name: 'test GPU', peakGflops: 100_000, bandwidthGBs: 2_000, memoryBytes: 80e9, sramBytes: 192 * 1024, source: 'test' };
const bert: AttentionShape = { dModel: 768, heads: 12, layers: 12 };

function thrown(f: () => unknown): Error & { field?: string } {
  try {
    f();
  } catch (err) {
    return err as Error & { field?: string };
  }
  throw new Error('expected an error');
}

describe('sweep', () => {
  it('runs every variant at every seq, sorted and deduplicated, with the device', () => {
    const r = sweep({ shape: bert, variants: parseVariants('full,sliding:256'), seqs: [1024, 128, 512, 128], device: gpu });
    expect(r.seqs).toEqual([128, 512, 1024]);
    expect(r.points.map((p) => `${p.variant}@${p.seq}`)).toEqual(['full@128', 'full@512', 'full@1024', 'sliding:256@128', 'sliding:256@512', 'sliding:256@1024']);
    expect(r.points[2]).toEqual(attentionCost(bert, { kind: 'full' }, 1024, gpu));
    expect(r.points.every((p) => p.predictedOn === 'test GPU' && p.predictedSeconds > 0)).toBe(true);
    // sliding:256 is full attention at 128: a warning, not an error.
    expect(r.warnings).toContain('"sliding:256" equals full attention at seq 128 (its window covers the whole sequence there)');
    // Equal at 128 (no sign), sliding cheaper after: no crossing.
    expect(r.crossovers).toEqual([]);
  });

  it('finds linear attention overtaking full attention near N ≈ d', () => {
    const r = sweep({ shape: { dModel: 768, heads: 12 }, variants: parseVariants('full,linear'), seqs: logSeqs(8, 4096, 4), device: gpu });
    expect(r.crossovers).toHaveLength(1);
    const c = r.crossovers[0]!;
    expect([c.a, c.b]).toEqual(['linear', 'full']);
    // d = 64: FLOPs cross at N = d + ½; the roofline time (both memory bound here) within 2× of d.
    expect(c.seq).toBeGreaterThan(32);
    expect(c.seq).toBeLessThan(128);
    const full = r.points.filter((p) => p.variant === 'full');
    const linear = r.points.filter((p) => p.variant === 'linear');
    // At 4096 the projections (the same for both) dominate the whole pass; attention alone is ≫ 10× apart.
    expect(linear.at(-1)!.predictedSeconds).toBeLessThan(full.at(-1)!.predictedSeconds / 2);
    expect(linear.at(-1)!.attentionSeconds!).toBeLessThan(full.at(-1)!.attentionSeconds! / 10);
    expect(linear[0]!.predictedSeconds).toBeGreaterThan(full[0]!.predictedSeconds);
  });

  it('finds crossovers for every pair, sorted by seq; none for identical curves or curves that only part', () => {
    const r = sweep({ shape: bert, variants: parseVariants('full,gqa:12,linear,sliding:128'), seqs: logSeqs(16, 65536, 2), device: gpu });
    const seqs = r.crossovers.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // full and gqa:12 are the same curve; sliding:128 equals full up to 128 and is cheaper after (no sign
    // flip); linear (≈ 4·N·d², d = 64) beats both, and sliding with w = 128 > d too.
    expect(r.crossovers.map((c) => `${c.a}<${c.b}`).sort()).toEqual(['linear<full', 'linear<gqa:12', 'linear<sliding:128']);
    const [vsFull, vsGqa] = ['full', 'gqa:12'].map((b) => r.crossovers.find((c) => c.a === 'linear' && c.b === b)!.seq);
    expect(vsFull).toBe(vsGqa);
    expect(r.warnings).toContain('"gqa:12": as many K/V heads as heads (12) is plain multi-head attention');
  });

  it('gives finite numbers for every variant from 128 to 1,048,576 tokens', () => {
    const variants = parseVariants('full,causal,sliding:512,dilated:512:4,global:512:2,bigbird:64:3:2,linear,gqa:4,flash,tome:8,prune:0.5');
    const r = sweep({ shape: { dModel: 4096, heads: 32, layers: 32, batch: 2, bytesPerElement: 2 }, variants, seqs: logSeqs(128, 1_048_576, 2), device: gpu });
    expect(r.points).toHaveLength(variants.length * 27);
    for (const p of r.points) {
      for (const [k, value] of Object.entries(p)) {
        if (typeof value === 'number') expect(Number.isFinite(value), `${p.variant} at ${p.seq}: ${k}`).toBe(true);
      }
    }
    for (const c of r.crossovers) expect(Number.isFinite(c.seq) && c.seq >= 128 && c.seq <= 1_048_576).toBe(true);
    // Full attention's activations outgrow an 80 GB device.
    expect(r.warnings.some((w) => w.startsWith('"full": from seq') && w.includes("exceed test GPU's memory (80.0 GB)"))).toBe(true);
  });

  it('rejects a window at least every seq, naming it', () => {
    const e = thrown(() => sweep({ shape: bert, variants: parseVariants('full,sliding:8192'), seqs: [1024, 4096], device: gpu }));
    expect(e).toBeInstanceOf(VariantError);
    expect(e.field).toBe('variants');
    expect(e.message).toBe('"sliding:8192": the window is at least every sequence length (largest 4096), so it equals full attention — pick a window below 4096');
    expect(thrown(() => sweep({ shape: bert, variants: parseVariants('global:4096:2'), seqs: [1024, 4096], device: gpu })).message).toContain('"global:4096:2": the window is at least every sequence length');
    expect(thrown(() => sweep({ shape: bert, variants: parseVariants('global:64:5000'), seqs: [1024, 4096], device: gpu })).message).toContain('5000 global tokens are at least every sequence length');
    expect(thrown(() => sweep({ shape: bert, variants: parseVariants('bigbird:64:3:2'), seqs: [128, 256], device: gpu })).message).toBe(
      '"bigbird:64:3:2": its 8 key blocks of 64 (512 keys per query, 3 sliding + 3 random + 2 global) cover every sequence length (largest 256), so it equals full attention — pick fewer or smaller blocks (below 256 keys)',
    );
    // A dilated window is never full attention (each query sees one residue class): a warning only.
    const r = sweep({ shape: bert, variants: parseVariants('dilated:8192:2'), seqs: [1024, 4096], device: gpu });
    expect(r.warnings[0]).toContain('"dilated:8192:2": the dilated span');
  });

  it('rejects bad seqs, variants, shapes and devices with field-named errors', () => {
    const base = { shape: bert, variants: parseVariants('full'), seqs: [128], device: gpu };
    for (const seqs of [[], [0], [128, 1.5], [2 ** 21], ['512' as unknown as number]]) {
      const e = thrown(() => sweep({ ...base, seqs }));
      expect(e).toBeInstanceOf(SweepError);
      expect(e.field).toBe('seqs');
    }
    expect(thrown(() => sweep({ ...base, seqs: [128, 2 ** 21] })).message).toBe('seqs: 2097152 is longer than the lab models (at most 1048576 = 2^20)');
    expect(thrown(() => sweep({ ...base, seqs: [-4] })).message).toBe('seqs: -4 is not a positive whole number of tokens');
    expect(thrown(() => sweep({ ...base, variants: [] })).message).toContain('no variants given');
    expect(thrown(() => sweep({ ...base, variants: [{ kind: 'full' }, { kind: 'full' }] })).message).toBe('"full" is listed twice');
    expect(thrown(() => sweep({ ...base, variants: parseVariants('gqa:5') })).message).toContain('"gqa:5": 5 K/V heads do not divide the 12 query heads');
    const shape = thrown(() => sweep({ ...base, shape: { dModel: 1000, heads: 12 } }));
    expect(shape).toBeInstanceOf(ShapeError);
    expect(shape.message).toContain('heads: 12 does not divide d_model 1000');
    expect(thrown(() => sweep({ ...base, shape: { dModel: 768, heads: 12, kvHeads: 5 } })).message).toContain('kvHeads: 5 does not divide heads 12');
    expect(thrown(() => sweep({ ...base, device: undefined as unknown as AttentionDevice }))).toBeInstanceOf(DeviceError);
    expect(thrown(() => sweep({ ...base, device: { ...gpu, peakGflops: 0 } })).message).toContain('device.peakGflops');
  });

  it('warns about ToMe merging more than half the tokens, and no-op variants', () => {
    const r = sweep({ shape: { dModel: 768, heads: 12, layers: 12 }, variants: parseVariants('tome:64,tome:0,prune:1'), seqs: [256, 4096], device: gpu });
    expect(r.warnings.some((w) => w.startsWith('"tome:64": at seq 256 some layer merges more than half'))).toBe(true);
    expect(r.warnings).toContain('"tome:0": r = 0 merges nothing, so it equals full attention');
    expect(r.warnings).toContain('"prune:1": keep = 1 prunes nothing, so it equals full attention');
  });
});

describe('findCrossovers', () => {
  const pts = (variant: string, times: number[], seqs: number[]) =>
    times.map((t, i) => ({ variant, seq: seqs[i]!, predictedSeconds: t }) as AttentionPoint);

  it('interpolates in log-log between the seqs where the sign flips, skipping ties', () => {
    const seqs = [1, 2, 4];
    // x: 1, 2, 4 s; y: 2 s flat. Tie at 2; the log-log line from (1, ln ½) to (4, ln 2) crosses 0 at 2.
    const c = findCrossovers(pts('x', [1, 2, 4], seqs), pts('y', [2, 2, 2], seqs));
    expect(c).toHaveLength(1);
    expect(c[0]!.a).toBe('y');
    expect(c[0]!.b).toBe('x');
    expect(c[0]!.seq).toBeCloseTo(2, 12);
  });

  it('reports each crossing of a pair that crosses twice', () => {
    const seqs = [1, 10, 100, 1000];
    const c = findCrossovers(pts('x', [1, 3, 1, 3], seqs), pts('y', [2, 2, 2, 2], seqs));
    expect(c.map((o) => o.a)).toEqual(['y', 'x', 'y']);
  });
});

describe('logSeqs', () => {
  it('doubles from lo to hi, perOctave points per doubling, hi included', () => {
    const s = logSeqs(128, 1_048_576);
    expect(s).toHaveLength(14);
    expect(s[0]).toBe(128);
    expect(s.at(-1)).toBe(1_048_576);
    expect(logSeqs(100, 1000)).toEqual([100, 200, 400, 800, 1000]);
    expect(logSeqs(1, 4, 2)).toEqual([1, 2, 3, 4]);
    expect(logSeqs(128, 512, 2)).toEqual([128, 181, 256, 362, 512]);
    expect(logSeqs(64, 64, 4)).toEqual([64]);
  });

  it('rejects bad ranges', () => {
    expect(() => logSeqs(0, 100)).toThrow(SweepError);
    expect(() => logSeqs(0, 100)).toThrow('seqs: lo: must be a positive whole number of tokens (got 0)');
    expect(() => logSeqs(1000, 100)).toThrow('the range ends (100) before it starts (1000)');
    expect(() => logSeqs(1, 2 ** 21)).toThrow('hi: 2097152 is longer');
    expect(() => logSeqs(1, 100, 0)).toThrow(SweepError);
  });
});
