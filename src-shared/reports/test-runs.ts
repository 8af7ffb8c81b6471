/**
 * Small runs of every kind for the report tests (unit, write-report and e2e), produced by the
 * real pure functions where one exists (buildRoofline, makePlan, the attention sweep) and
 * synthetic otherwise (hardware, profile, fit, energy). Energy: `bench` and `profile` carry a
 * measured, RAPL-like report, `bench2` an estimate, `benchOld` none (stored before energy was
 * measured). Not used by the app.
 */
import type { AttentionSweepResult } from '../api/attention.js';
import type { BenchResult } from '../api/bench.js';
import type { HardwareReport, Run } from '../api/types.js';
import { sweep } from '../attention/sweep.js';
import { parseVariants } from '../attention/variants.js';
import { buildRoofline } from '../bench/roofline.js';
import { BUILTIN_FITS } from '../planner/fits.js';
import { makePlan } from '../planner/plan.js';
import type { BenchEnergyEfficiency, EnergyReport, PhaseEnergy, PowerPoint, ProfileEnergyEfficiency } from '../energy/types.js';
import type { ProfileResult } from '../profiler/types.js';
import type { ReportContext } from './report.js';

export const TEST_MACHINE: HardwareReport = {
  machine: { id: 'm-test-1', hostname: 'testbox', os: { platform: 'linux', release: '6.1.0', arch: 'x64' } },
  cpu: {
    vendor: 'AMD',
    model: 'AMD EPYC 7B13 Test CPU',
    physicalCores: 8,
    logicalCores: 16,
    baseGHz: 2.45,
    maxGHz: 3.5,
    isa: ['avx2', 'fma'],
    caches: { l1dBytes: 32768, l2Bytes: 524288, l3Bytes: 33554432 },
  },
  memory: { totalBytes: 68719476736 },
  gpus: [{ vendor: 'NVIDIA', model: 'Test GPU 80GB', vramBytes: 85899345920, driver: '550.1' }],
  peaks: [
    { device: 'cpu', dtype: 'fp64', gflops: 448, basis: '8 cores × 3.5 GHz × 16 FLOP/cycle' },
    { device: 'cpu', dtype: 'fp32', gflops: 896, basis: '8 cores × 3.5 GHz × 32 FLOP/cycle' },
    { device: 'gpu:0', dtype: 'fp16', gflops: 312000, basis: 'catalog' },
  ],
  warnings: [],
};

export function testContext(): ReportContext {
  return {
    appVersion: '0.1.0',
    generatedAt: '2025-01-02T03:04:05.000Z',
    versions: { node: '20.19.0', electron: null, onnxruntime: '1.30.0', sqlite: '3.50.0' },
    machines: { [TEST_MACHINE.machine.id]: TEST_MACHINE },
  };
}

/** A synthetic power trace: `base` watts with a step per phase and a little ripple, every 0.25 s. */
function powerSeries(phases: readonly PhaseEnergy[]): PowerPoint[] {
  const end = phases.length ? phases[phases.length - 1]!.endS : 1;
  const points: PowerPoint[] = [];
  for (let i = 0; i * 0.25 <= end; i++) {
    const t = i * 0.25;
    const phase = phases.find((p) => t >= p.startS && t < p.endS) ?? phases[phases.length - 1];
    points.push({ t, watts: Math.round(((phase?.avgWatts ?? 10) + 2 * Math.sin(i)) * 100) / 100 });
  }
  return points;
}

const BENCH_PHASES: PhaseEnergy[] = [
  { phase: 'gemm', startS: 0, endS: 5, joules: 425.5, avgWatts: 85.1 },
  { phase: 'memory: STREAM', startS: 5, endS: 9, joules: 262, avgWatts: 65.5 },
  { phase: 'latency', startS: 9, endS: 12.5, joules: 157.5, avgWatts: 45 },
];

