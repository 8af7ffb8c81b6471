/**
 * The `flopscope` CLI (Node side): the third door, calling the backend in-process.
 * Conventions for every command: `--json` writes exactly one JSON document to stdout (progress and
 * logs go to stderr); exit 0 on success, 1 when the work fails, 2 on a usage error; `--help` everywhere.
 * Argument parsing is commander's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { RUN_KINDS } from '../../src-shared/api/types.js';
import { BENCH_SUITES, type BenchResult, type BenchSuite } from '../../src-shared/api/bench.js';
import { formatBenchResult } from '../../src-shared/bench/format.js';
import { energyJson, formatEnergyText, formatPowerSources } from '../../src-shared/energy/summary.js';
import { followJob } from './follow-job.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { formatProfile } from '../../src-shared/profiler/format.js';
import { formatHardwareReport } from '../../src-shared/hardware/format.js';
import { formatFitInfo, formatPlan, parseQuantity } from '../../src-shared/planner/format.js';
import { BUILTIN_FIT_IDS } from '../../src-shared/planner/types.js';
import { DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE, GRID_SOURCE_SHORT } from '../../src-shared/planner/energy.js';
import type { BudgetRequest, PlanRequest } from '../../src-shared/api/planner.js';
import type { AttentionSweepResult } from '../../src-shared/api/attention.js';
import { formatAttentionSweep, parseSeqs } from '../../src-shared/attention/format.js';
import { APP_VERSION } from '../core/app-version.js';
import { createBackend, createInProcessClient, type Backend } from '../core/backend.js';
import { resolveDbPath } from '../infra/paths.js';
import { startServer } from '../server/http-server.js';
import { importBundleFile, writeBundleFile } from '../services/history/bundles.js';
import { writeFileAtomic } from '../infra/write-atomic.js';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

class UsageError extends Error {}

/** The work itself failed (a job's error event, a bad model file): exit 1, whatever the code. */
class WorkFailed extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
  }
}

