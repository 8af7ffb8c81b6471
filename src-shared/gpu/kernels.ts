/**
 * WGSL compute kernels for the GPU benchmark (pure strings; runs anywhere). The same sources run in
 * Chromium's navigator.gpu (the app) and in Dawn for Node (the CLI), so a GPU number from either
 * host comes from one kernel. run-gpu-bench.ts compiles and times them; docs/gpu.md explains them.
 *
 * Layouts: every matrix is dense row-major, A is M×K, B is K×N, C = A·B is M×N. The GEMM kernels
 * read their sizes from a uniform `Dims { m, n, k, _pad }` (16 bytes, the uniform alignment) and
 * bound-check every load and store, so any size works (the benchmark uses multiples of 64).
 */

/** Threads per workgroup side of the naive kernel and of the tiled kernel (16×16 = 256 invocations,
 * the WebGPU default `maxComputeInvocationsPerWorkgroup`, so no device limit must be raised). */
export const GEMM_WORKGROUP = 16;
/** Output tile of one tiled workgroup: 16×16 threads × a 4×4 micro-tile each = 64×64. */
export const GEMM_TILE = 64;
/** Depth of the shared-memory K slab. Two 64×16 f32 slabs = 8 KiB, half the WebGPU default
 * `maxComputeWorkgroupStorageSize` (16 KiB), so the kernel runs on every adapter. */
export const GEMM_TILE_K = 16;

/** Threads per workgroup of the bandwidth kernels (1-D). */
export const BANDWIDTH_WORKGROUP = 256;

export const ENTRY_GEMM_NAIVE = 'gemm_naive';
export const ENTRY_GEMM_TILED = 'gemm_tiled';
export const ENTRY_COPY = 'copy_vec4';
export const ENTRY_READ = 'read_sum_vec4';

export type GemmDtype = 'fp32' | 'fp16';

const DIMS = /* wgsl */ `
struct Dims { m: u32, n: u32, k: u32, _pad: u32 }
@group(0) @binding(3) var<uniform> dims: Dims;
`;

/**
 * Naive GEMM: one invocation per C element, K-loop straight from global memory. Slow by design;
 * it is the correctness and speed baseline the tiled kernel must beat.
 */
export const GEMM_NAIVE_F32 = /* wgsl */ `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
${DIMS}
@compute @workgroup_size(${GEMM_WORKGROUP}, ${GEMM_WORKGROUP}, 1)
fn ${ENTRY_GEMM_NAIVE}(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.y;
  let col = gid.x;
  if (row >= dims.m || col >= dims.n) { return; }
  var acc = 0.0;
  for (var kk = 0u; kk < dims.k; kk++) {
    acc = fma(a[row * dims.k + kk], b[kk * dims.n + col], acc);
  }
  c[row * dims.n + col] = acc;
}
`;

/**
 * Tiled GEMM for one element type `T` ('f32', or 'f16' with the shader-f16 feature). Each 16×16
 * workgroup computes a 64×64 tile of C; each invocation a 4×4 micro-tile whose rows and columns are
 * strided by 16 (row = ty + 16·i, col = tx + 16·j) so that
 *  - neighbouring invocations (consecutive tx) read consecutive shared-memory words of the B slab
 *    (no bank conflicts) and store consecutive C addresses (coalesced), and
 *  - the A value one row needs is the same for a whole tx-row of invocations (a broadcast).
 * Per K slab of 16 the workgroup stages A[64×16] (transposed, k-major) and B[16×64] in workgroup
 * memory with coalesced loads (4 per invocation each), then does 16 × 4×4 FMAs per invocation: 64
 * FMAs per 8 shared-memory loads instead of 1 per 2 global loads in the naive kernel.
 * Accumulation is always f32: the fp16 variant is f16 storage with f32 accumulation, like
 * cuBLAS's default fp16 GEMM, so its error grows with output rounding, not with K.
 */
