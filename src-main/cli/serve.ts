/**
 * `flopscope serve` (CLI, Node side): the HTTP door started from the CLI — the app headless on
 * 127.0.0.1, serving the built renderer. It needs the backend itself (the server is another door
 * onto it), not only the client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { Backend } from '../core/backend.js';
import type { CliIo } from './io.js';
import type { CliContext } from './kit.js';
import { PACKAGE_ROOT } from './package-root.js';

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError(`--port must be 0..65535, got ${JSON.stringify(value)}.`);
  return Number(value);
}

/** `backend` opens (once) the backend the command's client also uses, for the server's host 'serve'. */
export function register(program: Command, cli: CliContext, backend: (host: 'serve') => Promise<Backend>): void {
  program
    .command('serve')
    .description('Serve the app headless on 127.0.0.1 (open the printed URL in a browser)')
    .addOption(new Option('--port <n>', 'port to listen on (default: a free one)').argParser(port))
    .option('--json', 'print the URL and token as one JSON document')
    .action(async (opts: { port?: number }) => {
      const staticDir = await ensureRenderer(cli.io);
      const b = await backend('serve');
      const { startServer } = await import('../server/http-server.js');
      const server = await startServer({ backend: b, staticDir, port: opts.port ?? 0 });
      cli.emit({ url: server.launchUrl, port: server.port, token: server.token, dbPath: b.dbPath }, () =>
        `FLOPscope is serving on ${server.url}\nOpen (carries this launch's access token):\n  ${server.launchUrl}\nDatabase: ${b.dbPath}\nPress Ctrl-C to stop.\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      cli.io.stderr('Stopping…\n');
      await server.close();
    });
}

/** The built renderer for serve mode; built once on first use if this checkout has none yet. */
async function ensureRenderer(io: CliIo): Promise<string> {
  // FLOPSCOPE_UI_DIR points at another build of the renderer (packaging, tests).
  if (process.env.FLOPSCOPE_UI_DIR) return path.resolve(process.env.FLOPSCOPE_UI_DIR);
  const dir = path.join(PACKAGE_ROOT, 'out', 'renderer');
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  io.stderr('Building the UI once (out/renderer is missing)…\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(PACKAGE_ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new ApiFailure('INTERNAL', `Building the UI did not produce ${dir}/index.html; run \`npm run build:renderer\` and check its output.`);
  return dir;
}
