import { describe, expect, it } from 'vitest';
import { latencySizes, planLatencyMax, runLatency } from './latency.js';
import type { BenchReporter } from './types.js';
import { liveWorkerCount } from '../../infra/worker-host.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

function reporter(signal = new AbortController().signal): BenchReporter {
  return { signal, progress: () => {}, log: () => {} };
}

describe('latency planning', () => {
  it('caps the largest working set and says why', () => {
    const vm = { l3Bytes: 508 * MiB, totalMemoryBytes: 24 * GiB };
    const quick = planLatencyMax({ ...vm, quick: true });
    expect(quick.bytes).toBe(256 * MiB);
    expect(quick.note).toMatch(/quick-mode cap/);
    expect(planLatencyMax({ ...vm, quick: false }).bytes).toBe(1 * GiB);
    expect(planLatencyMax({ quick: false, l3Bytes: 16 * MiB, totalMemoryBytes: 24 * GiB }).bytes).toBe(64 * MiB);
  });

  it('spaces sizes geometrically on 64-byte lines', () => {
    const s = latencySizes(4 * KiB, 64 * KiB, 2);
    expect(s[0]).toBe(4 * KiB);
    expect(s[s.length - 1]).toBe(64 * KiB);
    expect(s).toHaveLength(9);
    expect(s.every((v) => v % 64 === 0)).toBe(true);
  });
});

describe('runLatency', () => {
  it('chases a tiny ladder and returns positive, finite, ordered points', async () => {
    const res = await runLatency(
      { quick: true, maxBytes: 128 * KiB, targetSeconds: 0.0005, repeats: 2, caches: { l1dBytes: 48 * KiB, l2Bytes: 1 * MiB, l3Bytes: null } },
      reporter(),
    );
    expect(res.points.map((p) => p.bytes)).toEqual(latencySizes(4 * KiB, 128 * KiB, 2));
    for (const p of res.points) expect(Number.isFinite(p.ns) && p.ns > 0 && p.ns < 1000).toBe(true);
    for (const l of res.levels) {
      expect(['L1', 'L2', 'L3', 'DRAM']).toContain(l.name);
      expect(l.ns).toBeGreaterThan(0);
    }
    expect(res.levels[0]?.name).toBe('L1');
    expect(liveWorkerCount()).toBe(0);
  });

  it('rejects promptly with AbortError and stops its worker', async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    const r: BenchReporter = {
      signal: ac.signal,
      log: () => {},
      progress: (_p, done) => {
        if (done === 3 && !ac.signal.aborted) {
          abortedAt = performance.now();
          ac.abort();
        }
      },
    };
    await expect(runLatency({ quick: false, maxBytes: 64 * MiB, targetSeconds: 0.05, repeats: 5 }, r)).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(liveWorkerCount()).toBe(0);
  });
});
