/**
 * The 'attention' run kind: an attention-variant sweep over sequence lengths (predicted time,
 * FLOPs, activations and K/V cache per variant, the crossovers) and, when measured, the measured
 * attention core with its energy.
 */
import { z } from 'zod';
import type { AttentionSweepResult } from '../../api/attention.js';
import { ATTENTION_METRICS, ATTENTION_MEMORY_METRICS, renderAttentionSweepChart, type AttentionMetric } from '../../charts/attention-sweep-chart.js';
import type { SafeMarkup } from '../../markup/markup.js';
import { formatJoules, withEstimate } from '../../energy/format.js';
import { arr, compareRow, isObject, num, RATIO_NOTE, REPORT_CHART_WIDTH, row, table, warningsBlock, type ReportBlock, type ReportRow, type ReportTableBlock } from '../../reports/report-parts.js';
import { DAY, energyRanges } from '../ranges.js';
import { anyJson, arr as list, bool, energyReportSchema, lo, name, num as number, numOrNull, text, warnings } from '../schema-parts.js';
import { defineKind, type TypedRun } from './entry.js';
import { energyOf } from './figures.js';
import { fromSql, join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

export const attentionResultSchema = lazySchema(() => lo({
  shape: lo({ dModel: number, heads: number, headDim: number, kvHeads: number, ffn: number, layers: number, batch: number, bytesPerElement: number, dtype: z.enum(['fp32', 'bf16', 'fp16']) }),
  variants: list(name),
  seqs: list(number),
  device: lo({ name, peakGflops: number, bandwidthGBs: number, memoryBytes: number, sramBytes: number, source: text }),
  points: list(
    lo({
      variant: name,
      seq: number,
      flops: number,
      attentionFlops: number,
      activationBytes: number,
      bytesMoved: number,
      intensity: numOrNull,
      kvCacheBytes: number,
      predictedSeconds: number,
      predictedOn: name.optional(),
      attentionSeconds: number.optional(),
      attentionBound: z.enum(['compute', 'memory']).optional(),
      measuredSeconds: number.optional(),
      measuredPeakBytes: number.optional(),
    }),
  ),
  crossovers: list(lo({ a: name, b: name, seq: number })),
  warnings,
  measured: lo({
    threads: numOrNull,
    points: list(
      lo({
        variant: name,
        seq: number,
        seconds: number.optional(),
        predictedSeconds: number.optional(),
        ratio: numOrNull.optional(),
        peakBytes: number.optional(),
        verified: bool.optional(),
        skipped: text.optional(),
        failed: text.optional(),
        joulesPerCall: numOrNull.optional(),
      }),
    ),
    slopes: list(lo({ variant: name, slope: numOrNull, points: number })),
    note: text,
  }).optional(),
  energy: energyReportSchema.optional(),
  runId: number.nullable().optional(),
}));

// ---- report ---------------------------------------------------------------------------------

function attentionBlocks(r: AttentionSweepResult): ReportBlock[] {
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'shape',
      title: 'Model shape',
      rows: [
        row('layers', 'Layers', r.shape.layers),
        row('dModel', 'd_model', r.shape.dModel),
        row('heads', 'Heads', r.shape.heads),
        row('headDim', 'Head size', r.shape.headDim),
        row('kvHeads', 'K/V heads', r.shape.kvHeads),
        row('ffn', 'FFN width', r.shape.ffn),
        row('batch', 'Batch', r.shape.batch),
        row('dtype', 'Type', r.shape.dtype),
        row('bytesPerElement', 'Bytes per element', r.shape.bytesPerElement, 'B'),
      ],
    },
    {
      type: 'kv',
      id: 'device',
      title: 'Device',
      rows: [row('name', 'Device', r.device.name), row('peakGflops', 'Peak', r.device.peakGflops, 'GFLOP/s'), row('bandwidthGBs', 'Bandwidth', r.device.bandwidthGBs, 'GB/s'), row('memoryBytes', 'Memory', r.device.memoryBytes, 'B'), row('source', 'Source', r.device.source)],
    },
    table(
      'points',
      'Sweep',
      [
        { key: 'variant', label: 'Variant' },
        { key: 'seq', label: 'Sequence' },
        { key: 'flops', label: 'Model FLOPs' },
        { key: 'attentionFlops', label: 'Attention FLOPs' },
        { key: 'activationBytes', label: 'Activations', unit: 'B' },
        { key: 'kvCacheBytes', label: 'K/V cache', unit: 'B' },
        { key: 'predictedSeconds', label: 'Predicted time', unit: 's' },
      ],
      r.points.map((p) => ({ key: `${p.variant}@${p.seq}`, cells: [p.variant, p.seq, p.flops, p.attentionFlops, p.activationBytes, p.kvCacheBytes, p.predictedSeconds] })),
    ),
  ];
  if (r.measured) {
    blocks.push(
      table(
        'measured',
        'Measured attention core (one layer)',
        [{ key: 'variant', label: 'Variant' }, { key: 'seq', label: 'Sequence' }, { key: 'seconds', label: 'Measured', unit: 's' }, { key: 'predictedSeconds', label: 'Predicted', unit: 's' }, { key: 'ratio', label: 'Measured ÷ predicted' }, { key: 'status', label: 'Status' }],
        r.measured.points.map((p) => ({ key: `${p.variant}@${p.seq}`, cells: [p.variant, p.seq, p.seconds ?? null, p.predictedSeconds ?? null, p.ratio ?? null, p.failed ? `failed: ${p.failed}` : p.skipped ? `skipped: ${p.skipped}` : 'ok'] })),
        r.measured.note,
      ),
    );
  }
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

