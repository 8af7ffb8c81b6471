/// <reference types="@webgpu/types" />
/**
 * GPU benchmark over WebGPU (pure TS against the WebGPU API; runs in any host that hands it a
 * `GPU` object: Chromium's navigator.gpu in the app, Dawn's `create([])` in the CLI). Times the
 * WGSL kernels of kernels.ts (tiled and naive fp32 GEMM, tiled fp16 GEMM where the adapter has
 * 'shader-f16', vec4 copy and read bandwidth), verifies every GEMM against cpu-reference.ts and
 * returns one JSON-safe result. Never throws for a missing adapter or a failing kernel (those
 * become `available: false` or warnings); it throws only the abort reason when `signal` aborts.
 */
import { GIGA, gemmFlops, median } from '../bench/accounting.js';
import { checkGemm, fromF16Array, randomMatrix, toF16Array } from './cpu-reference.js';
import type { GemmDtype } from './kernels.js';
import {
  BANDWIDTH_WORKGROUP,
  COPY_WGSL,
  ENTRY_COPY,
  ENTRY_GEMM_NAIVE,
  ENTRY_GEMM_TILED,
  ENTRY_READ,
  GEMM_NAIVE_F32,
  READ_WGSL,
  gemmTiledWgsl,
  gemmWorkgroups,
} from './kernels.js';

export type GpuBackend = 'webgpu-dawn' | 'webgpu-browser';

export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (SwiftShader, llvmpipe/lavapipe, WARP…): its numbers say nothing about a GPU. */
  software: boolean;
}

export interface GpuGemmResult {
  dtype: GemmDtype;
  /** 'tiled' is the benchmark; 'naive' is the baseline that shows what the tiling buys. */
  kernel: 'tiled' | 'naive';
  m: number;
  n: number;
  k: number;
  /** 2·m·n·k / medianSeconds / 1e9 (an FMA counts as 2 FLOPs). */
  gflops: number;
  medianSeconds: number;
  maxAbsError: number;
  /** Largest per-entry tolerance among the checked entries (grows with K). */
  tolerance: number;
  checkedEntries: number;
  verified: boolean;
}

export interface GpuBandwidthResult {
  /** STREAM copy: 2 × bytes per pass (read + write), 1e9 bytes/s. */
  copyGBs: number;
  /** Read-only reduction: bytes read + its partial sums written (≤ 1.6 % of a 256 MiB pass) per pass. */
  readGBs?: number;
  /** Size of one array (the source buffer), in bytes. */
  bytes: number;
  /** The copy's destination equals its source and the reduction's total equals the CPU's. */
  verified: boolean;
}

export type GpuBenchResult =
  | { available: false; reason: string; backend: GpuBackend }
  | {
      available: true;
      backend: GpuBackend;
      adapter: GpuAdapterSummary;
      gemm: GpuGemmResult[];
      bandwidth: GpuBandwidthResult;
      warnings: string[];
    };

export interface GpuBenchSizes {
  /** Side of the square tiled GEMMs (m = n = k). */
  gemm: number;
  /** Side of the square naive GEMM (smaller: it is the slow baseline). */
  naiveGemm: number;
  /** Bytes of one bandwidth array. */
  bandwidthBytes: number;
}

export interface GpuBenchOptions {
  quick: boolean;
  signal?: AbortSignal;
  progress?(phase: string, done: number, total: number): void;
  /** Which host made `gpu` (only labels the result). Default 'webgpu-browser'. */
  backend?: GpuBackend;
  /** Override the sizes picked from `quick` and the adapter kind (e.g. 4096 for bench/gpu-vs-torch). */
  sizes?: Partial<GpuBenchSizes>;
  /** How long requestAdapter/requestDevice may take before the GPU counts as unavailable. */
  adapterTimeoutMs?: number;
}

// Spec values of GPUBufferUsage / GPUMapMode. Written out because Dawn for Node only defines the
// globals after `Object.assign(globalThis, globals)`; numbers keep this module host-independent.
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_UNIFORM = 0x0040;
const USAGE_STORAGE = 0x0080;
const MAP_READ = 0x0001;

