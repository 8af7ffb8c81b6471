/**
 * llama.cpp's own rates on this machine (Node side), for predictions of models not yet measured.
 *
 * The benchmark suite measures ONNX Runtime's kernels; llama.cpp's are others. On the Zen 5 VM of
 * bench/hosts.md one thread of llama.cpp decoded Q8_0 weights at ~30 GFLOP/s and Q4_0 at ~35–50
 * (its dequantising dot kernels), where ONNX Runtime's fp32 GEMM ran ~180 and one thread read
 * memory at 34 GB/s: decode was bound by those kernels, not by bandwidth. So the first measured
 * CPU run on a machine (per thread count) also times llama.cpp on synthetic GGUFs in the same
 * worker, with the same threads:
 * - `step`: 1 layer of width 64, vocabulary 320 (products of ~0.1 MFLOP): its decode step is
 *   llama.cpp's fixed work per token (graph, sampling, the JavaScript loop);
 * - `dot`, per weight type (Q8_0, Q4_0): 4 layers of width 1024, FFN 2816, vocabulary 1024
 *   (46 M weights): its weight products' GFLOP/s decoding (the step's cost taken off) and
 *   prefilling a 64-token prompt in one batch.
 * Shapes no zoo model has, so the zoo models the bench scripts report are never fitted on. The
 * result is stored with that run (`measured.calibration`); predictions read the newest one of this
 * machine at the thread count they predict for.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LlamaCalibration } from '../../../src-shared/api/llm.js';
import { implausibleValues } from '../../../src-shared/runs/plausibility.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';
import { writeLlamaGguf, type GgufWriterQuant, type LlamaGgufOptions } from './gguf-writer.js';
import type { LlamaCalibrationModel, LlamaCalibrationTiming } from './llama-measure.js';

export const CALIBRATION_QUANTS: readonly GgufWriterQuant[] = ['Q8_0', 'Q4_0'];

const STEP_SHAPE: Omit<LlamaGgufOptions, 'quant'> = { layers: 1, hidden: 64, heads: 2, kvHeads: 1, ffn: 128, vocab: 320, context: 512 };
/** Large enough that its weight products, not llama.cpp's fixed work per token, take most of a decode step (~46 M weights). */
const DOT_SHAPE: Omit<LlamaGgufOptions, 'quant'> = { layers: 4, hidden: 1024, heads: 16, kvHeads: 4, ffn: 2816, vocab: 1024, context: 512 };

/** Weight-product FLOPs per token of a Llama shape: Q, K, V, O and the gated FFN per layer, and the head (2 per weight). */
export function llamaProductFlops(o: Omit<LlamaGgufOptions, 'quant'>): number {
  const kv = o.kvHeads * (o.hidden / o.heads);
  const perLayer = 2 * o.hidden * o.hidden + 2 * o.hidden * kv + 3 * o.hidden * o.ffn;
  return 2 * (o.layers * perLayer + o.vocab * o.hidden);
}

/** Writes (once, in the temp zoo folder) the calibration GGUFs for `quants`. */
export async function calibrationModels(quants: readonly GgufWriterQuant[] = CALIBRATION_QUANTS): Promise<LlamaCalibrationModel[]> {
  const dir = path.join(os.tmpdir(), 'flopscope-llm-zoo');
  fs.mkdirSync(dir, { recursive: true });
  const write = async (name: string, opts: LlamaGgufOptions): Promise<string> => {
    const file = path.join(dir, `${name}.gguf`);
    if (fs.existsSync(file)) return file;
    const tmp = `${file}.${process.pid}.tmp`;
    await writeLlamaGguf(tmp, opts);
    fs.renameSync(tmp, file);
    return file;
  };
  const model = async (role: 'step' | 'dot', shape: Omit<LlamaGgufOptions, 'quant'>, quant: GgufWriterQuant): Promise<LlamaCalibrationModel> => ({
    path: await write(`calibration-${role}-${shape.layers}x${shape.hidden}-${quant}`, { ...shape, quant, seed: 3, name: `FLOPscope llama.cpp calibration ${role} ${quant}` }),
    role,
    quant,
    flopsPerToken: llamaProductFlops(shape),
  });
  const out: LlamaCalibrationModel[] = [];
  for (const quant of quants) out.push(await model('dot', DOT_SHAPE, quant));
  // The step GGUF last: the first GGUF a worker times ran up to 2× slow in its first runs on the Zen 5 VM.
  out.push(await model('step', STEP_SHAPE, 'Q8_0'));
  return out;
}

/**
 * The rates from the worker's timings (null without the step timing): the step GGUF's decode step
 * is llama.cpp's fixed cost per token; a dot GGUF's weight products run, decoding, at its FLOPs
 * over its decode step less that cost (at least half its step, so noise cannot make them
 * arbitrarily fast) and, prefilling, at its FLOPs over its time per prompt token.
 */
export function calibrationFrom(timings: readonly LlamaCalibrationTiming[], backend: string, threads: number): LlamaCalibration | null {
  const step = timings.find((t) => t.role === 'step' && t.decodeMsPerToken > 0);
  if (!step) return null;
  const quants = timings
    .filter((t) => t.role === 'dot' && t.decodeMsPerToken > 0)
    .map((t) => ({
      quant: t.quant,
      decodeGflops: t.flopsPerToken / (Math.max(t.decodeMsPerToken - step.decodeMsPerToken, t.decodeMsPerToken / 2) / 1e3) / 1e9,
      ...(t.prefillMsPerToken && t.prefillMsPerToken > 0 ? { prefillGflops: t.flopsPerToken / (t.prefillMsPerToken / 1e3) / 1e9 } : {}),
    }));
  return { backend, threads, stepMs: step.decodeMsPerToken, quants };
}

/** The newest plausible llama.cpp calibration stored on this machine for `threads` CPU threads (a damaged or hand-edited one is passed over); null when there is none. */
export function storedLlamaCalibration(runs: RunsRepo, machineId: string, threads: number): LlamaCalibration | null {
  for (const { parts } of runs.resultParts('llm', machineId, ['$.measured.calibration'], 200)) {
    const c = parts[0] as LlamaCalibration | null;
    if (!c || c.backend !== 'cpu' || c.threads !== threads || typeof c.stepMs !== 'number' || !Array.isArray(c.quants)) continue;
    if (implausibleValues('llm', { measured: { calibration: c } }).length === 0) return c;
  }
  return null;
}
