/**
 * What-if: mixture-of-experts accounting (pure; runs anywhere). A top-k routed MoE layer holds E
 * experts but each token runs only k of them, so the parameters (and FLOPs) a token touches are
 *   active = non-expert params + Σ_layers (k / E) × expert params of the layer
 * (Shazeer et al. 2017; Fedus et al. 2021, Switch Transformer §2; Jiang et al. 2024, Mixtral:
 * "47B parameters, 13B active per token").
 *
 * Recognition: nodes named "…moe.expert<e>.…" (the zoo's convention and common in exports, e.g.
 * "blocks.3.moe.expert5.fc1") belong to expert e of the MoE layer named by everything before
 * ".expert<e>" ("blocks.3.moe"); E = number of distinct e per layer. k is read from the router's
 * TopK in that layer (its constant `K` input, or the `k` attribute of opset < 10). A weight is an
 * expert weight when every node that reads it (directly or through Transpose/Cast/Reshape-like
 * pass-through ops) is an expert node of one layer. Static graphs that compute all experts and
 * gate them (ONNX has no sparse dispatch) count E experts' FLOPs; `activeFlops` scales each expert
 * node's FLOPs by k/E.
 */
import type { GraphIR, NodeIR } from '../ir.js';
import { isWeight } from '../profile.js';
import type { ProfileResult } from '../types.js';

const EXPERT = /^(.*moe)\.expert(\d+)(?:\.|$)/;
const PASS_THROUGH = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose', 'Cast', 'DequantizeLinear']);

export interface MoeLayer {
  /** e.g. "blocks.0.moe". */
  prefix: string;
  experts: number;
  /** null when no TopK with a constant k was found for the layer. */
  topK: number | null;
  expertParams: number;
  /** (k / E) × expertParams (all experts when k is unknown). */
  activeExpertParams: number;
}

export interface MoeReport {
  totalParams: number;
  expertParams: number;
  nonExpertParams: number;
  /** Non-expert + Σ (k/E) × expert params. Fractional when k·params/E is. */
  activeParamsPerToken: number;
  activeFraction: number;
  layers: MoeLayer[];
  /** With a profile: the FLOPs the graph computes (all experts) and those a token really needs. */
  flops?: { graph: number; active: number };
  warnings: string[];
}

function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** The constant k of a TopK node, or null. */
export function topKOf(node: NodeIR, graph: GraphIR): number | null {
  const attr = node.attributes.k;
  if (attr && attr.type === 'int') return attr.value;
  const name = node.inputs[1];
  if (!name) return null;
  const init = graph.initializers.find((t) => t.name === name);
  if (init && init.location.kind === 'inline' && init.location.values.length === 1) return init.location.values[0]!;
  const producer = graph.nodes.find((n) => n.opType === 'Constant' && n.outputs[0] === name);
  const v = producer?.attributes.value;
  if (v && v.type === 'tensor' && v.value.values && v.value.values.length === 1) return v.value.values[0]!;
  const ints = producer?.attributes.value_ints;
  if (ints && ints.type === 'ints' && ints.value.length === 1) return ints.value[0]!;
  const int = producer?.attributes.value_int;
  if (int && int.type === 'int') return int.value;
  return null;
}

