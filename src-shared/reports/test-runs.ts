/**
 * Small runs of every kind for the report tests (unit, write-report and e2e), produced by the
 * real pure functions where one exists (buildRoofline, makePlan, the attention sweep) and
 * synthetic otherwise (hardware, profile, fit, energy). Energy: `bench` and `profile` carry a
 * measured, RAPL-like report, `bench2` an estimate, `benchOld` none (stored before energy was
 * measured). Not used by the app.
 */
import type { AttentionSweepResult } from '../api/attention.js';
import type { BenchResult, GpuBenchResult } from '../api/bench.js';
import type { LlmEstimateResult } from '../api/llm.js';
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
    memory: {
      threads: 8,
      arrayBytes: 1e8,
      copyGBs: 20.1 * scale,
      scaleGBs: 19.9 * scale,
      addGBs: 21.7 * scale,
      triadGBs: 21.5 * scale,
      levels,
      // Read bandwidth falling through L1 (32 KiB), L2 (512 KiB), L3 (32 MiB) to DRAM.
      sweep: [16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456].map((bytes) => ({ bytes, GBs: (bytes <= 32768 ? 1200.5 : bytes <= 524288 ? 600.125 : bytes <= 33554432 ? 180 : 21.3) * scale })),
    },
    latency: {
      points: [16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456].map((bytes) => ({ bytes, ns: (bytes <= 32768 ? 1.1 : bytes <= 524288 ? 4.2 : bytes <= 33554432 ? 14.5 : 92.4) / scale })),
      levels: [{ name: 'L1', bytes: 32768, ns: 1.1 / scale }, { name: 'DRAM', bytes: 1e9, ns: 92.4 / scale }],
    },
    roofline: buildRoofline({
      measuredCompute: best,
      measuredBandwidth: Object.fromEntries(levels.map((l) => [l.name, l.GBs])),
      theoreticalCompute: { fp32: 896 },
    }),
    warnings: ['A synthetic warning, see https://example.invalid/x'],
    elapsedSeconds: 12.5,
  };
}

/** A WebGPU benchmark on the test GPU: two GEMMs (one failed its check) and the copy bandwidth. */
export function gpuResult(scale = 1): GpuBenchResult {
  return {
    available: true,
    backend: 'webgpu-dawn',
    adapter: { vendor: 'nvidia', architecture: 'hopper', device: 'Test GPU 80GB', description: 'NVIDIA Test GPU 80GB (Vulkan)', software: false },
    gemm: [
      { dtype: 'fp32', kernel: 'tiled', m: 2048, n: 2048, k: 2048, gflops: 14250.5 * scale, medianSeconds: 0.0012056, maxAbsError: 0.00048, tolerance: 0.002, checkedEntries: 4096, verified: true },
      { dtype: 'fp16', kernel: 'naive', m: 1024, n: 1024, k: 1024, gflops: 2100 * scale, medianSeconds: 0.00102, maxAbsError: 0.75, tolerance: 0.25, checkedEntries: 4096, verified: false },
    ],
    bandwidth: { copyGBs: 1650.25 * scale, readGBs: 2010.5 * scale, bytes: 268435456, verified: true },
    warnings: ['fp16 naive kernel failed verification against the CPU'],
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
    measured: {
      latencyMs: { median: 0.125, p90: 0.2, runs: 50 },
      threads: 4,
      nodes: [
        { name: 'fc1', ms: 0.04, achievedGflops: 0.4096 },
        { name: 'relu', ms: 0.005, achievedGflops: null },
        { name: 'fc2', ms: 0.07, achievedGflops: 0.468 },
      ],
      unmapped: [],
    },
  };
}

