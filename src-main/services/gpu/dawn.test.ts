// Dawn for Node loader: a missing package, a broken package and a machine without a Vulkan
// driver must all come back as `available: false` with a reason, quickly and without throwing.
// On Linux the kernels also run for real through Dawn on SwiftShader's Vulkan driver, the copy
// that ships with Chromium (a system one's, or @sparticuz/chromium's: services/browser/chromium.ts),
// in a child process (the driver must be on LD_LIBRARY_PATH before the process starts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COPY_WGSL,
  ENTRY_COPY,
  ENTRY_GEMM_NAIVE,
  ENTRY_GEMM_TILED,
  ENTRY_READ,
  GEMM_NAIVE_F32,
  READ_WGSL,
  gemmTiledWgsl,
} from '../../../src-shared/gpu/kernels.js';
import { resolveSwiftShaderVulkan } from '../browser/chromium.js';
import { NOT_INSTALLED_REASON, diagnoseNoAdapter, loadDawnGpu, runDawnGpuBench } from './dawn.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);

describe('loadDawnGpu', () => {
  it('reports the optional package as not installed', async () => {
    const missing = Object.assign(new Error("Cannot find package 'webgpu' imported from /x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(await loadDawnGpu(async () => { throw missing; })).toEqual({ reason: NOT_INSTALLED_REASON });
    const r = await runDawnGpuBench({ quick: true, loadModule: async () => { throw missing; } });
    expect(r).toEqual({ available: false, backend: 'webgpu-dawn', reason: 'no WebGPU adapter: webgpu package not installed (optional): npm install webgpu' });
  });

  it('reports a package whose native module fails to load', async () => {
    const r = await loadDawnGpu(async () => { throw new Error('dawn.node: GLIBC_2.38 not found'); });
    expect(r).toEqual({ reason: 'no WebGPU adapter: the webgpu package failed to load: dawn.node: GLIBC_2.38 not found' });
  });

  it('appends a Vulkan diagnosis when Dawn finds no adapter', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    const r = await runDawnGpuBench({
      quick: true,
      loadModule: async () => ({ create: () => gpu, globals: {} }),
      platform: 'linux',
      env: {},
      fileExists: () => false,
    });
    expect(r).toMatchObject({ available: false, reason: expect.stringMatching(/^no WebGPU adapter: .*libvulkan\.so\.1/) });
  });
});

describe('diagnoseNoAdapter', () => {
  it('names the missing piece of the Vulkan stack', () => {
    expect(diagnoseNoAdapter('darwin', {}, () => false)).toBeNull();
    expect(diagnoseNoAdapter('linux', {}, () => false)).toMatch(/libvulkan\.so\.1/);
    const loaderOnly = (p: string) => p.endsWith('libvulkan.so.1');
    expect(diagnoseNoAdapter('linux', {}, loaderOnly)).toMatch(/no Vulkan driver/);
    expect(diagnoseNoAdapter('linux', { VK_ICD_FILENAMES: '/x.json' }, loaderOnly)).toMatch(/vulkaninfo/);
    expect(diagnoseNoAdapter('linux', { LD_LIBRARY_PATH: '/opt/vk' }, (p) => p === '/opt/vk/libvulkan.so.1')).toMatch(/no Vulkan driver/);
  });
});

describe('runDawnGpuBench with the real package', () => {
  it('never throws and answers in bounded time', async () => {
    const r = await within(20_000, runDawnGpuBench({ quick: true, adapterTimeoutMs: 10_000 }));
    expect(r.backend).toBe('webgpu-dawn');
    if (!r.available) {
      expect(r.reason).toMatch(/^no WebGPU adapter: \S/);
      // This dev container has no Vulkan loader at all: say exactly that.
      if (diagnoseNoAdapter(process.platform, process.env, existsSync)?.includes('libvulkan.so.1') && existsSync(path.join(repoRoot, 'node_modules/webgpu'))) {
        expect(r.reason).toContain('no Vulkan loader (libvulkan.so.1)');
      }
    } else {
      for (const g of r.gemm) expect(g.verified).toBe(true);
    }
  });
});

const haveDawn = existsSync(path.join(repoRoot, 'node_modules/webgpu'));

describe.skipIf(!haveDawn)("WGSL validation by Dawn's null backend (Tint, every feature incl. shader-f16)", () => {
  // No adapter here can run the fp16 kernel (SwiftShader lacks shader-f16), but Dawn's null
  // backend advertises every feature, so Tint at least parses, type-checks and validates it.
  const compile = async (device: GPUDevice, code: string, entryPoint: string): Promise<string[]> => {
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code });
    const messages = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error').map((m) => m.message);
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint } }).then(() => null, (e: Error) => e.message);
    const scope = await device.popErrorScope();
    return [...messages, ...(pipeline ? [pipeline] : []), ...(scope ? [scope.message] : [])];
  };

  it('accepts every kernel and rejects a type error', async () => {
    const loaded = await loadDawnGpu(undefined, ['backend=null']);
    if ('reason' in loaded) throw new Error(loaded.reason);
    const adapter = await within(10_000, loaded.gpu.requestAdapter());
    expect(adapter?.features.has('shader-f16')).toBe(true);
    const device = await adapter!.requestDevice({ requiredFeatures: ['shader-f16'] });
    try {
      const kernels: Array<[string, string]> = [
        [GEMM_NAIVE_F32, ENTRY_GEMM_NAIVE],
        [gemmTiledWgsl('fp32'), ENTRY_GEMM_TILED],
        [gemmTiledWgsl('fp16'), ENTRY_GEMM_TILED],
        [COPY_WGSL, ENTRY_COPY],
        [READ_WGSL, ENTRY_READ],
      ];
      for (const [code, entry] of kernels) expect(await compile(device, code, entry), entry).toEqual([]);
      // Mixing f16 and f32 without a conversion must fail: the validation above is semantic.
      const broken = gemmTiledWgsl('fp16').replace('let a0 = f32(tileA', 'let a0 = (tileA');
      expect((await compile(device, broken, ENTRY_GEMM_TILED)).length).toBeGreaterThan(0);
    } finally {
      device.destroy();
    }
  });
});

