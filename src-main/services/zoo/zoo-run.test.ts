// Every zoo model loads in onnxruntime-node and runs on random input at a small size, with the
// expected output shapes and finite values. CNNs also load at their default 224×224 size; the
// 350–500 MB transformers run reduced (their full-size parameter counts are checked in
// zoo.test.ts and against the profiler in zoo-profile.test.ts).
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { TensorDataType } from '../onnx/onnx-schema.js';
import { buildZooModel, type ZooOptionValues } from './zoo.js';

const SMALL_TEXT = { layers: 2, d_model: 64, heads: 4, vocab: 1000, positions: 64, sequence: 16 };

const CASES: Array<{ name: string; options: ZooOptionValues; bind: Record<string, number>; outputs: Record<string, number[]> }> = [
  { name: 'mlp', options: {}, bind: { batch: 2 }, outputs: { logits: [2, 10] } },
  { name: 'resnet18', options: { resolution: 64 }, bind: { batch: 1 }, outputs: { logits: [1, 1000] } },
  { name: 'resnet50', options: { resolution: 64 }, bind: { batch: 1 }, outputs: { logits: [1, 1000] } },
  { name: 'mobilenet-v1', options: { resolution: 96, alpha: 0.5 }, bind: { batch: 1 }, outputs: { logits: [1, 1000] } },
  { name: 'mobilenet-v2', options: { resolution: 96 }, bind: { batch: 1 }, outputs: { logits: [1, 1000] } },
  { name: 'squeezenet1.1', options: { resolution: 64 }, bind: { batch: 1 }, outputs: { logits: [1, 1000] } },
  { name: 'efficientnet-b0', options: { resolution: 64, classes: 10 }, bind: { batch: 2 }, outputs: { logits: [2, 10] } },
  { name: 'vit-b16', options: { resolution: 32, depth: 2 }, bind: { batch: 1 }, outputs: { logits: [1, 1000] } },
  { name: 'vit-b16', options: { resolution: 64, patch: 8, depth: 1, width: 96, heads: 3, mlp: 384 }, bind: { batch: 2 }, outputs: { logits: [2, 1000] } },
  { name: 'gpt2', options: SMALL_TEXT, bind: { batch: 1, sequence: 8 }, outputs: { logits: [1, 8, 1000] } },
  { name: 'gpt2', options: { ...SMALL_TEXT, lm_head: 'separate' }, bind: { batch: 2, sequence: 5 }, outputs: { logits: [2, 5, 1000] } },
  { name: 'bert-base', options: SMALL_TEXT, bind: { batch: 2, sequence: 8 }, outputs: { last_hidden_state: [2, 8, 64], pooler_output: [2, 64] } },
  { name: 'moe-transformer', options: { ...SMALL_TEXT, ffn: 128 }, bind: { batch: 1, sequence: 8 }, outputs: { logits: [1, 8, 1000] } },
];

/** A seeded LCG so the inputs (and so any failure) are reproducible. */
function randomFloats(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = s / 2 ** 31 - 1; }
  return out;
}

function feeds(model: ReturnType<typeof buildZooModel>, bind: Record<string, number>): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const input of model.inputs) {
    const shape = input.shape.map((d) => (typeof d === 'number' ? d : bind[d]!));
    const n = shape.reduce((a, b) => a * b, 1);
    if (input.elemType === TensorDataType.INT64) {
      // Token ids below the reduced vocab; BERT's token types 0/1 and an all-ones attention mask.
      const value = (i: number) => input.name === 'attention_mask' ? 1n : input.name === 'token_type_ids' ? BigInt(i % 2) : BigInt((i * 37) % 1000);
      out[input.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => value(i)), shape);
    } else {
      out[input.name] = new ort.Tensor('float32', randomFloats(n), shape);
    }
  }
  return out;
}

describe('zoo models run in onnxruntime-node', () => {
  it.each(CASES)('$name $options', async ({ name, options, bind, outputs }) => {
    const model = buildZooModel(name, options);
    const session = await ort.InferenceSession.create(model.bytes, { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' });
    try {
      expect([...session.inputNames].sort()).toEqual(model.inputs.map((i) => i.name).sort());
      const result = await session.run(feeds(model, bind));
      expect(Object.keys(result).sort()).toEqual(Object.keys(outputs).sort());
      for (const [key, dims] of Object.entries(outputs)) {
        const t = result[key]!;
        expect(t.dims).toEqual(dims);
        const data = t.data as Float32Array;
        expect(data.every(Number.isFinite)).toBe(true);
        expect(data.some((v) => v !== 0)).toBe(true);
      }
    } finally {
      await session.release();
    }
  });

  it('ViT and ResNet outputs depend on the input (weights are wired, not degenerate)', async () => {
    const model = buildZooModel('vit-b16', { resolution: 32, depth: 1 });
    const session = await ort.InferenceSession.create(model.bytes);
    try {
      const a = (await session.run(feeds(model, { batch: 1 }))).logits!.data as Float32Array;
      const input = new ort.Tensor('float32', randomFloats(3 * 32 * 32, 99), [1, 3, 32, 32]);
      const b = (await session.run({ input })).logits!.data as Float32Array;
      expect(a.some((v, i) => Math.abs(v - b[i]!) > 1e-4)).toBe(true);
    } finally {
      await session.release();
    }
  });

  it('gpt2 is causal: logits at position t do not depend on tokens after t', async () => {
    const model = buildZooModel('gpt2', SMALL_TEXT);
    const session = await ort.InferenceSession.create(model.bytes);
    try {
      const run = async (ids: number[]) => (await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) })).logits!.data as Float32Array;
      const a = await run([5, 6, 7, 8]);
      const b = await run([5, 6, 7, 900]);
      const v = 1000;
      for (let i = 0; i < 3 * v; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
      expect(a.slice(3 * v).some((x, i) => Math.abs(x - b[3 * v + i]!) > 1e-5)).toBe(true);
    } finally {
      await session.release();
    }
  });

  it.each(['resnet18', 'resnet50', 'mobilenet-v1', 'mobilenet-v2', 'squeezenet1.1', 'efficientnet-b0'])('%s loads and runs at its default 224×224', async (name) => {
    const model = buildZooModel(name);
    const session = await ort.InferenceSession.create(model.bytes, { intraOpNumThreads: 2 });
    try {
      const result = await session.run(feeds(model, { batch: 1 }));
      expect(result.logits!.dims).toEqual([1, 1000]);
      expect((result.logits!.data as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      await session.release();
    }
  });
});
