import { describe, expect, it } from 'vitest';
import {
  COPY_WGSL,
  ENTRY_COPY,
  ENTRY_GEMM_NAIVE,
  ENTRY_GEMM_TILED,
  ENTRY_READ,
  GEMM_NAIVE_F32,
  GEMM_TILE,
  GEMM_TILE_K,
  GEMM_WORKGROUP,
  READ_WGSL,
  gemmTiledWgsl,
  gemmWorkgroups,
} from './kernels.js';

const balanced = (src: string): boolean => {
  let depth = 0;
  for (const ch of src) {
    if (ch === '{' || ch === '(') depth++;
    if (ch === '}' || ch === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
};

describe('WGSL kernels', () => {
  it.each([
    ['naive GEMM', GEMM_NAIVE_F32, ENTRY_GEMM_NAIVE],
    ['tiled GEMM fp32', gemmTiledWgsl('fp32'), ENTRY_GEMM_TILED],
    ['tiled GEMM fp16', gemmTiledWgsl('fp16'), ENTRY_GEMM_TILED],
    ['copy', COPY_WGSL, ENTRY_COPY],
    ['read', READ_WGSL, ENTRY_READ],
  ])('%s has its @compute entry point and no unfilled template', (_name, src, entry) => {
    expect(src).toMatch(new RegExp(`@compute @workgroup_size\\([^)]*\\)\\s*fn ${entry}\\(`));
    expect(src).not.toContain('${');
    expect(src).not.toContain('undefined');
    expect(balanced(src)).toBe(true);
  });

  it('tiles through workgroup memory within the WebGPU default limit', () => {
    const src = gemmTiledWgsl('fp32');
    expect(src).toMatch(/var<workgroup> tileA: array<f32, 1024>/);
    expect(src).toContain('workgroupBarrier()');
    // Two f32 slabs must fit maxComputeWorkgroupStorageSize (16 KiB by default).
    expect(2 * GEMM_TILE * GEMM_TILE_K * 4).toBeLessThanOrEqual(16384);
    expect(GEMM_WORKGROUP * GEMM_WORKGROUP).toBeLessThanOrEqual(256);
    // Each invocation owns a 4×4 micro-tile.
    expect(GEMM_TILE / GEMM_WORKGROUP).toBe(4);
    expect(src.match(/fma\(vec4<f32>/g)).toHaveLength(4);
  });

  it('the fp16 variant enables f16 storage and still accumulates in f32', () => {
    const src = gemmTiledWgsl('fp16');
    expect(src.trimStart().startsWith('enable f16;')).toBe(true);
    expect(src).toContain('array<f16>');
    expect(src).toContain('var acc0 = vec4<f32>');
    expect(gemmTiledWgsl('fp32')).not.toContain('f16');
  });

  it('bandwidth kernels move vec4<f32> in a grid-stride loop', () => {
    for (const src of [COPY_WGSL, READ_WGSL]) {
      expect(src).toContain('array<vec4<f32>>');
      expect(src).toContain('i += stride');
      expect(src).toContain('num_workgroups');
    }
  });

  it('sizes the GEMM grids', () => {
    expect(gemmWorkgroups('tiled', 256, 512)).toEqual([8, 4]);
    expect(gemmWorkgroups('naive', 256, 512)).toEqual([32, 16]);
    expect(gemmWorkgroups('tiled', 65, 1)).toEqual([1, 2]);
  });
});
