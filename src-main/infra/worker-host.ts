/**
 * Starting and stopping the benchmarks' worker threads (Node main process / CLI). A worker entry
 * is resolved next to this module: the `.ts` source when it exists (tsx, vitest), else the `.js`
 * a bundler emitted beside the bundle. On Node 20 a worker does not pick up tsx from
 * `execArgv: ['--import', 'tsx']` (the hooks register after the entry is already loading:
 * ERR_UNKNOWN_FILE_EXTENSION), so a `.ts` entry is started through a two-line bootstrap that
 * registers tsx's ESM hooks in the worker and then imports the entry. Every live worker is
 * tracked so tests can check nothing leaks.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';

const live = new Set<Worker>();

/** Workers started by the benchmarks and not yet exited. */
export function liveWorkerCount(): number {
  return live.size;
}

/** file: URL of tsx's ESM API (its package "exports" maps ./esm/api to this file for `import`). */
function tsxApiUrl(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
}

/**
 * Starts the worker whose source is `tsUrl` (e.g. `new URL('./memory.worker.ts', import.meta.url)`),
 * falling back to the sibling `.js` file when the `.ts` file is absent (bundled build).
 * `transferList` moves objects named in `workerData` (e.g. MessagePorts) to the worker.
 */
export function startWorker(tsUrl: URL, workerData: unknown, transferList?: TransferListItem[]): Worker {
  let worker: Worker;
  if (existsSync(fileURLToPath(tsUrl))) {
    const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(tsUrl.href)}); });`;
    worker = new Worker(bootstrap, { eval: true, workerData, transferList });
  } else {
    worker = new Worker(new URL(tsUrl.href.replace(/\.ts$/, '.js')), { workerData, transferList });
  }
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
  return worker;
}

/** Terminates a worker (also one blocked in Atomics.wait) and resolves once it has exited. */
export async function stopWorker(worker: Worker): Promise<void> {
  if (!live.has(worker)) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  await worker.terminate();
  await exited;
}

/** Resolves when the worker posts `{ type: 'ready' }`; rejects on an error or an early exit. */
export function whenReady(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ready') {
        cleanup();
        resolve();
      }
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`benchmark worker exited early (code ${code})`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
