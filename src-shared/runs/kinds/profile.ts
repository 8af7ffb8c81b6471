/**
 * The 'profile' run kind: a model's counted FLOPs, bytes and parameters per layer, the cost model's
 * predicted latency on the machine and, when it was run with ONNX Runtime, its measured latency,
 * per-layer times, energy and the prediction checked against the measurement. The prediction
 * fields are optional: runs stored before them still validate and render.
 */
import { z } from 'zod';
import type { Run } from '../../api/types.js';
import { opShares, renderOpShareChart } from '../../charts/op-share-chart.js';
import { renderPredictedMeasuredChart, unitName } from '../../charts/predicted-measured-chart.js';
import { renderRooflineChart, type RooflinePoint } from '../../charts/roofline-chart.js';
import { CLOSE_FACTOR } from '../../profiler/prediction-check.js';
import { ENERGY_NOT_MEASURED, formatJoules, withEstimate } from '../../energy/format.js';
import type { CheckUnit, PredictionCheck, ProfileNode, ProfileResult } from '../../profiler/types.js';
import { arr, compareRow, energyBlocks, energyCompareRow, energyCompareRows, isObject, num, RATIO_NOTE, REPORT_CHART_WIDTH, row, str, table, warningsBlock, type ReportBlock, type ReportRow } from '../../reports/report-parts.js';
import { DAY, energyRanges } from '../ranges.js';
import { anyJson, arr as list, bool, energyReportSchema, lo, name, num as number, numOrNull, text, warnings } from '../schema-parts.js';
import { defineKind, type ReportKindContext, type TypedRun } from './entry.js';
import { energyOf, isObject as isRecord, num as finite } from './figures.js';
import { dimsText, fromSql, join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';
import type { SafeMarkup } from '../../markup/markup.js';

export const profileResultSchema = lazySchema(() => lo({
  model: lo({
    name: text,
    opset: number,
    producer: text,
    fileBytes: number,
    inputs: list(lo({ name: text, shape: list(z.union([number, name])), dtype: name })),
    dims: z.record(z.string(), number),
  }),
  totals: lo({ params: number, macs: number, flops: number, otherOps: number, weightBytes: number, activationBytes: number }),
  nodes: list(
    lo({
      name: text,
      opType: name,
      outputShape: list(z.union([number, name])).nullable(),
      params: number,
      macs: number,
      flops: number,
      otherOps: number,
      bytesRead: number,
      bytesWritten: number,
      intensity: numOrNull,
      block: text.nullable(),
      counted: bool,
      predictedMs: numOrNull.optional(),
    }),
  ),
  uncounted: list(lo({ opType: name, count: number, reason: z.enum(['no-counter', 'unknown-shape', 'subgraph']).optional() })),
  warnings,
  predicted: lo({ latencyMs: number, basis: text, measured: bool, factors: z.record(z.string(), number).optional(), outputsMs: number.optional() }).optional(),
  measured: lo({
    latencyMs: lo({ median: number, p90: number, runs: number }),
    profiledLatencyMs: number.optional(),
    profilerCostUs: number.optional(),
    threads: number,
    nodes: list(lo({ name: text, ms: number, achievedGflops: numOrNull, kernels: list(text).optional(), split: bool.optional() })),
    unmapped: list(lo({ name: text, ms: number })),
    groups: list(
      lo({ kernel: text, opType: name, how: z.enum(['fused', 'helper']), helperOf: text.optional(), members: list(text), ms: number, split: bool }),
    ).optional(),
  }).optional(),
  check: lo({
    // JSON has no NaN: a ratio over a zero prediction is stored as null.
    latencyRatio: numOrNull,
    predictedMs: number,
    measuredMs: number,
    units: list(lo({ nodes: list(text), opType: name, predictedMs: number, measuredMs: number })),
    closeUnitShare: number,
    closeTimeShare: number,
    byOpType: list(lo({ opType: name, measuredMs: number, predictedMs: number, ratio: numOrNull, units: number })),
    unattributedMs: number,
    unattributedShare: number,
    speedCorrectedRatio: numOrNull.optional(),
  }).optional(),
  speed: lo({ shape: text, nowGflops: number, benchmarkGflops: number, ratio: number, small: lo({ shape: text, nowGflops: number, benchmarkGflops: number, ratio: number }).optional() }).optional(),
  energy: energyReportSchema.optional(),
  energyEfficiency: lo({ joulesPerInference: numOrNull, joulesPerToken: numOrNull, tokensPerInference: numOrNull }).optional(),
  whatifs: lo({}).optional(),
}));

// ---- report ---------------------------------------------------------------------------------

function profileBlocks(r: ProfileResult): ReportBlock[] {
  const t = r.totals;
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'model',
      title: 'Model',
      rows: [
        row('name', 'Name', r.model.name),
        row('opset', 'Opset', r.model.opset),
        row('producer', 'Producer', r.model.producer),
        row('fileBytes', 'File size', r.model.fileBytes, 'B'),
        ...r.model.inputs.map((i) => row(`input.${i.name}`, `Input ${i.name}`, `${i.dtype} [${i.shape.join(', ')}]`)),
        ...Object.entries(r.model.dims ?? {}).map(([k, v]) => row(`dim.${k}`, `Dimension ${k}`, v)),
      ],
    },
    {
      type: 'kv',
      id: 'totals',
      title: 'Totals',
      rows: [
        row('params', 'Parameters', t.params),
        row('macs', 'MACs', t.macs),
        row('flops', 'FLOPs (2 × MACs, matrix products and convolutions)', t.flops),
        row('otherOps', 'Other operations', t.otherOps),
        row('weightBytes', 'Weights', t.weightBytes, 'B'),
        row('activationBytes', 'Peak activations', t.activationBytes, 'B'),
      ],
    },
  ];
  blocks.push(...predictionBlocks(r));
  if (r.measured) {
    const m = r.measured;
    blocks.push({
      type: 'kv',
      id: 'measured',
      title: 'Measured (ONNX Runtime)',
      rows: [
        row('latencyMs.median', 'Latency, median', m.latencyMs.median, 'ms'),
        row('latencyMs.p90', 'Latency, p90', m.latencyMs.p90, 'ms'),
        row('latencyMs.runs', 'Runs', m.latencyMs.runs),
        row('threads', 'Threads', m.threads),
        // The per-layer times come from a second session with ORT's profiler on (run-model.ts).
        ...(m.profiledLatencyMs !== undefined ? [row('profiledLatencyMs', 'Latency with the profiler on (the per-layer times)', m.profiledLatencyMs, 'ms')] : []),
        // …less the profiler's own cost on each kernel, measured in the same run.
        ...(m.profilerCostUs !== undefined ? [row('profilerCostUs', "Profiler's cost per kernel (taken out of the per-layer times)", m.profilerCostUs, 'µs')] : []),
      ],
    });
    // Energy is sampled during the measured run only: a count-only profile has none to report.
    blocks.push(...energyBlocks(r.energy, { profile: r.energyEfficiency }, r.warnings));
  }
  const shares = opShares(r.nodes, 12);
  blocks.push(
    table(
      'op-share',
      'FLOPs and bytes by op type',
      [{ key: 'opType', label: 'Op type' }, { key: 'count', label: 'Layers' }, { key: 'flops', label: 'FLOPs' }, { key: 'bytes', label: 'Bytes moved', unit: 'B' }, { key: 'flopsShare', label: 'FLOPs share' }, { key: 'bytesShare', label: 'Bytes share' }],
      shares.map((s) => ({ key: s.opType, cells: [s.opType, s.count, s.flops, s.bytes, s.flopsShare, s.bytesShare] })),
    ),
  );
  if (r.uncounted.length) {
    blocks.push(
      table(
        'uncounted',
        'Not counted in the totals',
        [{ key: 'opType', label: 'Op type' }, { key: 'count', label: 'Nodes' }, { key: 'reason', label: 'Reason' }],
        r.uncounted.map((u) => ({ key: `${u.opType}.${u.reason ?? 'no-counter'}`, cells: [u.opType, u.count, u.reason ?? 'no-counter'] })),
      ),
    );
  }
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