const MiB = 1024 * 1024;
/** Bandwidth dispatch cap on hardware: 1024 workgroups × 256 = 262,144 invocations, about what
 * the biggest current GPUs keep resident (H100: 132 SMs × 2048), and far below the 65535
 * per-dimension limit; the grid-stride loop covers the rest. It also bounds the reduction's
 * partial sums to 4 MiB (1.6 % of a 256 MiB pass, and counted). */
const BANDWIDTH_MAX_WORKGROUPS = 1024;
/** On a CPU adapter each workgroup costs scheduling overhead on a couple of cores; a few dozen are
 * plenty to keep them busy. */
const BANDWIDTH_MAX_WORKGROUPS_SOFTWARE = 32;

/** Sizes per adapter kind. Software adapters (SwiftShader on a couple of CPU cores manages a few
 * GFLOP/s) get small problems so a quick run stays within seconds; hardware gets sizes big enough
 * to leave caches (256 MiB ≫ any L2) and to fill the GPU. */
export function defaultSizes(quick: boolean, software: boolean): GpuBenchSizes {
  // The naive baseline is several times slower than the tiled kernel: it runs at half the size,
  // except in a quick software run where 256 is already small (and the same size compares best).
  if (software) return quick ? { gemm: 256, naiveGemm: 256, bandwidthBytes: 4 * MiB } : { gemm: 512, naiveGemm: 256, bandwidthBytes: 16 * MiB };
  return quick ? { gemm: 2048, naiveGemm: 1024, bandwidthBytes: 64 * MiB } : { gemm: 4096, naiveGemm: 2048, bandwidthBytes: 256 * MiB };
}

/** Timing plan: each sample runs `reps` dispatches in one submit, grown until a sample lasts at
 * least `targetSeconds`, so the submit → onSubmittedWorkDone round-trip (IPC to Chromium's GPU
 * process, ~0.1–1 ms) is amortised; `samples` such submits give the median. */
interface TimingPlan {
  samples: number;
  targetSeconds: number;
  maxReps: number;
}

function timingPlan(quick: boolean, software: boolean): TimingPlan {
  // CPU adapters: a 256³ GEMM already takes ~0.1 s per dispatch, so this stays at 1 rep there and
  // only batches the millisecond-long bandwidth passes.
  if (software) return { samples: 3, targetSeconds: 0.02, maxReps: 16 };
  return quick ? { samples: 5, targetSeconds: 0.05, maxReps: 256 } : { samples: 9, targetSeconds: 0.2, maxReps: 1024 };
}

/** Known CPU implementations of WebGPU's backends, matched in the adapter's info strings. */
const SOFTWARE_PATTERNS = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

/** Whether an adapter is a CPU implementation: the spec's isFallbackAdapter (on the adapter in
 * older implementations, on its info in newer ones) or a known software renderer in the strings. */
