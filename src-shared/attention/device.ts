/**
 * Devices the efficient-transformer lab predicts on (runs anywhere): a catalog GPU at a training
 * dtype, or this machine from its newest measured roofline (else its theoretical peak and a
 * nominal bandwidth is refused: a prediction needs a measured or datasheet bandwidth).
 *
 * On-chip memory M for FlashAttention's IO: Dao et al. 2022 §2.1 use the A100's 192 KB of SRAM
 * per streaming multiprocessor (H100: 228 KB shared memory per SM, NVIDIA Hopper tuning guide);
 * other GPUs get 128 KB, stated. On a CPU the tile lives in the per-core L2 cache (detected).
 */
import type { GpuCatalogEntry } from '../hardware/gpu-catalog.js';
import type { AttentionDevice } from './types.js';

export type AttentionDtype = 'fp32' | 'bf16' | 'fp16';

function sramOf(entry: GpuCatalogEntry): { bytes: number; note: string } {
  if (/H100|H200/.test(entry.name)) return { bytes: 228 * 1024, note: '228 KB shared memory per SM (NVIDIA Hopper tuning guide)' };
  if (/A100/.test(entry.name)) return { bytes: 192 * 1024, note: '192 KB SRAM per SM (Dao et al. 2022 §2.1)' };
  return { bytes: 128 * 1024, note: '128 KB on-chip memory per SM assumed (not in the catalog)' };
}

/** A catalog GPU at a dtype, or null when the catalog has no peak or bandwidth for it. */
export function catalogAttentionDevice(entry: GpuCatalogEntry, dtype: AttentionDtype): AttentionDevice | null {
  const tflops = entry[dtype];
  if (!tflops || !entry.memBandwidthGBs || !entry.memGB) return null;
  const sram = sramOf(entry);
  return {
    name: entry.name,
    peakGflops: tflops * 1000,
    bandwidthGBs: entry.memBandwidthGBs,
    memoryBytes: entry.memGB * 1e9,
    sramBytes: sram.bytes,
    source: `dense ${dtype} ${tflops} TFLOP/s and ${entry.memBandwidthGBs} GB/s from the GPU catalog (${entry.source}); M = ${sram.note}`,
  };
}

/** This machine from its measured fp32 roofline (newest benchmark run). */
export function measuredAttentionDevice(name: string, roofline: { peakGflops: number; bandwidthGBs: number }, memoryBytes: number, l2Bytes: number | null): AttentionDevice {
  const sram = l2Bytes && l2Bytes > 0 ? l2Bytes : 1024 * 1024;
  return {
    name,
    peakGflops: roofline.peakGflops,
    bandwidthGBs: roofline.bandwidthGBs,
    memoryBytes,
    sramBytes: sram,
    source: `fp32 GEMM peak ${roofline.peakGflops.toFixed(0)} GFLOP/s and DRAM ${roofline.bandwidthGBs.toFixed(1)} GB/s measured by the newest benchmark run; M = ${l2Bytes ? 'the detected per-core L2' : 'an assumed 1 MiB L2'} (${(sram / 1024).toFixed(0)} KiB)`,
  };
}