/** The crossovers as a table (shown beside the predicted-time chart rather than as labels on it). */
function crossoversTable(r: AttentionSweepResult): ReportTableBlock {
  return table(
    'crossovers',
    'Crossovers (predicted time)',
    [{ key: 'a', label: 'Cheaper' }, { key: 'b', label: 'Than' }, { key: 'seq', label: 'Beyond sequence length' }],
    arr<AttentionSweepResult['crossovers'][number]>(r.crossovers).map((c) => ({ key: `${c.a}/${c.b}`, cells: [c.a, c.b, Math.round(c.seq)] })),
    r.crossovers.length ? undefined : 'No variant overtakes another in this range.',
  );
}

/** The summary's key figures: the variants and lengths swept, the device, the longest length's fastest variant, the crossovers. */
function attentionSummary(r: AttentionSweepResult): ReportRow[] {
  const points = arr<AttentionSweepResult['points'][number]>(r.points).filter((p) => num(p.predictedSeconds) !== null && p.predictedSeconds > 0);
  const longest = points.length ? Math.max(...points.map((p) => p.seq)) : null;
  const atLongest = points.filter((p) => p.seq === longest).sort((a, b) => a.predictedSeconds - b.predictedSeconds);
  const rows: ReportRow[] = [
    row('variants', 'Variants', arr<string>(r.variants).join(', ')),
    row('seqs', 'Sequence lengths', arr<number>(r.seqs).join(', ')),
    row('device', 'Device', isObject(r.device) ? `${r.device.name} (${r.device.source})` : null),
  ];
  if (atLongest[0]) rows.push(row('fastest', `Fastest at ${longest} tokens (predicted)`, `${atLongest[0].variant}`), row('fastest.seconds', `Its predicted forward time`, atLongest[0].predictedSeconds, 's'));
  rows.push(row('crossovers', 'Crossovers', arr(r.crossovers).length));
  if (isObject(r.measured)) rows.push(row('measured.points', 'Points measured', arr<{ seconds?: number }>(r.measured.points).filter((p) => p.seconds !== undefined).length));
  return rows;
}

/** Metrics drawn in the report (the page shows one at a time through its selector). */
const REPORT_METRICS: readonly AttentionMetric[] = ['predictedSeconds', 'attentionFlops', 'activationBytes', 'kvCacheBytes'];

/**
 * The Transformers page's charts: the sweep's curves of predicted time (with the crossovers in a
 * table beside it), attention FLOPs, activations and K/V cache (with the device's memory), and,
 * when measured, the measured attention core against its prediction.
 */
