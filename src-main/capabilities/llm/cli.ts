/**
 * `flopscope llm SOURCE` (CLI, Node side): does a large language model fit here, at what context,
 * and how fast will it prefill and generate — predicted from the model's own numbers and this
 * machine's calibrated cost model, and with --measure, measured through llama.cpp beside it.
 * SOURCE is a .gguf, a .safetensors or model.safetensors.index.json (with config.json beside it),
 * a config.json, a well-known model (`flopscope llm --list`), or zoo:<size>:<quant> (a Llama-style
 * GGUF the backend writes, for --measure without a file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { LlmEstimateResult, LlmSource } from '../../../src-shared/api/llm.js';
import { LLM_ZOO_QUANTS, LLM_ZOO_SIZES } from '../../../src-shared/llm/types.js';
import { KV_DTYPES } from '../../../src-shared/llm/types.js';
import { positiveInt, UsageError, type CliContext } from '../../cli/kit.js';

/** SOURCE as the API takes it: a file that exists, zoo:<size>:<quant>, or a known model's id. */
export function llmSourceFromArg(arg: string): LlmSource {
  const zoo = /^zoo:([a-z]+):([A-Za-z0-9_]+)$/.exec(arg);
  if (zoo) {
    const [size, quant] = [zoo[1]!, zoo[2]!.toUpperCase()];
    if (!(LLM_ZOO_SIZES as readonly string[]).includes(size)) throw new UsageError(`SOURCE: zoo size "${size}" is not one of ${LLM_ZOO_SIZES.join(', ')}.`);
    if (!(LLM_ZOO_QUANTS as readonly string[]).includes(quant)) throw new UsageError(`SOURCE: zoo quant "${quant}" is not one of ${LLM_ZOO_QUANTS.join(', ')}.`);
    return { zoo: size as (typeof LLM_ZOO_SIZES)[number], quant: quant as (typeof LLM_ZOO_QUANTS)[number] };
  }
  if (fs.existsSync(arg)) return { file: path.resolve(arg) };
  if (/[\\/]|\.(gguf|safetensors|json)$/i.test(arg)) throw new UsageError(`SOURCE: ${arg} does not exist.`);
  return { known: arg };
}

interface LlmOpts {
  list?: boolean;
  quant?: string;
  context?: number;
  batch?: number;
  prompt?: number;
  gen?: number;
  kvDtype?: (typeof KV_DTYPES)[number];
  depth?: number;
  device: string[];
  measure?: boolean;
  depths?: string;
  threads?: number;
  gpu?: boolean;
  save: boolean;
}

function depthsOf(text: string): number[] {
  const depths = text.split(',').map((t) => {
    const m = /^\s*(\d+)\s*([kK]?)\s*$/.exec(t);
    if (!m) throw new UsageError(`--depths takes whole numbers separated by commas (0,4K,16K), got ${JSON.stringify(text)}.`);
    return Number(m[1]) * (m[2] ? 1024 : 1);
  });
  return depths;
}

export function register(program: Command, cli: CliContext): void {
  program
    .command('llm')
    .description('Does a large language model fit, at what context, and how fast does it prefill and decode here: parameters, memory, fit and predicted tokens/s (--measure: measured through llama.cpp); stores the run')
    .argument('[source]', 'a .gguf, .safetensors, model.safetensors.index.json or config.json file; a known model (see --list); or zoo:<tiny|small|medium|large>:<F16|Q8_0|Q4_0>')
    .option('--list', 'list the well-known models FLOPscope ships the config of')
    .option('--quant <type>', 'weight type for a config without stored tensors (e.g. Q4_K_M, Q8_0, F16; default Q4_K_M)')
    .addOption(new Option('--context <n>', 'context length the K/V cache is sized for (default 4096 or the model maximum)').argParser(positiveInt('--context')))
    .addOption(new Option('--batch <n>', 'sequences decoded together (default 1)').argParser(positiveInt('--batch')))
    .addOption(new Option('--prompt <n>', 'prompt tokens (prefill; default 512)').argParser(positiveInt('--prompt')))
    .addOption(new Option('--gen <n>', 'generated tokens (default 128)').argParser(positiveInt('--gen')))
    .addOption(new Option('--kv-dtype <t>', 'K/V cache type (default f16)').choices([...KV_DTYPES]))
    .addOption(new Option('--depth <n>', 'context depth decode is predicted at (default: the prompt length)').argParser(positiveInt('--depth')))
    .option('--device <name>', 'also fit against a catalog GPU, or apple:<GB> for unified memory (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--measure', 'measure prefill and decode through llama.cpp (a GGUF source) at --depths')
    .option('--depths <list>', 'with --measure: context depths, e.g. 0,4K,16K (default 0)')
    .addOption(new Option('--threads <n>', 'with --measure: llama.cpp threads').argParser(positiveInt('--threads')))
    .option('--gpu', 'with --measure: offload to this machine\'s GPU (CUDA/Vulkan/Metal build of llama.cpp)')
    .option('--no-save', 'do not store the result as a run')
    .option('--json', 'print one JSON document')
    .action(async (source: string | undefined, opts: LlmOpts) => {
      if (opts.list) {
        const models = await cli.client.call('llm.models', {});
        cli.emit(models, () => models.map((m) => `${m.id.padEnd(28)} ${m.name} — ${(m.params / 1e9).toFixed(2)} B params${m.activeParams !== m.params ? ` (${(m.activeParams / 1e9).toFixed(2)} B active)` : ''}, ${m.architecture}, context ${m.contextMax}`).join('\n') + '\n');
        return;
      }
      if (!source) throw new UsageError('llm: give a SOURCE (a .gguf, .safetensors, index or config.json file, a known model, or zoo:<size>:<quant>), or --list.');
      const settings = {
        ...(opts.quant ? { quant: opts.quant } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        ...(opts.batch ? { batch: opts.batch } : {}),
        ...(opts.prompt ? { prompt: opts.prompt } : {}),
        ...(opts.gen ? { gen: opts.gen } : {}),
        ...(opts.kvDtype ? { kvDtype: opts.kvDtype } : {}),
        ...(opts.depth ? { depth: opts.depth } : {}),
      };
      const request = { source: llmSourceFromArg(source), settings, devices: opts.device };
      const { formatLlmEstimate } = await import('../../../src-shared/llm/format.js');
      let result: LlmEstimateResult;
      if (opts.measure) {
        const { runJob } = await import('../../cli/follow-job.js');
        const job = await cli.client.call('llm.measure', { ...request, depths: opts.depths ? depthsOf(opts.depths) : [0], ...(opts.threads ? { threads: opts.threads } : {}), gpu: Boolean(opts.gpu) });
        const end = await runJob(cli, job.id);
        result = { ...(end.result as LlmEstimateResult), runId: end.runId };
      } else {
        result = await cli.client.call('llm.estimate', { ...request, store: opts.save });
      }
      cli.emit(result, () => formatLlmEstimate(result) + (result.runId ? `\nStored as run ${result.runId}.\n` : ''));
    });
}
