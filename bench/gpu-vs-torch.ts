/**
 * FLOPscope's WebGPU kernels (through Dawn for Node) against PyTorch on the same NVIDIA GPU:
 * fp32 and fp16 GEMM at 4096 and a 256 MiB device-to-device copy, side by side with the ratio
 * ours / torch. Our side runs first and exits before PyTorch starts (bench/gpu-vs-torch.py), so
 * the two never share the GPU. Both count FLOPs as 2·n³ and copy bytes as 2 × array size.
 *
 *   node --import tsx bench/gpu-vs-torch.ts [--size 4096] [--bandwidth-mib 256] [--python python3] [--dawn-flag adapter=…]
 *
 * Exit status 2 with a message when Dawn has no (hardware) adapter, or PyTorch/CUDA is missing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { GpuGemmResult } from '../src-shared/gpu/run-gpu-bench.js';
import { runDawnGpuBench } from '../src-main/services/gpu/dawn.js';

interface TorchResult {
  device: string;
  torch: string;
  cuda: string;
  fp32: { gflops: number };
  fp16: { gflops: number };
  copy: { GBs: number };
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '4096' },
    'bandwidth-mib': { type: 'string', default: '256' },
    python: { type: 'string', default: 'python3' },
    'dawn-flag': { type: 'string', multiple: true },
  },
});
const size = Number(values.size);
const mib = Number(values['bandwidth-mib']);

function stop(msg: string): never {
  console.error(`gpu-vs-torch: ${msg}`);
  process.exit(2);
}

const ours = await runDawnGpuBench({
  quick: false,
  // The naive baseline is not part of the comparison: keep it small.
  sizes: { gemm: size, naiveGemm: Math.min(512, size), bandwidthBytes: mib * 1024 * 1024 },
  dawnFlags: values['dawn-flag'] ?? [],
  progress: (phase, done, total) => console.error(`[webgpu ${done}/${total}] ${phase}`),
});
if (!ours.available) stop(`no WebGPU adapter through Dawn: ${ours.reason}`);
if (ours.adapter.software) stop(`Dawn's adapter is a software one (${ours.adapter.description || ours.adapter.architecture}); install the NVIDIA Vulkan driver`);
for (const w of ours.warnings) console.error(`warning: ${w}`);

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gpu-vs-torch.py');
console.error('[torch] running', script);
const torch = await new Promise<TorchResult>((resolve) => {
  execFile(values.python!, [script, '--size', String(size), '--bandwidth-mib', String(mib), '--json'], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
    if (err) stop(`PyTorch side failed: ${stderr.trim() || err.message}`);
    resolve(JSON.parse(stdout) as TorchResult);
  });
});

const pick = (dtype: 'fp32' | 'fp16'): GpuGemmResult | undefined => ours.gemm.find((g) => g.kernel === 'tiled' && g.dtype === dtype);
const row = (label: string, mine: number | undefined, theirs: number, unit: string, note = ''): string =>
  `${label.padEnd(22)} ${(mine === undefined ? 'n/a' : mine.toFixed(0)).padStart(10)} ${theirs.toFixed(0).padStart(10)} ${unit.padEnd(8)} ${
    mine === undefined ? '' : `${((100 * mine) / theirs).toFixed(1)} %`.padStart(8)
  }${note ? `  ${note}` : ''}`;
const verifiedNote = (g: GpuGemmResult | undefined): string => (g && !g.verified ? 'UNVERIFIED: result wrong' : '');

const adapterName = [ours.adapter.vendor, ours.adapter.architecture, ours.adapter.description].filter(Boolean).join(' ');
console.log(`WebGPU (Dawn): ${adapterName}\nPyTorch:       ${torch.device} (torch ${torch.torch}, CUDA ${torch.cuda})`);
if (!/nvidia/i.test(adapterName)) console.log('note: Dawn did not pick an NVIDIA adapter; pass --dawn-flag adapter=<name> to choose the same GPU');
console.log(`${'kernel'.padEnd(22)} ${'webgpu'.padStart(10)} ${'torch'.padStart(10)} ${'unit'.padEnd(8)} ${'ratio'.padStart(8)}`);
const f32 = pick('fp32');
const f16 = pick('fp16');
console.log(row(`gemm fp32 ${size}`, f32?.gflops, torch.fp32.gflops, 'GFLOP/s', `${verifiedNote(f32)} torch: TF32 off`.trim()));
console.log(row(`gemm fp16 ${size}`, f16?.gflops, torch.fp16.gflops, 'GFLOP/s', `${verifiedNote(f16)} torch: tensor cores, fp32 accumulate`.trim()));
console.log(row(`copy ${mib} MiB`, ours.bandwidth.copyGBs, torch.copy.GBs, 'GB/s', ours.bandwidth.verified ? '' : 'UNVERIFIED'));
process.exit(0);