export function isSoftwareAdapter(info: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>>, isFallback?: boolean): boolean {
  if (isFallback) return true;
  return SOFTWARE_PATTERNS.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/** The reason given when requestAdapter() resolves to null; hosts may append a diagnosis. */
export const NULL_ADAPTER_REASON =
  'no WebGPU adapter: requestAdapter() returned null (no GPU, or none whose driver this WebGPU implementation supports)';

class Unavailable extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unavailable(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs the GPU benchmark on `gpu` (null → unavailable). See the module header for what it measures
 * and docs/gpu.md for the method.
 */
export async function runGpuBench(gpu: GPU | null | undefined, options: GpuBenchOptions): Promise<GpuBenchResult> {
  const backend = options.backend ?? 'webgpu-browser';
  const unavailable = (reason: string): GpuBenchResult => ({ available: false, reason, backend });
  if (!gpu) return unavailable('no WebGPU adapter: this host has no WebGPU (navigator.gpu is undefined)');
  const timeoutMs = options.adapterTimeoutMs ?? 15_000;

  let adapter: GPUAdapter | null;
  try {
    adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs, 'requestAdapter()');
  } catch (e) {
    return unavailable(`no WebGPU adapter: requestAdapter() failed: ${errorText(e)}`);
  }
  if (!adapter) {
    return unavailable(NULL_ADAPTER_REASON);
  }
  options.signal?.throwIfAborted();

  // adapter.info is current WebGPU; requestAdapterInfo() is what older implementations had.
  const legacy = adapter as GPUAdapter & { requestAdapterInfo?: () => Promise<GPUAdapterInfo>; isFallbackAdapter?: boolean };
  const info: GPUAdapterInfo | undefined = adapter.info ?? (await legacy.requestAdapterInfo?.().catch(() => undefined));
  const infoFallback = (info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined)?.isFallbackAdapter;
  const summary: GpuAdapterSummary = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    software: false,
  };
  summary.software = isSoftwareAdapter(summary, infoFallback ?? legacy.isFallbackAdapter);

  const hasF16 = adapter.features.has('shader-f16');
  let device: GPUDevice;
  try {
    // Raise the buffer limits to what the adapter allows: the defaults (128 MiB binding, 256 MiB
    // buffer) would cap the bandwidth arrays below the size that leaves every cache.
    device = await withTimeout(
      adapter.requestDevice({
        requiredFeatures: hasF16 ? ['shader-f16'] : [],
        requiredLimits: {
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
        },
      }),
      timeoutMs,
      'requestDevice()',
    );
  } catch (e) {
    return unavailable(`no WebGPU device: requestDevice() failed on ${describeAdapter(summary)}: ${errorText(e)}`);
  }

  const warnings: string[] = [];
  let lostReason: string | null = null;
  // Validation errors outside an error scope would otherwise only reach the console.
  let uncaptured = 0;
  device.addEventListener('uncapturederror', (ev) => {
    if (++uncaptured <= 5) warnings.push(`WebGPU error: ${(ev as GPUUncapturedErrorEvent).error.message}`);
  });
  void device.lost.then((l) => {
    if (l.reason !== 'destroyed') lostReason = `GPU device lost: ${l.message || l.reason}`;
  });
  if (summary.software) {
    warnings.push(`software adapter (${describeAdapter(summary)}): WebGPU runs on the CPU here, so these numbers measure the CPU, not a GPU`);
  }

  try {
    const base = defaultSizes(options.quick, summary.software);
    const sizes: GpuBenchSizes = { ...base, ...options.sizes };
    const maxBinding = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    const plan = timingPlan(options.quick, summary.software);
    const maxGroups = summary.software ? BANDWIDTH_MAX_WORKGROUPS_SOFTWARE : BANDWIDTH_MAX_WORKGROUPS;
    const ctx: Ctx = { device, plan, warnings, signal: options.signal, lost: () => lostReason, maxGroups };

    const steps: Array<{ phase: string; run: () => Promise<void> }> = [];
    const gemm: GpuGemmResult[] = [];
    const gemmSide = (side: number, bytesPer: number): number => {
      let s = side;
      while (s > 64 && s * s * bytesPer > maxBinding) s /= 2; // keep each matrix within one binding
      if (s !== side) warnings.push(`GEMM ${side} does not fit the adapter's ${maxBinding} B buffer limit; ran ${s}`);
      return Math.round(s);
    };
    const addGemm = (dtype: GemmDtype, kernel: 'tiled' | 'naive', side: number): void => {
      steps.push({
        phase: `gemm ${dtype} ${kernel} ${side}`,
        run: async () => {
          const r = await benchGemm(ctx, dtype, kernel, side);
          gemm.push(r);
          if (!r.verified) {
            warnings.push(`GEMM ${dtype} ${kernel} ${side}: result differs from the CPU reference (max abs error ${r.maxAbsError.toExponential(2)} > tolerance ${r.tolerance.toExponential(2)}); its ${r.gflops.toFixed(1)} GFLOP/s is not a valid measurement`);
          }
        },
      });
    };
    addGemm('fp32', 'tiled', gemmSide(sizes.gemm, 4));
    if (hasF16) addGemm('fp16', 'tiled', gemmSide(sizes.gemm, 2));
    else warnings.push("adapter lacks 'shader-f16': no fp16 GEMM");
    addGemm('fp32', 'naive', gemmSide(sizes.naiveGemm, 4));

    let bwBytes = Math.floor(Math.min(sizes.bandwidthBytes, maxBinding) / 16) * 16;
    if (bwBytes < sizes.bandwidthBytes) {
      warnings.push(`bandwidth arrays capped at the adapter's buffer limit: ${bwBytes} B instead of ${sizes.bandwidthBytes} B`);
    }
    bwBytes = Math.max(bwBytes, 16);
    const bandwidth: GpuBandwidthResult = { copyGBs: 0, bytes: bwBytes, verified: false };
    steps.push({
      phase: `bandwidth ${bwBytes} B`,
      run: async () => {
        Object.assign(bandwidth, await benchBandwidth(ctx, bwBytes));
      },
    });

    const total = steps.length;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      options.signal?.throwIfAborted();
      options.progress?.(step.phase, i, total);
      try {
        await step.run();
      } catch (e) {
        if (options.signal?.aborted) throw options.signal.reason;
        warnings.push(`${step.phase} failed: ${errorText(e)}`);
        if (lostReason) break;
      }
    }
    options.progress?.('done', total, total);
    if (lostReason) warnings.push(lostReason);
    if (!bandwidth.verified && bandwidth.copyGBs > 0) {
      warnings.push('bandwidth: the copied or summed data did not match; its GB/s is not a valid measurement');
    }
    return { available: true, backend, adapter: summary, gemm, bandwidth, warnings };
  } finally {
    device.destroy();
  }
}

