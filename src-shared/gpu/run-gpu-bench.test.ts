/// <reference types="@webgpu/types" />
// runGpuBench's host-independent paths with fake GPU objects. The kernels themselves run for real
// in src-main/services/gpu/webgpu-chromium.test.ts (Chromium) and dawn.test.ts (Dawn).
import { describe, expect, it } from 'vitest';
import { NULL_ADAPTER_REASON, defaultSizes, isSoftwareAdapter, runGpuBench } from './run-gpu-bench.js';

const fakeGpu = (requestAdapter: () => Promise<GPUAdapter | null>): GPU => ({ requestAdapter }) as unknown as GPU;

describe('runGpuBench without an adapter', () => {
  it('says so when the host has no WebGPU', async () => {
    const r = await runGpuBench(undefined, { quick: true });
    expect(r).toEqual({ available: false, backend: 'webgpu-browser', reason: expect.stringMatching(/^no WebGPU adapter: /) });
  });

  it('reports a null adapter', async () => {
    const r = await runGpuBench(fakeGpu(async () => null), { quick: true, backend: 'webgpu-dawn' });
    expect(r).toEqual({ available: false, backend: 'webgpu-dawn', reason: NULL_ADAPTER_REASON });
  });

  it('bounds a requestAdapter that never answers', async () => {
    const r = await runGpuBench(fakeGpu(() => new Promise(() => {})), { quick: true, adapterTimeoutMs: 50 });
    expect(r).toMatchObject({ available: false, reason: expect.stringContaining('did not answer within 50 ms') });
  });

  it('reports a requestAdapter that throws, and a device that cannot be created', async () => {
    const thrown = await runGpuBench(fakeGpu(async () => { throw new Error('boom'); }), { quick: true });
    expect(thrown).toMatchObject({ available: false, reason: 'no WebGPU adapter: requestAdapter() failed: boom' });
    const adapter = {
      info: { vendor: 'acme', architecture: 'x', device: 'y', description: 'Acme X' },
      features: new Set<string>(),
      limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28 },
      requestDevice: async () => { throw new Error('out of memory'); },
    } as unknown as GPUAdapter;
    const r = await runGpuBench(fakeGpu(async () => adapter), { quick: true });
    expect(r).toMatchObject({ available: false, reason: 'no WebGPU device: requestDevice() failed on acme / x / y / Acme X: out of memory' });
  });
});

describe('runGpuBench cancellation', () => {
  it('rejects with the abort reason instead of returning a result', async () => {
    const ac = new AbortController();
    const reason = new Error('cancelled by user');
    const adapter = { info: { vendor: 'acme' }, features: new Set<string>(), limits: {} } as unknown as GPUAdapter;
    const gpu = fakeGpu(async () => {
      ac.abort(reason);
      return adapter;
    });
    await expect(runGpuBench(gpu, { quick: true, signal: ac.signal })).rejects.toBe(reason);
  });
});

describe('isSoftwareAdapter', () => {
  it.each([
    [{ vendor: 'google', architecture: 'swiftshader', device: '', description: '' }, undefined, true],
    [{ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, undefined, true],
    [{ description: 'Microsoft Basic Render Driver' }, undefined, true],
    [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }, undefined, false],
    [{ vendor: 'nvidia', architecture: 'hopper' }, true, true],
    [{ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' }, false, false],
  ])('%o fallback=%s → %s', (info, fallback, expected) => {
    expect(isSoftwareAdapter(info, fallback)).toBe(expected);
  });
});

describe('defaultSizes', () => {
  it('keeps software runs small and scales up on hardware', () => {
    expect(defaultSizes(true, true).gemm).toBeLessThanOrEqual(512);
    expect(defaultSizes(true, true).bandwidthBytes).toBeLessThanOrEqual(16 * 2 ** 20);
    expect(defaultSizes(false, false)).toEqual({ gemm: 4096, naiveGemm: 2048, bandwidthBytes: 256 * 2 ** 20 });
    expect(defaultSizes(true, false).gemm).toBeGreaterThanOrEqual(2048);
  });
});
