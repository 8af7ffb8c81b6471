/**
 * The 'llm' run kind: one large language model on one machine — its parameters, memory at a
 * context, fit against devices, predicted prefill/decode speed and, when measured through
 * llama.cpp, the measured speed at each context depth beside the prediction.
 */
import { z } from 'zod';
import type { LlmEstimateResult } from '../../api/llm.js';
import { renderLlmDecodeChart } from '../../charts/llm-decode-chart.js';
import { arr, compareRow, num, RATIO_NOTE, REPORT_CHART_WIDTH, row, table, warningsBlock, type ReportBlock, type ReportRow } from '../../reports/report-parts.js';
import { DAY } from '../ranges.js';
import { anyJson, arr as list, bool, lo, name, num as number, text, warnings } from '../schema-parts.js';
import { defineKind, type TypedRun } from './entry.js';
import { join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

const memoryPart = lazySchema(() => lo({ bytes: number, basis: text, kind: z.enum(['exact', 'estimated', 'measured']) }));

export const llmResultSchema = lazySchema(() => lo({
  model: lo({ name, architecture: name, params: number, activeParams: number, layers: number, hiddenSize: number, heads: number, kvHeads: number, headDim: number, vocab: number, contextMax: number, quant: name, sourceKind: name, source: text }),
  settings: lo({ quant: name, context: number, batch: number, prompt: number, gen: number, kvDtype: name, depth: number }),
  memory: lo({ weightsBytes: number, kvCacheBytes: number, computeBytes: number, overheadBytes: number, totalBytes: number, parts: lo({ weights: memoryPart, kvCache: memoryPart, compute: memoryPart, overhead: memoryPart, totalBytes: number }) }),
  prefill: lo({ tokens: number, flops: number, predictedTokensPerSecond: number, predictedTtftMs: number, measuredTokensPerSecond: number.optional(), measuredTtftMs: number.optional() }),
  decode: lo({ contextDepth: number, flopsPerToken: number, bytesPerToken: number, predictedTokensPerSecond: number, measuredTokensPerSecond: number.optional() }),
  decodeCurve: list(lo({ depth: number, tokensPerSecond: number })),
  fits: list(lo({ device: name, memoryBytes: number, fits: bool, maxContext: number, gpuLayers: number.optional(), splitDecodeTokensPerSecond: number.optional(), note: text })),
  device: lo({ name, basis: text, measured: bool }),
  measured: lo({
    backend: name,
    threads: number,
    loadMs: number,
    peakRssBytes: number,
    points: list(lo({ depth: number, prefillTokensPerSecond: number, decodeTokensPerSecond: number, ttftMs: number, predictedPrefillTokensPerSecond: number, predictedDecodeTokensPerSecond: number, prefillAttentionFlops: number.optional(), decodeAttentionFlops: number.optional() })),
    energyJoulesPerToken: number.optional(),
    calibration: lo({ backend: name, threads: number, stepMs: number, quants: list(lo({ quant: name, decodeGflops: number, prefillGflops: number.optional() })) }).optional(),
  }).optional(),
  warnings,
  runId: number.nullable().optional(),
}));

// ---- report ---------------------------------------------------------------------------------

function llmBlocks(r: LlmEstimateResult): ReportBlock[] {
  const m = r.model;
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'model',
      title: 'Model',
      rows: [
        row('name', 'Name', m.name), row('architecture', 'Architecture', m.architecture), row('params', 'Parameters', m.params), row('activeParams', 'Active per token', m.activeParams),
        row('layers', 'Layers', m.layers), row('hiddenSize', 'Hidden size', m.hiddenSize), row('heads', 'Heads', `${m.heads} (K/V ${m.kvHeads}, head dim ${m.headDim})`),
        row('vocab', 'Vocabulary', m.vocab), row('contextMax', 'Longest context', m.contextMax, 'tokens'), row('quant', 'Weights', m.quant), row('source', 'Source', m.source),
      ],
    },
    {
      type: 'kv',
      id: 'speed',
      title: `Speed on ${r.device.name}`,
      rows: [
        row('prefill', `Prefill (${r.prefill.tokens} tokens), predicted`, r.prefill.predictedTokensPerSecond, 'tokens/s'),
        ...(r.prefill.measuredTokensPerSecond !== undefined ? [row('prefillMeasured', 'Prefill, measured', r.prefill.measuredTokensPerSecond, 'tokens/s')] : []),
        row('ttft', 'Time to first token, predicted', r.prefill.predictedTtftMs, 'ms'),
        row('decode', `Decode at depth ${r.decode.contextDepth}, predicted`, r.decode.predictedTokensPerSecond, 'tokens/s'),
        ...(r.decode.measuredTokensPerSecond !== undefined ? [row('decodeMeasured', 'Decode, measured', r.decode.measuredTokensPerSecond, 'tokens/s')] : []),
        row('bytesPerToken', 'Bytes read per decoded token', r.decode.bytesPerToken, 'B'),
        ...(r.measured?.energyJoulesPerToken !== undefined ? [row('energyPerToken', 'Energy per token, measured', r.measured.energyJoulesPerToken, 'J')] : []),
        row('basis', 'Basis', r.device.basis),
      ],
    },
  ];
  if (r.measured) {
    blocks.push(
      table(
        'measured',
        `Measured through llama.cpp (${r.measured.backend}, ${r.measured.threads} threads)`,
        [{ key: 'depth', label: 'Depth', unit: 'tokens' }, { key: 'pp', label: 'Prefill measured', unit: 'tokens/s' }, { key: 'ppPred', label: 'Prefill predicted', unit: 'tokens/s' }, { key: 'tg', label: 'Decode measured', unit: 'tokens/s' }, { key: 'tgPred', label: 'Decode predicted', unit: 'tokens/s' }, { key: 'ttft', label: 'TTFT measured', unit: 'ms' }],
        r.measured.points.map((p) => ({ key: String(p.depth), cells: [p.depth, p.prefillTokensPerSecond, p.predictedPrefillTokensPerSecond, p.decodeTokensPerSecond, p.predictedDecodeTokensPerSecond, p.ttftMs] })),
      ),
    );
  }
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

