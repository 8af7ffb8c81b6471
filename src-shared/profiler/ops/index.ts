/**
 * The shape-rule registry (pure; runs anywhere): which ops shape inference understands, by
 * domain. The default domain ('' or 'ai.onnx') uses the standard rules; com.microsoft looks in
 * the contrib rules first and then the standard ones (ORT registers some standard-named ops
 * there, e.g. Gelu, LayerNormalization). Any other domain has no rules.
 */
import type { NodeIR } from '../ir.js';
import type { ShapeRule } from './context.js';
import { contribRules } from './contrib.js';
import { llmRules } from './contrib-llm.js';
import { convRules } from './conv.js';
import { einsumRule } from './einsum.js';
import { elementwiseRules } from './elementwise.js';
import { matmulRules } from './matmul.js';
import { reduceRules } from './reduce.js';
import { rnnRules } from './rnn.js';
import { shapeOpRules } from './shape-ops.js';

const standard: Record<string, ShapeRule> = {
  ...elementwiseRules,
  ...shapeOpRules,
  ...convRules,
  ...matmulRules,
  ...reduceRules,
  ...rnnRules,
  Einsum: einsumRule,
};

/** com.microsoft: the transformer-optimiser ops (contrib.ts) and the LLM ops (contrib-llm.ts). */
const contrib: Record<string, ShapeRule> = { ...contribRules, ...llmRules };

export const MS_DOMAIN = 'com.microsoft';

export function isStandardDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

export function shapeRuleFor(node: Pick<NodeIR, 'domain' | 'opType'>): ShapeRule | null {
  if (isStandardDomain(node.domain)) return Object.hasOwn(standard, node.opType) ? standard[node.opType]! : null;
  if (node.domain === MS_DOMAIN) {
    if (Object.hasOwn(contrib, node.opType)) return contrib[node.opType]!;
    return Object.hasOwn(standard, node.opType) ? standard[node.opType]! : null;
  }
  return null;
}

/** Every op type with a shape rule, by domain ('' standard, 'com.microsoft' contrib). */
export function knownOpTypes(): { standard: string[]; contrib: string[] } {
  return { standard: Object.keys(standard), contrib: Object.keys(contrib) };
}

/** Ops whose body is a subgraph; we never descend into it. */
export const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);
