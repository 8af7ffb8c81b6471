/**
 * The 'plan' run kind: a training plan from a fitted scaling law (compute, parameters, tokens,
 * loss, the transformer shape, time, cost and energy on a device).
 */
import { z } from 'zod';
import type { PlanResult } from '../../planner/plan.js';
import { renderFrontierCompareChart } from '../../charts/frontier-compare-chart.js';
import { renderIsoflopChart } from '../../charts/isoflop-chart.js';
import { lossContourSvg, renderLossContourChart } from '../../charts/loss-contour-chart.js';
import { COMPARE_RANGE, lossLandscape, planChartInputs } from '../../planner/plan-charts.js';
import { BUILTIN_FITS, isBuiltinFit } from '../../planner/fits.js';
import type { Fit } from '../../planner/types.js';
import type { SafeMarkup } from '../../markup/markup.js';
import { compareRow, isObject, num, RATIO_NOTE, REPORT_CHART_WIDTH, row, warningsBlock, type ReportBlock, type ReportRow } from '../../reports/report-parts.js';
import { MAX_COMPUTE_FLOPS } from '../../planner/budget.js';
import { anyJson, bool, lo, name, num as number, numOrNull, text, warnings } from '../schema-parts.js';
import { defineKind, type ReportKindContext, type TypedRun } from './entry.js';
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
  const inf = d?.inference;
  if (inf) {
    blocks.push({
      type: 'kv',
      id: 'inference',
      title: 'Inference-aware alternative (Sardana et al. 2023)',
      rows: [
        row('inferenceTokens', 'Tokens served', inf.inferenceTokens),
        row('targetLoss', 'Same loss', inf.targetLoss),
        row('params', 'Parameters', inf.params),
        row('tokens', 'Training tokens', inf.tokens),
        row('paramsRatio', 'Parameters ÷ compute-optimal', inf.paramsRatio, '×'),
        row('tokensRatio', 'Tokens ÷ compute-optimal', inf.tokensRatio, '×'),
        row('trainFlops', 'Training compute', inf.trainFlops, 'FLOPs'),
        row('inferenceFlops', 'Inference compute', inf.inferenceFlops, 'FLOPs'),
        row('totalFlops', 'Training + inference', inf.totalFlops, 'FLOPs'),
        row('computeOptimalTotalFlops', 'Same for the compute-optimal model', inf.computeOptimalTotalFlops, 'FLOPs'),
        row('savedFraction', 'Compute saved', num(inf.savedFraction) !== null ? Number((inf.savedFraction * 100).toFixed(1)) : null, '%'),
      ],
    });
  }
  const dc = d?.dataConstrained;
  if (dc) {
    blocks.push({
      type: 'kv',
      id: 'dataConstrained',
      title: 'Data-constrained alternative (Muennighoff et al. 2023)',
      rows: [
        row('uniqueTokens', 'Unique tokens', dc.uniqueTokens),
        row('binding', 'The constraint binds', dc.binding),
        row('params', 'Parameters', dc.params),
        row('tokens', 'Tokens trained on', dc.tokens),
        row('epochs', 'Epochs', dc.epochs),
        row('effectiveTokens', 'Worth in fresh tokens', dc.effectiveTokens),
        row('effectiveParams', 'Effective parameters', dc.effectiveParams),
        row('loss', 'Loss', dc.loss),
        row('unconstrainedLoss', 'Loss with unlimited data', dc.unconstrainedLoss),
        row('naiveLoss', 'Loss counting repeats as fresh', dc.naiveLoss),
      ],
    });
  }
  blocks.push(...warningsBlock('warnings', d?.warnings));
  return blocks;
}