function describeAdapter(a: GpuAdapterSummary): string {
  return [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ') || 'unnamed adapter';
}

interface Ctx {
  device: GPUDevice;
  plan: TimingPlan;
  warnings: string[];
  signal: AbortSignal | undefined;
  lost(): string | null;
  /** Workgroup cap of the grid-stride bandwidth dispatches. */
  maxGroups: number;
}

/** Compiles a WGSL module and its compute pipeline, turning compile/validation errors into a throw
 * with the compiler's messages (otherwise WebGPU only reports them asynchronously, or not at all). */
async function makePipeline(device: GPUDevice, code: string, entryPoint: string): Promise<GPUComputePipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code });
  const compiled = await module.getCompilationInfo();
  const errors = compiled.messages.filter((m) => m.type === 'error');
  try {
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint } });
    const scope = await device.popErrorScope();
    if (scope) throw new Error(scope.message);
    return pipeline;
  } catch (e) {
    const detail = errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
    throw new Error(`${entryPoint} failed to compile: ${detail || errorText(e)}`);
  }
}

function makeBuffer(device: GPUDevice, data: ArrayBufferView | number, usage: number): GPUBuffer {
  const size = typeof data === 'number' ? data : data.byteLength;
  // WebGPU buffer sizes and writeBuffer lengths must be multiples of 4; writeBuffer needs COPY_DST.
  const buffer = device.createBuffer({ size: Math.ceil(size / 4) * 4, usage: typeof data === 'number' ? usage : usage | USAGE_COPY_DST });
  if (typeof data !== 'number') device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, Math.ceil(data.byteLength / 4) * 4);
  return buffer;
}

async function readBack(device: GPUDevice, src: GPUBuffer, size: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size, usage: USAGE_MAP_READ | USAGE_COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(src, 0, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(MAP_READ);
    const copy = staging.getMappedRange().slice(0);
    staging.unmap();
    return copy;
  } finally {
    staging.destroy();
  }
}

