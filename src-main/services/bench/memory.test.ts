import { describe, expect, it } from 'vitest';
import { planArrayBytes, runMemory, sweepSizes } from './memory.js';
import type { BenchReporter } from './types.js';
import { streamLayout } from './memory-protocol.js';
import { instantiateKernels, KERNEL_ALIGN, WAYS } from './wasm-kernels.js';
import { liveWorkerCount } from '../../infra/worker-host.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const caches = { l1dBytes: 48 * KiB, l2Bytes: 1 * MiB, l3Bytes: 32 * MiB };

function reporter(signal = new AbortController().signal): BenchReporter & { logs: string[]; phases: string[] } {
  const logs: string[] = [];
  const phases: string[] = [];
  return { signal, logs, phases, progress: (phase) => void phases.push(phase), log: (m) => logs.push(m) };
}

describe('wasm kernels', () => {
  it('compute STREAM copy/scale/add/triad and the read sum exactly', () => {
    const n = 4 * KERNEL_ALIGN; // bytes per array
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const k = instantiateKernels(memory, 1);
    const f = new Float64Array(memory.buffer);
    const [A, B, C] = [0, n, 2 * n];
    const len = n / 8;
    for (let i = 0; i < len; i++) {
      f[i] = i;
      f[len + i] = 2 * i + 1;
    }
    k.copy(C, A, 0, n, 0, 0); // c = a
    expect(f[2 * len + 7]).toBe(7);
    k.scale(B, C, 0, n, 3, 0); // b = 3c
    expect(f[len + 7]).toBe(21);
    k.add(C, A, B, n, 0, 0); // c = a + b
    expect(f[2 * len + 7]).toBe(28);
    k.triad(A, B, C, n, 3, 0); // a = b + 3c
    expect(f[7]).toBe(21 + 84);
    for (let i = 0; i < len; i++) expect(f[i]).toBe(f[len + i]! + 3 * f[2 * len + i]!);
    let sum = 0;
    for (let i = 0; i < len; i++) sum += f[i]!;
    expect(k.read(A, n, 3, 0)).toBe(3 * sum);
    expect(k.read(A, 0, 3, 0)).toBe(0);
  });
});

describe('staggered streams', () => {
  it('walk the second sub-range `gap` bytes after the first ends and leave the gap alone', () => {
    const n = 4 * KERNEL_ALIGN;
    const gap = 3 * 64;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const k = instantiateKernels(memory, 1);
    const f = new Float64Array(memory.buffer);
    const span = n + (WAYS - 1) * gap; // bytes one array occupies
    const [A, C] = [0, 2 * span];
    for (let i = 0; i < span / 8; i++) f[i] = i + 1;
    k.copy(C, A, 0, n, 0, gap);
    const part = n / WAYS;
    for (let w = 0; w < WAYS; w++) {
      const first = (w * (part + gap)) / 8;
      for (let i = first; i < first + part / 8; i++) expect(f[C / 8 + i]).toBe(i + 1);
      // the gap after each sub-range (before the next) is untouched
      if (w < WAYS - 1) for (let i = first + part / 8; i < first + (part + gap) / 8; i++) expect(f[C / 8 + i]).toBe(0);
    }
    let sum = 0;
    for (let w = 0; w < WAYS; w++) for (let i = 0; i < part / 8; i++) sum += w * (part + gap) / 8 + i + 1;
    expect(k.read(A, n, 2, gap)).toBe(2 * sum);
  });

  it('lay the three arrays out so every stream of a kernel starts in a different cache set', () => {
    for (const threads of [1, 2, 3, 8]) {
      for (const arrayBytes of [2 * MiB, 1 * GiB, 96 * MiB + 3 * threads * KERNEL_ALIGN]) {
        const l = streamLayout(arrayBytes - (arrayBytes % (threads * KERNEL_ALIGN)), threads, KERNEL_ALIGN, WAYS);
        // no overlap: each array's region ends before the next begins, inside the memory
        expect(l.bases[0] + threads * l.sliceStride).toBeLessThanOrEqual(l.bases[1]);
        expect(l.bases[1] + threads * l.sliceStride).toBeLessThanOrEqual(l.bases[2]);
        expect(l.bases[2] + threads * l.sliceStride).toBe(l.totalBytes);
        // the read sweep's largest set (all three arrays) also fits, gaps included
        expect(threads * ((3 * l.sliceBytes) + (WAYS - 1) * l.gap)).toBeLessThanOrEqual(l.totalBytes);
        for (let t = 0; t < threads; t++) {
          const starts = l.bases.flatMap((base) => Array.from({ length: WAYS }, (_, w) => base + t * l.sliceStride + w * (l.sliceBytes / WAYS + l.gap)));
          // distinct cache lines modulo a 4 KiB L1 set span and a 64 KiB L2 set span
          for (const span of [4 * KiB, 64 * KiB]) expect(new Set(starts.map((s) => Math.floor((s % span) / 64))).size).toBe(starts.length);
        }
      }
    }
  });
});