/** The summary's key figures: compute, N, D, the loss, and the time and cost when a device was given. */
function planSummary(p: PlanResult): ReportRow[] {
  return [
    row('computeFlops', 'Compute C', num(p.computeFlops), 'FLOPs'),
    row('params', 'Parameters N', num(p.params)),
    row('tokens', 'Tokens D', num(p.tokens)),
    row('tokensPerParam', 'Tokens per parameter', num(p.tokensPerParam)),
    row('loss', 'Predicted loss', num(p.loss)),
    ...(isObject(p.shape) ? [row('shape', 'Shape', `${p.shape.layers} layers × d_model ${p.shape.dModel}, ${p.shape.heads} heads`)] : []),
    ...(isObject(p.time) ? [row('time.seconds', `Training time on ${p.time.devices} device${p.time.devices === 1 ? '' : 's'}`, num(p.time.seconds), 's')] : []),
    ...(num(p.costUsd) !== null ? [row('costUsd', 'Cost', p.costUsd!, 'USD')] : []),
    ...(isObject(p.energy) ? [row('energy.kwh', 'Energy', num(p.energy.kwh), 'kWh'), row('energy.co2Kg', 'CO₂', num(p.energy.co2Kg), 'kg')] : []),
  ];
}

/** The built-in fits, and the context's (stored custom fits), by id. */
function fitsOf(context: ReportKindContext): Fit[] {
  const custom = (context.fits ?? []).filter((f) => !isBuiltinFit(f.id));
  return [...Object.values(BUILTIN_FITS), ...custom];
}

/**
 * The Planner page's charts for this plan, with the page's inputs (src-renderer/pages/planner-page.tsx
 * PlanView): the IsoFLOP curves around its budget, the loss landscape with the frontier and the
 * plan, and every fit's compute-optimal frontier with the plan marked. They need the fit's law:
 * a built-in fit's, or a stored custom fit's when the report has it.
 */
function planCharts(p: PlanResult, context: ReportKindContext): ReportBlock[] {
  const fits = fitsOf(context);
  const fit = fits.find((f) => f.id === p.fit);
  if (!fit) return [{ type: 'notes', id: 'charts', title: 'Charts', items: [`The fit "${String(p.fit)}" is not stored on this machine, so its curves cannot be drawn; the numbers below are the plan's own.`] }];
  const C = p.computeFlops;
  if (!(C > 0) || !(p.params > 0) || !(p.tokens > 0)) throw new Error('the plan has no positive compute, parameters and tokens');
  const inputs = planChartInputs(fit, fits, p);
  const { loss, landscape, overlay } = inputs;
  const land = lossLandscape(loss, landscape.nRange, landscape.dRange);
  const charts: Array<{ caption: string; svg: SafeMarkup }> = [
    {
      caption: `IsoFLOP curves of ${fit.label}: loss against model size at five budgets around this plan's, the plan marked`,
      svg: renderIsoflopChart({ loss, budgets: inputs.budgets, nRange: inputs.nRange, plan: { N: p.params, D: p.tokens, C, loss: p.loss }, fitLabel: fit.label }, { width: REPORT_CHART_WIDTH }),
    },
    {
      caption: `Loss landscape of ${fit.label} over parameters and tokens: the compute-optimal frontier, budgets C/10, C and 10·C, and the plan`,
      svg: land
        ? lossContourSvg(land.grid, land.bands, overlay, { width: REPORT_CHART_WIDTH })
        : renderLossContourChart({ ...overlay, loss, ...inputs.fallbackRanges }, { width: REPORT_CHART_WIDTH }),
    },
    {
      caption: "Every fit's compute-optimal parameters and tokens against compute, this plan marked",
      svg: renderFrontierCompareChart({ series: inputs.series, plan: { C, N: p.params, D: p.tokens }, cRange: COMPARE_RANGE }, { width: REPORT_CHART_WIDTH }),
    },
  ];
  return [{ type: 'charts', id: 'charts', title: 'Charts', charts }];
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
  reportSummary: (result) => planSummary(result),
  reportCharts: (result, context) => planCharts(result, context),
  reportBlocks: (result) => planBlocks(result),
  compare: planComparison,
});
