import { describe, expect, it } from 'vitest';
import type { Calibration } from '../../../src-shared/bench/calibration.js';
import { silentReporter } from '../bench/types.js';
import { speedProbe } from './speed-probe.js';

const calibration = (threads: number, gflops: number): Calibration => ({
  threads,
  gemm: [{ batch: 1, m: 512, n: 512, k: 512, gflops, medianSeconds: (2 * 512 ** 3) / (gflops * 1e9) }],
  conv: [],
  overheadUs: 1,
  method: 'test',
});

describe('speedProbe (real ONNX Runtime)', () => {
  it('measures the 512³ MatMul again and compares it with the stored point at the same thread count', async () => {
    const s = await speedProbe(calibration(1, 1), 1, silentReporter());
    expect(s).not.toBeNull();
    expect(s!.benchmarkGflops).toBe(1);
    expect(s!.nowGflops).toBeGreaterThan(1); // any CPU multiplies 512³ faster than 1 GFLOP/s
    expect(s!.ratio).toBeCloseTo(s!.nowGflops, 12);
    expect(s!.small).toBeUndefined(); // no depthwise point stored, nothing to compare
  });

  it('measures the small depthwise Conv again too when the benchmark has that point', async () => {
    const withSmall: Calibration = { ...calibration(1, 1), conv: [{ channels: 144, groups: 144, size: 56, kernel: 3, stride: 1, gflops: 0.5, medianSeconds: 1 }] };
    const s = await speedProbe(withSmall, 1, silentReporter());
    expect(s!.small).toMatchObject({ shape: 'depthwise 3×3 Conv on 144×56²', benchmarkGflops: 0.5 });
    expect(s!.small!.nowGflops).toBeGreaterThan(0.5);
    expect(s!.small!.ratio).toBeCloseTo(s!.small!.nowGflops / 0.5, 12);
  });

  it('compares nothing without a calibration or at another thread count', async () => {
    expect(await speedProbe(null, 1, silentReporter())).toBeNull();
    expect(await speedProbe(calibration(2, 100), 1, silentReporter())).toBeNull();
  });
});