/** Waits for the queue, or rejects if the device was lost meanwhile (a lost device may never answer). */
async function queueDone(ctx: Ctx): Promise<void> {
  await Promise.race([
    ctx.device.queue.onSubmittedWorkDone(),
    ctx.device.lost.then((l) => {
      throw new Error(`GPU device lost: ${l.message || l.reason}`);
    }),
  ]);
}

/**
 * Times `encode` (one dispatch) the way every kernel here is timed: one warm-up submit (pipeline
 * creation and first-use costs, clocks ramping up), then reps doubled until one submit lasts the
 * plan's target, then `samples` submits of `reps` dispatches each, wall-clock from submit to
 * onSubmittedWorkDone. Returns the median seconds per dispatch: the median shrugs off one slow
 * sample (a GC pause, another tab) that a mean would absorb. Consecutive dispatches in one pass
 * are ordered by WebGPU's implicit barriers, so they cannot overlap and inflate the rate.
 * Wall-clock rather than timestamp queries: it works everywhere, and a page's performance.now()
 * is coarsened (100 µs without cross-origin isolation), which a ≥ 20 ms sample reduces to < 1 %.
 */
async function timeDispatches(ctx: Ctx, encode: (pass: GPUComputePassEncoder) => void): Promise<number> {
  const { device, plan } = ctx;
  const submit = async (reps: number): Promise<number> => {
    ctx.signal?.throwIfAborted();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let r = 0; r < reps; r++) encode(pass);
    pass.end();
    const cmd = enc.finish();
    const t0 = performance.now();
    device.queue.submit([cmd]);
    await queueDone(ctx);
    return (performance.now() - t0) / 1000;
  };
  await submit(1); // warm-up
  let reps = 1;
  let t = await submit(reps);
  while (t < plan.targetSeconds && reps < plan.maxReps) {
    reps = Math.min(plan.maxReps, reps * Math.max(2, Math.ceil(plan.targetSeconds / Math.max(t, 1e-6))));
    t = await submit(reps);
  }
  const perDispatch: number[] = [t / reps];
  while (perDispatch.length < plan.samples) perDispatch.push((await submit(reps)) / reps);
  return median(perDispatch);
}

/** Seeds per operand, so A and B differ and every run multiplies the same matrices. */
const SEED_A = 0x5eed_a;
const SEED_B = 0x5eed_b;

async function benchGemm(ctx: Ctx, dtype: GemmDtype, kernel: 'tiled' | 'naive', side: number): Promise<GpuGemmResult> {
  const { device } = ctx;
  const m = side;
  const n = side;
  const k = side;
  let a = randomMatrix(m * k, SEED_A);
  let b = randomMatrix(k * n, SEED_B);
  const a16 = dtype === 'fp16' ? toF16Array(a) : null;
  const b16 = dtype === 'fp16' ? toF16Array(b) : null;
  // The reference multiplies what the GPU multiplies: the f16-rounded inputs for fp16.
  if (a16 && b16) {
    a = fromF16Array(a16);
    b = fromF16Array(b16);
  }
  const elemBytes = dtype === 'fp16' ? 2 : 4;
  const code = kernel === 'naive' ? GEMM_NAIVE_F32 : gemmTiledWgsl(dtype);
  const pipeline = await makePipeline(device, code, kernel === 'naive' ? ENTRY_GEMM_NAIVE : ENTRY_GEMM_TILED);
  const bufA = makeBuffer(device, a16 ?? a, USAGE_STORAGE);
  const bufB = makeBuffer(device, b16 ?? b, USAGE_STORAGE);
  const cBytes = Math.ceil((m * n * elemBytes) / 4) * 4;
  const bufC = makeBuffer(device, cBytes, USAGE_STORAGE | USAGE_COPY_SRC);
  const bufDims = makeBuffer(device, new Uint32Array([m, n, k, 0]), USAGE_UNIFORM);
  try {
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [bufA, bufB, bufC, bufDims].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const [wx, wy] = gemmWorkgroups(kernel, m, n);
    const seconds = await timeDispatches(ctx, (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(wx, wy, 1);
    });
    // Every dispatch rewrites all of C from A and B, so the last one's output is the one to check.
    const raw = await readBack(device, bufC, cBytes);
    const c = dtype === 'fp16' ? fromF16Array(new Uint16Array(raw, 0, m * n)) : new Float32Array(raw, 0, m * n);
    const check = checkGemm(dtype, a, b, c, m, n, k);
    return { dtype, kernel, m, n, k, gflops: gemmFlops(m, n, k) / seconds / GIGA, medianSeconds: seconds, ...check };
  } finally {
    for (const buf of [bufA, bufB, bufC, bufDims]) buf.destroy();
  }
}