/** The memory at the run's context and the fit against each device (the LLMs page's table). */
function memoryAndFit(r: LlmEstimateResult): ReportBlock[] {
  return [
    table(
      'memory',
      `Memory at ${r.settings.context} tokens of context (batch ${r.settings.batch}, K/V ${r.settings.kvDtype})`,
      [{ key: 'part', label: 'Part' }, { key: 'bytes', label: 'Size', unit: 'B' }, { key: 'kind', label: 'Kind' }, { key: 'basis', label: 'Basis' }],
      (['weights', 'kvCache', 'compute', 'overhead'] as const).map((k) => ({ key: k, cells: [k, r.memory.parts[k].bytes, r.memory.parts[k].kind, r.memory.parts[k].basis] })),
    ),
    table(
      'fits',
      'Fit',
      [{ key: 'device', label: 'Device' }, { key: 'memoryBytes', label: 'Memory', unit: 'B' }, { key: 'fits', label: 'Fits' }, { key: 'maxContext', label: 'Longest context that fits', unit: 'tokens' }, { key: 'gpuLayers', label: 'Layers on the GPU' }, { key: 'note', label: 'Note' }],
      r.fits.map((f) => ({ key: f.device, cells: [f.device, f.memoryBytes, f.fits, f.maxContext, f.gpuLayers ?? null, f.note] })),
    ),
  ];
}

/** The summary's key figures: the model, its memory at the context, the predicted (and measured) speeds, the devices it fits. */
function llmSummary(r: LlmEstimateResult): ReportRow[] {
  const first = arr<NonNullable<LlmEstimateResult['measured']>['points'][number]>(r.measured?.points)[0];
  const fits = arr<LlmEstimateResult['fits'][number]>(r.fits);
  return [
    row('params', 'Parameters', num(r.model.params)),
    row('memory.totalBytes', `Memory at ${r.settings.context} tokens`, num(r.memory.totalBytes), 'B'),
    row('prefill.predicted', `Prefill on ${r.device.name}, predicted`, num(r.prefill.predictedTokensPerSecond), 'tokens/s'),
    row('decode.predicted', `Decode at depth ${r.decode.contextDepth}, predicted`, num(r.decode.predictedTokensPerSecond), 'tokens/s'),
    ...(first ? [row('decode.measured', `Decode at depth ${first.depth}, measured (${r.measured!.backend})`, num(first.decodeTokensPerSecond), 'tokens/s')] : []),
    ...(r.measured?.energyJoulesPerToken !== undefined ? [row('energyPerToken', 'Energy per token, measured', num(r.measured.energyJoulesPerToken), 'J')] : []),
    row('fits', 'Fits on', fits.filter((f) => f.fits).map((f) => f.device).join(', ') || 'none of the devices listed'),
  ];
}