/**
 * The cost model's prediction (latency and basis) and, for a measured run, its check: the whole
 * model's ratio, the share of measured time within 1.5×, the unattributed kernel time, the ratio
 * per op class and the predicted-against-measured chart. Read defensively: nothing for runs from
 * before predictions.
 */
export function predictionBlocks(r: ProfileResult): ReportBlock[] {
  const p: unknown = r.predicted;
  if (!isObject(p) || num(p.latencyMs) === null) return [];
  const blocks: ReportBlock[] = [];
  const check: PredictionCheck | null = r.measured && isObject(r.check) && num(r.check.predictedMs) !== null ? r.check : null;
  const ratio = check ? num(check.latencyRatio) : null;
  blocks.push({
    type: 'kv',
    id: 'predicted',
    title: check ? 'Predicted vs measured' : 'Predicted (cost model of this machine)',
    rows: [
      row('predicted.latencyMs', 'Latency, predicted', num(p.latencyMs), 'ms'),
      row('predicted.basis', 'Prediction basis', str(p.basis) ?? ''),
      row('predicted.measured', 'Cost model measured on this machine', p.measured === true ? true : p.measured === false ? 'no: theoretical peaks (run the benchmark for a measured model)' : null),
      ...(check
        ? [
            row('check.measuredMs', 'Latency, measured (median)', num(check.measuredMs), 'ms'),
            row('check.latencyRatio', 'Measured ÷ predicted', ratio !== null ? Number(ratio.toPrecision(3)) : null, '×'),
            row('check.closeTimeShare', `Measured time in kernels within ${CLOSE_FACTOR}× of predicted`, percentOf(check.closeTimeShare), '%'),
            row('check.closeUnitShare', `Kernels within ${CLOSE_FACTOR}× of predicted`, percentOf(check.closeUnitShare), '%'),
            row('check.unattributedMs', 'Unattributed kernel time', num(check.unattributedMs), 'ms'),
            row('check.unattributedShare', 'Unattributed share of kernel time', percentOf(check.unattributedShare), '%'),
            ...(isObject(r.speed) && num(r.speed.ratio) !== null
              ? [
                  row('speed.ratio', `Machine speed during the run ÷ at the benchmark (${str(r.speed.shape) ?? 'probe'})`, Number(num(r.speed.ratio)!.toPrecision(3)), '×'),
                  row('check.speedCorrectedRatio', 'Measured ÷ predicted, corrected for that speed', num(check.speedCorrectedRatio) !== null ? Number(num(check.speedCorrectedRatio)!.toPrecision(3)) : null, '×'),
                  ...(isObject(r.speed.small) && num(r.speed.small.ratio) !== null
                    ? [row('speed.small.ratio', `Small-kernel speed during the run ÷ at the benchmark (${str(r.speed.small.shape) ?? 'probe'})`, Number(num(r.speed.small.ratio)!.toPrecision(3)), '×')]
                    : []),
                ]
              : []),
          ]
        : []),
    ],
  });
  if (!check) return blocks;
  const byOp = arr<unknown>(check.byOpType).filter(isObject);
  if (byOp.length) {
    blocks.push(
      table(
        'check.byOpType',
        'Predicted vs measured by op class',
        [{ key: 'opType', label: 'Op class' }, { key: 'units', label: 'Kernels' }, { key: 'predictedMs', label: 'Predicted', unit: 'ms' }, { key: 'measuredMs', label: 'Measured', unit: 'ms' }, { key: 'ratio', label: 'Measured ÷ predicted', unit: '×' }],
        byOp.map((o, i) => ({ key: `${str(o.opType) ?? ''}.${i}`, cells: [str(o.opType) ?? '', num(o.units), num(o.predictedMs), num(o.measuredMs), round3(num(o.ratio))] })),
      ),
    );
  }
  const units = arr<unknown>(check.units).filter((u): u is CheckUnit => isObject(u) && Array.isArray(u.nodes) && num(u.predictedMs) !== null && num(u.measuredMs) !== null);
  if (units.length) {
    // Slowest first, each fused group's layers in graph order.
    const index = new Map(arr<ProfileNode>(r.nodes).map((n, i) => [n.name, i] as const));
    const at = (name: unknown) => index.get(String(name)) ?? Number.MAX_SAFE_INTEGER;
    const top = [...units]
      .sort((a, b) => b.measuredMs - a.measuredMs)
      .slice(0, 15)
      .map((u) => ({ ...u, nodes: [...u.nodes].map(String).sort((a, b) => at(a) - at(b)) }));
    blocks.push(
      table(
        'check.units',
        `Predicted vs measured: the slowest ${top.length} of ${units.length} kernels`,
        [{ key: 'layers', label: 'Layer (or fused layers)' }, { key: 'opType', label: 'Op type' }, { key: 'predictedMs', label: 'Predicted', unit: 'ms' }, { key: 'measuredMs', label: 'Measured', unit: 'ms' }, { key: 'ratio', label: 'Measured ÷ predicted', unit: '×' }],
        top.map((u, i) => ({
          key: `${i}`,
          cells: [`${u.nodes.length > 1 ? 'fused: ' : ''}${unitName(u.nodes, 4)}`, str(u.opType) ?? '', u.predictedMs, u.measuredMs, u.predictedMs > 0 && u.measuredMs > 0 ? round3(u.measuredMs / u.predictedMs) : null],
        })),
        'A kernel ONNX Runtime fused from several layers is one row naming its members: it is measured as a whole and compared with the sum of their predictions.',
      )
    );
  }
  return blocks;
}

