/** `flopscope bench <suite>` (CLI, Node side): runs a benchmark job, follows it, prints and stores the result. */
import { Argument, Option, type Command } from 'commander';
import type { BenchResult, BenchSuite } from '../../../src-shared/api/bench.js';
import type { energyJson as EnergyJson } from '../../../src-shared/energy/summary.js';
import { checkBundleTarget, positiveInt, writeRunBundle, type CliContext } from '../../cli/kit.js';

/**
 * The suites `bench` accepts: BENCH_SUITES of src-shared/api/bench.ts, spelled out here because
 * that module loads zod (0.1–0.4 s) and this list is needed to build `--help`; `satisfies` and
 * the check below fail to compile when the two lists differ.
 */
const CLI_BENCH_SUITES = ['gemm', 'memory', 'latency', 'gpu', 'all'] as const satisfies readonly BenchSuite[];
const everySuiteListed: BenchSuite extends (typeof CLI_BENCH_SUITES)[number] ? true : false = true;
void everySuiteListed;

export function register(program: Command, cli: CliContext): void {
  program
    .command('bench')
    .description('Measure this machine: GEMM, memory bandwidth, cache latency, GPU; stores the run')
    .addArgument(new Argument('<suite>', 'what to measure').choices(CLI_BENCH_SUITES))
    .option('--quick', 'the quick suite (about 30 s for all) instead of the full one')
    .addOption(new Option('--threads <n>', 'CPU threads (default: all physical cores)').argParser(positiveInt('--threads')))
    .option('--energy', 'also print the energy sampled during the run (joules, average/peak watts, GFLOP/J, GB/J; measured where a sensor is readable, else labelled estimated)')
    .option('--bundle <file.json>', 'also write a bundle of the stored run and its machine to this file')
    .option('--json', 'print one JSON document (events go to stderr as NDJSON)')
    .action(async (suite: BenchSuite, opts: { quick?: boolean; threads?: number; bundle?: string; energy?: boolean }) => {
      if (opts.bundle) checkBundleTarget(opts.bundle);
      const [{ runJob }, { formatBenchResult }, { energyJson, formatEnergyText }] = await Promise.all([
        import('../../cli/follow-job.js'),
        import('../../../src-shared/bench/format.js'),
        import('../../../src-shared/energy/summary.js'),
      ]);
      const job = await cli.client.call('bench.start', { suite, quick: Boolean(opts.quick), ...(opts.threads ? { threads: opts.threads } : {}) });
      const end = await runJob(cli, job.id);
      const result = end.result as BenchResult;
      if (opts.bundle) await writeRunBundle(cli, end.runId, opts.bundle);
      cli.emit(benchJson(result, end.runId, Boolean(opts.energy), energyJson), () =>
        formatBenchResult(result) + (opts.energy && result.energy ? '\n' + formatEnergyText(result.energy, result.energyEfficiency) : '') + (end.runId ? `\nStored as run ${end.runId}.\n` : ''),
      );
    });
}

/**
 * The --json document of `bench`: a single suite prints its own shape at the top level
 * (`bench gemm` → { results, best, … }); `all` prints every part plus the roofline.
 */
function benchJson(full: BenchResult, runId: number | null, withEnergy: boolean, energyJson: typeof EnergyJson): unknown {
  const { energy, energyEfficiency, ...result } = full;
  const energyPart = withEnergy && energy ? { energy: energyJson(energy, energyEfficiency) } : {};
  const common = { warnings: result.warnings, runId, ...energyPart };
  if (result.suite === 'all') return { ...result, ...common };
  const part = result[result.suite as Exclude<BenchSuite, 'all'>];
  return { ...(part as object), ...(result.roofline ? { roofline: result.roofline } : {}), ...common };
}
