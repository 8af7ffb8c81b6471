// The WGSL kernels for real, in the browser host: headless Chromium (CHROMIUM_PATH, a system one,
// or the npm package's: services/browser/chromium.ts) with WebGPU enabled exposes SwiftShader, its
// CPU WebGPU adapter, on machines without a GPU. The page loads src-shared/gpu/run-gpu-bench.ts as native ES modules, each .ts
// transpiled on the fly by TypeScript from a 127.0.0.1 server (WebGPU needs a secure context, and
// http://127.0.0.1 is one), and runs runGpuBench(navigator.gpu, { quick: true }).
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuBenchResult } from '../../../src-shared/gpu/run-gpu-bench.js';
import { launchChromium, type ChromiumInstall } from '../browser/chromium.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Flags that expose WebGPU in headless Chromium on Linux without a GPU (checked with Debian's 156
 * and @sparticuz/chromium's 147):
 *  - --enable-unsafe-webgpu is the one that matters: without it requestAdapter() resolves to null
 *    (WebGPU on Linux is still behind it);
 *  - --use-webgpu-adapter=swiftshader pins the CPU adapter, so the test means the same on a machine
 *    that does have a GPU. --enable-features=Vulkan and --use-angle=swiftshader are not needed, and
 *    --disable-gpu does not disable WebGPU's SwiftShader adapter (all checked with Chromium 156).
 */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

/** Serves an empty page and the repository's src-shared TypeScript as JavaScript modules. */
async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>gpu</title>');
        return;
      }
      const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
      if (!rel.startsWith(`src-shared${path.sep}`) || !rel.endsWith('.js')) {
        res.writeHead(404).end();
        return;
      }
      try {
        const source = await readFile(path.join(repoRoot, rel.replace(/\.js$/, '.ts')), 'utf8');
        const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(out.outputText);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('GPU kernels in headless Chromium (WebGPU on SwiftShader)', () => {
  let browser: Browser;
  let chromium: ChromiumInstall;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer();
    ({ browser, chromium } = await launchChromium(['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', ...WEBGPU_FLAGS], { headless: true }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs runGpuBench(navigator.gpu): verified GEMMs, positive GFLOP/s and GB/s, software adapter', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    const started = Date.now();
    // A string, not a function: vitest rewrites `import()` inside test code to its own loader.
    const { result, phases } = await page.evaluate<{ result: GpuBenchResult; phases: string[] }>(`(async () => {
      const mod = await import('/src-shared/gpu/run-gpu-bench.js');
      const phases = [];
      const result = await mod.runGpuBench(navigator.gpu, { quick: true, progress: (phase) => phases.push(phase) });
      return { result, phases };
    })()`);
    const seconds = (Date.now() - started) / 1000;
    console.info(`Chromium WebGPU quick run (${chromium.description}): ${seconds.toFixed(1)} s\n${JSON.stringify(result, null, 1)}`);
    expect(pageErrors).toEqual([]);
    if (!result.available) throw new Error(`WebGPU unavailable in Chromium: ${result.reason}`);
    expect(result.backend).toBe('webgpu-browser');
    expect(result.adapter.software).toBe(true);
    expect(`${result.adapter.architecture} ${result.adapter.description}`.toLowerCase()).toContain('swiftshader');
    expect(result.gemm.map((g) => `${g.dtype} ${g.kernel}`)).toEqual(expect.arrayContaining(['fp32 tiled', 'fp32 naive']));
    for (const g of result.gemm) {
      expect(g.verified, `${g.dtype} ${g.kernel}`).toBe(true);
      expect(g.maxAbsError).toBeLessThan(1e-3);
      expect(g.maxAbsError).toBeLessThanOrEqual(g.tolerance);
      expect(Number.isFinite(g.gflops) && g.gflops > 0).toBe(true);
      expect(g.medianSeconds).toBeGreaterThan(0);
    }
    expect(result.bandwidth.verified).toBe(true);
    for (const v of [result.bandwidth.copyGBs, result.bandwidth.readGBs!]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(result.warnings.some((w) => w.startsWith('software adapter'))).toBe(true);
    expect(result.warnings.filter((w) => /differs|failed|error/i.test(w))).toEqual([]);
    expect(phases.at(-1)).toBe('done');
    // The quick run must stay quick on a CPU adapter (the brief: under ~10 s; generous for CI noise).
    expect(seconds).toBeLessThan(30);
    await page.close();
  }, 90_000);
});
