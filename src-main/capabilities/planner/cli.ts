/** `flopscope plan` and `flopscope fit` (CLI, Node side): compute-optimal sizes for a budget, and fitting your own scaling law. */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { BudgetRequest, PlanRequest } from '../../../src-shared/api/planner.js';
import { DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE, GRID_SOURCE_SHORT } from '../../../src-shared/planner/energy.js';
import { BUILTIN_FIT_IDS } from '../../../src-shared/planner/types.js';
import { positiveInt, quantity, readText, UsageError, type CliContext } from '../../cli/kit.js';

export function register(program: Command, cli: CliContext): void {
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
      const c = cli.client;
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
      const { formatFitInfo, formatPlan } = await import('../../../src-shared/planner/format.js');
      const { plan, runId } = opts.save ? await c.call('plan.save', request) : { plan: await c.call('plan.compute', request), runId: null };
      cli.emit({ ...plan, runId }, () => (fitted ? formatFitInfo(fitted) + '\n' : '') + formatPlan(plan) + (runId ? `\nStored as run ${runId}.\n` : ''));
    });

  program
    .command('fit')
    .description('Fit L(N, D) = E + A/N^α + B/D^β to a CSV of your runs (columns params, tokens, loss[, flops]); stores the fit for plan --fit custom:<id>')
    .argument('<runs.csv>', 'CSV with a header row')
    .option('--name <name>', 'a name for the fit (default: the file name)')
    .addOption(new Option('--bootstrap <n>', 'bootstrap resamples for the confidence intervals (default 200)').argParser((v: string) => (v === '0' ? 0 : positiveInt('--bootstrap')(v))))
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { name?: string; bootstrap?: number }) => {
      const { formatFitInfo } = await import('../../../src-shared/planner/format.js');
      const info = await cli.client.call('fits.create', { name: opts.name ?? path.basename(file), csv: readText(file, '<runs.csv>'), ...(opts.bootstrap !== undefined ? { bootstrap: opts.bootstrap } : {}) });
      cli.emit(info, () => formatFitInfo(info) + `\nStored as run ${info.runId}; plan with it: flopscope plan --fit ${info.id} --compute 1e21\n`);
    });
}