/** The kernels whose predicted and measured times are both known (the check's units). */
function checkUnits(r: ProfileResult): CheckUnit[] {
  const check = r.measured && isObject(r.check) ? r.check : null;
  return arr<unknown>(check?.units).filter((u): u is CheckUnit => isObject(u) && Array.isArray(u.nodes) && num(u.predictedMs) !== null && num(u.measuredMs) !== null);
}

/** Each measured layer at its arithmetic intensity and achieved throughput (the Models page's dots on the roofline). */
function measuredPoints(r: ProfileResult): RooflinePoint[] {
  const byName = new Map(arr<ProfileNode>(r.nodes).map((n) => [n.name, n] as const));
  return arr<{ name: string; ms: number; achievedGflops: number | null }>(r.measured?.nodes).flatMap((m) => {
    const n = byName.get(m.name);
    const intensity = num(n?.intensity);
    const gflops = num(m.achievedGflops);
    if (!n || !(num(m.ms)! > 0) || intensity === null || !(intensity > 0) || gflops === null || !(gflops > 0)) return [];
    return [{ label: `${m.name} (${n.opType})`, intensity, gflops }];
  });
}

/** The summary's key figures: the model's size and work, its predicted and measured latency and their ratio. */
function profileSummary(r: ProfileResult): ReportRow[] {
  const t = isObject(r.totals) ? r.totals : null;
  const rows: ReportRow[] = [];
  if (t) rows.push(row('totals.params', 'Parameters', num(t.params)), row('totals.flops', 'FLOPs per inference', num(t.flops), 'FLOPs'), row('totals.weightBytes', 'Weights', num(t.weightBytes), 'B'));
  if (isObject(r.predicted) && num(r.predicted.latencyMs) !== null) rows.push(row('predicted.latencyMs', 'Latency, predicted', num(r.predicted.latencyMs), 'ms'));
  if (isObject(r.measured) && isObject(r.measured.latencyMs)) rows.push(row('measured.latencyMs.median', 'Latency, measured (median)', num(r.measured.latencyMs.median), 'ms'));
  const ratio = r.measured && isObject(r.check) ? num(r.check.latencyRatio) : null;
  if (ratio !== null) rows.push(row('check.latencyRatio', 'Measured ÷ predicted', Number(ratio.toPrecision(3)), '×'));
  if (!r.measured) rows.push(row('measured', 'Run with ONNX Runtime', 'no: counted only'));
  return rows;
}

