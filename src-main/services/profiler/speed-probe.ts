/**
 * How fast this machine runs *now* compared with when it was benchmarked (Node side). A VM's speed
 * drifts (a busy neighbour on the other hyperthread, a host that moved the VM: ±20 % within a
 * minute on the development VMs, bench/hosts.md), and a prediction made from an hour-old benchmark
 * then differs from the measurement for reasons that are not the model's. Just before a measured
 * run, one shape of the benchmark's calibration (the 512³ fp32 MatMul) is measured again the same
 * way (services/bench/calibrate.ts, ~0.3 s) and compared with the stored point; so is a small
 * kernel ORT splits in even halves (SpeedCheck.small), which sees a slow vCPU the product's
 * balanced tiles hide: on the Zen 5 VM (2026-12-08 03:54) MobileNetV2 and EfficientNet-B0 ran
 * 1.4× slower than during their benchmark while the 512³ product ran at 0.98–1.03 of it.
 */
import type { Calibration } from '../../../src-shared/bench/calibration.js';
import type { SpeedCheck } from '../../../src-shared/profiler/types.js';
import type { BenchReporter } from '../bench/types.js';

const PROBE = { batch: 1, m: 512, n: 512, k: 512 };
/** The small kernel: the calibration's depthwise 3×3 Conv on 144×56² (SpeedCheck.small). */
const SMALL = { channels: 144, groups: 144, size: 56, kernel: 3, stride: 1 };

/** The probe against the stored calibration at the same thread count; null when there is nothing to compare with. */
export async function speedProbe(calibration: Calibration | null, threads: number, reporter: BenchReporter): Promise<SpeedCheck | null> {
  const stored = calibration?.threads === threads ? calibration.gemm.find((p) => p.batch === PROBE.batch && p.m === PROBE.m && p.n === PROBE.n && p.k === PROBE.k) : undefined;
  if (!stored) return null;
  const { runCalibration } = await import('../bench/calibrate.js');
  const quiet: BenchReporter = { signal: reporter.signal, progress: () => undefined, log: () => undefined };
  const small = calibration!.conv.find((p) => p.channels === SMALL.channels && p.groups === SMALL.groups && p.size === SMALL.size && p.kernel === SMALL.kernel && p.stride === SMALL.stride && p.inChannels === undefined);
  const now = await runCalibration({ threads, quick: true, gemmShapes: [PROBE], convShapes: small ? [SMALL] : [], elementwise: false, layout: false, outputs: false }, quiet);
  const nowGflops = now.gemm[0]!.gflops;
  const smallNow = now.conv[0]?.gflops;
  return {
    shape: '512×512×512 fp32 MatMul',
    nowGflops,
    benchmarkGflops: stored.gflops,
    ratio: nowGflops / stored.gflops,
    ...(small && smallNow ? { small: { shape: 'depthwise 3×3 Conv on 144×56²', nowGflops: smallNow, benchmarkGflops: small.gflops, ratio: smallNow / small.gflops } } : {}),
  };
}