/** The LLMs page's decode chart (tokens/s against context depth, measured points on it), then the memory and fit tables. */
function llmCharts(r: LlmEstimateResult): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  const curve = arr<LlmEstimateResult['decodeCurve'][number]>(r.decodeCurve);
  if (curve.length > 1) {
    const svg = renderLlmDecodeChart({ curve, measured: arr<NonNullable<LlmEstimateResult['measured']>['points'][number]>(r.measured?.points).map((p) => ({ depth: p.depth, tokensPerSecond: p.decodeTokensPerSecond })) }, { width: REPORT_CHART_WIDTH });
    blocks.push({ type: 'charts', id: 'charts', title: 'Charts', charts: [{ caption: `Decode tokens/s against context depth on ${r.device.name}`, svg }] });
  }
  return [...blocks, ...memoryAndFit(r)];
}

// ---- comparison -----------------------------------------------------------------------------

function llmComparison(typed: ReadonlyArray<TypedRun<LlmEstimateResult>>): ReportBlock[] {
  const rs = typed.map((t) => t.result);
  const pick = (f: (r: LlmEstimateResult) => number | undefined) => rs.map((r) => (r ? num(f(r)) : null));
  const measuredAt = (r: LlmEstimateResult) => arr<NonNullable<LlmEstimateResult['measured']>['points'][number]>(r.measured?.points)[0];
  const rows = [
    compareRow('params', 'Parameters', pick((r) => r.model.params)),
    compareRow('totalBytes', 'Memory at the context', pick((r) => r.memory.totalBytes), 'B'),
    compareRow('prefill.predicted', 'Prefill, predicted', pick((r) => r.prefill.predictedTokensPerSecond), 'tokens/s'),
    compareRow('prefill.measured', 'Prefill, measured', pick((r) => measuredAt(r)?.prefillTokensPerSecond), 'tokens/s'),
    compareRow('decode.predicted', 'Decode, predicted', pick((r) => r.decode.predictedTokensPerSecond), 'tokens/s'),
    compareRow('decode.measured', 'Decode, measured', pick((r) => measuredAt(r)?.decodeTokensPerSecond), 'tokens/s'),
    compareRow('decode.ratio', 'Decode, measured ÷ predicted', pick((r) => { const p = measuredAt(r); return p ? p.decodeTokensPerSecond / p.predictedDecodeTokensPerSecond : undefined; })),
  ];
  return [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: typed.map((t) => t.run.id), rows, note: RATIO_NOTE }];
}

export const llmKind = defineKind<'llm', LlmEstimateResult>({
  name: 'llm',
  subject: { paths: ['$.model.name', '$.model.quant', '$.settings.context', '$.measured.backend'], text: (v) => join([part(v[0]), part(v[1]), part(v[2]) ? `${part(v[2])} tokens` : null, part(v[3]) ? `measured (${part(v[3])})` : null]) },
  label: 'LLM estimate',
  measured: true,
  schemas: { params: anyJson, result: llmResultSchema },
  plausible: [
    { path: 'decode.predictedTokensPerSecond', min: 0, max: 1e7, unit: 'tokens/s', what: 'a predicted decode speed' },
    { path: 'measured.points[].decodeTokensPerSecond', min: 0, max: 1e7, minExclusive: true, unit: 'tokens/s', what: 'a measured decode speed' },
    { path: 'measured.loadMs', min: 0, max: DAY * 1000, unit: 'ms', what: 'a model load time' },
    { path: 'measured.calibration.stepMs', min: 0, max: 60_000, unit: 'ms', what: "llama.cpp's calibrated cost per decoded token" },
    { path: 'measured.calibration.quants[].decodeGflops', min: 0, max: 1e7, minExclusive: true, unit: 'GFLOP/s', what: "llama.cpp's calibrated decode rate" },
    { path: 'measured.calibration.quants[].prefillGflops', min: 0, max: 1e7, minExclusive: true, unit: 'GFLOP/s', what: "llama.cpp's calibrated prefill rate" },
  ],
  // A measured run: its decode speed; an estimate alone has no time of this machine to show.
  keyFigures(result) {
    const tps = (result as { decode?: { measuredTokensPerSecond?: unknown } }).decode?.measuredTokensPerSecond;
    return { time: typeof tps === 'number' ? `${tps.toFixed(1)} tokens/s` : null, energy: null, estimated: false, title: '' };
  },
  summary: {},
  history: { columns: ['time'], energyDetail: false },
  reportSummary: (result) => llmSummary(result),
  reportCharts: (result) => llmCharts(result),
  reportBlocks: (result) => llmBlocks(result),
  compare: llmComparison,
});