export function gemmTiledWgsl(dtype: GemmDtype): string {
  const t = dtype === 'fp16' ? 'f16' : 'f32';
  const zero = dtype === 'fp16' ? '0.0h' : '0.0';
  const slab = GEMM_TILE * GEMM_TILE_K;
  const threads = GEMM_WORKGROUP * GEMM_WORKGROUP;
  const loadsPerThread = slab / threads;
  // The 4×4 micro-tile written out as straight-line code: WGSL has no unroll pragma, and a
  // dynamically indexed private array can be spilled to local memory by some compilers.
  const rows = [0, 1, 2, 3];
  const inner = rows
    .map((i) => `      let a${i} = f32(tileA[kk * ${GEMM_TILE}u + ty + ${16 * i}u]);`)
    .join('\n');
  const fmas = rows.map((i) => `      acc${i} = fma(vec4<f32>(a${i}), bv, acc${i});`).join('\n');
  const stores = rows
    .map(
      (i) => `  {
    let row = rowBase + ty + ${16 * i}u;
    if (row < dims.m) {
      for (var j = 0u; j < 4u; j++) {
        let col = colBase + tx + 16u * j;
        if (col < dims.n) { c[row * dims.n + col] = ${t}(acc${i}[j]); }
      }
    }
  }`,
    )
    .join('\n');
  return /* wgsl */ `${dtype === 'fp16' ? 'enable f16;\n' : ''}
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<${t}>;
@group(0) @binding(2) var<storage, read_write> c: array<${t}>;
${DIMS}
var<workgroup> tileA: array<${t}, ${slab}>; // k-major: tileA[kk * 64 + r]
var<workgroup> tileB: array<${t}, ${slab}>; // tileB[kk * 64 + col]

@compute @workgroup_size(${GEMM_WORKGROUP}, ${GEMM_WORKGROUP}, 1)
fn ${ENTRY_GEMM_TILED}(
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
) {
  let tx = lid.x;
  let ty = lid.y;
  let rowBase = wid.y * ${GEMM_TILE}u;
  let colBase = wid.x * ${GEMM_TILE}u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < dims.k; k0 += ${GEMM_TILE_K}u) {
    for (var l = 0u; l < ${loadsPerThread}u; l++) {
      let e = lidx + l * ${threads}u;
      // A slab: consecutive invocations read consecutive k of one row (coalesced).
      let ar = e / ${GEMM_TILE_K}u;
      let ak = e % ${GEMM_TILE_K}u;
      let gRow = rowBase + ar;
      let gK = k0 + ak;
      var av = ${zero};
      if (gRow < dims.m && gK < dims.k) { av = a[gRow * dims.k + gK]; }
      tileA[ak * ${GEMM_TILE}u + ar] = av;
      // B slab: consecutive invocations read consecutive columns of one k row (coalesced).
      let bk = e / ${GEMM_TILE}u;
      let bc = e % ${GEMM_TILE}u;
      let gKb = k0 + bk;
      let gCol = colBase + bc;
      var bvl = ${zero};
      if (gKb < dims.k && gCol < dims.n) { bvl = b[gKb * dims.n + gCol]; }
      tileB[bk * ${GEMM_TILE}u + bc] = bvl;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${GEMM_TILE_K}u; kk++) {
      let bBase = kk * ${GEMM_TILE}u + tx;
      let bv = vec4<f32>(f32(tileB[bBase]), f32(tileB[bBase + 16u]), f32(tileB[bBase + 32u]), f32(tileB[bBase + 48u]));
${inner}
${fmas}
    }
    // The next iteration overwrites the slabs: everyone must be done reading them.
    workgroupBarrier();
  }
${stores}
}
`;
}

/**
 * Copy, STREAM's `c = a`, on vec4<f32> (16-byte loads and stores, the widest WGSL has). Grid-stride
 * loop: the dispatch is capped at a few thousand workgroups and each invocation walks the array
 * with stride = total invocations, so one kernel covers any size without hitting the 65535
 * workgroups-per-dimension limit. Counted as STREAM counts it: 2 × bytes per pass (read + write).
 */
export const COPY_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(${BANDWIDTH_WORKGROUP}, 1, 1)
fn ${ENTRY_COPY}(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let stride = nwg.x * ${BANDWIDTH_WORKGROUP}u;
  let n = arrayLength(&src);
  for (var i = gid.x; i < n; i += stride) {
    dst[i] = src[i];
  }
}
`;

/**
 * Read-only bandwidth: each invocation sums its grid-stride share of the array into a vec4 and
 * writes that one partial sum (the store keeps the compiler from dropping the loads; the host
 * checks the partials' total against a CPU sum). No shared-memory tree reduction: on a CPU adapter
 * (SwiftShader runs each workgroup's invocations as coroutines) its barriers cost ~1 ms per
 * workgroup, 20× the memory traffic being measured. The partials (16 B per invocation, ≤ 4 MiB
 * with the host's dispatch cap) are counted as written bytes, so the traffic per pass is
 * bytes + 16 × invocations.
 */
export const READ_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> partial: array<vec4<f32>>;

@compute @workgroup_size(${BANDWIDTH_WORKGROUP}, 1, 1)
fn ${ENTRY_READ}(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let stride = nwg.x * ${BANDWIDTH_WORKGROUP}u;
  let n = arrayLength(&src);
  var acc = vec4<f32>(0.0);
  for (var i = gid.x; i < n; i += stride) {
    acc += src[i];
  }
  partial[gid.x] = acc;
}
`;

/** Workgroups to dispatch for a GEMM of m×n with the given kernel. */
export function gemmWorkgroups(kernel: 'naive' | 'tiled', m: number, n: number): [number, number] {
  const side = kernel === 'naive' ? GEMM_WORKGROUP : GEMM_TILE;
  return [Math.ceil(n / side), Math.ceil(m / side)];
}