/** The Models page's charts: the op share, the measured layers on the machine's roofline, predicted against measured per kernel. */
function profileCharts(r: ProfileResult, { roofline }: ReportKindContext): ReportBlock[] {
  const charts: Array<{ caption: string; svg: SafeMarkup }> = [{ caption: 'Where the FLOPs and bytes go', svg: renderOpShareChart(arr<ProfileNode>(r.nodes), { width: REPORT_CHART_WIDTH }) }];
  const points = measuredPoints(r);
  if (roofline && points.length) {
    charts.push({ caption: `The measured layers on this machine's roofline (${points.length} layer${points.length === 1 ? '' : 's'} with a measured time): each at its arithmetic intensity against the throughput it achieved`, svg: renderRooflineChart(roofline, { width: REPORT_CHART_WIDTH, extraPoints: points }) });
  }
  const blocks: ReportBlock[] = [{ type: 'charts', id: 'charts', title: 'Charts', charts }];
  if (r.measured && points.length && !roofline) blocks.push({ type: 'notes', id: 'charts.roofline', title: 'Layers on the roofline', items: ["No benchmark of this machine is stored, so its layers are not placed on a roofline: run the quick benchmark on it."] });
  const units = checkUnits(r);
  if (units.length) {
    blocks.push({
      type: 'charts',
      id: 'check.chart',
      title: 'Predicted vs measured per kernel',
      charts: [{ caption: `Predicted against measured time per kernel (log–log); the diagonal is a perfect prediction, the band within ${CLOSE_FACTOR}×`, svg: renderPredictedMeasuredChart(units, { width: REPORT_CHART_WIDTH, closeFactor: CLOSE_FACTOR }) }],
    });
  }
  return blocks;
}

