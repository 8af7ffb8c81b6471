/**
 * WebAssembly SIMD kernels for the memory benchmark, emitted as bytes by a tiny hand-rolled
 * encoder (runs in the worker threads; no build step, no dependency). Why wasm: V8 does not
 * vectorise plain JS loops, and a scalar Float64Array triad reached ~40 % of the C STREAM
 * bandwidth on a Zen 5 core; v128 loads/stores unrolled over a 64-byte line close that gap.
 *
 * The module imports one shared memory (`env.memory`) that every worker instantiates against, and
 * exports, with all pointers and lengths in bytes (lengths multiples of `KERNEL_ALIGN`):
 *   copy(dst, src, _, n, _s)        dst = src                    (STREAM copy:  c = a)
 *   scale(dst, src, _, n, s)        dst = s·src                  (STREAM scale: b = s·c)
 *   add(dst, x, y, n, _s)           dst = x + y                  (STREAM add:   c = a + b)
 *   triad(dst, x, y, n, s)          dst = x + s·y                (STREAM triad: a = b + s·c)
 *   read(src, n, passes) → f64      Σ over `passes` sweeps of src (the read-bandwidth kernel)
 * Binary format per the WebAssembly core spec §5 and the fixed-width SIMD proposal's opcodes.
 */
import { F64, I32, section, sleb, str, uleb, V128, vec } from '../../infra/wasm-binary.js';

/**
 * Bytes per loop iteration (and the granularity of every length). V8 does not unroll wasm loops,
 * and the loop's own address/compare/branch work showed on DRAM-bound runs, so the kernels unroll
 * 16 v128 operations per iteration.
 */
export const KERNEL_ALIGN = 256;
const UNROLL = KERNEL_ALIGN / 16;
/**
 * Each call walks its range as WAYS interleaved sub-ranges (first and second half at once). With
 * one sequential stream per array a Zen 5 core reached ~0.75–0.9× the C STREAM triad (whose
 * 512-bit loop keeps more cache lines in flight per instruction); two streams per array give the
 * hardware prefetchers twice the concurrency and reached 0.95–1.05× in alternating A/B runs.
 */
export const WAYS = 2;
/** Read-kernel accumulators: enough to hide the FP add latency, few enough for 16 xmm registers. */
const ACCUMULATORS = 8;

// Instructions (core spec §5.4, SIMD opcodes after the 0xFD prefix).
const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32ShrU: [0x76],
  i32Mul: [0x6c],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  f64Add: [0xa0],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  brIf: (l: number) => [0x0d, ...uleb(l)],
  end: [0x0b],
  // memarg: alignment hint log2(16) = 4, then the constant offset.
  v128Load: (offset: number) => [0xfd, ...uleb(0), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(11), 4, ...uleb(offset)],
  v128Const0: [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
  f64x2Splat: [0xfd, ...uleb(20)],
  f64x2ExtractLane: (lane: number) => [0xfd, ...uleb(33), lane],
  f64x2Add: [0xfd, ...uleb(240)],
  f64x2Mul: [0xfd, ...uleb(242)],
};

type Stream = 'copy' | 'scale' | 'add' | 'triad';

/** Per-way bases: base + w·(part + gap), computed once at entry into locals. */
function wayBases(params: number[], part: number, gap: number, firstLocal: number): number[] {
  const code: number[] = [];
  for (let w = 0; w < WAYS; w++) {
    params.forEach((p, j) => {
      code.push(...op.localGet(p));
      if (w > 0) code.push(...op.localGet(part), ...op.localGet(gap), ...op.i32Add, ...op.i32Const(w), ...op.i32Mul, ...op.i32Add);
      code.push(...op.localSet(firstLocal + w * params.length + j));
    });
  }
  return code;
}

/**
 * params: 0 dst, 1 x, 2 y, 3 n, 4 s, 5 gap. locals: 6 i (byte offset within a way), 7 part (n / WAYS),
 * 8.. per-way dst/x/y bases, then vs (s splatted to both lanes).
 */
