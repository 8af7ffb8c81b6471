/**
 * `flopscope report` (CLI, Node side): a report of one run, or a comparison of several, rendered
 * through the API (`reports.render`, as the pages download it) and written atomically where the
 * user said.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { positiveInt, UsageError, type CliContext } from '../../cli/kit.js';

const FORMATS = ['html', 'pdf', 'md', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command, cli: CliContext): void {
  program
    .command('report')
    .description('Write a report of one run, or a comparison of several: html, pdf, md, csv or json')
    .argument('<ids...>', 'run ids (two or more of one kind make a comparison)')
    .addOption(new Option('--format <f>', 'report format (default: from the --out extension)').choices(FORMATS))
    .requiredOption('--out <file>', 'where to write it (written atomically)')
    .option('--json', 'print one JSON document')
    .action(async (ids: string[], opts: { format?: Format; out: string }) => {
      const parsed = ids.map((id) => positiveInt('run id')(id));
      const ext = path.extname(opts.out).slice(1).toLowerCase();
      const format = opts.format ?? ((FORMATS as readonly string[]).includes(ext) ? (ext as Format) : null);
      if (!format) throw new UsageError(`--format is needed: the extension of ${JSON.stringify(opts.out)} does not name one (html, pdf, md, csv, json).`);
      const rendered = await cli.client.call('reports.render', { ids: parsed, format });
      const data = rendered.encoding === 'base64' ? Buffer.from(rendered.content, 'base64') : rendered.content;
      const { writeFileAtomic } = await import('../../infra/write-atomic.js');
      const file = await writeFileAtomic(opts.out, data, `the ${format.toUpperCase()} report`);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      cli.emit({ file, format, bytes, runs: parsed }, () => `Wrote ${file} (${format}, ${bytes.toLocaleString('en-US')} bytes).\n`);
    });
}
