/**
 * The `flopscope` CLI (Node side): the third door, calling the backend in-process. This file only
 * combines: each capability registers its commands (`src-main/capabilities/<capability>/cli.ts`,
 * `register(program, cli)`), and the backend is created when a command first calls the API — so
 * `--version` and `--help` load commander and the command definitions, nothing heavy.
 * Conventions for every command: `--json` writes exactly one JSON document to stdout (progress and
 * logs go to stderr); exit 0 on success, 1 when the work fails, 2 on a usage error; `--help` everywhere.
 * Argument parsing is commander's.
 */
import { Command, CommanderError } from 'commander';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { APP_VERSION } from '../core/app-version.js';
import type { Backend } from '../core/backend.js';
import { register as registerAttention } from '../capabilities/attention/cli.js';
import { register as registerBench } from '../capabilities/bench/cli.js';
import { register as registerEnergy } from '../capabilities/energy/cli.js';
import { register as registerHardware } from '../capabilities/hardware/cli.js';
import { register as registerLlm } from '../capabilities/llm/cli.js';
import { register as registerPlanner } from '../capabilities/planner/cli.js';
import { register as registerProfile } from '../capabilities/profile/cli.js';
import { register as registerReports } from '../capabilities/reports/cli.js';
import { register as registerRuns } from '../capabilities/runs/cli.js';
import { register as registerZoo } from '../capabilities/zoo/cli.js';
import { defaultIo, type CliIo } from './io.js';
import { loadFlagSchemas, UsageError, WorkFailed, type CliContext } from './kit.js';
import { register as registerServe } from './serve.js';

export { PACKAGE_ROOT } from './package-root.js';
export type { CliIo } from './io.js';

/** Runs the CLI and resolves with the exit code (never calls process.exit itself, except via serve's signal handling). */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let backend: Promise<Backend> | null = null;
  let jsonMode = false;
  const program = new Command();
  const getBackend = (host: 'cli' | 'serve' = 'cli'): Promise<Backend> =>
    (backend ??= (async () => {
      const [{ createBackend }, { resolveDbPath }] = await Promise.all([import('../core/backend.js'), import('../infra/paths.js')]);
      return createBackend({ dbPath: resolveDbPath(program.opts<{ db?: string }>().db), host });
    })());
  let inProcess: FlopscopeClient | null = null;
  const realClient = async (): Promise<FlopscopeClient> => {
    if (inProcess) return inProcess;
    const [b, { createInProcessClient }] = await Promise.all([getBackend(), import('../core/backend.js')]);
    return (inProcess ??= createInProcessClient(b));
  };
  // The API in-process, created on the first call; a job is subscribed to only after the call that started it.
  const client: FlopscopeClient = {
    call: async (method, request) => (await realClient()).call(method, request),
    subscribe: (jobId, onEvent) => {
      if (!inProcess) throw new Error('subscribe before any call: start the job first');
      return inProcess.subscribe(jobId, onEvent);
    },
  };
  const cli: CliContext = {
    io,
    client,
    json: () => jsonMode,
    emit: (value, text) => io.stdout(jsonMode ? JSON.stringify(value, null, 2) + '\n' : text()),
  };

  program
    .name('flopscope')
    .description('What your hardware can do, what your model costs, and how big a model a compute budget buys.')
    .version(APP_VERSION, '-V, --version')
    .option('--db <path>', 'SQLite database file (default: $FLOPSCOPE_DB or the per-user data folder)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  // A command's options are parsed after this: the schemas some flags are parsed with load here.
  program.hook('preSubcommand', () => loadFlagSchemas());
  program.hook('preAction', (_root, action) => {
    jsonMode = Boolean(action.opts<{ json?: boolean }>().json);
  });

  // The order here is the order of `flopscope --help`.
  registerHardware(program, cli);
  registerEnergy(program, cli);
  registerServe(program, cli, getBackend);
  registerBench(program, cli);
  registerProfile(program, cli);
  registerZoo(program, cli);
  registerPlanner(program, cli);
  registerAttention(program, cli);
  registerLlm(program, cli);
  registerReports(program, cli);
  registerRuns(program, cli);

  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are exits with code 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`flopscope: ${e.message}\n`);
      return 2;
    }
    const workFailed = e instanceof WorkFailed;
    const failure = workFailed ? e.failure : e instanceof ApiFailure ? e : new ApiFailure('INTERNAL', e instanceof Error ? e.message : String(e));
    if (jsonMode) io.stdout(JSON.stringify({ error: failure.toJSON() }, null, 2) + '\n');
    io.stderr(`flopscope: ${failure.message}\n`);
    // A request the API rejected before any work started is a usage error; failed work is 1.
    return !workFailed && failure.code === 'INVALID_REQUEST' ? 2 : 1;
  } finally {
    // A backend whose creation failed has nothing to close (that failure was reported above).
    const b = await (backend as Promise<Backend> | null)?.catch(() => null);
    await b?.close();
  }
}
