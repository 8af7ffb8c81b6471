/**
 * The devices an LLM estimate runs on (Node side): this machine as the calibrated cost model
 * sees it (src-shared/profiler/cost-model.ts `kernelMs`, from its newest benchmark: products at
 * the measured GEMM throughput of their shape, memory kernels at the bandwidth of their working
 * set), a catalog GPU on its roofline (dense fp16/bf16 peak and memory bandwidth from the GPU
 * catalog), and the memories a model is fitted against.
 */
import type { LlamaCalibration } from '../../../src-shared/api/llm.js';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import { findGpu, GPU_CATALOG, type GpuCatalogEntry } from '../../../src-shared/hardware/gpu-catalog.js';
import type { FitDevice } from '../../../src-shared/llm/fit.js';
import type { LlmDevice } from '../../../src-shared/llm/types.js';
import { FieldError } from '../../../src-shared/errors/field-error.js';
import { bandwidthFor, kernelMs, singleThreadBandwidthFor } from '../../../src-shared/profiler/cost-model.js';
import { formatBytes } from '../../../src-shared/hardware/format.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import { latestDeviceModel } from '../hardware/measured-device.js';
import { storedLlamaCalibration } from './llama-calibration.js';

/** Rows up to which a product is a matrix–vector product (a decode step's batch). */
const SKINNY_ROWS = 16;

/** Activations of a product in fp32 (llama.cpp's CPU path keeps them in f32; the weight operand is given in its stored bytes). */
const ACT_BYTES = 4;

/**
 * llama.cpp threads when the user names none: llama-bench's default, the physical cores, but one
 * core left to FLOPscope's own threads (the job's worker, the power sampler). llama.cpp's threads
 * spin while they wait for each other, so one more runnable thread than there are cores stalls
 * them all: on a 2-vCPU VM, 2 threads decoded a 25 M-parameter Q8_0 model at 56 tokens/s against
 * 454 with 1 (bench/README.md#llm-predicted-vs-measured).
 */
export function defaultLlamaThreads(report: HardwareReport): number {
  const logical = Math.max(1, report.cpu.logicalCores);
  return Math.max(1, Math.min(report.cpu.physicalCores || logical, logical - 1));
}

/**
 * This machine's CPU at `threads` llama.cpp threads, timed by the cost model; `measured` false
 * when it rests on theoretical peaks (no benchmark). A product takes the longer of its compute
 * (the calibrated GEMM throughput at its shape, with the per-kernel overhead) and its bytes at the
 * bandwidth of the model's whole weights (`modelBytes`). The cost model's figures are the
 * benchmark's at its own thread count; with fewer threads, products and memory kernels are taken
 * as that share slower (linear: on the 2-vCPU Intel host STREAM triad gives 14.1 GB/s on 1
 * thread against 26.2 on 2, bench/hosts.md).
 */
/** llama.cpp's attention rate measured on this machine (llm-attention.ts), GFLOP/s per thread. */
export interface AttentionRate {
  decodeGflopsPerThread: number;
  prefillGflopsPerThread: number;
  basis: string;
}

export function thisMachineLlmDevice(
  runs: RunsRepo | null,
  report: HardwareReport,
  opts: { threads?: number; modelBytes: number; attention?: AttentionRate | null; llama?: LlamaCalibration | null; quant?: string },
): { device: LlmDevice; measured: boolean; threads: number } {
  const threads = opts.threads ?? defaultLlamaThreads(report);
  const model = latestDeviceModel(runs, report);
  const benchThreads = model.calibration?.threads ?? benchmarkThreads(report);
  const slower = threads < benchThreads ? benchThreads / threads : 1;
  // Each token streams every weight once: a matrix is read at the bandwidth of the whole model's
  // working set (DRAM for any model larger than the caches), not of the matrix alone. On one
  // thread, the benchmark's one-thread sweep where it has one (one core does not read at half of
  // two cores' rate), else the all-thread figure scaled.
  const single = threads === 1 ? singleThreadBandwidthFor(model, Math.max(1, opts.modelBytes)) : null;
  const streamGBs = single ?? bandwidthFor(model, Math.max(1, opts.modelBytes));
  const memorySlower = single === null ? slower : 1;
  const overheadMs = (model.calibration?.overheadUs ?? model.overheadUs) / 1000;
  // llama.cpp's own rates for this weight type at these threads, where a measured run timed them
  // (llama-calibration.ts): the ones given, else the newest stored on this machine.
  const given = opts.llama === undefined ? (runs ? storedLlamaCalibration(runs, report.machine.id, threads) : null) : opts.llama;
  const llama = given && given.threads === threads ? given : null;
  const rate = llama && opts.quant ? llama.quants.find((q) => q.quant.toUpperCase() === opts.quant!.toUpperCase()) : undefined;
  const device: LlmDevice = {
    name: `this machine (${report.cpu.model}, ${threads} thread${threads === 1 ? '' : 's'})`,
    productSeconds: (rows, n, k, weightBytes) => {
      const memoryMs = memorySlower * ((weightBytes + ACT_BYTES * rows * (n + k)) / (streamGBs * 1e9)) * 1000;
      // llama.cpp's own rate for this weight type, measured on this machine: decoding (a few rows), or prefilling.
      const own = rate ? (rows <= SKINNY_ROWS ? rate.decodeGflops : rate.prefillGflops) : undefined;
      if (own) return Math.max(((2 * rows * n * k) / (own * 1e9)) * 1000, memoryMs) / 1000;
      // Without llama.cpp's own rates: a few rows (decode) make a matrix–vector product, taken at the
      // large-GEMM rate (llama.cpp's quantized dot kernels are bound by the weights' bytes) rather
      // than at the calibration's fp32 GEMV points (ONNX Runtime's, bandwidth-bound from cache).
      const computeMs = rows <= SKINNY_ROWS ? overheadMs + ((2 * rows * n * k) / (model.computeGflops * 1e9)) * 1000 : kernelMs(model, { kind: 'product', rows, n, k, bytes: 0 });
      return Math.max(slower * computeMs, memoryMs) / 1000;
    },
    ...(llama ? { stepSeconds: llama.stepMs / 1000 } : {}),
    streamSeconds: (bytes) => (bytes > 0 ? (slower * kernelMs(model, { kind: 'memory', bytes })) / 1000 : 0),
    memoryBytes: report.memory.totalBytes,
    basis: `the calibrated cost model of ${model.basis}${slower > 1 ? `, scaled to ${threads} of its ${benchThreads} threads (×${slower.toFixed(2)} the time${single !== null ? `; weights streamed at the one-thread read bandwidth measured for ${formatBytes(opts.modelBytes)}, ${single.toFixed(1)} GB/s` : ''})` : ''}`,
  };
  if (llama) {
    const step = `${llama.stepMs.toFixed(2)} ms per decoded token beyond its products`;
    device.basis += rate
      ? `; llama.cpp's ${rate.quant} weight products at ${rate.decodeGflops.toFixed(1)} GFLOP/s decoding${rate.prefillGflops ? ` and ${rate.prefillGflops.toFixed(1)} prefilling` : ''}, and ${step} (measured through llama.cpp on this machine's calibration GGUFs, ${threads} thread${threads === 1 ? '' : 's'})`
      : `; ${step} (measured through llama.cpp on this machine's calibration GGUFs; no ${opts.quant ?? ''} product rate measured, so products from the benchmark)`;
  }
  const a = opts.attention;
  if (a) {
    device.attentionSeconds = (flops, phase) => flops / ((phase === 'decode' ? a.decodeGflopsPerThread : a.prefillGflopsPerThread) * threads * 1e9);
    device.basis += `; attention at ${(a.decodeGflopsPerThread * threads).toFixed(1)} GFLOP/s decoding and ${(a.prefillGflopsPerThread * threads).toFixed(1)} prefilling (${a.basis})`;
  } else {
    device.basis += '; attention as K/V streaming and products (no measured llama.cpp run of another model on this machine yet: predictions at long context are optimistic)';
  }
  return { device, measured: model.measured, threads };
}