/** An LLM estimate of a 1B Llama at Q4_K_M on this machine, measured through llama.cpp at two depths. */
export function llmResult(): LlmEstimateResult {
  const part = (bytes: number, kind: 'exact' | 'estimated' | 'measured', basis: string) => ({ bytes, kind, basis });
  const weights = part(807_694_464, 'exact', 'tensor sizes from the GGUF header');
  const kvCache = part(134_217_728, 'exact', '16 layers × 8 K/V heads × 64 × 2 × 4096 tokens × f16');
  const compute = part(254_017_536, 'estimated', "llama.cpp's compute buffer at batch 512");
  const overhead = part(67_108_864, 'estimated', 'runtime and context');
  const totalBytes = weights.bytes + kvCache.bytes + compute.bytes + overhead.bytes;
  return {
    model: { name: 'Llama 3.2 1B Instruct', architecture: 'llama', params: 1_235_814_400, activeParams: 1_235_814_400, layers: 16, hiddenSize: 2048, heads: 32, kvHeads: 8, headDim: 64, vocab: 128_256, contextMax: 131_072, quant: 'Q4_K_M', sourceKind: 'gguf', source: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf' },
    settings: { quant: 'Q4_K_M', context: 4096, batch: 1, prompt: 512, gen: 128, kvDtype: 'f16', depth: 0 },
    memory: { weightsBytes: weights.bytes, kvCacheBytes: kvCache.bytes, computeBytes: compute.bytes, overheadBytes: overhead.bytes, totalBytes, parts: { weights, kvCache, compute, overhead, totalBytes } },
    prefill: { tokens: 512, flops: 1.3e12, predictedTokensPerSecond: 310.5, predictedTtftMs: 1649, measuredTokensPerSecond: 287.25, measuredTtftMs: 1782 },
    decode: { contextDepth: 0, flopsPerToken: 2.5e9, bytesPerToken: 807_694_464, predictedTokensPerSecond: 24.6, measuredTokensPerSecond: 22.8 },
    decodeCurve: [0, 1024, 2048, 4096, 8192, 16384].map((depth) => ({ depth, tokensPerSecond: 24.6 / (1 + depth / 20000) })),
    fits: [
      { device: 'this machine', memoryBytes: 68_719_476_736, fits: true, maxContext: 131_072, note: 'in RAM' },
      { device: 'Test GPU 80GB', memoryBytes: 85_899_345_920, fits: true, maxContext: 131_072, gpuLayers: 16, note: 'all layers on the GPU' },
      { device: 'Tiny GPU 1GB', memoryBytes: 1_073_741_824, fits: false, maxContext: 0, gpuLayers: 9, splitDecodeTokensPerSecond: 31.5, note: '9 of 16 layers fit; the rest on the CPU' },
    ],
    device: { name: 'this machine (testbox)', basis: 'measured roofline of run #2', measured: true },
    measured: {
      backend: 'llama.cpp b6000 (CPU)',
      threads: 7,
      loadMs: 412,
      peakRssBytes: 1_310_720_000,
      points: [
        { depth: 0, prefillTokensPerSecond: 287.25, decodeTokensPerSecond: 22.8, ttftMs: 1782, predictedPrefillTokensPerSecond: 310.5, predictedDecodeTokensPerSecond: 24.6 },
        { depth: 4096, prefillTokensPerSecond: 240.5, decodeTokensPerSecond: 18.1, ttftMs: 2129, predictedPrefillTokensPerSecond: 262, predictedDecodeTokensPerSecond: 20.1 },
      ],
      energyJoulesPerToken: 0.85,
    },
    warnings: [],
    runId: null,
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

export function attentionResult(peakGflops = 100_000, variants = 'full,sliding:256', seqs: number[] = [128, 512, 2048]): AttentionSweepResult {
  const device = { name: 'test GPU', peakGflops, bandwidthGBs: 2_000, memoryBytes: 80e9, sramBytes: 192 * 1024, source: 'test catalog' };
  const s = sweep({ shape: { dModel: 768, heads: 12, layers: 12 }, variants: parseVariants(variants), seqs, device });
  return {
    shape: { dModel: 768, heads: 12, headDim: 64, kvHeads: 12, ffn: 3072, layers: 12, batch: 1, bytesPerElement: 2, dtype: 'bf16' },
    variants: variants.split(','),
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

export function testRuns(): Record<'hardware' | 'bench' | 'bench2' | 'profile' | 'profile2' | 'plan' | 'plan2' | 'attention' | 'attention2' | 'fit' | 'benchOld' | 'llm', Run> {
  nextId = 1;
  const c3 = BUILTIN_FITS['chinchilla-3'];
  return {
    hardware: run('hardware', {}, TEST_MACHINE),
    // The measured run also carries the WebGPU benchmark.
    bench: run('bench', { suite: 'all', quick: true, threads: 8 }, { ...benchResultWithEnergy(1, 'measured'), gpu: gpuResult() }),
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
    llm: run('llm', { model: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf', context: 4096, measure: true }, llmResult()),
  };
}
