/** `flopscope detect` (CLI, Node side): this machine's CPU, memory, GPUs and theoretical peaks. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli/kit.js';

export function register(program: Command, cli: CliContext): void {
  program
    .command('detect')
    .description('Detect this machine: CPU, memory, GPUs and theoretical peaks')
    .option('--json', 'print one JSON document')
    .option('--save', 'store the report in the history as a run')
    .action(async (opts: { save?: boolean }) => {
      const { formatHardwareReport } = await import('../../../src-shared/hardware/format.js');
      const report = await cli.client.call('hardware.detect', { refresh: true, save: Boolean(opts.save) });
      const { runId, ...rest } = report;
      cli.emit(opts.save ? { ...rest, runId } : rest, () => formatHardwareReport(rest) + (runId ? `\nSaved as run ${runId}.\n` : ''));
    });
}