function percentOf(share: unknown): number | null {
  const v = num(share);
  return v === null ? null : Number((v * 100).toFixed(1));
}

function round3(v: number | null): number | null {
  return v === null ? null : Number(v.toPrecision(3));
}

// ---- comparison -----------------------------------------------------------------------------

function profileComparison(typed: ReadonlyArray<TypedRun<ProfileResult>>): ReportBlock[] {
  const runs = typed.map((t) => t.run);
  const rs = typed.map((t) => t.result);
  const rows = [
    compareRow('params', 'Parameters', rs.map((r) => num(r?.totals?.params))),
    compareRow('macs', 'MACs', rs.map((r) => num(r?.totals?.macs))),
    compareRow('flops', 'FLOPs', rs.map((r) => num(r?.totals?.flops))),
    compareRow('weightBytes', 'Weights', rs.map((r) => num(r?.totals?.weightBytes)), 'B'),
    compareRow('activationBytes', 'Peak activations', rs.map((r) => num(r?.totals?.activationBytes)), 'B'),
    compareRow('predicted.latencyMs', 'Predicted latency (before the run)', rs.map((r) => num(r?.predicted?.latencyMs)), 'ms'),
    compareRow('latencyMs.median', 'Measured latency, median', rs.map((r) => num(r?.measured?.latencyMs?.median)), 'ms'),
    compareRow('check.latencyRatio', 'Measured ÷ predicted', rs.map((r) => num(r?.check?.latencyRatio)), '×'),
    compareRow('check.closeTimeShare', 'Measured time in kernels predicted within 1.5×', rs.map((r) => num(r?.check?.closeTimeShare)), ''),
    energyCompareRow('energy.joulesPerInference', 'Energy per inference', rs.map((r) => num(r?.energyEfficiency?.joulesPerInference)), 'J', rs.map((r) => r?.energy)),
    energyCompareRow('energy.joulesPerToken', 'Energy per token', rs.map((r) => num(r?.energyEfficiency?.joulesPerToken)), 'J', rs.map((r) => r?.energy)),
    ...energyCompareRows(rs.map((r) => r?.energy)),
  ].filter((r) => r.values.some((v) => v !== null));
  return [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }, ...perLayerComparison(runs, rs)];
}

/**
 * Per layer: the same model on several machines (nodes matched by name) compares each layer's
 * measured time; different models compare per block (FLOPs and, when measured, time), which is
 * what lines up between architectures. The 30 heaviest rows of the first run are shown.
 */
