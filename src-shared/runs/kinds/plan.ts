/**
 * The 'plan' run kind: a training plan from a fitted scaling law (compute, parameters, tokens,
 * loss, the transformer shape, time, cost and energy on a device).
 */
import { z } from 'zod';
import type { PlanResult } from '../../planner/plan.js';
import { compareRow, flatBlock, num, RATIO_NOTE, row, warningsBlock, type ReportBlock } from '../../reports/report-parts.js';
import { MAX_COMPUTE_FLOPS } from '../../planner/budget.js';
import { anyJson, bool, lo, name, num as number, numOrNull, text, warnings } from '../schema-parts.js';
import { defineKind, type TypedRun } from './entry.js';
import { formatCount } from '../../planner/format.js';
import { join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

const wattsSource = lazySchema(() => z.enum(['catalog TDP', 'measured', 'estimated']));

const planDeviceSchema = lazySchema(() => lo({
  name,
  peakFlops: number,
  dtype: name,
  memGB: numOrNull,
  source: text,
  power: z.union([lo({ watts: number, source: wattsSource, basis: text, runId: number.optional() }), lo({ watts: z.null(), reason: text })]).optional(),
}));

export const planResultSchema = lazySchema(() => lo({
  fit: name,
  computeFlops: number,
  params: number,
  tokens: number,
  tokensPerParam: number,
  loss: number,
  shape: lo({ layers: number, dModel: number, heads: number, ffn: number, vocab: number, context: number, exactParams: number, flopsPerToken: number }),
  time: lo({ seconds: number, devices: number }).optional(),
  costUsd: number.optional(),
  // Plans stored before energy (bb6096c) have none.
  energy: lo({
    kwh: number,
    itKwh: number,
    overheadKwh: number,
    co2Kg: number,
    deviceWatts: number,
    wattsSource,
    wattsBasis: text,
    wattsRunId: number.optional(),
    deviceSeconds: number,
    flopsPerJoule: number,
    pue: number,
    gridGPerKwh: number,
    basis: text,
  })
    .nullable()
    .optional(),
  energyUnavailable: text.optional(),
  details: lo({
    fitLabel: text,
    fitSource: text,
    lawNote: text.optional(),
    paramsCount: z.enum(['all', 'non-embedding']),
    mode: z.enum(['budget', 'params', 'params-and-budget']),
    sixND: number,
    shapeFlops: number,
    shapeFull: lo({
      layers: number,
      dModel: number,
      heads: number,
      headDim: number,
      ffn: number,
      vocab: number,
      context: number,
      exactParams: number,
      nonEmbeddingParams: number,
      tiedEmbeddings: bool,
      flopsPerToken: number,
      forwardBreakdown: lo({ attention: number, attentionScores: number, ffn: number, logits: number }),
    }),
    shapeRelativeError: number,
    optimal: lo({ params: number, tokens: number, loss: number }),
    device: planDeviceSchema.optional(),
    mfu: number.optional(),
    deviceHours: number.optional(),
    inference: lo({
      inferenceTokens: number,
      targetLoss: number,
      params: number,
      tokens: number,
      trainFlops: number,
      inferenceFlops: number,
      totalFlops: number,
      computeOptimalTotalFlops: number,
      paramsRatio: number,
      tokensRatio: number,
      savedFraction: number,
    }).optional(),
    dataConstrained: lo({
      uniqueTokens: number,
      params: number,
      tokens: number,
      epochs: number,
      effectiveTokens: number,
      effectiveParams: number,
      loss: number,
      unconstrainedLoss: number,
      naiveLoss: number,
      binding: bool,
    }).optional(),
    warnings,
  }),
}));

// ---- report ---------------------------------------------------------------------------------

function planBlocks(p: PlanResult): ReportBlock[] {
  const d = p.details;
  const s = p.shape;
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'plan',
      title: 'Plan',
      rows: [
        row('fit', 'Fit', d?.fitLabel ?? p.fit),
        row('mode', 'Mode', d?.mode ?? null),
        row('computeFlops', 'Compute C', p.computeFlops, 'FLOPs'),
        row('params', 'Parameters N', p.params),
        row('tokens', 'Tokens D', p.tokens),
        row('tokensPerParam', 'Tokens per parameter', p.tokensPerParam),
        row('loss', 'Predicted loss', p.loss),
        ...(d?.optimal ? [row('optimal.params', 'Compute-optimal N', d.optimal.params), row('optimal.tokens', 'Compute-optimal D', d.optimal.tokens), row('optimal.loss', 'Compute-optimal loss', d.optimal.loss)] : []),
        ...(p.time ? [row('time.seconds', 'Training time', p.time.seconds, 's'), row('time.devices', 'Devices', p.time.devices)] : []),
        ...(p.costUsd !== undefined ? [row('costUsd', 'Cost', p.costUsd, 'USD')] : []),
        ...(d?.fitSource ? [row('fitSource', 'Fit source', d.fitSource)] : []),
      ],
    },
    {
      type: 'kv',
      id: 'shape',
      title: 'Transformer shape',
      rows: [
        row('layers', 'Layers', s.layers),
        row('dModel', 'd_model', s.dModel),
        row('heads', 'Heads', s.heads),
        row('ffn', 'FFN width', s.ffn),
        row('vocab', 'Vocabulary', s.vocab),
        row('context', 'Context', s.context),
        row('exactParams', 'Exact parameters', s.exactParams),
        row('flopsPerToken', 'FLOPs per token', s.flopsPerToken),
        ...(d ? [row('sixND', '6·N·D', d.sixND, 'FLOPs'), row('shapeFlops', 'Shape FLOPs × D', d.shapeFlops, 'FLOPs')] : []),
      ],
    },
  ];
  if (d?.inference) blocks.push(flatBlock('inference', 'Inference-aware alternative', d.inference));
  if (d?.dataConstrained) blocks.push(flatBlock('dataConstrained', 'Data-constrained alternative', d.dataConstrained));
  blocks.push(...warningsBlock('warnings', d?.warnings));
  return blocks;
}

