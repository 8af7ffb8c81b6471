/** `flopscope energy` (CLI, Node side): the power sensors readable here and why others are not. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli/kit.js';

export function register(program: Command, cli: CliContext): void {
  program
    .command('energy')
    .description('List the power sensors FLOPscope can read here (RAPL, hwmon, nvidia-smi, powermetrics, Windows Energy Meter) and why others are not available')
    .option('--json', 'print one JSON document')
    .action(async () => {
      const { formatPowerSources } = await import('../../../src-shared/energy/summary.js');
      const found = await cli.client.call('energy.sources', {});
      cli.emit(found, () => formatPowerSources(found));
    });
}
