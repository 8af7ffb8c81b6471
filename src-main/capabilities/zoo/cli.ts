/**
 * `flopscope zoo list|export` (CLI, Node side): the built-in architectures, through the API.
 * `zoo export` gets the model's bytes from `zoo.build` (the API writes no files) and writes them
 * atomically where --out says.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { asWork, type CliContext } from '../../cli/kit.js';

export function register(program: Command, cli: CliContext): void {
  const zoo = program.command('zoo').description('Built-in architectures generated as ONNX graphs (random weights)');
  zoo
    .command('list')
    .description('List the built-in architectures and their options')
    .option('--json', 'print one JSON document')
    .action(async () => {
      const entries = await cli.client.call('zoo.list', {});
      cli.emit(entries, () =>
        entries
          .map((e) => `${e.name.padEnd(16)} ${e.title}\n${' '.repeat(17)}options: ${e.options.map((o) => `--${o.name} (default ${o.default})`).join(', ')}`)
          .join('\n') + '\n',
      );
    });
  zoo
    .command('export')
    .description('Write a built-in architecture as an .onnx file')
    .argument('<name>', 'architecture name (see zoo list)')
    .requiredOption('--out <file.onnx>', 'where to write it')
    .option('--option <name=value>', 'an architecture option, e.g. --option resolution=160 (repeatable)', (v: string, prev: Record<string, string>) => {
      const m = /^([^=\s]+)=(.+)$/.exec(v);
      if (!m) throw new InvalidArgumentError(`--option takes name=value, got ${JSON.stringify(v)}.`);
      return { ...prev, [m[1]!]: m[2]! };
    }, {} as Record<string, string>)
    .option('--json', 'print one JSON document')
    .action(async (name: string, opts: { out: string; option: Record<string, string> }) => {
      // Any failure, the request's included (an unknown model, a bad option, an unwritable --out), is failed work: exit 1.
      const written = await asWork(async () => {
        const model = await cli.client.call('zoo.build', { name, options: opts.option });
        const { writeFileAtomic } = await import('../../infra/write-atomic.js');
        const bytes = Buffer.concat(model.content.map((piece) => Buffer.from(piece, 'base64')));
        return { ...model, file: await writeFileAtomic(opts.out, bytes, 'the model') };
      });
      const summary = { name: written.name, file: written.file, fileBytes: written.fileBytes, params: written.params, options: written.options, dims: written.dims };
      cli.emit(summary, () => `Wrote ${written.file} (${written.params.toLocaleString('en-US')} params, ${(written.fileBytes / 2 ** 20).toFixed(1)} MiB).\n`);
    });
}