async function benchBandwidth(ctx: Ctx, bytes: number): Promise<GpuBandwidthResult> {
  const { device } = ctx;
  const vec4s = bytes / 16;
  const groups = Math.max(1, Math.min(ctx.maxGroups, Math.ceil(vec4s / BANDWIDTH_WORKGROUP)));
  // Small integers (0…6) keep every partial and total sum exact in f32, so the reduction can be
  // checked for equality rather than within a tolerance.
  const src = new Float32Array(bytes / 4);
  for (let i = 0; i < src.length; i++) src[i] = (i * 7) % 5;
  let expectedSum = 0;
  for (let i = 0; i < src.length; i++) expectedSum += src[i]!;

  const copyPipe = await makePipeline(device, COPY_WGSL, ENTRY_COPY);
  const readPipe = await makePipeline(device, READ_WGSL, ENTRY_READ);
  const bufSrc = makeBuffer(device, src, USAGE_STORAGE | USAGE_COPY_SRC);
  const bufDst = makeBuffer(device, bytes, USAGE_STORAGE | USAGE_COPY_SRC);
  const partialBytes = groups * BANDWIDTH_WORKGROUP * 16; // one vec4<f32> per invocation
  const bufPartial = makeBuffer(device, partialBytes, USAGE_STORAGE | USAGE_COPY_SRC);
  try {
    const copyBind = device.createBindGroup({
      layout: copyPipe.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: bufSrc } }, { binding: 1, resource: { buffer: bufDst } }],
    });
    const readBind = device.createBindGroup({
      layout: readPipe.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: bufSrc } }, { binding: 1, resource: { buffer: bufPartial } }],
    });
    const copySeconds = await timeDispatches(ctx, (pass) => {
      pass.setPipeline(copyPipe);
      pass.setBindGroup(0, copyBind);
      pass.dispatchWorkgroups(groups);
    });
    const readSeconds = await timeDispatches(ctx, (pass) => {
      pass.setPipeline(readPipe);
      pass.setBindGroup(0, readBind);
      pass.dispatchWorkgroups(groups);
    });

    const dst = new Float32Array(await readBack(device, bufDst, bytes));
    let copyOk = dst.length === src.length;
    for (let i = 0; copyOk && i < src.length; i++) copyOk = dst[i] === src[i];
    const partials = new Float32Array(await readBack(device, bufPartial, partialBytes));
    let gotSum = 0;
    for (let i = 0; i < partials.length; i++) gotSum += partials[i]!;
    const readOk = gotSum === expectedSum;
    if (!copyOk) ctx.warnings.push('bandwidth copy: destination differs from source');
    if (!readOk) ctx.warnings.push(`bandwidth read: GPU sum ${gotSum} ≠ CPU sum ${expectedSum}`);
    return {
      // STREAM accounting: copy moves each byte twice (read src, write dst; no write-allocate read
      // counted); the reduction reads each byte once and writes its partial sums.
      copyGBs: (2 * bytes) / copySeconds / GIGA,
      readGBs: (bytes + partialBytes) / readSeconds / GIGA,
      bytes,
      verified: copyOk && readOk,
    };
  } finally {
    for (const buf of [bufSrc, bufDst, bufPartial]) buf.destroy();
  }
}
