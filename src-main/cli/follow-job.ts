/**
 * Follows a job from the CLI (Node side): a progress bar on stderr (cli-progress) when stderr is
 * a terminal, plain phase lines otherwise, NDJSON events on stderr with --json (the result event
 * without its result, which the command prints on stdout); Ctrl-C cancels the
 * job cleanly and waits for its final event. Resolves with the terminal event. `runJob` is what
 * every job-running command uses: follow, then turn a cancel or an error into the CLI's failures.
 */
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import type { JobEvent, TerminalJobEvent } from '../../src-shared/api/types.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { CliIo } from './io.js';
import { WorkFailed, type CliContext } from './kit.js';

export interface FollowOptions {
  json: boolean;
  /** Whether stderr is an interactive terminal (progress bar) or a log (one line per phase). */
  tty: boolean;
  io: CliIo;
}

function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '--';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export async function followJob(client: FlopscopeClient, jobId: string, options: FollowOptions): Promise<TerminalJobEvent> {
  const { io } = options;
  // The bar's package is loaded only for a terminal (a late subscriber still gets every event: they replay by seq).
  const cliProgress = options.tty && !options.json ? (await import('cli-progress')).default : null;
  const bar = cliProgress
    ? new cliProgress.SingleBar(
        { format: ' {phase} [{bar}] {percentage}% | ETA {eta_text}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let currentPhase = '';
  let interrupted = false;

  return new Promise<TerminalJobEvent>((resolve) => {
    const onSigint = () => {
      if (interrupted) return;
      interrupted = true;
      io.stderr('\nCancelling… (the measurement stops at its next checkpoint)\n');
      void client.call('jobs.cancel', { id: jobId }).catch(() => undefined);
    };
    process.on('SIGINT', onSigint);
    const unsubscribe = client.subscribe(jobId, (event: JobEvent) => {
      // The result itself is the one JSON document on stdout; its event on stderr says only that it came.
      if (options.json) io.stderr(JSON.stringify(event.type === 'result' ? { ...event, result: undefined } : event) + '\n');
      if (event.type === 'progress') {
        if (bar) {
          if (event.phase !== currentPhase) {
            if (currentPhase) bar.stop();
            bar.start(event.total, event.done, { phase: event.phase, eta_text: formatEta(event.etaMs) });
          } else {
            bar.update(event.done, { eta_text: formatEta(event.etaMs) });
          }
        } else if (!options.json && event.phase !== currentPhase) {
          io.stderr(`… ${event.phase}\n`);
        }
        currentPhase = event.phase;
      } else if (event.type === 'log' && !options.json) {
        bar?.stop();
        io.stderr(`${event.level === 'warn' ? 'warning: ' : ''}${event.message}\n`);
        currentPhase = '';
      } else if (event.type === 'result' || event.type === 'error' || event.type === 'cancelled') {
        bar?.stop();
        process.off('SIGINT', onSigint);
        queueMicrotask(() => unsubscribe());
        resolve(event);
      }
    });
  });
}

/**
 * Follows a started job to its end for a command: resolves with its result and stored run id;
 * a cancelled job is CANCELLED (nothing stored), a job's error event is failed work (exit 1).
 */
export async function runJob(cli: CliContext, jobId: string): Promise<{ result: unknown; runId: number | null }> {
  const end = await followJob(cli.client, jobId, { json: cli.json(), tty: Boolean(process.stderr.isTTY), io: cli.io });
  if (end.type === 'cancelled') throw new ApiFailure('CANCELLED', 'Cancelled; nothing was stored.');
  if (end.type === 'error') throw new WorkFailed(ApiFailure.from(end.error));
  return { result: end.result, runId: end.runId };
}
