import { describe, expect, it } from 'vitest';
import { CHAIN_UNROLL, chainModuleBytes, measureClock, measuredClock } from './clock.js';

interface Chains {
  add(iters: number, x: number): number;
  mul(iters: number, x: number): number;
}
const chains = (unroll?: number): Chains => new WebAssembly.Instance(new WebAssembly.Module(chainModuleBytes(unroll)), {}).exports as unknown as Chains;

/** Best of `reps` timings of fn(iters, 3) in ms: short runs, so one of them escapes other processes. */
function best(fn: (iters: number, x: number) => number, iters: number, reps = 40): number {
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn(iters, 3);
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

describe('the dependent-op chains', () => {
  it('is valid wasm and computes what it says: x + iters·unroll·x and x^(iters·unroll + 1), mod 2^32', () => {
    expect(WebAssembly.validate(chainModuleBytes())).toBe(true);
    const c = chains(4);
    expect(c.add(0, 5)).toBe(5);
    expect(c.add(10, 5)).toBe(5 + 10 * 4 * 5);
    expect(c.mul(1, 3)).toBe(3 ** 5);
    expect(c.add(1, 2 ** 31 - 1)).toBe((5 * (2 ** 31 - 1)) | 0); // i32 wraps
  });

  // The timing claims the clock measurement rests on: one add per cycle, checked against the
  // 3-cycle i32 multiply (2 on some Arm cores), and a chain twice as long takes twice the time.
  it('runs at one add per cycle: twice the chain takes twice the time, a mul chain ~3× as long per op', () => {
    const c = chains();
    const n = 8_000; // ~0.3–0.5 ms per run at 2–4 GHz
    best(c.add, n, 10);
    best(c.mul, n, 10); // let V8 tier both up
    const tAdd = best(c.add, n);
    const tAdd2 = best(c.add, 2 * n);
    const tMul = best(c.mul, n);
    expect(tAdd2 / tAdd).toBeGreaterThan(1.7);
    expect(tAdd2 / tAdd).toBeLessThan(2.4);
    const [lo, hi] = process.arch === 'x64' || process.arch === 'ia32' ? [2.4, 3.6] : [1.6, 4.5];
    expect(tMul / tAdd).toBeGreaterThan(lo);
    expect(tMul / tAdd).toBeLessThan(hi);
    // And the add rate is a clock: 0.2–8 GHz.
    const ghz = (n * CHAIN_UNROLL) / tAdd / 1e6;
    expect(ghz).toBeGreaterThan(0.2);
    expect(ghz).toBeLessThan(8);
  });
});

describe('measureClock', () => {
  it('runs one worker per thread and reports the median of their best rates; add and mul agree on the clock', async () => {
    const add = await measureClock({ threads: 2, reps: 10 });
    expect(add).toMatchObject({ threads: 2, op: 'add' });
    expect(add.minGHz).toBeLessThanOrEqual(add.ghz);
    expect(add.maxGHz).toBeGreaterThanOrEqual(add.ghz);
    expect(add.ghz).toBeGreaterThan(0.2);
    expect(add.ghz).toBeLessThan(8);
    expect(add.ops / add.seconds / 1e9).toBeCloseTo(add.ghz, 0);
    // Each mul counts as 3 cycles (x86); on a busy machine either can measure low, so only a loose band.
    const mul = await measureClock({ threads: 1, reps: 10, op: 'mul' });
    if (process.arch === 'x64') {
      expect(mul.ghz / add.maxGHz).toBeGreaterThan(0.5);
      expect(mul.ghz / add.maxGHz).toBeLessThan(1.5);
    }
  });

  it('caches the default measurement per process', async () => {
    const a = measuredClock();
    expect(measuredClock()).toBe(a);
    expect((await a).threads).toBeGreaterThan(0);
  });
});
