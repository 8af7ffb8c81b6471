/** `flopscope attention` (CLI, Node side): attention variants compared over sequence lengths; `--measure` runs a job. */
import { Option, type Command } from 'commander';
import type { AttentionSweepResult } from '../../../src-shared/api/attention.js';
import { parseFlag, positiveInt, type CliContext } from '../../cli/kit.js';

export function register(program: Command, cli: CliContext): void {
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
      const [{ formatAttentionSweep }, { seqsTextSchema }] = await Promise.all([import('../../../src-shared/attention/format.js'), import('../../../src-shared/api/attention.js')]);
      // The API's own parser of seq text (the request's seqs field takes the same text): typed lengths, or a usage error naming --seq.
      const seqs = parseFlag(seqsTextSchema, '--seq', opts.seq);
      const c = cli.client;
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
        const { runJob } = await import('../../cli/follow-job.js');
        const job = await c.call('attention.measure', request);
        const end = await runJob(cli, job.id);
        result = { ...(end.result as AttentionSweepResult), runId: end.runId };
      } else {
        result = await c.call('attention.sweep', { ...request, store: opts.save });
      }
      cli.emit(result, () => formatAttentionSweep(result) + (result.runId ? `\nStored as run ${result.runId}.\n` : ''));
    });
}