function perLayerComparison(runs: Run[], rs: Array<ProfileResult | undefined>): ReportBlock[] {
  const names = rs.map((r) => new Set(arr<ProfileNode>(r?.nodes).map((n) => n.name)));
  const first = arr<ProfileNode>(rs[0]?.nodes);
  const sameModel = first.length > 0 && names.every((set) => set.size === names[0]!.size && first.every((n) => set.has(n.name)));
  const msOf = (r: ProfileResult | undefined) => new Map(arr<{ name: string; ms: number }>(r?.measured?.nodes).map((n) => [n.name, n.ms]));
  if (sameModel) {
    const times = rs.map(msOf);
    if (times.every((t) => t.size === 0)) return [];
    const top = [...first].sort((a, b) => (times[0]!.get(b.name) ?? 0) - (times[0]!.get(a.name) ?? 0) || b.flops - a.flops).slice(0, 30);
    const rows = top.map((n) => compareRow(`layer.${n.name}.ms`, `${n.name} (${n.opType})`, times.map((t) => t.get(n.name) ?? null), 'ms'));
    return [{ type: 'comparison', id: 'per-layer', title: 'Per layer: measured time (same model on each machine)', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
  }
  // A row with one run's value compares nothing: different architectures name their blocks
  // differently, so rows are kept only where two runs or more have the block. When fewer than two
  // blocks line up, the runs are compared per op class (Conv, MatMul, Softmax…), which every
  // architecture shares.
  const groupBy = (r: ProfileResult | undefined, keyOf: (n: ProfileNode) => string) => {
    const m = new Map<string, { flops: number; ms: number | null }>();
    const times = msOf(r);
    for (const n of arr<ProfileNode>(r?.nodes)) {
      const key = keyOf(n);
      const e = m.get(key) ?? { flops: 0, ms: null };
      e.flops += n.flops;
      const t = times.get(n.name);
      if (t !== undefined) e.ms = (e.ms ?? 0) + t;
      m.set(key, e);
    }
    return m;
  };
  const compared = (groups: Array<Map<string, { flops: number; ms: number | null }>>, prefix: string) =>
    [...new Set(groups.flatMap((g) => [...g.keys()]))]
      .flatMap((k) => [
        compareRow(`${prefix}.${k}.flops`, `${k}: FLOPs`, groups.map((g) => g.get(k)?.flops ?? null)),
        compareRow(`${prefix}.${k}.ms`, `${k}: measured time`, groups.map((g) => g.get(k)?.ms ?? null), 'ms'),
      ])
      .filter((r) => r.values.filter((v) => v !== null).length >= 2)
      .slice(0, 60);
  const byBlock = compared(rs.map((r) => groupBy(r, (n) => n.block ?? '(other)')), 'block');
  if (byBlock.filter((r) => r.key.endsWith('.flops')).length >= 2) {
    return [{ type: 'comparison', id: 'per-block', title: 'Per block: FLOPs and measured time (blocks the models share)', runIds: runs.map((r) => r.id), rows: byBlock, note: RATIO_NOTE }];
  }
  const byOp = compared(rs.map((r) => groupBy(r, (n) => n.opType)), 'op');
  if (!byOp.length) return [];
  return [{ type: 'comparison', id: 'per-op', title: 'Per op class: FLOPs and measured time (the models share no blocks)', runIds: runs.map((r) => r.id), rows: byOp, note: RATIO_NOTE }];
}

export const profileKind = defineKind<'profile', ProfileResult>({
  name: 'profile',
  subject: { paths: ['$.model.name', '$.model.dims', '$.measured.threads'], text: (v) => join([part(v[0]), dimsText(fromSql(v[1])), part(v[2]) ? `run on ${part(v[2])} thread${v[2] === 1 ? '' : 's'}` : null]) },
  label: 'model run',
  measured: true,
  schemas: { params: anyJson, result: profileResultSchema },
  plausible: [
    { path: 'measured.latencyMs.median', min: 0, max: DAY * 1000, minExclusive: true, unit: 'ms', what: "a model's latency" },
    { path: 'measured.latencyMs.p90', min: 0, max: DAY * 1000, minExclusive: true, unit: 'ms', what: "a model's latency" },
    { path: 'measured.profiledLatencyMs', min: 0, max: DAY * 1000, minExclusive: true, unit: 'ms', what: "a model's latency with the profiler on" },
    { path: 'measured.profilerCostUs', min: 0, max: 1e6, unit: 'µs', what: "the profiler's cost per kernel" },
    { path: 'energyEfficiency.joulesPerInference', min: 0, max: 3.6e9, unit: 'J', what: 'the energy of one inference' },
    { path: 'totals.params', min: 0, max: 1e15, unit: '', what: "a model's parameter count" },
    { path: 'totals.flops', min: 0, max: 1e21, unit: 'FLOP', what: "a model's FLOPs per inference" },
    ...energyRanges('a model run'),
  ],
  summary: { elapsed: '$.elapsedSeconds', latency: '$.measured.latencyMs.median', energy: true, joulesPerInference: '$.energyEfficiency.joulesPerInference' },
  keyFigures(result) {
    const { energy, source } = energyOf(result);
    // A model run: energy exists only when it was measured (run with ONNX Runtime).
    const measured = isRecord(result.measured) && isRecord(result.measured.latencyMs) ? result.measured : null;
    if (!measured) return { time: null, energy: null, estimated: false, title: 'counted only, not run: no time or energy' };
    const median = finite((measured.latencyMs as Record<string, unknown>).median);
    const perInference = isRecord(result.energyEfficiency) ? finite(result.energyEfficiency.joulesPerInference) : null;
    return {
      time: median !== null ? `${median >= 100 ? median.toFixed(0) : median >= 1 ? median.toFixed(2) : median.toFixed(3)} ms/inference` : null,
      energy: energy ? withEstimate(perInference !== null ? `${formatJoules(perInference)}/inference` : formatJoules(energy.joules), energy.estimated) : null,
      estimated: energy?.estimated ?? false,
      title: energy ? `${perInference !== null ? `${formatJoules(perInference)} per inference, ` : ''}${formatJoules(energy.joules)} over the measured run; ${source}` : ENERGY_NOT_MEASURED,
    };
  },
  history: { columns: ['time', 'energy'], energyDetail: true },
  reportSummary: (result) => profileSummary(result),
  reportCharts: (result, context) => profileCharts(result, context),
  reportBlocks: (result) => profileBlocks(result),
  compare: profileComparison,
});