// SwiftShader's Vulkan driver is a Linux build (Chromium ships it there); Dawn uses Metal on macOS
// and D3D12 on Windows.
describe.runIf(haveDawn && process.platform === 'linux')('Dawn on SwiftShader Vulkan (Chromium\'s copy)', () => {
  // 200 is not a multiple of the 64×64 tile: this run also covers the kernels' bound checks
  // (the Chromium test runs the default 256).
  it('runs, verifies and times every kernel, partial tiles included', async () => {
    const swiftShader = await resolveSwiftShaderVulkan();
    console.info(`SwiftShader Vulkan from ${swiftShader.from}`);
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(here, 'dawn-cli.ts'), '--gemm', '200'],
        {
          cwd: repoRoot,
          timeout: 60_000,
          env: { ...process.env, LD_LIBRARY_PATH: swiftShader.dir, VK_ICD_FILENAMES: swiftShader.icd },
        },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}\n${stdout}`)) : resolve({ stdout })),
      );
    });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r).toMatchObject({ available: true, backend: 'webgpu-dawn', adapter: { software: true } });
    expect(r.gemm.length).toBeGreaterThanOrEqual(2);
    expect(r.gemm[0]).toMatchObject({ kernel: 'tiled', m: 200, n: 200, k: 200 });
    for (const g of r.gemm) {
      expect(g).toMatchObject({ verified: true });
      expect(g.maxAbsError).toBeLessThan(1e-3);
      expect(Number.isFinite(g.gflops) && g.gflops > 0).toBe(true);
    }
    expect(r.bandwidth.verified).toBe(true);
    expect(r.bandwidth.copyGBs).toBeGreaterThan(0);
    expect(r.bandwidth.readGBs).toBeGreaterThan(0);
  }, 90_000);
});