/** MoE accounting of `graph`, or null when no node follows the "…moe.expert<e>.…" naming. */
export function moeAccounting(graph: GraphIR, profile?: ProfileResult): MoeReport | null {
  const expertOf = new Map<string, { layer: string; expert: number }>();
  const layers = new Map<string, Set<number>>();
  for (const n of graph.nodes) {
    const m = EXPERT.exec(n.name);
    if (!m) continue;
    expertOf.set(n.name, { layer: m[1]!, expert: Number(m[2]) });
    const set = layers.get(m[1]!) ?? new Set<number>();
    set.add(Number(m[2]));
    layers.set(m[1]!, set);
  }
  if (layers.size === 0) return null;
  const warnings: string[] = [];

  // Which nodes read each weight (through pass-through ops).
  const weights = new Map(graph.initializers.filter(isWeight).map((t) => [t.name, t] as const));
  const rootOf = new Map<string, string>();
  for (const name of weights.keys()) rootOf.set(name, name);
  const readers = new Map<string, Set<string>>();
  const passOutputs = new Set<string>();
  // Graph nodes are not guaranteed to be sorted; iterate until no new pass-through output appears.
  let changed = true;
  while (changed) {
    changed = false;
    for (const node of graph.nodes) {
      const r = node.inputs[0] ? rootOf.get(node.inputs[0]) : undefined;
      if (r && PASS_THROUGH.has(node.opType) && node.outputs[0] && !rootOf.has(node.outputs[0])) {
        rootOf.set(node.outputs[0], r);
        passOutputs.add(node.name);
        changed = true;
      }
    }
  }
  for (const node of graph.nodes) {
    if (passOutputs.has(node.name)) continue;
    for (const input of node.inputs) {
      const r = input ? rootOf.get(input) : undefined;
      if (!r) continue;
      const set = readers.get(r) ?? new Set<string>();
      set.add(node.name);
      readers.set(r, set);
    }
  }

  let totalParams = 0;
  const expertParamsByLayer = new Map<string, number>();
  for (const [name, t] of weights) {
    const n = numel(t.dims);
    totalParams += n;
    const rs = [...(readers.get(name) ?? [])];
    const owners = new Set(rs.map((r) => expertOf.get(r)?.layer ?? null));
    if (rs.length > 0 && owners.size === 1 && !owners.has(null)) {
      const layer = [...owners][0]!;
      expertParamsByLayer.set(layer, (expertParamsByLayer.get(layer) ?? 0) + n);
    }
  }

  const topKs = graph.nodes.filter((n) => n.opType === 'TopK');
  const out: MoeLayer[] = [...layers.entries()].map(([prefix, experts]) => {
    const E = experts.size;
    const router = topKs.find((n) => n.name.startsWith(`${prefix}.`)) ?? (topKs.length === 1 ? topKs[0] : undefined);
    let k = router ? topKOf(router, graph) : null;
    if (k !== null && (!Number.isInteger(k) || k < 1 || k > E)) {
      warnings.push(`${prefix}: router TopK k = ${k} is not between 1 and ${E} experts; counted all experts as active`);
      k = null;
    }
    if (k === null && !(router)) warnings.push(`${prefix}: no router TopK found; counted all experts as active`);
    else if (k === null && router) warnings.push(`${prefix}: router TopK '${router.name}' has no constant k; counted all experts as active`);
    const expertParams = expertParamsByLayer.get(prefix) ?? 0;
    return { prefix, experts: E, topK: k, expertParams, activeExpertParams: k === null ? expertParams : (expertParams * k) / E };
  });

  const expertParams = out.reduce((a, l) => a + l.expertParams, 0);
  const nonExpertParams = totalParams - expertParams;
  const activeParamsPerToken = nonExpertParams + out.reduce((a, l) => a + l.activeExpertParams, 0);
  const report: MoeReport = {
    totalParams,
    expertParams,
    nonExpertParams,
    activeParamsPerToken,
    activeFraction: totalParams > 0 ? activeParamsPerToken / totalParams : 0,
    layers: out,
    warnings,
  };
  if (profile) {
    const ratio = new Map(out.map((l) => [l.prefix, l.topK === null ? 1 : l.topK / l.experts] as const));
    let graphFlops = 0;
    let active = 0;
    for (const n of profile.nodes) {
      graphFlops += n.flops;
      const e = expertOf.get(n.name);
      active += e ? n.flops * (ratio.get(e.layer) ?? 1) : n.flops;
    }
    report.flops = { graph: graphFlops, active };
  }
  return report;
}
