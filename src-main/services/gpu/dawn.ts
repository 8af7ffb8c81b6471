/**
 * GPU benchmark in Node (CLI / main process): loads Dawn for Node (the optional `webgpu` npm
 * package) lazily, hands its GPU object to the shared runGpuBench, and labels the result
 * 'webgpu-dawn'. Never throws for a missing package, a missing driver or a missing adapter: those
 * come back as `{ available: false, reason }`. Only an abort (options.signal) rejects.
 */
/// <reference types="@webgpu/types" />
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GpuBenchOptions, GpuBenchResult } from '../../../src-shared/gpu/run-gpu-bench.js';
import { NULL_ADAPTER_REASON, runGpuBench } from '../../../src-shared/gpu/run-gpu-bench.js';

/** The part of the `webgpu` package's API used here (its index.js: `export { create, globals }`). */
export interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

export interface DawnBenchOptions extends Omit<GpuBenchOptions, 'backend'> {
  /** Dawn toggles passed to create(), e.g. ['backend=vulkan'] or ['adapter=NVIDIA H100 …']. */
  dawnFlags?: string[];
  /** Loads the `webgpu` module; injectable for tests. Default: a dynamic import of 'webgpu'. */
  loadModule?: () => Promise<DawnModule>;
  /** Environment and file checks for the no-adapter diagnosis; injectable for tests. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  fileExists?: (p: string) => boolean;
}

export const NOT_INSTALLED_REASON = 'no WebGPU adapter: webgpu package not installed (optional): npm install webgpu';

/** The package is optional (~150 MB of prebuilt dawn.node for every platform): a variable
 * specifier keeps TypeScript and the bundler from requiring it at build time. */
const PACKAGE = 'webgpu';
const defaultLoad = async (): Promise<DawnModule> => (await import(/* @vite-ignore */ PACKAGE)) as DawnModule;

/** Loads Dawn and creates its GPU object, or says why it cannot. */
export async function loadDawnGpu(
  loadModule: () => Promise<DawnModule> = defaultLoad,
  flags: string[] = [],
): Promise<{ gpu: GPU } | { reason: string }> {
  let mod: DawnModule;
  try {
    mod = await loadModule();
  } catch (e) {
    const code = (e as { code?: string }).code;
    const msg = e instanceof Error ? e.message : String(e);
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && msg.includes(`'${PACKAGE}'`)) return { reason: NOT_INSTALLED_REASON };
    // Installed but dawn.node did not load: a platform without a prebuilt binary, an old glibc…
    return { reason: `no WebGPU adapter: the webgpu package failed to load: ${msg}` };
  }
  try {
    // Dawn's README: its GPU* classes and constants (GPUBufferUsage…) must be globals. Never
    // overwrite one a host already defines (Electron's renderer has its own).
    const g = globalThis as Record<string, unknown>;
    for (const [key, value] of Object.entries(mod.globals)) if (!(key in g)) g[key] = value;
    return { gpu: mod.create(flags) };
  } catch (e) {
    return { reason: `no WebGPU adapter: Dawn's create() failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Why Dawn may have found no adapter. On Linux it drives GPUs through Vulkan only (its GL backend
 * is not in the prebuilt package's defaults), so a missing loader or ICD is by far the commonest
 * cause; Dawn itself only prints it to stderr.
 */
export function diagnoseNoAdapter(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  fileExists: (p: string) => boolean,
): string | null {
  if (platform !== 'linux') return null;
  const libDirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  if (!libDirs.some((d) => fileExists(path.join(d, 'libvulkan.so.1')))) {
    return 'Dawn uses Vulkan on Linux and no Vulkan loader (libvulkan.so.1) was found: install libvulkan1 and the GPU vendor\'s Vulkan driver (NVIDIA: part of the proprietary driver)';
  }
  const icdDirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
  const icdEnv = env.VK_ICD_FILENAMES ?? env.VK_DRIVER_FILES;
  if (!icdEnv && !icdDirs.some((d) => fileExists(d))) {
    return 'a Vulkan loader is installed but no Vulkan driver (ICD manifest in /usr/share/vulkan/icd.d) is registered';
  }
  return 'a Vulkan loader and driver are present, but none offered an adapter (check `vulkaninfo --summary`)';
}

/** Runs the shared GPU benchmark through Dawn for Node. */
export async function runDawnGpuBench(options: DawnBenchOptions): Promise<GpuBenchResult> {
  const loaded = await loadDawnGpu(options.loadModule, options.dawnFlags ?? []);
  if ('reason' in loaded) return { available: false, reason: loaded.reason, backend: 'webgpu-dawn' };
  // Dawn keeps the process alive while its GPU object is reachable (node-webgpu README,
  // "Lifetime"), so it lives only in this call's scope and never on globalThis.
  try {
    const result = await runGpuBench(loaded.gpu, { ...options, backend: 'webgpu-dawn' });
    if (!result.available && result.reason === NULL_ADAPTER_REASON) {
      const why = diagnoseNoAdapter(options.platform ?? process.platform, options.env ?? process.env, options.fileExists ?? existsSync);
      if (why) return { ...result, reason: `${NULL_ADAPTER_REASON}: ${why}` };
    }
    return result;
  } catch (e) {
    if (options.signal?.aborted) throw e;
    // runGpuBench turns GPU failures into warnings; anything reaching here is a bug, still no throw.
    return { available: false, reason: `WebGPU benchmark failed: ${e instanceof Error ? e.message : String(e)}`, backend: 'webgpu-dawn' };
  }
}