function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value)}.`);
    }
    return Number(value);
  };
}

/** A quantity such as 5.76e23, 7e9 or 7B; sign and zero are judged by the planner, which names the field. */
function quantity(name: string) {
  return (value: string): number => {
    const q = parseQuantity(value);
    if (q === null) throw new InvalidArgumentError(`${name} must be a number such as 1e23, 7e9 or 7B, got ${JSON.stringify(value)}.`);
    return q;
  };
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError(`--port must be 0..65535, got ${JSON.stringify(value)}.`);
  return Number(value);
}

/** Runs the CLI and resolves with the exit code (never calls process.exit itself, except via serve's signal handling). */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let backend: Backend | null = null;
  let jsonMode = false;
  const program = new Command();
  const getBackend = (host: 'cli' | 'serve' = 'cli'): Backend =>
    (backend ??= createBackend({ dbPath: resolveDbPath(program.opts<{ db?: string }>().db), host }));
  const client = (): FlopscopeClient => createInProcessClient(getBackend());
  const emit = (value: unknown, text: () => string) => {
    io.stdout(jsonMode ? JSON.stringify(value, null, 2) + '\n' : text());
  };

  program
    .name('flopscope')
    .description('What your hardware can do, what your model costs, and how big a model a compute budget buys.')
    .version(APP_VERSION, '-V, --version')
    .option('--db <path>', 'SQLite database file (default: $FLOPSCOPE_DB or the per-user data folder)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.hook('preAction', (_root, action) => {
    jsonMode = Boolean(action.opts<{ json?: boolean }>().json);
  });

  program
    .command('detect')
    .description('Detect this machine: CPU, memory, GPUs and theoretical peaks')
    .option('--json', 'print one JSON document')
    .option('--save', 'store the report in the history as a run')
    .action(async (opts: { save?: boolean }) => {
      const report = await client().call('hardware.detect', { save: Boolean(opts.save) });
      const { runId, ...rest } = report;
      emit(opts.save ? { ...rest, runId } : rest, () => formatHardwareReport(rest) + (runId ? `\nSaved as run ${runId}.\n` : ''));
    });

  program
    .command('energy')
    .description('List the power sensors FLOPscope can read here (RAPL, hwmon, nvidia-smi, powermetrics, Windows Energy Meter) and why others are not available')
    .option('--json', 'print one JSON document')
    .action(async () => {
      const found = await client().call('energy.sources', {});
      emit(found, () => formatPowerSources(found));
    });

  program
    .command('serve')
    .description('Serve the app headless on 127.0.0.1 (open the printed URL in a browser)')
    .addOption(new Option('--port <n>', 'port to listen on (default: a free one)').argParser(port))
    .option('--json', 'print the URL and token as one JSON document')
    .action(async (opts: { port?: number }) => {
      const staticDir = await ensureRenderer(io);
      const b = getBackend('serve');
      const server = await startServer({ backend: b, staticDir, port: opts.port ?? 0 });
      emit({ url: server.launchUrl, port: server.port, token: server.token, dbPath: b.dbPath }, () =>
        `FLOPscope is serving on ${server.url}\nOpen (carries this launch's access token):\n  ${server.launchUrl}\nDatabase: ${b.dbPath}\nPress Ctrl-C to stop.\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      io.stderr('Stopping…\n');
      await server.close();
    });

  program
    .command('bench')
    .description('Measure this machine: GEMM, memory bandwidth, cache latency, GPU; stores the run')
    .addArgument(new Argument('<suite>', 'what to measure').choices(BENCH_SUITES as unknown as string[]))
    .option('--quick', 'the quick suite (about 30 s for all) instead of the full one')
    .addOption(new Option('--threads <n>', 'CPU threads (default: all physical cores)').argParser(positiveInt('--threads')))
    .option('--energy', 'also print the energy sampled during the run (joules, average/peak watts, GFLOP/J, GB/J; measured where a sensor is readable, else labelled estimated)')
    .option('--bundle <file.json>', 'also write a bundle of the stored run and its machine to this file')
    .option('--json', 'print one JSON document (events go to stderr as NDJSON)')
    .action(async (suite: BenchSuite, opts: { quick?: boolean; threads?: number; bundle?: string; energy?: boolean }) => {
      if (opts.bundle) checkBundleTarget(opts.bundle);
      const c = client();
      const job = await c.call('bench.start', { suite, quick: Boolean(opts.quick), ...(opts.threads ? { threads: opts.threads } : {}) });
      const end = await followJob(c, job.id, { json: jsonMode, tty: Boolean(process.stderr.isTTY), io });
      if (end.type === 'cancelled') throw new ApiFailure('CANCELLED', 'Cancelled; nothing was stored.');
      if (end.type === 'error') throw new WorkFailed(ApiFailure.from(end.error));
      const result = end.result as BenchResult;
      if (opts.bundle) await writeRunBundle(c, end.runId, opts.bundle, io);
      emit(benchJson(result, end.runId, Boolean(opts.energy)), () =>
        formatBenchResult(result) + (opts.energy && result.energy ? '\n' + formatEnergyText(result.energy, result.energyEfficiency) : '') + (end.runId ? `\nStored as run ${end.runId}.\n` : ''),
      );
    });

  const collectDim = (value: string, previous: Record<string, number>): Record<string, number> => {
    const m = /^([^=\s]+)=(\d+)$/.exec(value);
    if (!m || Number(m[2]) < 1) throw new InvalidArgumentError(`--dim takes name=positive-integer (e.g. --dim batch=1), got ${JSON.stringify(value)}.`);
    return { ...previous, [m[1]!]: Number(m[2]) };
  };

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
      const c = client();
      const source = file.startsWith('zoo:') ? { zoo: file.slice(4) } : { file: path.resolve(file) };
      const job = await c.call('profile.start', {
        source,
        dims: opts.dim,
        run: Boolean(opts.run),
        ...(opts.threads ? { threads: opts.threads } : {}),
        ...(opts.quantize ? { quantize: true } : {}),
        ...(opts.prune ? { prune: opts.prune } : {}),
        ...(opts.activationSparsity ? { activationSparsity: true } : {}),
      });
      const end = await followJob(c, job.id, { json: jsonMode, tty: Boolean(process.stderr.isTTY), io });
      if (end.type === 'cancelled') throw new ApiFailure('CANCELLED', 'Cancelled; nothing was stored.');
      if (end.type === 'error') throw new WorkFailed(ApiFailure.from(end.error));
      const { trace, energy, energyEfficiency, ...result } = end.result as ProfileResult;
      // The API writes no files: the trace comes back in the result and the CLI writes it where its user said.
      if (opts.trace) await writeTrace(trace, opts.trace);
      if (opts.bundle) await writeRunBundle(c, end.runId, opts.bundle, io);
      const energyPart = opts.energy && energy ? { energy: energyJson(energy, energyEfficiency) } : {};
      emit({ ...result, ...energyPart, runId: end.runId }, () => formatProfile(result) + (opts.energy && energy ? '\n' + formatEnergyText(energy, energyEfficiency) : '') + (opts.trace ? `\nTrace written to ${path.resolve(opts.trace)} (open it in ui.perfetto.dev).\n` : '') + (end.runId ? `\nStored as run ${end.runId}.\n` : ''));
    });

  const zoo = program.command('zoo').description('Built-in architectures generated as ONNX graphs (random weights)');
  zoo
    .command('list')
    .description('List the built-in architectures and their options')
    .option('--json', 'print one JSON document')
    .action(async () => {
      const entries = await client().call('zoo.list', {});
      emit(entries, () =>
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
      const { exportZooModel } = await import('../services/zoo/zoo.js');
      const written = await exportZooModel(name, opts.option, opts.out).catch((e: unknown) => {
        throw e instanceof ApiFailure ? new WorkFailed(e) : e;
      });
      const summary = { name: written.name, file: written.file, fileBytes: written.fileBytes, params: written.params, options: written.options, dims: written.dims };
      emit(summary, () => `Wrote ${written.file} (${written.params.toLocaleString('en-US')} params, ${(written.fileBytes / 2 ** 20).toFixed(1)} MiB).\n`);
    });

  program
    .command('plan')
    .description('Compute-optimal model and data size for a budget (FLOPs, device-hours or money) under a scaling-law fit; stores the plan')
    .addOption(new Option('--compute <flops>', 'budget in training FLOPs, e.g. 1e23').argParser(quantity('--compute')))
    .option('--device <name>', 'a GPU from the catalog (e.g. "NVIDIA H100 SXM5 80GB") or "this" for this machine')
    .addOption(new Option('--hours <h>', 'with --device: wall-clock hours').argParser(quantity('--hours')))
    .addOption(new Option('--count <k>', 'with --device: how many devices (default 1)').argParser(quantity('--count')))
    .addOption(new Option('--mfu <u>', 'model FLOPs utilisation, 0–1 (default 0.40)').argParser(quantity('--mfu')))
    .addOption(new Option('--budget-usd <x>', 'budget in US dollars (with --device and --usd-per-hour)').argParser(quantity('--budget-usd')))
    .addOption(new Option('--usd-per-hour <p>', 'price per device-hour in US dollars').argParser(quantity('--usd-per-hour')))
    .addOption(new Option('--params <n>', 'fix the model size (alone: its compute-optimal tokens and FLOPs), e.g. 7B').argParser(quantity('--params')))
    .option('--fit <id|file.csv>', `${BUILTIN_FIT_IDS.join('|')}, custom:<run id>, or a CSV of your runs to fit first`, 'chinchilla-3')
    .addOption(new Option('--inference-tokens <t>', 'lifetime inference tokens: also size for training + inference (Sardana et al. 2023)').argParser(quantity('--inference-tokens')))
    .addOption(new Option('--unique-tokens <u>', 'unique tokens available: also size for repeated data (Muennighoff et al. 2023)').argParser(quantity('--unique-tokens')))
    .addOption(new Option('--vocab <v>', 'vocabulary size of the proposed shape (default 32000)').argParser(quantity('--vocab')))
    .addOption(new Option('--context <c>', 'context length of the proposed shape (default 2048)').argParser(quantity('--context')))
    .addOption(new Option('--pue <p>', `power usage effectiveness of the site, 1–3, for the energy estimate (default ${DEFAULT_PUE}: Uptime Institute survey 2024 average); energy is always reported when the plan has a device, these flags only change its inputs`).argParser(quantity('--pue')))
    .addOption(new Option('--grid-g-per-kwh <g>', `grid carbon intensity in gCO₂/kWh, 0–2000, for CO₂ (default ${DEFAULT_GRID_G_PER_KWH}: ${GRID_SOURCE_SHORT} for 2023)`).argParser(quantity('--grid-g-per-kwh')))
    .option('--no-save', 'do not store the plan as a run')
    .option('--json', 'print one JSON document')
    .action(async (opts: { compute?: number; device?: string; hours?: number; count?: number; mfu?: number; budgetUsd?: number; usdPerHour?: number; params?: number; fit: string; inferenceTokens?: number; uniqueTokens?: number; vocab?: number; context?: number; pue?: number; gridGPerKwh?: number; save: boolean }) => {
      const kinds = [opts.compute !== undefined, opts.hours !== undefined, opts.budgetUsd !== undefined].filter(Boolean).length;
      if (kinds > 1) throw new UsageError('give one budget: --compute, or --device with --hours, or --budget-usd with --usd-per-hour.');
      if (opts.hours !== undefined && !opts.device) throw new UsageError('--hours needs --device (a catalog GPU or "this").');
      if (opts.budgetUsd !== undefined && (opts.usdPerHour === undefined || !opts.device)) throw new UsageError('--budget-usd needs --usd-per-hour and --device.');
      if (opts.usdPerHour !== undefined && opts.budgetUsd === undefined) throw new UsageError('--usd-per-hour goes with --budget-usd.');
      if (kinds === 0 && opts.params === undefined) throw new UsageError('give a budget (--compute, --device with --hours, or --budget-usd) or --params.');
      const c = client();
      let fit = opts.fit;
      let fitted = null;
      if (/\.csv$/i.test(fit) || fs.existsSync(fit)) {
        fitted = await c.call('fits.create', { name: path.basename(fit), csv: readText(fit, '--fit') });
        fit = fitted.id;
      }
      const extra = { ...(opts.count !== undefined ? { count: opts.count } : {}), ...(opts.mfu !== undefined ? { mfu: opts.mfu } : {}) };
      let budget: BudgetRequest | undefined;
      if (opts.compute !== undefined) budget = { kind: 'flops', flops: opts.compute };
      else if (opts.hours !== undefined) budget = { kind: 'device-hours', device: opts.device!, hours: opts.hours, ...extra };
      else if (opts.budgetUsd !== undefined) budget = { kind: 'money', device: opts.device!, usd: opts.budgetUsd, usdPerHour: opts.usdPerHour!, ...extra };
      const request: PlanRequest = {
        fit,
        ...(budget ? { budget } : {}),
        ...(opts.params !== undefined ? { params: opts.params } : {}),
        ...(opts.inferenceTokens !== undefined ? { inferenceTokens: opts.inferenceTokens } : {}),
        ...(opts.uniqueTokens !== undefined ? { uniqueTokens: opts.uniqueTokens } : {}),
        ...(opts.vocab !== undefined ? { vocab: opts.vocab } : {}),
        ...(opts.context !== undefined ? { context: opts.context } : {}),
        ...(opts.pue !== undefined ? { pue: opts.pue } : {}),
        ...(opts.gridGPerKwh !== undefined ? { gridGPerKwh: opts.gridGPerKwh } : {}),
        // A FLOPs budget (or --params) with --device: time it on that device.
        ...(opts.device && (opts.compute !== undefined || (kinds === 0 && opts.params !== undefined)) ? { device: opts.device, ...(opts.count !== undefined ? { deviceCount: opts.count } : {}), ...(opts.mfu !== undefined ? { mfu: opts.mfu } : {}) } : {}),
      };
      const { plan, runId } = opts.save ? await c.call('plan.save', request) : { plan: await c.call('plan.compute', request), runId: null };
      emit({ ...plan, runId }, () => (fitted ? formatFitInfo(fitted) + '\n' : '') + formatPlan(plan) + (runId ? `\nStored as run ${runId}.\n` : ''));
    });

  program
    .command('fit')
    .description('Fit L(N, D) = E + A/N^α + B/D^β to a CSV of your runs (columns params, tokens, loss[, flops]); stores the fit for plan --fit custom:<id>')
    .argument('<runs.csv>', 'CSV with a header row')
    .option('--name <name>', 'a name for the fit (default: the file name)')
    .addOption(new Option('--bootstrap <n>', 'bootstrap resamples for the confidence intervals (default 200)').argParser((v: string) => (v === '0' ? 0 : positiveInt('--bootstrap')(v))))
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { name?: string; bootstrap?: number }) => {
      const info = await client().call('fits.create', { name: opts.name ?? path.basename(file), csv: readText(file, '<runs.csv>'), ...(opts.bootstrap !== undefined ? { bootstrap: opts.bootstrap } : {}) });
      emit(info, () => formatFitInfo(info) + `\nStored as run ${info.runId}; plan with it: flopscope plan --fit ${info.id} --compute 1e21\n`);
    });

  program
    .command('attention')
    .description('Compare attention variants over sequence lengths: FLOPs, memory, bytes, KV cache and roofline time; --measure runs full and sliding-window attention through ONNX Runtime; stores the run')
    .requiredOption('--variants <list>', 'e.g. full,causal,sliding:512,dilated:512:2,global:512:16,bigbird:64:3:2,linear,gqa:8,flash,tome:16,prune:0.9')
    .requiredOption('--seq <list|range>', 'sequence lengths: 1024,4096,16384 or a range 128..1M (powers of two)')
    .addOption(new Option('--d-model <n>', 'hidden size').argParser(positiveInt('--d-model')).makeOptionMandatory())
    .addOption(new Option('--heads <n>', 'attention heads').argParser(positiveInt('--heads')).makeOptionMandatory())
    .addOption(new Option('--head-dim <n>', 'per-head size (default d_model / heads)').argParser(positiveInt('--head-dim')))
    .addOption(new Option('--kv-heads <n>', 'K/V heads for MQA/GQA (default heads)').argParser(positiveInt('--kv-heads')))
    .addOption(new Option('--ffn <n>', 'FFN width (default 4 × d_model)').argParser(positiveInt('--ffn')))
    .addOption(new Option('--layers <n>', 'layers (default 1)').argParser(positiveInt('--layers')))
    .addOption(new Option('--batch <n>', 'batch size (default 1)').argParser(positiveInt('--batch')))
    .addOption(new Option('--dtype <t>', 'element type (default fp32 on this machine, bf16 on a GPU)').choices(['fp32', 'bf16', 'fp16']))
    .option('--device <name>', '"this" (this machine\'s measured roofline; default) or a catalog GPU')
    .option('--measure', 'also measure full and sliding-window attention through ONNX Runtime on this machine')
    .addOption(new Option('--threads <n>', 'with --measure: ONNX Runtime threads').argParser(positiveInt('--threads')))
    .option('--no-save', 'do not store the sweep as a run')
    .option('--json', 'print one JSON document')
    .action(async (opts: { variants: string; seq: string; dModel: number; heads: number; headDim?: number; kvHeads?: number; ffn?: number; layers?: number; batch?: number; dtype?: 'fp32' | 'bf16' | 'fp16'; device?: string; measure?: boolean; threads?: number; save: boolean }) => {
      const seqs = parseSeqs(opts.seq);
      if (!seqs) throw new UsageError(`--seq takes whole numbers separated by commas (1024,4096) or a range such as 128..1M, got ${JSON.stringify(opts.seq)}.`);
      const c = client();
      const request = {
        shape: {
          dModel: opts.dModel,
          heads: opts.heads,
          ...(opts.headDim ? { headDim: opts.headDim } : {}),
          ...(opts.kvHeads ? { kvHeads: opts.kvHeads } : {}),
          ...(opts.ffn ? { ffn: opts.ffn } : {}),
          ...(opts.layers ? { layers: opts.layers } : {}),
          ...(opts.batch ? { batch: opts.batch } : {}),
          ...(opts.dtype ? { dtype: opts.dtype } : {}),
        },
        variants: opts.variants,
        seqs,
        ...(opts.device ? { device: opts.device } : {}),
        ...(opts.threads ? { threads: opts.threads } : {}),
      };
      let result: AttentionSweepResult;
      if (opts.measure) {
        const job = await c.call('attention.measure', request);
        const end = await followJob(c, job.id, { json: jsonMode, tty: Boolean(process.stderr.isTTY), io });
        if (end.type === 'cancelled') throw new ApiFailure('CANCELLED', 'Cancelled; nothing was stored.');
        if (end.type === 'error') throw new WorkFailed(ApiFailure.from(end.error));
        result = { ...(end.result as AttentionSweepResult), runId: end.runId };
      } else {
        result = await c.call('attention.sweep', { ...request, store: opts.save });
      }
      emit(result, () => formatAttentionSweep(result) + (result.runId ? `\nStored as run ${result.runId}.\n` : ''));
    });

  program
    .command('report')
    .description('Write a report of one run, or a comparison of several: html, pdf, md, csv or json')
    .argument('<ids...>', 'run ids (two or more of one kind make a comparison)')
    .addOption(new Option('--format <f>', 'report format (default: from the --out extension)').choices(['html', 'pdf', 'md', 'csv', 'json']))
    .requiredOption('--out <file>', 'where to write it (written atomically)')
    .option('--json', 'print one JSON document')
    .action(async (ids: string[], opts: { format?: 'html' | 'pdf' | 'md' | 'csv' | 'json'; out: string }) => {
      const parsed = ids.map((id) => positiveInt('run id')(id));
      const ext = path.extname(opts.out).slice(1).toLowerCase();
      const format = opts.format ?? (['html', 'pdf', 'md', 'csv', 'json'].includes(ext) ? (ext as 'html') : null);
      if (!format) throw new UsageError(`--format is needed: the extension of ${JSON.stringify(opts.out)} does not name one (html, pdf, md, csv, json).`);
      const b = getBackend();
      const { writeReportFile } = await import('../services/reports/report-service.js');
      const info = await client().call('app.info', {});
      const written = await writeReportFile(b.db(), b.runs(), parsed, format, opts.out, APP_VERSION, info.versions.sqlite);
      emit({ file: written.file, format: written.format, bytes: written.bytes, runs: parsed }, () => `Wrote ${written.file} (${written.format}, ${written.bytes.toLocaleString('en-US')} bytes).\n`);
    });

  const runs = program.command('runs').description('List, show and delete stored runs');
  runs
    .command('list')
    .description('List stored runs, newest first')
    .addOption(new Option('--kind <kind>', 'only runs of this kind').choices(RUN_KINDS as string[]))
    .option('--machine <id>', 'only runs measured on this machine id')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(positiveInt('--limit')))
    .option('--json', 'print one JSON document')
    .action(async (opts: { kind?: (typeof RUN_KINDS)[number]; machine?: string; limit?: number }) => {
      const list = await client().call('runs.list', { kind: opts.kind, machineId: opts.machine, limit: opts.limit });
      emit(list, () =>
        list.length
          ? table(['ID', 'KIND', 'MACHINE', 'CREATED', 'VERSION'], list.map((r) => [String(r.id), r.kind, `${r.hostname} (${r.machineId})`, r.createdAt, r.appVersion]))
          : 'No runs stored yet. Try `flopscope detect --save`.\n',
      );
    });
  runs
    .command('show')
    .description('Show one run with its parameters and result')
    .argument('<id>', 'run id', positiveInt('run id'))
    .option('--json', 'print one JSON document')
    .action(async (id: number) => {
      const run = await client().call('runs.get', { id });
      emit(run, () => `Run ${run.id} (${run.kind}) on machine ${run.machineId}, ${run.createdAt}, FLOPscope ${run.appVersion}\nparams: ${JSON.stringify(run.params, null, 2)}\nresult: ${JSON.stringify(run.result, null, 2)}\n`);
    });
  runs
    .command('delete')
    .description('Delete one run')
    .argument('<id>', 'run id', positiveInt('run id'))
    .option('--json', 'print one JSON document')
    .action(async (id: number) => {
      const result = await client().call('runs.delete', { id });
      emit(result, () => `Deleted run ${id}.\n`);
    });
  runs
    .command('export')
    .description('Write runs (default: all) and their machines to a checksummed bundle file')
    .argument('[ids...]', 'run ids (default: every stored run)', (v: string, prev: number[] | undefined) => [...(prev ?? []), positiveInt('run id')(v)])
    .requiredOption('--out <file.json>', 'where to write the bundle')
    .option('--json', 'print one JSON document')
    .action(async (ids: number[] | undefined, opts: { out: string }) => {
      const bundle = await client().call('runs.export', ids?.length ? { ids } : {});
      const file = await writeBundleFile(opts.out, bundle);
      emit({ file, runs: bundle.runs.length, machines: bundle.machines.length, checksum: bundle.checksum }, () =>
        `Wrote ${bundle.runs.length} run${bundle.runs.length === 1 ? '' : 's'} (${bundle.machines.length} machine${bundle.machines.length === 1 ? '' : 's'}) to ${file}.\n`,
      );
    });
  runs
    .command('import')
    .description('Add the runs of a bundle file to the history (runs already present are skipped)')
    .argument('<file>', 'a bundle written by `flopscope runs export` (or --bundle)')
    .option('--json', 'print one JSON document')
    .action(async (file: string) => {
      // Streamed from the file (checked element by element, spooled, then written in one transaction), never read whole.
      checkReadable(file, '<file>');
      const result = await importBundleFile(getBackend().db(), path.resolve(file));
      emit(result, () => `Imported ${result.imported} run${result.imported === 1 ? '' : 's'}${result.skipped ? ` (${result.skipped} already present, skipped)` : ''}.\n`);
    });

  for (const command of [program, ...program.commands, ...runs.commands, ...zoo.commands]) {
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
    const b = backend as Backend | null;
    await b?.close();
  }
}

