/**
 * `flopscope runs list|show|delete|export|import|kinds` (CLI, Node side): the stored history, through
 * the API. `runs import` passes the bundle's path (`runs.import { file }`, which only the CLI door
 * may name), and the backend streams it into the store element by element, never reading it whole.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { RUN_KINDS } from '../../../src-shared/api/types.js';
import { checkReadable, positiveInt, table, type CliContext } from '../../cli/kit.js';

export function register(program: Command, cli: CliContext): void {
  const runs = program.command('runs').description('List, show and delete stored runs');
  runs
    .command('list')
    .description('List stored runs, newest first')
    .addOption(new Option('--kind <kind>', 'only runs of this kind').choices(RUN_KINDS as string[]))
    .option('--machine <id>', 'only runs measured on this machine id')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(positiveInt('--limit')))
    .option('--json', 'print one JSON document')
    .action(async (opts: { kind?: (typeof RUN_KINDS)[number]; machine?: string; limit?: number }) => {
      const list = await cli.client.call('runs.list', { kind: opts.kind, machineId: opts.machine, limit: opts.limit });
      cli.emit(list, () =>
        list.length
          ? table(['ID', 'KIND', 'MACHINE', 'CREATED', 'VERSION'], list.map((r) => [String(r.id), r.kind, `${r.hostname} (${r.machineId})`, r.createdAt, r.appVersion]))
          : 'No runs stored yet. Try `flopscope detect --save`.\n',
      );
    });
  runs
    .command('kinds')
    .description('List the run kinds the store knows')
    .option('--json', 'print one JSON document')
    .action(async () => {
      const kinds = await cli.client.call('runs.kinds', {});
      cli.emit(kinds, () => table(['KIND', 'LABEL', 'MEASURED'], kinds.map((k) => [k.kind, k.label, k.measured ? 'yes' : 'no'])));
    });
  runs
    .command('show')
    .description('Show one run with its parameters and result')
    .argument('<id>', 'run id', positiveInt('run id'))
    .option('--json', 'print one JSON document')
    .action(async (id: number) => {
      const run = await cli.client.call('runs.get', { id });
      cli.emit(run, () => `Run ${run.id} (${run.kind}) on machine ${run.machineId}, ${run.createdAt}, FLOPscope ${run.appVersion}\nparams: ${JSON.stringify(run.params, null, 2)}\nresult: ${JSON.stringify(run.result, null, 2)}\n`);
    });
  runs
    .command('delete')
    .description('Delete one run')
    .argument('<id>', 'run id', positiveInt('run id'))
    .option('--json', 'print one JSON document')
    .action(async (id: number) => {
      const result = await cli.client.call('runs.delete', { id });
      cli.emit(result, () => `Deleted run ${id}.\n`);
    });
  runs
    .command('export')
    .description('Write runs (default: all) and their machines to a checksummed bundle file')
    .argument('[ids...]', 'run ids (default: every stored run)', (v: string, prev: number[] | undefined) => [...(prev ?? []), positiveInt('run id')(v)])
    .requiredOption('--out <file.json>', 'where to write the bundle')
    .option('--json', 'print one JSON document')
    .action(async (ids: number[] | undefined, opts: { out: string }) => {
      const bundle = await cli.client.call('runs.export', ids?.length ? { ids } : {});
      const { writeBundleFile } = await import('../../services/history/bundles.js');
      const file = await writeBundleFile(opts.out, bundle);
      cli.emit({ file, runs: bundle.runs.length, machines: bundle.machines.length, checksum: bundle.checksum }, () =>
        `Wrote ${bundle.runs.length} run${bundle.runs.length === 1 ? '' : 's'} (${bundle.machines.length} machine${bundle.machines.length === 1 ? '' : 's'}) to ${file}.\n`,
      );
    });
  runs
    .command('import')
    .description('Add the runs of a bundle file to the history (runs already present are skipped)')
    .argument('<file>', 'a bundle written by `flopscope runs export` (or --bundle)')
    .option('--json', 'print one JSON document')
    .action(async (file: string) => {
      // Streamed from the file by the backend (checked element by element, spooled, then written in one transaction), never read whole.
      checkReadable(file, '<file>');
      const result = await cli.client.call('runs.import', { file: path.resolve(file) });
      cli.emit(result, () => `Imported ${result.imported} run${result.imported === 1 ? '' : 's'}${result.skipped ? ` (${result.skipped} already present, skipped)` : ''}.\n`);
    });
}