/** A measured benchmark's energy, as RAPL (powercap) reports it: two packages' worth of zones, one a sub-zone. */
export function measuredBenchEnergy(): EnergyReport {
  return {
    estimated: false,
    source: 'powercap (RAPL)',
    durationSeconds: 12.5,
    joules: 845,
    avgWatts: 67.6,
    peakWatts: 91.25,
    samples: 376,
    intervalMs: 100,
    devices: [
      { channel: 'powercap:intel-rapl:0', label: 'package-0', kind: 'cpu', source: 'powercap', detail: '/sys/class/powercap/intel-rapl:0/energy_uj', estimated: false, inTotal: true, joules: 780.25, avgWatts: 62.42, peakWatts: 84.5, samples: 126 },
      { channel: 'powercap:intel-rapl:0:0', label: 'core', kind: 'cpu', source: 'powercap', detail: '/sys/class/powercap/intel-rapl:0/intel-rapl:0:0/energy_uj', estimated: false, inTotal: false, joules: 610.5, avgWatts: 48.84, peakWatts: 70, samples: 125 },
      { channel: 'powercap:intel-rapl:0:1', label: 'dram', kind: 'dram', source: 'powercap', detail: '/sys/class/powercap/intel-rapl:0/intel-rapl:0:1/energy_uj', estimated: false, inTotal: true, joules: 64.75, avgWatts: 5.18, peakWatts: 7.5, samples: 125 },
    ],
    phases: BENCH_PHASES,
    series: powerSeries(BENCH_PHASES),
    unavailable: ['nvidia-smi: not found on PATH', 'hwmon: no power or energy sensors under /sys/class/hwmon'],
    warnings: [],
  };
}

/** The estimate a machine without power sensors gets: catalog TDP × measured CPU utilisation. */
export function estimatedBenchEnergy(scale = 1): EnergyReport {
  const phases = BENCH_PHASES.map((p) => ({ ...p, joules: p.joules * 1.5 * scale, avgWatts: p.avgWatts * 1.5 }));
  return {
    estimated: true,
    source: 'estimated: catalog TDP × measured CPU utilisation',
    durationSeconds: 12.5,
    joules: 1267.5 * scale,
    avgWatts: 101.4,
    peakWatts: 130,
    samples: 125,
    intervalMs: 100,
    devices: [
      { channel: 'estimate:cpu', label: 'CPU (AMD EPYC 7B13 Test CPU)', kind: 'cpu', source: 'estimate', detail: 'TDP 240 W (catalog, server class) × utilisation, idle floor 30 %', estimated: true, inTotal: true, joules: 1267.5 * scale, avgWatts: 101.4, peakWatts: 130, samples: 125 },
    ],
    phases,
    series: powerSeries(phases),
    unavailable: ['powercap: /sys/class/powercap is not present', 'nvidia-smi: not found on PATH'],
    warnings: ['The sampling loop fell behind 3 times (longest gap 412 ms).'],
    estimateBasis: 'AMD EPYC 7B13 Test CPU: 240 W TDP (catalog, server class) × measured CPU utilisation, 30 % idle floor',
  };
}

function benchEfficiency(result: BenchResult, energy: EnergyReport): BenchEnergyEfficiency {
  const watts = (phase: string) => energy.phases.find((p) => p.phase === phase)!.avgWatts;
  return {
    gemmGflopsPerJoule: { fp32: (result.gemm?.best.fp32 ?? 0) / watts('gemm'), int8: (result.gemm?.best.int8 ?? 0) / watts('gemm') },
    streamGBPerJoule: (result.memory?.triadGBs ?? 0) / watts('memory: STREAM'),
  };
}

/** A benchmark result with energy: measured (RAPL-like) or estimated. */
export function benchResultWithEnergy(scale: number, kind: 'measured' | 'estimated'): BenchResult {
  const result = benchResult(scale);
  const energy = kind === 'measured' ? measuredBenchEnergy() : estimatedBenchEnergy(scale);
  return { ...result, energy, energyEfficiency: benchEfficiency(result, energy) };
}