/** An output's folder must exist before a long run starts (the write itself is checked again, atomically). */
function checkFolder(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${flag}: the folder ${JSON.stringify(dir)} does not exist.`);
}

function checkBundleTarget(file: string): void {
  checkFolder(file, '--bundle');
}

/** Writes the measured run's Chrome trace atomically (keeping an existing file's mode); failure here is exit 1. */
async function writeTrace(trace: ProfileResult['trace'], file: string): Promise<void> {
  try {
    if (!trace) throw new ApiFailure('INTERNAL', '--trace: the measured run returned no timeline.');
    await writeFileAtomic(path.resolve(file), JSON.stringify(trace), 'the trace');
  } catch (e) {
    throw e instanceof ApiFailure ? new WorkFailed(e) : e;
  }
}

/** After a run is stored: export it (with its machine) and write the bundle; failure here is exit 1. */
async function writeRunBundle(c: FlopscopeClient, runId: number | null, file: string, io: CliIo): Promise<void> {
  try {
    if (runId === null) throw new ApiFailure('INVALID_REQUEST', '--bundle: the run was not stored, so there is no bundle to write.');
    const written = await writeBundleFile(file, await c.call('runs.export', { ids: [runId] }));
    io.stderr(`Bundle of run ${runId} written to ${written}.\n`);
  } catch (e) {
    throw e instanceof ApiFailure ? new WorkFailed(e) : e;
  }
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

/**
 * The --json document of `bench`: a single suite prints its own shape at the top level
 * (`bench gemm` → { results, best, … }); `all` prints every part plus the roofline.
 */
function benchJson(full: BenchResult, runId: number | null, withEnergy: boolean): unknown {
  const { energy, energyEfficiency, ...result } = full;
  const energyPart = withEnergy && energy ? { energy: energyJson(energy, energyEfficiency) } : {};
  const common = { warnings: result.warnings, runId, ...energyPart };
  if (result.suite === 'all') return { ...result, ...common };
  const part = result[result.suite as Exclude<BenchSuite, 'all'>];
  return { ...(part as object), ...(result.roofline ? { roofline: result.roofline } : {}), ...common };
}

/** A file argument the command will stream: it must be a readable file (usage error, exit 2, otherwise). */
function checkReadable(file: string, what: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    if (!fs.statSync(file).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