function attentionCharts(r: AttentionSweepResult): ReportBlock[] {
  const points = arr<AttentionSweepResult['points'][number]>(r.points);
  if (!points.length) return [];
  const memoryIsRam = String(r.device.name).startsWith('this machine');
  const charts = REPORT_METRICS.filter((m) => points.some((p) => num(p[m]) !== null && (p[m] as number) > 0)).map((metric) => ({
    caption: `${ATTENTION_METRICS[metric].label}${metric === 'predictedSeconds' ? ` on ${r.device.name}` : ''}`,
    svg: renderAttentionSweepChart(
      {
        points,
        metric,
        // The stored crossovers are of predicted time: marked on that chart (small markers, no labels), listed in the table beside it.
        ...(metric === 'predictedSeconds' ? { crossovers: arr<AttentionSweepResult['crossovers'][number]>(r.crossovers) } : {}),
        ...(ATTENTION_MEMORY_METRICS.includes(metric) ? { memoryBytes: r.device.memoryBytes, memoryLabel: memoryIsRam ? 'RAM' : 'GPU memory' } : {}),
      },
      { width: REPORT_CHART_WIDTH },
    ),
  }));
  const [first, ...rest] = charts;
  const blocks: ReportBlock[] = [];
  if (first) blocks.push({ type: 'charts', id: 'charts', title: 'Charts', charts: [first], aside: crossoversTable(r) });
  if (rest.length) blocks.push({ type: 'charts', id: 'charts.metrics', title: 'Work and memory', charts: rest });
  if (r.measured) {
    // As the page: the graph's measured time against the attention kernel's predicted time, per layer.
    const measured = arr<NonNullable<AttentionSweepResult['measured']>['points'][number]>(r.measured.points)
      .filter((p) => p.predictedSeconds !== undefined)
      .flatMap((p) => {
        const base = points.find((q) => q.variant === p.variant && q.seq === p.seq);
        return base ? [{ ...base, predictedSeconds: p.predictedSeconds!, ...(p.seconds !== undefined ? { measuredSeconds: p.seconds } : {}) }] : [];
      })
      .map(({ measuredSeconds, ...base }) => (measuredSeconds === undefined ? base : { ...base, measuredSeconds }));
    if (measured.length) {
      const svg: SafeMarkup = renderAttentionSweepChart({ points: measured, metric: 'predictedSeconds', measured: true }, { width: REPORT_CHART_WIDTH });
      blocks.push({ type: 'charts', id: 'charts.measured', title: 'Measured attention core', charts: [{ caption: 'Measured (dashed) against predicted time of one layer, with the error factor at each point', svg }] });
    }
  }
  return blocks;
}

// ---- comparison -----------------------------------------------------------------------------

function attentionComparison(typed: ReadonlyArray<TypedRun<AttentionSweepResult>>): ReportBlock[] {
  const runs = typed.map((t) => t.run);
  const rs = typed.map((t) => t.result);
  const pointsOf = (r: AttentionSweepResult | undefined) => arr<AttentionSweepResult['points'][number]>(r?.points).filter((p) => num(p.predictedSeconds) !== null && p.predictedSeconds > 0);
  const seqSets = rs.map((r) => new Set(pointsOf(r).map((p) => p.seq)));
  const common = [...seqSets[0]!].filter((s) => seqSets.every((set) => set.has(s)));
  if (!common.length) return [{ type: 'notes', id: 'comparison', title: 'Key numbers', items: ['The sweeps share no sequence length with a predicted time, so there is nothing to set side by side.'] }];
  const seq = Math.max(...common);
  const variants = [...new Set(rs.flatMap((r) => pointsOf(r).filter((p) => p.seq === seq).map((p) => p.variant)))];
  const rows = variants.map((v) => compareRow(`predictedSeconds.${v}@${seq}`, `${v} at ${seq}`, rs.map((r) => pointsOf(r).find((p) => p.variant === v && p.seq === seq)?.predictedSeconds ?? null), 's'));
  return [{ type: 'comparison', id: 'comparison', title: `Predicted forward time at sequence length ${seq} (the largest in every sweep)`, runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
}

export const attentionKind = defineKind<'attention', AttentionSweepResult>({
  name: 'attention',
  subject: { paths: ['$.variants', '$.seqs', '$.device.name'], text: (v) => { const variants = fromSql(v[0]); const seqs = fromSql(v[1]); return join([Array.isArray(variants) ? variants.slice(0, 4).join(', ') + (variants.length > 4 ? ` +${variants.length - 4}` : '') : null, Array.isArray(seqs) && seqs.length ? `seq ${seqs[0]}–${seqs[seqs.length - 1]}` : null, part(v[2]) ? `on ${part(v[2])}` : null], '; '); } },
  label: 'attention sweep',
  measured: true,
  schemas: { params: anyJson, result: attentionResultSchema },
  plausible: [
    { path: 'points[].predictedSeconds', min: 0, max: 365 * DAY, unit: 's', what: 'a predicted time' },
    { path: 'measured.points[].seconds', min: 0, max: DAY, minExclusive: true, unit: 's', what: 'a measured attention time' },
    ...energyRanges('a measured sweep'),
  ],
  summary: { energy: true },
  // A measured attention sweep: its energy; a predicted-only sweep has none to show.
  keyFigures(result) {
    const { energy, source } = energyOf(result);
    return {
      time: null,
      energy: energy ? withEstimate(formatJoules(energy.joules), energy.estimated) : null,
      estimated: energy?.estimated ?? false,
      title: energy ? `${formatJoules(energy.joules)} over the measurement; ${source}` : '',
    };
  },
  history: { columns: ['time', 'energy'], energyDetail: false },
  reportSummary: (result) => attentionSummary(result),
  reportCharts: (result) => attentionCharts(result),
  reportBlocks: (result) => attentionBlocks(result),
  compare: attentionComparison,
});
