/**
 * The 'attention' run kind: an attention-variant sweep over sequence lengths (predicted time,
 * FLOPs, activations and K/V cache per variant, the crossovers) and, when measured, the measured
 * attention core with its energy.
 */
import { z } from 'zod';
import type { AttentionSweepResult } from '../../api/attention.js';
import { renderAttentionSweepChart } from '../../charts/attention-sweep-chart.js';
import { formatJoules, withEstimate } from '../../energy/format.js';
import { arr, compareRow, flatBlock, num, RATIO_NOTE, REPORT_CHART_WIDTH, row, table, warningsBlock, type ReportBlock } from '../../reports/report-parts.js';
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
    flatBlock('shape', 'Model shape', r.shape),
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
  if (r.crossovers.length) {
    blocks.push(table('crossovers', 'Crossovers', [{ key: 'a', label: 'Cheaper' }, { key: 'b', label: 'Than' }, { key: 'seq', label: 'Beyond sequence length' }], r.crossovers.map((c) => ({ key: `${c.a}/${c.b}`, cells: [c.a, c.b, c.seq] }))));
  }
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
  if (r.points.some((p) => p.predictedSeconds > 0)) {
    const svg = renderAttentionSweepChart(
      { points: r.points, metric: 'predictedSeconds', crossovers: r.crossovers, memoryBytes: r.device.memoryBytes, memoryLabel: r.device.name },
      { width: REPORT_CHART_WIDTH },
    );
    blocks.push({ type: 'charts', id: 'charts', title: 'Charts', charts: [{ caption: `Predicted forward time on ${r.device.name}`, svg }] });
  }
  blocks.push(...warningsBlock('warnings', r.warnings));
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
  reportBlocks: (result) => attentionBlocks(result),
  compare: attentionComparison,
});
