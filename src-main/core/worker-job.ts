/**
 * Runs a job's work in a worker thread (Node side), so a long measurement never blocks the
 * process that serves the API, and a cancel is immediate: the worker gets an 'abort' message and
 * is terminated if it has not stopped within a grace period. Nothing the worker does touches the
 * database; only its final result comes back.
 *
 * Protocol (discriminated union): parent → worker `{type:'start', input}` | `{type:'abort'}`;
 * worker → parent `{type:'progress', phase, done, total}` | `{type:'log', level, message}` |
 * `{type:'result', result}` | `{type:'error', error}`.
 */
import { startWorker } from '../infra/worker-host.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { ApiError } from '../../src-shared/api/types.js';
import type { JobContext } from './jobs.js';

export type WorkerMessage =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: ApiError };

export type ParentMessage = { type: 'start'; input: unknown } | { type: 'abort' };

/**
 * A worker is never terminated while it may be inside a native call: terminating a thread that is
 * running an ONNX Runtime session aborts the whole process (Napi::Error). Cancellation is
 * cooperative instead — the worker stops at its next checkpoint (a GEMM timing lasts ~1 s at
 * most) and reports CANCELLED — and the queue waits for that, so the next job never overlaps the
 * tail of a cancelled one. Termination is only a last resort for a worker that stays silent.
 */
const SILENT_WORKER_LIMIT_MS = 60_000;
/** After its final message a worker closes its port and exits by itself; this is the backstop. */
const EXIT_AFTER_FINAL_MS = 5_000;

/**
 * Runs the worker whose source is `entryUrl` (`new URL('./x.worker.ts', import.meta.url)`; the
 * bundled `.js` beside it is used when the source is absent) and maps its messages onto the job.
 */
export function runInWorker<T>(entryUrl: URL, input: unknown, ctx: JobContext): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(entryUrl, null);
    let settled = false;
    let backstop: NodeJS.Timeout | null = null;
    const arm = (ms: number, why: string) => {
      if (backstop) clearTimeout(backstop);
      backstop = setTimeout(() => {
        ctx.log(why, 'warn');
        void worker.terminate();
      }, ms);
      backstop.unref();
    };
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'abort' } satisfies ParentMessage);
      arm(SILENT_WORKER_LIMIT_MS, 'The benchmark worker did not stop within 60 s of the cancel; it was terminated.');
    };
    ctx.signal.addEventListener('abort', onAbort);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') ctx.progress(message.phase, message.done, message.total);
      else if (message.type === 'log') ctx.log(message.message, message.level);
      else if (message.type === 'result' || message.type === 'error') {
        arm(EXIT_AFTER_FINAL_MS, 'The benchmark worker did not exit after its result; it was terminated.');
        if (message.type === 'result') settle(() => resolve(message.result as T));
        else settle(() => reject(ApiFailure.from(message.error)));
      }
    });
    worker.on('error', (e) => settle(() => reject(new ApiFailure('INTERNAL', `The benchmark worker crashed: ${e.message}`))));
    worker.on('exit', (code) => {
      if (backstop) clearTimeout(backstop);
      settle(() =>
        reject(
          ctx.signal.aborted
            ? new ApiFailure('CANCELLED', 'The job was cancelled.')
            : new ApiFailure('INTERNAL', `The benchmark worker exited (code ${code}) before reporting a result.`),
        ),
      );
    });
    if (ctx.signal.aborted) onAbort();
    worker.postMessage({ type: 'start', input } satisfies ParentMessage);
  });
}
