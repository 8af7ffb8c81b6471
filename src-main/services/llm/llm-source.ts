/**
 * Where an LLM estimate's model comes from (Node side): a GGUF (its header: metadata and tensor
 * infos, never the weights), a .safetensors or sharded index with the config.json beside it, a
 * config.json, a pasted config, a well-known model whose config.json FLOPscope ships
 * (resources/llm-models, bundled), or a zoo GGUF the backend writes for a measured run. Each
 * becomes an LlmSpec (src-shared/llm/spec.ts) and, where the file stores the weights, their exact
 * bytes. Uploads are recognised by their first bytes, not by their name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LlmSource, LlmZooSize } from '../../../src-shared/api/llm.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { FILE_TYPES_LIST } from '../../../src-shared/llm/quant.js';
import { specFromGgufMetadata, specFromHfConfig } from '../../../src-shared/llm/spec.js';
import type { LlmSpec } from '../../../src-shared/llm/types.js';
import type { Uploads } from '../../core/uploads.js';
import { writeLlamaGguf, type LlamaGgufOptions } from './gguf-writer.js';
import { findConfigBeside, readHfConfig } from './read-config.js';
import { readGgufHeader } from './read-gguf.js';
import { readSafetensors } from './read-safetensors.js';
import { KNOWN_MODELS } from './known-models.js';

export interface ResolvedLlm {
  spec: LlmSpec;
  /** The stored weights' exact bytes and type, when the source stores them (GGUF, safetensors). */
  weights: { bytes: number; basis: string; quant: string } | null;
  sourceKind: 'gguf' | 'safetensors' | 'config' | 'known' | 'zoo';
  source: string;
  /** The GGUF llama.cpp can run, when the source is one. */
  ggufPath: string | null;
  warnings: string[];
}

/** The zoo's Llama-style decoders (random weights) for measured runs: ~1 MB, ~25 M, ~150 M and ~1.1 B parameters. */
export const LLM_ZOO: Readonly<Record<LlmZooSize, Omit<LlamaGgufOptions, 'quant'>>> = {
  tiny: { layers: 2, hidden: 128, heads: 4, kvHeads: 2, ffn: 352, vocab: 512, context: 4096 },
  small: { layers: 8, hidden: 512, heads: 8, kvHeads: 4, ffn: 1408, vocab: 4096, context: 16384 },
  medium: { layers: 16, hidden: 1024, heads: 16, kvHeads: 4, ffn: 2816, vocab: 8192, context: 32768 },
  large: { layers: 22, hidden: 2048, heads: 32, kvHeads: 4, ffn: 5632, vocab: 16384, context: 32768 },
};

/** The folder zoo GGUFs are written to once and reused (same options, same bytes). */
function zooDir(): string {
  return path.join(os.tmpdir(), 'flopscope-llm-zoo');
}