export function benchResult(scale = 1): BenchResult {
  const best = { fp32: 612.5 * scale, int8: 1830.25 * scale };
  const levels = [
    { name: 'L1' as const, bytes: 262144, GBs: 1200.5 * scale },
    { name: 'L2' as const, bytes: 4194304, GBs: 600.125 * scale },
    { name: 'DRAM' as const, bytes: 1e9, GBs: 21.3 * scale },
  ];
  return {
    suite: 'all',
    quick: true,
    threads: 8,
    gemm: {
      results: [
        { dtype: 'fp32', m: 1024, n: 1024, k: 1024, threads: 8, gflops: best.fp32, medianSeconds: 0.0035061, bestSeconds: 0.0034, repeats: 5 },
        { dtype: 'int8', m: 1024, n: 1024, k: 1024, threads: 8, gflops: best.int8, medianSeconds: 0.00117, bestSeconds: 0.0011, repeats: 5 },
      ],
      best,
      unsupported: [{ dtype: 'fp16', reason: 'no fp16 kernels on this CPU' }],
    },
    memory: { threads: 8, arrayBytes: 1e8, copyGBs: 20.1 * scale, scaleGBs: 19.9 * scale, addGBs: 21.7 * scale, triadGBs: 21.5 * scale, levels, sweep: [] },
    latency: { points: [], levels: [{ name: 'L1', bytes: 32768, ns: 1.1 / scale }, { name: 'DRAM', bytes: 1e9, ns: 92.4 / scale }] },
    roofline: buildRoofline({
      measuredCompute: best,
      measuredBandwidth: Object.fromEntries(levels.map((l) => [l.name, l.GBs])),
      theoreticalCompute: { fp32: 896 },
    }),
    warnings: ['A synthetic warning, see https://example.invalid/x'],
    elapsedSeconds: 12.5,
  };
}

export function profileResult(): ProfileResult {
  const node = (name: string, opType: string, macs: number, bytes: number) => ({
    name,
    opType,
    outputShape: [1, 64],
    params: macs / 1,
    macs,
    flops: opType === 'Relu' ? 0 : 2 * macs,
    otherOps: opType === 'Relu' ? 64 : 0,
    bytesRead: bytes,
    bytesWritten: bytes / 4,
    intensity: 1,
    block: null,
    counted: true,
  });
  return {
    model: { name: 'tiny-mlp', opset: 17, producer: 'test', fileBytes: 123456, inputs: [{ name: 'x', shape: [1, 128], dtype: 'float32' }], dims: { batch: 1 } },
    totals: { params: 24640, macs: 24576, flops: 49152, otherOps: 64, weightBytes: 98560, activationBytes: 1024 },
    nodes: [node('fc1', 'Gemm', 8192, 33000), node('relu', 'Relu', 0, 512), node('fc2', 'MatMul', 16384, 66000)],
    uncounted: [{ opType: 'CustomOp', count: 1, reason: 'no-counter' }],
    warnings: [],
    measured: { latencyMs: { median: 0.125, p90: 0.2, runs: 50 }, threads: 4, nodes: [], unmapped: [] },
  };
}

/** A measured profile's energy (RAPL-like): a warm-up phase and the timed 'run' phase. */
export function profileEnergy(): { energy: EnergyReport; energyEfficiency: ProfileEnergyEfficiency } {
  const phases: PhaseEnergy[] = [
    { phase: 'warm-up', startS: 0, endS: 0.5, joules: 21, avgWatts: 42 },
    { phase: 'run', startS: 0.5, endS: 2.5, joules: 96, avgWatts: 48 },
  ];
  return {
    energy: {
      estimated: false,
      source: 'powercap (RAPL)',
      durationSeconds: 2.5,
      joules: 117,
      avgWatts: 46.8,
      peakWatts: 55.5,
      samples: 50,
      intervalMs: 100,
      devices: [{ channel: 'powercap:intel-rapl:0', label: 'package-0', kind: 'cpu', source: 'powercap', detail: '/sys/class/powercap/intel-rapl:0/energy_uj', estimated: false, inTotal: true, joules: 117, avgWatts: 46.8, peakWatts: 55.5, samples: 26 }],
      phases,
      series: powerSeries(phases),
      unavailable: [],
      warnings: [],
    },
    // 48 W during the timed runs × 0.125 ms median latency.
    energyEfficiency: { joulesPerInference: 0.006, joulesPerToken: null, tokensPerInference: null },
  };
}