describe('planArrayBytes', () => {
  it('caps STREAM arrays by 4× LLC, RAM/16, the wasm limit and quick mode', () => {
    const vm = { l3Bytes: 508 * MiB, totalMemoryBytes: 24 * GiB, threads: 2 };
    expect(planArrayBytes({ ...vm, quick: true }).bytes).toBe(256 * MiB);
    const full = planArrayBytes({ ...vm, quick: false });
    expect(full.bytes).toBe(1 * GiB);
    expect(full.note).toMatch(/wasm32/);
    expect(full.note).toMatch(/below 4×/);
    expect(planArrayBytes({ quick: false, l3Bytes: 32 * MiB, totalMemoryBytes: 64 * GiB, threads: 8 }).bytes).toBe(128 * MiB);
    expect(planArrayBytes({ quick: false, l3Bytes: null, totalMemoryBytes: 2 * GiB, threads: 1 }).bytes).toBe(128 * MiB);
    expect(planArrayBytes({ quick: false, l3Bytes: 32 * MiB, totalMemoryBytes: 64 * GiB, threads: 3 }).bytes % (3 * KERNEL_ALIGN)).toBe(0);
  });

  it('spaces sweep sizes geometrically on the thread grain', () => {
    const s = sweepSizes(1 * MiB, 2, 2 * KERNEL_ALIGN);
    expect(s[0]).toBe(16 * KiB);
    expect(s[s.length - 1]).toBe(1 * MiB);
    expect(s).toHaveLength(13);
    expect(s.every((v) => v % (2 * KERNEL_ALIGN) === 0)).toBe(true);
  });
});

describe('runMemory', () => {
  it('runs STREAM and the sweep at a tiny size on two threads', async () => {
    const r = reporter();
    const res = await runMemory({ quick: true, threads: 2, arrayBytes: 2 * MiB, ntimes: 3, sweepMaxBytes: 512 * KiB, caches }, r);
    expect(res.threads).toBe(2);
    expect(res.arrayBytes).toBe(2 * MiB);
    for (const v of [res.copyGBs, res.scaleGBs, res.addGBs, res.triadGBs]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(res.sweep.length).toBeGreaterThan(5);
    for (const p of res.sweep) expect(Number.isFinite(p.GBs) && p.GBs > 0).toBe(true);
    // The same sizes read again by one thread of the two.
    expect(res.singleThreadSweep?.map((p) => p.bytes)).toEqual(res.sweep.map((p) => p.bytes));
    for (const p of res.singleThreadSweep!) expect(Number.isFinite(p.GBs) && p.GBs > 0).toBe(true);
    expect(r.phases).toContain('memory: bandwidth sweep, 1 thread');
    expect(res.levels.length).toBeGreaterThan(0);
    for (const l of res.levels) expect(['L1', 'L2', 'L3', 'DRAM']).toContain(l.name);
    expect(r.logs.some((m) => m.startsWith('STREAM (2 threads'))).toBe(true);
    expect(liveWorkerCount()).toBe(0);
  });

  it('releases its arrays when it returns (the memory lives only in the workers)', async () => {
    const rss = () => process.memoryUsage().rss;
    const before = rss();
    // 3 × 32 MiB per run: a leak would add ~96 MiB per run, ~290 MiB over three.
    for (let i = 0; i < 3; i++) await runMemory({ quick: true, threads: 1, arrayBytes: 32 * MiB, ntimes: 2, sweep: false }, reporter());
    expect(rss() - before).toBeLessThan(150 * MiB);
    expect(liveWorkerCount()).toBe(0);
  });

  it('rejects promptly with AbortError on cancel and leaves no workers behind', async () => {
    const ac = new AbortController();
    const r = reporter(ac.signal);
    let abortedAt = 0;
    r.progress = (phase, done) => {
      if (phase === 'memory: bandwidth sweep' && done === 2 && !ac.signal.aborted) {
        abortedAt = performance.now();
        ac.abort();
      }
    };
    await expect(runMemory({ quick: false, threads: 2, arrayBytes: 4 * MiB, ntimes: 2, caches }, r)).rejects.toMatchObject({ name: 'AbortError' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(liveWorkerCount()).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runMemory({ quick: true, arrayBytes: MiB }, reporter(ac.signal))).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveWorkerCount()).toBe(0);
  });
});
