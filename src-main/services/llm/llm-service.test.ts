/**
 * The LLM capability through the API (in-process door, real SQLite file, real GGUF / safetensors
 * files, real llama.cpp): estimates from a known model, a GGUF, a safetensors file with its
 * config.json and a pasted config; fit against catalog GPUs and unified memory; the context
 * checked against the model; the file door closed to pages; a measured run of a zoo GGUF stored
 * as an 'llm' run with the prediction beside the measurement.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, createInProcessClient, type Backend } from '../../core/backend.js';
import type { LlmEstimateResult } from '../../../src-shared/api/llm.js';
import type { JobEvent } from '../../../src-shared/api/types.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { writeLlamaGguf } from './gguf-writer.js';

let backend: Backend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});

function open() {
  backend = createBackend({ dbPath: path.join(tempDir(), 'llm.db'), host: 'cli', detect: async () => sampleReport() });
  return { b: backend, client: createInProcessClient(backend) };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

function finish(client: ReturnType<typeof createInProcessClient>, jobId: string): Promise<Extract<JobEvent, { type: 'result' | 'error' | 'cancelled' }>> {
  return new Promise((resolve) => {
    client.subscribe(jobId, (e) => {
      if (e.type === 'result' || e.type === 'error' || e.type === 'cancelled') resolve(e);
    });
  });
}

describe('llm API', () => {
  it('estimates a known model: exact parameters, K/V cache by rule, memory parts labelled, fit against devices, predicted speed', async () => {
    const { b, client } = open();
    const models = await client.call('llm.models', {});
    expect(models.find((m) => m.id === 'meta-llama-3-8b')).toMatchObject({ params: 8_030_261_248, architecture: 'llama' });
    const mixtral = models.find((m) => m.id === 'mixtral-8x7b-v0.1')!;
    expect([mixtral.params, mixtral.activeParams]).toEqual([46_702_792_704, 12_879_925_248]);

    const r = await client.call('llm.estimate', { source: { known: 'meta-llama-3-8b' }, settings: { quant: 'F16', context: 8192, batch: 1, prompt: 512, gen: 128, kvDtype: 'f16' }, devices: ['NVIDIA GeForce RTX 3060 (12GB)', 'apple:8'], store: true });
    // 2 · 32 layers · 8 K/V heads · 128 · 8192 tokens · 2 B = 1 GiB.
    expect(r.memory.kvCacheBytes).toBe(2 ** 30);
    expect(r.memory.parts.kvCache.kind).toBe('exact');
    // F16 stores every 2-d tensor at F16: exact; a mixed file type (Q4_K_M) is an estimate.
    expect(r.memory.parts.weights.kind).toBe('exact');
    const mixed = await client.call('llm.estimate', { source: { known: 'meta-llama-3-8b' } });
    expect(mixed.memory.parts.weights.kind).toBe('estimated');
    expect(mixed.settings.context).toBe(4096);
    expect(r.memory.totalBytes).toBe(r.memory.weightsBytes + r.memory.kvCacheBytes + r.memory.computeBytes + r.memory.overheadBytes);
    expect(r.fits.map((f) => f.device)).toEqual(["this machine's RAM", 'NVIDIA GeForce RTX 3060 (12GB)', 'Apple unified memory 8 GB']);
    const gpu = r.fits[1]!;
    // 8 B at F16 (~15 GiB) + 1 GiB K/V does not fit 12 GB; a split says how many layers do.
    expect(gpu.fits).toBe(false);
    expect(gpu.gpuLayers).toBeGreaterThan(0);
    expect(gpu.gpuLayers).toBeLessThan(33);
    expect(gpu.splitDecodeTokensPerSecond).toBeGreaterThan(0);
    expect(r.fits[2]!.fits).toBe(false);
    expect(r.fits[2]!.maxContext).toBe(0);
    expect(r.prefill.predictedTokensPerSecond).toBeGreaterThan(0);
    expect(r.decode.predictedTokensPerSecond).toBeGreaterThan(0);
    // Decode reads the weights and the K/V cache per token: slower deeper.
    expect(r.decodeCurve.at(-1)!.tokensPerSecond).toBeLessThan(r.decodeCurve[0]!.tokensPerSecond);
    expect(r.device.measured).toBe(false);
    expect(b.runs().get(r.runId!)?.kind).toBe('llm');
  });

  it('reads a GGUF (header only) and a safetensors file with its config.json; weights as stored are exact', async () => {
    const { client } = open();
    const dir = tempDir();
    const gguf = path.join(dir, 'tiny.gguf');
    await writeLlamaGguf(gguf, { layers: 2, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 512, context: 1024, quant: 'Q8_0' });
    const g = await client.call('llm.estimate', { source: { file: gguf } });
    expect(g.model).toMatchObject({ sourceKind: 'gguf', layers: 2, hiddenSize: 64, heads: 4, kvHeads: 2, vocab: 512, contextMax: 1024, quant: 'Q8_0' });
    expect(g.memory.parts.weights.kind).toBe('exact');
    expect(g.memory.weightsBytes).toBeLessThan(fs.statSync(gguf).size);

    // A safetensors file of GPT-2's shapes is not needed: a two-tensor file with a config beside it checks the path.
    const st = path.join(dir, 'model.safetensors');
    const header = JSON.stringify({ 'model.embed_tokens.weight': { dtype: 'BF16', shape: [512, 64], data_offsets: [0, 512 * 64 * 2] } });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    fs.writeFileSync(st, Buffer.concat([len, Buffer.from(header), Buffer.alloc(512 * 64 * 2)]));
    const config = { model_type: 'llama', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 512, max_position_embeddings: 2048, tie_word_embeddings: true };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const s = await client.call('llm.estimate', { source: { file: st } });
    expect(s.model).toMatchObject({ sourceKind: 'safetensors', quant: 'BF16', contextMax: 2048 });
    expect(s.memory.weightsBytes).toBe(512 * 64 * 2);
    const pasted = await client.call('llm.estimate', { source: { config, name: 'my model' } });
    expect(pasted.model.name).toBe('my model');
    expect(pasted.model.params).toBe(s.model.params);
  });

  it('refuses a context over the model maximum, an unknown device or model, and a file named by a page', async () => {
    const { b, client } = open();
    const over = await failure(client.call('llm.estimate', { source: { known: 'gpt2' }, settings: { quant: 'F16', context: 4096, batch: 1, prompt: 512, gen: 128, kvDtype: 'f16' } }));
    expect(over.message).toMatch(/^settings\.context: 4096 tokens is over .*maximum context of 1024/);
    expect((await failure(client.call('llm.estimate', { source: { known: 'gpt2' }, devices: ['Quantum Potato'] }))).message).toMatch(/devices: unknown device "Quantum Potato"/);
    expect((await failure(client.call('llm.estimate', { source: { known: 'llama-9000' } }))).message).toMatch(/unknown model "llama-9000" \(known: .*meta-llama-3-8b/);
    const env = await b.dispatch('llm.estimate', { source: { file: '/etc/passwd' } }, 'http');
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('measures a zoo GGUF through llama.cpp and stores it with the prediction beside each depth', { timeout: 120_000 }, async () => {
    const { b, client } = open();
    const job = await client.call('llm.measure', { source: { zoo: 'tiny', quant: 'Q8_0' }, settings: { quant: 'Q8_0', batch: 1, prompt: 64, gen: 16, kvDtype: 'f16' }, depths: [0, 256] });
    const end = await finish(client, job.id);
    expect(end.type, JSON.stringify(end)).toBe('result');
    if (end.type !== 'result') return;
    const r = end.result as LlmEstimateResult;
    expect(r.measured!.points.map((p) => p.depth)).toEqual([0, 256]);
    for (const p of r.measured!.points) {
      expect(p.prefillTokensPerSecond).toBeGreaterThan(0);
      expect(p.decodeTokensPerSecond).toBeGreaterThan(0);
      expect(p.predictedDecodeTokensPerSecond).toBeGreaterThan(0);
      expect(p.predictedPrefillTokensPerSecond).toBeGreaterThan(0);
    }
    expect(r.decode.measuredTokensPerSecond).toBe(r.measured!.points[0]!.decodeTokensPerSecond);
    expect(b.runs().get(end.runId!)?.kind).toBe('llm');
    // The machine's first CPU run also timed llama.cpp on the calibration GGUFs; the next estimate decodes at those rates.
    const cal = r.measured!.calibration!;
    expect(cal).toMatchObject({ backend: 'cpu', threads: r.measured!.threads });
    expect(cal.quants.map((q) => q.quant)).toEqual(['Q8_0', 'Q4_0']);
    const next = await client.call('llm.estimate', { source: { zoo: 'small', quant: 'Q8_0' } });
    expect(next.device.basis).toContain(`Q8_0 weight products at ${cal.quants[0]!.decodeGflops.toFixed(1)} GFLOP/s`);
    // A config alone cannot be measured.
    expect((await failure(client.call('llm.measure', { source: { known: 'gpt2' } }))).message).toMatch(/not a GGUF/);
  });
});