export function attentionResult(peakGflops = 100_000): AttentionSweepResult {
  const device = { name: 'test GPU', peakGflops, bandwidthGBs: 2_000, memoryBytes: 80e9, sramBytes: 192 * 1024, source: 'test catalog' };
  const s = sweep({ shape: { dModel: 768, heads: 12, layers: 12 }, variants: parseVariants('full,sliding:256'), seqs: [128, 512, 2048], device });
  return {
    shape: { dModel: 768, heads: 12, headDim: 64, kvHeads: 12, ffn: 3072, layers: 12, batch: 1, bytesPerElement: 2, dtype: 'bf16' },
    variants: ['full', 'sliding:256'],
    seqs: s.seqs,
    device,
    points: s.points,
    crossovers: s.crossovers,
    warnings: s.warnings,
    runId: null,
  };
}

let nextId = 1;
function run(kind: Run['kind'], params: unknown, result: unknown, id = nextId++): Run {
  return {
    id,
    kind,
    machineId: TEST_MACHINE.machine.id,
    appVersion: '0.1.0',
    createdAt: `2025-01-0${(id % 9) + 1}T10:00:00.000Z`,
    params,
    result,
    uid: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    tags: id === 2 ? ['baseline', 'quick'] : [],
    note: id === 2 ? 'Before the BIOS update | with "quotes", commas\nand a line break' : '',
  };
}

export function testRuns(): Record<'hardware' | 'bench' | 'bench2' | 'profile' | 'profile2' | 'plan' | 'plan2' | 'attention' | 'attention2' | 'fit' | 'benchOld', Run> {
  nextId = 1;
  const c3 = BUILTIN_FITS['chinchilla-3'];
  return {
    hardware: run('hardware', {}, TEST_MACHINE),
    bench: run('bench', { suite: 'all', quick: true, threads: 8 }, benchResultWithEnergy(1, 'measured')),
    bench2: run('bench', { suite: 'all', quick: true, threads: 8 }, benchResultWithEnergy(2, 'estimated')),
    profile: run('profile', { model: 'tiny-mlp.onnx', dims: { batch: 1 }, measure: true }, { ...profileResult(), ...profileEnergy() }),
    profile2: run('profile', { model: 'tiny-mlp.onnx', dims: { batch: 1 }, measure: false }, { ...profileResult(), measured: undefined }),
    plan: run('plan', { fit: 'chinchilla-3', budget: { kind: 'flops', flops: 1e22 } }, makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e22 } })),
    plan2: run('plan', { fit: 'chinchilla-3', budget: { kind: 'flops', flops: 1e23 } }, makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e23 } })),
    attention: run('attention', { shape: { dModel: 768, heads: 12 }, variants: 'full,sliding:256', seqs: [128, 512, 2048], device: 'test GPU' }, attentionResult()),
    attention2: run('attention', { shape: { dModel: 768, heads: 12 }, variants: 'full,sliding:256', seqs: [128, 512, 2048], device: 'fast GPU' }, attentionResult(200_000)),
    fit: run('fit', { source: 'runs.csv' }, { law: { E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 }, residualRms: 0.0123, warnings: ['few runs'] }),
    // Stored before energy was measured: no `energy`, no `energyEfficiency`.
    benchOld: run('bench', { suite: 'all', quick: true, threads: 8 }, benchResult(1)),
  };
}