/** The thread count the benchmark suite runs at by default (src-main/suites/bench-suite.ts). */
function benchmarkThreads(report: HardwareReport): number {
  return Math.max(1, report.cpu.physicalCores || report.cpu.logicalCores);
}

/** A catalog GPU on its roofline at its dense fp16 (else bf16, fp32) peak; null without a peak or bandwidth. */
export function catalogLlmDevice(entry: GpuCatalogEntry): LlmDevice | null {
  const tflops = entry.fp16 ?? entry.bf16 ?? entry.fp32;
  const bw = entry.memBandwidthGBs;
  if (!tflops || !bw || !entry.memGB) return null;
  const peak = tflops * 1e12;
  const bandwidth = bw * 1e9;
  return {
    name: entry.name,
    productSeconds: (rows, n, k, weightBytes) => Math.max((2 * rows * n * k) / peak, (weightBytes + 2 * rows * (n + k)) / bandwidth),
    streamSeconds: (bytes) => bytes / bandwidth,
    memoryBytes: entry.memGB * 1e9,
    basis: `roofline of ${entry.name}: dense ${tflops} TFLOP/s and ${bw} GB/s from the GPU catalog (${entry.source})`,
  };
}

/** A device to fit against, as the user names it: a catalog GPU, or apple:<GB> for Apple unified memory. */
export interface NamedFitDevice {
  fit: FitDevice;
  /** The catalog entry of a GPU (for a split's speed), when there is one. */
  gpu: GpuCatalogEntry | null;
}

export function namedFitDevice(name: string): NamedFitDevice {
  const apple = /^apple:(\d+(?:\.\d+)?)$/i.exec(name.trim());
  if (apple) {
    const gb = Number(apple[1]);
    if (!(gb > 0 && gb <= 1024)) throw new FieldError('devices', `"${name}": unified memory must be 1–1024 GB`);
    return { fit: { name: `Apple unified memory ${gb} GB`, memoryBytes: gb * 1e9, kind: 'unified' }, gpu: null };
  }
  const entry = GPU_CATALOG.find((e) => e.name.toLowerCase() === name.trim().toLowerCase()) ?? findGpu(name);
  if (!entry) throw new FieldError('devices', `unknown device "${name}" (not in the GPU catalog; use a name such as "NVIDIA GeForce RTX 4090", or apple:<GB>)`);
  if (!entry.memGB) throw new FieldError('devices', `the GPU catalog has no memory size for ${entry.name}`);
  return { fit: { name: entry.name, memoryBytes: entry.memGB * 1e9, kind: entry.vendor === 'Apple' ? 'unified' : 'gpu' }, gpu: entry };
}

/** This machine's memories: its RAM (unified on Apple silicon) and each detected GPU's VRAM. */
export function thisMachineFitDevices(report: HardwareReport): NamedFitDevice[] {
  const unified = report.machine.os.platform === 'darwin' && report.machine.os.arch === 'arm64';
  const out: NamedFitDevice[] = [{ fit: { name: `this machine's ${unified ? 'unified memory' : 'RAM'}`, memoryBytes: report.memory.totalBytes, kind: unified ? 'unified' : 'cpu' }, gpu: null }];
  for (const g of report.gpus) {
    if (!g.vramBytes || unified) continue;
    out.push({ fit: { name: `${g.model} (this machine)`, memoryBytes: g.vramBytes, kind: 'gpu' }, gpu: findGpu(g.model) });
  }
  return out;
}