// ---- comparison -----------------------------------------------------------------------------

function planComparison(typed: ReadonlyArray<TypedRun<PlanResult>>): ReportBlock[] {
  const runs = typed.map((t) => t.run);
  const rs = typed.map((t) => t.result);
  const rows = [
    compareRow('computeFlops', 'Compute C', rs.map((r) => num(r?.computeFlops)), 'FLOPs'),
    compareRow('params', 'Parameters N', rs.map((r) => num(r?.params))),
    compareRow('tokens', 'Tokens D', rs.map((r) => num(r?.tokens))),
    compareRow('loss', 'Predicted loss', rs.map((r) => num(r?.loss))),
  ].filter((r) => r.values.some((v) => v !== null));
  return [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
}

export const planKind = defineKind<'plan', PlanResult>({
  name: 'plan',
  subject: { paths: ['$.fit', '$.params', '$.tokens'], text: (v) => join([part(v[0]) ? `fit ${part(v[0])}` : null, typeof v[1] === 'number' ? `${formatCount(v[1])} params` : null, typeof v[2] === 'number' ? `${formatCount(v[2])} tokens` : null]) },
  label: 'training plan',
  measured: false,
  schemas: { params: anyJson, result: planResultSchema },
  plausible: [
    // A plan is a prediction, and the planner accepts budgets up to MAX_COMPUTE_FLOPS on any device
    // (a 2-core CPU included), so its time, cost and energy legitimately reach absurd-looking values
    // (a real plan for 'this machine' said 191 years). The bounds are what no accepted input can
    // produce (1e32 FLOP at 1 FLOP/s is 1e32 s), so only damaged numbers are flagged.
    { path: 'computeFlops', min: 0, max: MAX_COMPUTE_FLOPS, minExclusive: true, unit: 'FLOP', what: "a training run's compute" },
    { path: 'params', min: 1e5, max: 1e15, unit: '', what: "a model's parameter count" },
    { path: 'loss', min: 0, max: 100, minExclusive: true, unit: 'nats', what: 'a loss' },
    { path: 'time.seconds', min: 0, max: 1e33, minExclusive: true, unit: 's', what: "a training run's time" },
    { path: 'costUsd', min: 0, max: 1e33, unit: 'USD', what: "a training run's cost" },
    { path: 'energy.kwh', min: 0, max: 1e33, unit: 'kWh', what: "a training run's energy" },
    { path: 'energy.co2Kg', min: 0, max: 1e33, unit: 'kg', what: "a training run's CO₂" },
    { path: 'energy.pue', min: 1, max: 3, unit: '', what: 'a PUE' },
  ],
  history: { columns: [], energyDetail: false },
  reportBlocks: (result) => planBlocks(result),
  compare: planComparison,
});
