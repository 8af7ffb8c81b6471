/** `flopscope profile <file>` (CLI, Node side): counts (and optionally runs) a model as a job; prints and stores the result. */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ProfileResult } from '../../../src-shared/profiler/types.js';
import { asWork, checkBundleTarget, checkFolder, positiveInt, UsageError, writeRunBundle, type CliContext } from '../../cli/kit.js';

const collectDim = (value: string, previous: Record<string, number>): Record<string, number> => {
  const m = /^([^=\s]+)=(\d+)$/.exec(value);
  if (!m || Number(m[2]) < 1) throw new InvalidArgumentError(`--dim takes name=positive-integer (e.g. --dim batch=1), got ${JSON.stringify(value)}.`);
  return { ...previous, [m[1]!]: Number(m[2]) };
};

export function register(program: Command, cli: CliContext): void {
  program
    .command('profile')
    .description('Count a model (params, MACs, FLOPs, bytes per layer) and optionally run it with ONNX Runtime')
    .argument('<file>', 'an .onnx model (or zoo:NAME for a built-in architecture)')
    .option('--dim <name=value>', 'bind a symbolic dimension (repeatable)', collectDim, {} as Record<string, number>)
    .option('--run', 'also run it with ONNX Runtime and measure per-op time')
    .addOption(new Option('--threads <n>', 'ONNX Runtime intra-op threads').argParser(positiveInt('--threads')))
    .option('--trace <out.json>', 'with --run: write the per-op timeline as a Chrome trace (opens in Perfetto)')
    .option('--quantize', 'what-if: quantize the actual weights (int8/int4, per-tensor/per-channel) and report SQNR and sizes')
    .option('--prune <method[:sparsity]>', 'what-if: prune the actual weights: global:0.5, layerwise:0.7 or 2:4', (v: string) => {
      if (v === '2:4') return { method: '2:4' as const };
      const m = /^(global|layerwise):(0(?:\.\d+)?|1(?:\.0+)?)$/.exec(v);
      if (!m) throw new InvalidArgumentError(`--prune takes global:S, layerwise:S (S in [0,1]) or 2:4, got ${JSON.stringify(v)}.`);
      return { method: m[1] as 'global' | 'layerwise', sparsity: Number(m[2]) };
    })
    .option('--activation-sparsity', 'what-if: run once and measure the fraction of zeros after each ReLU-family op')
    .option('--energy', 'with --run: also print the energy sampled during the measured run (joules, watts, J per inference and per token)')
    .option('--bundle <file.json>', 'also write a bundle of the stored run and its machine to this file')
    .option('--json', 'print one JSON document (events go to stderr as NDJSON)')
    .action(async (file: string, opts: { dim: Record<string, number>; run?: boolean; threads?: number; trace?: string; quantize?: boolean; prune?: { method: 'global' | 'layerwise' | '2:4'; sparsity?: number }; activationSparsity?: boolean; bundle?: string; energy?: boolean }) => {
      if (opts.trace && !opts.run) throw new UsageError('--trace needs --run (the timeline comes from a measured run).');
      if (opts.energy && !opts.run) throw new UsageError('--energy needs --run (power is sampled during a measured run).');
      if (opts.bundle) checkBundleTarget(opts.bundle);
      if (opts.trace) checkFolder(opts.trace, '--trace');
      const [{ runJob }, { formatProfile }, { energyJson, formatEnergyText }] = await Promise.all([
        import('../../cli/follow-job.js'),
        import('../../../src-shared/profiler/format.js'),
        import('../../../src-shared/energy/summary.js'),
      ]);
      const source = file.startsWith('zoo:') ? { zoo: file.slice(4) } : { file: path.resolve(file) };
      const job = await cli.client.call('profile.start', {
        source,
        dims: opts.dim,
        run: Boolean(opts.run),
        ...(opts.threads ? { threads: opts.threads } : {}),
        ...(opts.quantize ? { quantize: true } : {}),
        ...(opts.prune ? { prune: opts.prune } : {}),
        ...(opts.activationSparsity ? { activationSparsity: true } : {}),
      });
      const end = await runJob(cli, job.id);
      const { trace, energy, energyEfficiency, ...result } = end.result as ProfileResult;
      // The API writes no files: the trace comes back in the result and the CLI writes it where its user said.
      if (opts.trace) await writeTrace(trace, opts.trace);
      if (opts.bundle) await writeRunBundle(cli, end.runId, opts.bundle);
      const energyPart = opts.energy && energy ? { energy: energyJson(energy, energyEfficiency) } : {};
      cli.emit({ ...result, ...energyPart, runId: end.runId }, () => formatProfile(result) + (opts.energy && energy ? '\n' + formatEnergyText(energy, energyEfficiency) : '') + (opts.trace ? `\nTrace written to ${path.resolve(opts.trace)} (open it in ui.perfetto.dev).\n` : '') + (end.runId ? `\nStored as run ${end.runId}.\n` : ''));
    });
}

/** Writes the measured run's Chrome trace atomically (keeping an existing file's mode); failure here is exit 1. */
async function writeTrace(trace: ProfileResult['trace'], file: string): Promise<void> {
  await asWork(async () => {
    const [{ ApiFailure }, { writeFileAtomic }] = await Promise.all([import('../../../src-shared/api/errors.js'), import('../../infra/write-atomic.js')]);
    if (!trace) throw new ApiFailure('INTERNAL', '--trace: the measured run returned no timeline.');
    await writeFileAtomic(path.resolve(file), JSON.stringify(trace), 'the trace');
  });
}
