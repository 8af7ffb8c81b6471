/**
 * LLM speed as FLOPscope measures it through llama.cpp (src-main/services/llm/llama-measure.ts:
 * llama-bench's pp<prompt> / tg<gen> at -d depths, node-llama-cpp's prebuilt binaries) for
 * random-weight Llama GGUFs written with the GGUF writer at two sizes × Q8_0 / Q4_0, printed as
 * llama-bench prints its table (tokens/s per test), with the host line.
 *
 *   npx tsx bench/llm-vs-llama-bench.ts [--sizes small,medium] [--quants Q8_0,Q4_0]
 *                                       [--depths 0,4096] [--prompt 512] [--gen 128]
 *                                       [--threads N] [--reps 2] [--gpu]
 *
 * The peer, llama.cpp's own llama-bench binary, is not shipped by node-llama-cpp (its npm packages
 * carry the Node addon and ggml libraries only), so it is not run here: where a llama.cpp build
 * exists, run `llama-bench -m <the printed file> -p <prompt> -n <gen> -d <depths> -t <threads>`
 * beside this script (--keep keeps the files) and compare the t/s columns. The GGUFs go into
 * os.tmpdir() and are deleted afterwards unless --keep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JobContext } from '../src-main/core/jobs.js';
import { writeLlamaGguf, type GgufWriterQuant, type LlamaGgufOptions } from '../src-main/services/llm/gguf-writer.js';
import { measureLlama } from '../src-main/services/llm/llama-measure.js';
import { f1, loadAverage, waitForQuiet } from './common.js';

/** Llama-style shapes (GQA, SwiGLU FFN, 32k vocab): ~100 M and ~500 M parameters. */
const SIZES: Record<string, Omit<LlamaGgufOptions, 'quant'>> = {
  small: { layers: 8, hidden: 768, heads: 12, kvHeads: 4, ffn: 2048, vocab: 32000, context: 32768 },
  medium: { layers: 16, hidden: 1536, heads: 12, kvHeads: 4, ffn: 4096, vocab: 32000, context: 32768 },
};

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'small,medium' },
    quants: { type: 'string', default: 'Q8_0,Q4_0' },
    depths: { type: 'string', default: '0,4096' },
    prompt: { type: 'string', default: '512' },
    gen: { type: 'string', default: '128' },
    threads: { type: 'string' },
    reps: { type: 'string', default: '2' },
    gpu: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function consoleJob(label: string): JobContext {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  return {
    signal: ac.signal,
    jobId: label,
    progress: (phase) => process.stderr.write(`  ${label}: ${phase}\n`),
    log: (message, level) => {
      if (level === 'warn') process.stderr.write(`  warn: ${message}\n`);
    },
    power: () => {},
    throwIfCancelled: () => {
      if (ac.signal.aborted) throw new Error('cancelled');
    },
  };
}

function params(s: Omit<LlamaGgufOptions, 'quant'>): number {
  const head = s.hidden / s.heads;
  const perLayer = 2 * s.hidden * s.hidden + 2 * s.hidden * s.kvHeads * head + 3 * s.hidden * s.ffn;
  return s.layers * perLayer + 2 * s.vocab * s.hidden;
}

async function main(): Promise<void> {
  const prompt = Number(values.prompt);
  const gen = Number(values.gen);
  const depths = list(values.depths).map(Number);
  console.log(loadAverage());
  console.log("llama.cpp's llama-bench binary is not shipped by node-llama-cpp: no peer column (see the header).");
  console.log('| model | quant | params | file MiB | backend | threads | test | t/s | TTFT ms | load ms | peak RSS MiB |');
  console.log('| --- | --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-llm-bench-'));
  try {
    for (const size of list(values.sizes)) {
      const shape = SIZES[size];
      if (!shape) throw new Error(`unknown size ${size} (${Object.keys(SIZES).join(', ')})`);
      for (const quant of list(values.quants) as GgufWriterQuant[]) {
        const file = path.join(dir, `${size}-${quant}.gguf`);
        const { bytes } = await writeLlamaGguf(file, { ...shape, quant, seed: 1 });
        const busy = await waitForQuiet(60);
        if (busy !== null && busy >= 0.1) process.stderr.write(`  warn: CPU ${(busy * 100).toFixed(0)} % busy before ${size} ${quant}\n`);
        const r = await measureLlama(
          { modelPath: file, depths, prompt, gen, gpu: values.gpu, repetitions: Number(values.reps), ...(values.threads ? { threads: Number(values.threads) } : {}) },
          consoleJob(`${size} ${quant}`),
        );
        const head = `| ${size} | ${quant} | ${(params(shape) / 1e6).toFixed(0)} M | ${f1(bytes / 2 ** 20)} | ${r.backend} ${r.llamaCppVersion ?? ''} | ${r.threads}`;
        const tail = `${f1(r.loadMs)} | ${f1(r.peakRssBytes / 2 ** 20)} |`;
        for (const p of r.points) {
          console.log(`${head} | pp${prompt} @ d${p.depth} | ${f1(p.prefillTokensPerSecond)} | ${f1(p.ttftMs)} | ${tail}`);
          console.log(`${head} | tg${gen} @ d${p.depth} | ${f1(p.decodeTokensPerSecond)} | | ${tail}`);
        }
        for (const w of r.warnings) console.log(`  warning (${size} ${quant}): ${w}`);
        if (values.keep) console.log(`  kept ${file}`);
        else fs.rmSync(file, { force: true });
      }
    }
  } finally {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(loadAverage());
}

await main();