async function zooGguf(size: LlmZooSize, quant: 'F16' | 'Q8_0' | 'Q4_0'): Promise<string> {
  const file = path.join(zooDir(), `llama-${size}-${quant}.gguf`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(zooDir(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeLlamaGguf(tmp, { ...LLM_ZOO[size], quant, seed: 1, name: `FLOPscope zoo Llama ${size} ${quant}` });
  fs.renameSync(tmp, file);
  return file;
}

/** The weights' type as a person calls it: the GGUF's general.file_type, else its most common 2-d tensor type. */
function ggufQuant(metadata: Record<string, unknown>, tensors: Array<{ shape: number[]; type: string; bytes: number }>): string {
  const ft = metadata['general.file_type'];
  const named = typeof ft === 'number' ? FILE_TYPES_LIST.find((f) => f.id === ft)?.name : undefined;
  if (named) return named;
  const byType = new Map<string, number>();
  for (const t of tensors) if (t.shape.length >= 2) byType.set(t.type, (byType.get(t.type) ?? 0) + t.bytes);
  return [...byType].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'unknown';
}

async function fromGguf(file: string, label: string, kind: 'gguf' | 'zoo'): Promise<ResolvedLlm> {
  const header = await readGgufHeader(file);
  const spec = specFromGgufMetadata(header.metadata, header.tensors, label);
  const quant = ggufQuant(header.metadata, header.tensors);
  return {
    spec,
    weights: { bytes: header.tensorDataBytes, basis: `the GGUF's ${header.tensors.length} tensors as stored (${quant})`, quant },
    sourceKind: kind,
    source: label,
    ggufPath: file,
    warnings: [],
  };
}

async function fromSafetensors(file: string, label: string): Promise<ResolvedLlm> {
  const model = await readSafetensors(file);
  const configFile = await findConfigBeside(file);
  if (!configFile) throw new ApiFailure('INVALID_REQUEST', `${label}: no config.json beside it; FLOPscope needs the model's config.json in the same folder to know its architecture`, ['source: config.json missing beside the safetensors']);
  const spec = specFromHfConfig(await readHfConfig(configFile), path.basename(configFile));
  const dtypes = [...new Set(model.tensors.map((t) => t.dtype))].join('/');
  return {
    spec,
    weights: { bytes: model.tensors.reduce((a, t) => a + t.bytes, 0), basis: `the safetensors' ${model.tensors.length} tensors as stored (${dtypes})`, quant: dtypes },
    sourceKind: 'safetensors',
    source: label,
    ggufPath: null,
    warnings: [],
  };
}

/** What a file is, from its first bytes: GGUF magic, JSON (a config or an index), or a safetensors header. */
function sniff(file: string): 'gguf' | 'json' | 'safetensors' | 'unknown' {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n >= 4 && head.toString('latin1', 0, 4) === 'GGUF') return 'gguf';
    const text = head.toString('latin1', 0, n).trimStart();
    if (text.startsWith('{')) return 'json';
    if (n >= 9 && head[8] === 0x7b) return 'safetensors';
    return 'unknown';
  } finally {
    fs.closeSync(fd);
  }
}

async function fromFile(file: string, label: string): Promise<ResolvedLlm> {
  if (!fs.existsSync(file)) throw new ApiFailure('INVALID_REQUEST', `${label} does not exist`, ['source.file: not found']);
  switch (sniff(file)) {
    case 'gguf':
      return fromGguf(file, label, 'gguf');
    case 'safetensors':
      return fromSafetensors(file, label);
    case 'json': {
      const json = await readHfConfig(file);
      // A sharded index names its shards; a config.json has a model_type or architectures.
      if (json && typeof json === 'object' && 'weight_map' in json) return fromSafetensors(file, label);
      return { spec: specFromHfConfig(json, label), weights: null, sourceKind: 'config', source: label, ggufPath: null, warnings: [] };
    }
    default:
      throw new ApiFailure('INVALID_REQUEST', `${label} is not a GGUF, a safetensors file, a model.safetensors.index.json or a config.json`, ['source: unrecognised file']);
  }
}

/** The model a request names, as a spec with what is known of its weights. */
export async function resolveLlmSource(source: LlmSource, uploads: Uploads): Promise<ResolvedLlm> {
  if ('file' in source) return fromFile(path.resolve(source.file), path.basename(source.file));
  if ('upload' in source) {
    const up = uploads.get(source.upload);
    return fromFile(up.file, up.name);
  }
  if ('known' in source) {
    const wanted = source.known.trim().toLowerCase();
    const known = KNOWN_MODELS.find((k) => k.id === wanted || k.name.toLowerCase() === wanted);
    if (!known) throw new ApiFailure('INVALID_REQUEST', `source.known: unknown model "${source.known}" (known: ${KNOWN_MODELS.map((k) => k.id).join(', ')})`, ['source.known: unknown model']);
    const spec = specFromHfConfig(known.config, `config.json of ${known.name}`);
    return { spec: { ...spec, name: known.name }, weights: null, sourceKind: 'known', source: known.source, ggufPath: null, warnings: [] };
  }
  if ('config' in source) {
    const label = source.name ?? 'the pasted config.json';
    const spec = specFromHfConfig(source.config, label);
    return { spec: source.name ? { ...spec, name: source.name } : spec, weights: null, sourceKind: 'config', source: label, ggufPath: null, warnings: [] };
  }
  const file = await zooGguf(source.zoo, source.quant);
  return fromGguf(file, `zoo Llama ${source.zoo} ${source.quant} (random weights, written by FLOPscope)`, 'zoo');
}
