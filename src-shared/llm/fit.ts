/**
 * Does a model fit a device at the settings, how long a context fits, and, on a GPU too small for
 * all of it, how many layers llama.cpp could offload (`-ngl`).
 */
import { kvLayerBytes } from './kv-cache.js';
import { countParams } from './params.js';
import type { LlmFit, LlmMemory, LlmSettings, LlmSpec } from './types.js';

export interface FitDevice {
  name: string;
  memoryBytes: number;
  kind: 'cpu' | 'gpu' | 'unified';
}

export interface FitOptions {
  /** Memory the device may really use (e.g. Metal's recommendedMaxWorkingSetSize read on the Mac); overrides the rule below. */
  usableBytes?: number;
}

const GiB = 1024 ** 3;

/**
 * Apple unified memory: Metal's recommendedMaxWorkingSetSize, not all of RAM. Reported values: 16 GB
 * → 10,922.67 MB = 2/3 (abetlen/llama-cpp-python#687), 64 GB → ≈ 48 GB = 3/4 (ggml-org/llama.cpp#1870),
 * 128 GiB → 107.5 GiB ≈ 0.84 (antirez/ds4#893). Rule used: 2/3 below 36 GiB, 3/4 from there (conservative
 * for the largest Macs); `sysctl iogpu.wired_limit_mb` raises it.
 */
export function unifiedUsableShare(memoryBytes: number): number {
  return memoryBytes < 36 * GiB ? 2 / 3 : 3 / 4;
}

function usable(device: FitDevice, opts: FitOptions): { bytes: number; note: string } {
  if (opts.usableBytes !== undefined) return { bytes: opts.usableBytes, note: 'usable memory as given' };
  if (device.kind !== 'unified') return { bytes: device.memoryBytes, note: `all ${fmtGiB(device.memoryBytes)} counted` };
  const share = unifiedUsableShare(device.memoryBytes);
  return {
    bytes: Math.floor(device.memoryBytes * share),
    note: `unified memory: Metal's working-set limit taken as ${share === 3 / 4 ? '3/4' : '2/3'} of ${fmtGiB(device.memoryBytes)} (recommendedMaxWorkingSetSize; raise it with sysctl iogpu.wired_limit_mb)`,
  };
}

function fmtGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}

/** Largest context in [1, contextMax] whose total fits, 0 when none: binary search (total grows with context). */
export function maxFittingContext(
  spec: LlmSpec,
  settings: LlmSettings,
  memoryFn: (s: LlmSettings) => LlmMemory,
  budget: number,
): number {
  const fits = (context: number) => memoryFn({ ...settings, context }).totalBytes <= budget;
  if (!fits(1)) return 0;
  let lo = 1;
  let hi = spec.contextMax;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Repeating layers whose weights and K/V fit beside the compute buffer, the overhead and the output
 * layer. llama.cpp's -ngl counts the output layer as one more and offloads it first, then the last
 * repeating layers (src/llama-model.cpp load_tensors: i_gpu_start = n_layer + 1 − n_gpu_layers, the
 * output layer being index n_layer); the token embedding always stays on the CPU. -ngl = this + 1.
 */
export function gpuLayersThatFit(spec: LlmSpec, settings: LlmSettings, memory: LlmMemory, budget: number): number {
  const params = countParams(spec);
  const bytesPerParam = memory.weights.bytes / params.total;
  // A tied output reuses the embedding matrix, duplicated onto the output's device.
  const outputBytes = spec.vocab * spec.hiddenSize * bytesPerParam;
  let free = budget - memory.compute.bytes - memory.overhead.bytes - outputBytes;
  let n = 0;
  for (let i = spec.layers - 1; i >= 0 && free > 0; i--) {
    const layer = params.perLayer[i];
    if (!layer) break;
    const need = layer.total * bytesPerParam + kvLayerBytes(spec, i, settings.context, settings.kvDtype, settings.batch);
    if (need > free) break;
    free -= need;
    n++;
  }
  return n;
}

/** Fit of the model on one device at settings.context. */
export function fitDevice(
  spec: LlmSpec,
  settings: LlmSettings,
  memoryFn: (s: LlmSettings) => LlmMemory,
  device: FitDevice,
  opts: FitOptions = {},
): LlmFit {
  const u = usable(device, opts);
  const memory = memoryFn(settings);
  const fits = memory.totalBytes <= u.bytes;
  const maxContext = maxFittingContext(spec, settings, memoryFn, u.bytes);
  const fit: LlmFit = {
    device: device.name,
    memoryBytes: u.bytes,
    fits,
    maxContext,
    note: `needs ${fmtGiB(memory.totalBytes)} at ${settings.context} tokens, has ${fmtGiB(u.bytes)}; ${u.note}`,
  };
  if (!fits && device.kind === 'gpu') {
    fit.gpuLayers = gpuLayersThatFit(spec, settings, memory, u.bytes);
    fit.note += `; ${fit.gpuLayers} of ${spec.layers} layers fit on the GPU beside the output layer, compute buffer and overhead (llama.cpp -ngl ${fit.gpuLayers + 1}), the rest would run on the CPU`;
  }
  return fit;
}
