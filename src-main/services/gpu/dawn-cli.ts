/**
 * Stand-alone runner for the Dawn GPU benchmark (Node): prints the GpuBenchResult as one JSON line.
 * For debugging a machine's WebGPU and for bench/gpu-vs-torch.ts; the app's `bench` command goes
 * through the job system instead.
 *   node --import tsx src-main/services/gpu/dawn-cli.ts [--full] [--gemm N] [--bandwidth-mib N] [--dawn-flag F]…
 * Exit status: 0 with an adapter, 2 without one (the JSON says why).
 */
import { parseArgs } from 'node:util';
import { runDawnGpuBench } from './dawn.js';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    gemm: { type: 'string' },
    'bandwidth-mib': { type: 'string' },
    'dawn-flag': { type: 'string', multiple: true },
    progress: { type: 'boolean', default: false },
  },
});

const sizes: { gemm?: number; bandwidthBytes?: number } = {};
if (values.gemm) sizes.gemm = Number(values.gemm);
if (values['bandwidth-mib']) sizes.bandwidthBytes = Number(values['bandwidth-mib']) * 1024 * 1024;

const ac = new AbortController();
process.once('SIGINT', () => ac.abort(new Error('interrupted')));

const result = await runDawnGpuBench({
  quick: !values.full,
  sizes,
  signal: ac.signal,
  dawnFlags: values['dawn-flag'] ?? [],
  progress: values.progress ? (phase, done, total) => process.stderr.write(`[${done}/${total}] ${phase}\n`) : undefined,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
// Exit explicitly: a Dawn instance may keep native threads (and so the event loop) alive.
process.exit(result.available ? 0 : 2);