function streamBody(kind: Stream): number[] {
  const [DST, X, Y, N, S, GAP, I, PART, BASE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const VS = BASE + 3 * WAYS;
  const addr = (base: number) => [...op.localGet(base), ...op.localGet(I), ...op.i32Add];
  const body: number[] = [...op.localGet(S), ...op.f64x2Splat, ...op.localSet(VS)];
  body.push(...op.localGet(N), ...op.i32Const(Math.log2(WAYS)), ...op.i32ShrU, ...op.localSet(PART));
  body.push(...wayBases([DST, X, Y], PART, GAP, BASE));
  body.push(...op.block, ...op.localGet(N), ...op.i32Eqz, ...op.brIf(0), ...op.loop);
  const perWay = UNROLL / WAYS;
  for (let u = 0; u < perWay; u++) {
    for (let w = 0; w < WAYS; w++) {
      const off = u * 16;
      const [d, xb, yb] = [BASE + 3 * w, BASE + 3 * w + 1, BASE + 3 * w + 2];
      const x = [...addr(xb), ...op.v128Load(off)];
      const y = [...addr(yb), ...op.v128Load(off)];
      const value =
        kind === 'copy' ? x
          : kind === 'scale' ? [...op.localGet(VS), ...x, ...op.f64x2Mul]
            : kind === 'add' ? [...x, ...y, ...op.f64x2Add]
              : [...x, ...op.localGet(VS), ...y, ...op.f64x2Mul, ...op.f64x2Add];
      body.push(...addr(d), ...value, ...op.v128Store(off));
    }
  }
  body.push(...op.localGet(I), ...op.i32Const(perWay * 16), ...op.i32Add, ...op.localSet(I));
  body.push(...op.localGet(I), ...op.localGet(PART), ...op.i32LtU, ...op.brIf(0), ...op.end, ...op.end, ...op.end);
  return [...vec([[2 + 3 * WAYS, I32], [1, V128]]), ...body];
}

/**
 * params: 0 src, 1 n, 2 passes, 3 gap. locals: 4 i, 5 pass, 6 part, 7.. per-way bases, then the
 * accumulators. One accumulator per few loads so the adds' latency never limits the load rate.
 */
function readBody(): number[] {
  const [SRC, N, PASSES, GAP, I, PASS, PART, BASE] = [0, 1, 2, 3, 4, 5, 6, 7];
  const ACC = BASE + WAYS;
  const body: number[] = [];
  for (let u = 0; u < ACCUMULATORS; u++) body.push(...op.v128Const0, ...op.localSet(ACC + u));
  body.push(...op.localGet(N), ...op.i32Const(Math.log2(WAYS)), ...op.i32ShrU, ...op.localSet(PART));
  body.push(...wayBases([SRC], PART, GAP, BASE));
  body.push(...op.block, ...op.localGet(N), ...op.i32Eqz, ...op.brIf(0), ...op.localGet(PASSES), ...op.i32Eqz, ...op.brIf(0));
  body.push(...op.loop); // passes
  body.push(...op.i32Const(0), ...op.localSet(I), ...op.loop); // bytes
  const perWay = UNROLL / WAYS;
  for (let u = 0; u < perWay; u++) {
    for (let w = 0; w < WAYS; w++) {
      const acc = ACC + ((u * WAYS + w) % ACCUMULATORS);
      body.push(...op.localGet(acc), ...op.localGet(BASE + w), ...op.localGet(I), ...op.i32Add, ...op.v128Load(u * 16), ...op.f64x2Add, ...op.localSet(acc));
    }
  }
  body.push(...op.localGet(I), ...op.i32Const(perWay * 16), ...op.i32Add, ...op.localSet(I));
  body.push(...op.localGet(I), ...op.localGet(PART), ...op.i32LtU, ...op.brIf(0), ...op.end);
  body.push(...op.localGet(PASS), ...op.i32Const(1), ...op.i32Add, ...op.localSet(PASS));
  body.push(...op.localGet(PASS), ...op.localGet(PASSES), ...op.i32LtU, ...op.brIf(0), ...op.end, ...op.end);
  // Return the sum of all accumulators' lanes so no load is dead code.
  body.push(...op.localGet(ACC), ...op.f64x2ExtractLane(0), ...op.localGet(ACC), ...op.f64x2ExtractLane(1), ...op.f64Add);
  for (let u = 1; u < ACCUMULATORS; u++) {
    body.push(...op.localGet(ACC + u), ...op.f64x2ExtractLane(0), ...op.f64Add, ...op.localGet(ACC + u), ...op.f64x2ExtractLane(1), ...op.f64Add);
  }
  body.push(...op.end);
  return [...vec([[3 + WAYS, I32], [ACCUMULATORS, V128]]), ...body];
}

/** The module's bytes for a shared memory of `maxPages` 64-KiB pages. */
export function kernelModuleBytes(maxPages: number): Uint8Array<ArrayBuffer> {
  const streamType = [0x60, ...vec([[I32], [I32], [I32], [I32], [F64], [I32]]), ...vec([])];
  const readType = [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[F64]])];
  const types = section(1, vec([streamType, readType]));
  // Memory import with limits flag 0x03 = shared + has maximum (threads proposal).
  const imports = section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)]]));
  const names: Stream[] = ['copy', 'scale', 'add', 'triad'];
  const funcs = section(3, vec([...names.map(() => [0]), [1]]));
  const exports = section(7, vec([...names, 'read'].map((n, i) => [...str(n), 0x00, ...uleb(i)])));
  const bodies = [...names.map(streamBody), readBody()].map((b) => [...uleb(b.length), ...b]);
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

export interface KernelExports {
  copy(dst: number, src: number, unused: number, n: number, s: number, gap: number): void;
  scale(dst: number, src: number, unused: number, n: number, s: number, gap: number): void;
  add(dst: number, x: number, y: number, n: number, s: number, gap: number): void;
  triad(dst: number, x: number, y: number, n: number, s: number, gap: number): void;
  read(src: number, n: number, passes: number, gap: number): number;
}

/** Instantiates the kernels against `memory` (synchronously: the module is a few hundred bytes). */
export function instantiateKernels(memory: WebAssembly.Memory, maxPages: number): KernelExports {
  const module = new WebAssembly.Module(kernelModuleBytes(maxPages));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports;
  if (!isKernelExports(exports)) throw new Error('internal: the memory kernels module lacks one of copy, scale, add, triad, read');
  return exports;
}

const KERNEL_NAMES = ['copy', 'scale', 'add', 'triad', 'read'] as const;

function isKernelExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & KernelExports {
  return KERNEL_NAMES.every((name) => typeof exports[name] === 'function');
}
