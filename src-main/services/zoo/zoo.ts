/**
 * The built-in model zoo (Node main process / CLI): well-known architectures generated as ONNX
 * graphs in code with seeded random weights — nothing is downloaded. `ZOO` lists the entries
 * (plain JSON), `planZooModel` describes a model without generating weights (parameter count,
 * graph), `buildZooModel` returns ONNX bytes and `exportZooModel` writes them to a file
 * atomically. Architectures and their sources: docs/zoo.md and each family's module.
 */
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ValueSpec } from '../onnx/build-graph.js';
import { writeFileAtomic } from '../../infra/write-atomic.js';
import { BERT_BASE } from './bert.js';
import { EFFICIENTNET_B0 } from './efficientnet.js';
import { encodeZooGraph } from './encode.js';
import { GPT2 } from './gpt2.js';
import { LLAMA } from './llama.js';
import { encodeLlamaInt4, LLAMA_INT4 } from './llama-ort.js';
import { MLP } from './mlp.js';
import { MOBILENET_V1 } from './mobilenet-v1.js';
import { MOBILENET_V2 } from './mobilenet-v2.js';
import { MOE_TRANSFORMER } from './moe-transformer.js';
import { num, resolveOptions } from './options.js';
import { RESNET18, RESNET50 } from './resnet.js';
import { SQUEEZENET_1_1 } from './squeezenet.js';
import type { MoeAccounting, ResolvedOptions, ZooDefinition, ZooEntry, ZooOptionValues, ZooPlan } from './types.js';
import { VIT_B16 } from './vit.js';

export type { MoeAccounting, ZooEntry, ZooOption, ZooOptionValues } from './types.js';

const DEFINITIONS: ZooDefinition[] = [
  MLP, RESNET18, RESNET50, MOBILENET_V1, MOBILENET_V2, SQUEEZENET_1_1, EFFICIENTNET_B0, VIT_B16, GPT2, BERT_BASE, MOE_TRANSFORMER, LLAMA, LLAMA_INT4,
];

/** Families that are not plain float32 opset 17 (com.microsoft ops, int4 weights) bring their own encoder. */
const ENCODERS: Partial<Record<string, typeof encodeZooGraph>> = { 'llama-int4': encodeLlamaInt4 };

function entryOf(def: ZooDefinition): ZooEntry {
  const { plan: _plan, ...entry } = def;
  return structuredClone(entry);
}

/** The zoo's entries, in display order. */
export const ZOO: ZooEntry[] = DEFINITIONS.map(entryOf);

function definition(name: string): ZooDefinition {
  const def = DEFINITIONS.find((d) => d.name === name);
  if (!def) {
    throw new ApiFailure('INVALID_REQUEST', `unknown zoo model "${name}"; available: ${DEFINITIONS.map((d) => d.name).join(', ')}`, [`name: unknown zoo model`]);
  }
  return def;
}

export interface ZooModelInfo {
  name: string;
  /** Every option, defaults filled in. */
  options: ResolvedOptions;
  /** Elements of all initializers (= torch's parameters(); BN running stats are not initializers). */
  params: number;
  /** Default bindings of the inputs' symbolic dims ({ batch: 1 } or { batch: 1, sequence: N }). */
  dims: Record<string, number>;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: number;
  initializers: number;
  moe?: MoeAccounting;
}

export interface ZooPlanned extends ZooModelInfo {
  plan: ZooPlan;
}

/** Validates options and plans the graph without generating weights (cheap: no weight bytes). */
export function planZooModel(name: string, options: ZooOptionValues = {}): ZooPlanned {
  const def = definition(name);
  const resolved = resolveOptions(def, options);
  const plan = def.plan(resolved);
  const g = plan.graph;
  const info: ZooPlanned = {
    name,
    options: resolved,
    params: g.params,
    dims: plan.dims,
    inputs: g.inputs,
    outputs: g.outputs,
    nodes: g.nodes.length,
    initializers: g.initializers.length,
    plan,
  };
  if (plan.moe) info.moe = plan.moe;
  return info;
}

export interface ZooModel extends ZooModelInfo {
  /** A complete ONNX ModelProto (opset 17, float32 weights; llama-int4 adds com.microsoft ops and int4 weights). */
  bytes: Uint8Array;
}

/** Builds the model's ONNX bytes. Same name + options (seed included) → identical bytes. */
export function buildZooModel(name: string, options: ZooOptionValues = {}): ZooModel {
  const { plan, ...info } = planZooModel(name, options);
  const def = definition(name);
  const optionText = Object.entries(info.options).map(([k, v]) => `${k}=${v}`).join(' ');
  const bytes = (ENCODERS[name] ?? encodeZooGraph)(plan.graph, {
    graphName: name,
    docString: `FLOPscope zoo: ${def.title} (${optionText}). Random weights (seeded); architecture only — not a trained model.`,
    seed: num(info.options, 'seed'),
  });
  return { ...info, bytes };
}

export interface ZooExport extends ZooModelInfo {
  /** Absolute path written. */
  file: string;
  fileBytes: number;
}

/**
 * Builds the model and writes it to `outFile` atomically: a temp file in the same folder, synced,
 * then renamed over the target, so a reader never sees a partial model and a failure leaves no
 * file behind. An unwritable or missing folder is an INVALID_REQUEST naming the path.
 */
export async function exportZooModel(name: string, options: ZooOptionValues, outFile: string): Promise<ZooExport> {
  const model = buildZooModel(name, options);
  const file = await writeFileAtomic(outFile, model.bytes, 'the model');
  const { bytes, ...info } = model;
  return { ...info, file, fileBytes: bytes.length };
}
