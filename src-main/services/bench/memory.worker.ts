/**
 * Memory-bandwidth worker (worker thread): gets the shared memory (worker 0 creates it and sends
 * it to the others), instantiates the wasm SIMD kernels against it, warms them up, then loops:
 * wait on the control block, run the command on this thread's contiguous slice, stamp the finish
 * time, count itself done. Never touches the event loop while measuring; the coordinator ends it
 * with Op.EXIT or Worker.terminate().
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Arg, Ctrl, expectedStream, Op, slice, type MemoryWorkerData } from './memory-protocol.js';
import { instantiateKernels, KERNEL_ALIGN, WAYS } from './wasm-kernels.js';

const data = workerData as MemoryWorkerData;
const ctrl = new Int32Array(data.ctrl);
const args = new Float64Array(data.args);
const ends = new BigInt64Array(data.ends);
const sums = new Float64Array(data.sums);

let memory: WebAssembly.Memory;
if (data.id === 0) {
  memory = new WebAssembly.Memory({ initial: data.maxPages, maximum: data.maxPages, shared: true });
  for (const port of data.memoryPorts) {
    port.postMessage(memory);
    port.close();
  }
} else {
  const port = data.memoryPorts[0]!;
  memory = await new Promise<WebAssembly.Memory>((resolve) => port.once('message', resolve));
  port.close();
}

const k = instantiateKernels(memory, data.maxPages);
const { layout } = data;
const gap = layout.gap;
const mine = { offset: data.id * layout.sliceStride, bytes: layout.sliceBytes };
const a = layout.bases[0] + mine.offset;
const b = layout.bases[1] + mine.offset;
const c = layout.bases[2] + mine.offset;

// Warm-up: V8 first runs wasm in its baseline compiler (Liftoff) and tiers hot functions up to
// TurboFan in the background; the baseline code is ~2× slower on SIMD. A few dozen short calls
// per kernel (on this thread's own slice, 64 KiB) trigger tier-up before anything is timed; the
// coordinator also discards the first timed repetition, as STREAM does.
{
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const n = Math.min(mine.bytes, 64 * 1024);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40; i++) {
      k.copy(c, a, 0, n, 0, gap);
      k.scale(b, c, 0, n, 3, gap);
      k.add(c, a, b, n, 0, gap);
      k.triad(a, b, c, n, 3, gap);
      sums[data.id] = k.read(a, n, 4, gap);
    }
    Atomics.wait(nap, 0, 0, 2); // a 2 ms pause lets background compilation finish
  }
}

parentPort?.postMessage({ type: 'ready' });

function run(op: number): void {
  const s = args[Arg.SCALAR]!;
  switch (op) {
    case Op.INIT: {
      const f = new Float64Array(memory.buffer);
      // The whole stride: each sub-range starts a gap after the previous one ends.
      f.fill(1, a / 8, (a + layout.sliceStride) / 8);
      f.fill(2, b / 8, (b + layout.sliceStride) / 8);
      f.fill(0, c / 8, (c + layout.sliceStride) / 8);
      break;
    }
    case Op.COPY: k.copy(c, a, 0, mine.bytes, s, gap); break; // c = a
    case Op.SCALE: k.scale(b, c, 0, mine.bytes, s, gap); break; // b = s·c
    case Op.ADD: k.add(c, a, b, mine.bytes, s, gap); break; // c = a + b
    case Op.TRIAD: k.triad(a, b, c, mine.bytes, s, gap); break; // a = b + s·c
    case Op.VALIDATE: {
      const f = new Float64Array(memory.buffer);
      const [ea, eb, ec] = expectedStream(args[Arg.PASSES]!);
      const ok = (x: number, e: number) => Math.abs(x - e) <= 1e-13 * Math.abs(e);
      if (!ok(f[a / 8]!, ea) || !ok(f[b / 8]!, eb) || !ok(f[c / 8]!, ec)) Atomics.store(ctrl, Ctrl.FAILED, 2);
      break;
    }
    case Op.READ: {
      // The sweep reads from the start of the memory, each thread its own slice with the same
      // sub-range gap as the STREAM kernels (the slices are spaced to leave room for it).
      const active = args[Arg.ACTIVE] || data.threads;
      if (data.id >= active) {
        sums[data.id] = 0;
        break;
      }
      const part = slice(args[Arg.SIZE]!, active, data.id, KERNEL_ALIGN);
      sums[data.id] = k.read(data.id * (part.bytes + (WAYS - 1) * gap), part.bytes, args[Arg.PASSES]!, gap);
      break;
    }
  }
}

let seen = 0;
for (;;) {
  Atomics.wait(ctrl, Ctrl.GEN, seen);
  seen = Atomics.load(ctrl, Ctrl.GEN);
  const op = Atomics.load(ctrl, Ctrl.OP);
  if (op === Op.EXIT) break;
  try {
    run(op);
  } catch {
    Atomics.store(ctrl, Ctrl.FAILED, 1);
  }
  ends[data.id] = process.hrtime.bigint();
  if (Atomics.add(ctrl, Ctrl.DONE, 1) + 1 === data.threads) Atomics.notify(ctrl, Ctrl.DONE);
}
