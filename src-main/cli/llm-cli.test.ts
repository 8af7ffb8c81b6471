/**
 * `flopscope llm` as a user runs it (bin/flopscope.js, real SQLite file, real GGUF): the JSON
 * document the issue asks for, the well-known list, GGUF and config.json sources, bad input named.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';
import { writeLlamaGguf } from '../services/llm/gguf-writer.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', path.join(tempDir(), 'llm.db'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flopscope llm', () => {
  it('prints one JSON document with model, memory, prefill, decode and fits', () => {
    const r = cli(['llm', 'qwen2.5-7b', '--quant', 'Q4_0', '--context', '32768', '--kv-dtype', 'q8_0', '--device', 'NVIDIA GeForce RTX 4090', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.model).toMatchObject({ architecture: 'qwen2', params: 7_615_616_512, activeParams: 7_615_616_512, layers: 28, hiddenSize: 3584, heads: 28, kvHeads: 4, headDim: 128, vocab: 152_064, quant: 'Q4_0' });
    // K/V at q8_0: 2 · 28 layers · 4 heads · 128 · 32768 tokens · 34/32 bytes.
    expect(doc.memory.kvCacheBytes).toBe(2 * 28 * 4 * 128 * 32768 * (34 / 32));
    expect(doc.memory.totalBytes).toBe(doc.memory.weightsBytes + doc.memory.kvCacheBytes + doc.memory.computeBytes + doc.memory.overheadBytes);
    expect(doc.prefill).toMatchObject({ tokens: 512 });
    expect(doc.prefill.predictedTokensPerSecond).toBeGreaterThan(0);
    expect(doc.decode.bytesPerToken).toBeGreaterThan(doc.memory.weightsBytes * 0.5);
    expect(doc.fits.map((f: { device: string }) => f.device)).toContain('NVIDIA GeForce RTX 4090');
    expect(doc.runId).toBeGreaterThan(0);
  });

  it('lists the well-known models, and reads a GGUF and a config.json', async () => {
    const list = JSON.parse(cli(['llm', '--list', '--json']).stdout) as Array<{ id: string; params: number }>;
    expect(list.find((m) => m.id === 'gemma-2-9b')?.params).toBe(9_241_705_984);
    const dir = tempDir();
    const gguf = path.join(dir, 'm.gguf');
    await writeLlamaGguf(gguf, { layers: 2, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 512, context: 1024, quant: 'Q4_0' });
    const g = JSON.parse(cli(['llm', gguf, '--json', '--no-save']).stdout);
    expect(g.model).toMatchObject({ sourceKind: 'gguf', quant: 'Q4_0', layers: 2 });
    expect(g.runId).toBeNull();
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ model_type: 'mistral', hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 8, num_key_value_heads: 2, vocab_size: 1000, max_position_embeddings: 8192, sliding_window: 1024 }));
    const c = JSON.parse(cli(['llm', config, '--context', '8192', '--json']).stdout);
    // Sliding-window layers keep 1024 tokens: 2 · 2 layers · 2 heads · 32 · 1024 · 2 B.
    expect(c.memory.kvCacheBytes).toBe(2 * 2 * 2 * 32 * 1024 * 2);
  });

  it('names bad input: no source, a missing file, a context over the maximum, a broken config', () => {
    expect(cli(['llm']).code).toBe(2);
    const missing = cli(['llm', '/nonexistent/model.gguf']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    const over = cli(['llm', 'gpt2', '--context', '4096']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/settings\.context: 4096 tokens is over .*1024/);
    const bad = path.join(tempDir(), 'config.json');
    fs.writeFileSync(bad, '{ "model_type": "llama", }');
    const broken = cli(['llm', bad]);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/config\.json.*line 1, column \d+/);
  });
});
