/**
 * The 'bench' run kind: a benchmark suite's measurements on one machine (GEMM throughput, STREAM
 * bandwidth, memory latency, the WebGPU benchmark, the roofline) with their energy.
 */
import { z } from 'zod';
import { BENCH_SUITES, type BenchResult } from '../../api/bench.js';
import type { Roofline } from '../../bench/roofline.js';
import { renderBandwidthChart } from '../../charts/bandwidth-chart.js';
import { renderLatencyChart } from '../../charts/latency-chart.js';
import { renderPeaksChart } from '../../charts/peaks-chart.js';
import { renderRooflineChart } from '../../charts/roofline-chart.js';
import { ENERGY_NOT_MEASURED, formatJoules, withEstimate } from '../../energy/format.js';
import type { SafeMarkup } from '../../markup/markup.js';
import { arr, compareRow, energyBlocks, energyCompareRow, energyCompareRows, isObject, num, RATIO_NOTE, REPORT_CHART_WIDTH, row, SIDE_BY_SIDE_WIDTH, str, table, warningsBlock, type ReportBlock, type ReportComparisonRow, type ReportRow } from '../../reports/report-parts.js';
import { DAY, energyRanges, GBS_MAX, GFLOPS_MAX } from '../ranges.js';
import { anyJson, arr as list, bool, energyReportSchema, lo, name, num as number, numOrNull, text, warnings } from '../schema-parts.js';
import { defineKind, type ReportKindContext, type TypedRun } from './entry.js';
import { energyOf, num as finite } from './figures.js';
import { join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

const gemmDtype = lazySchema(() => z.enum(['fp32', 'fp16', 'int8']));
const memoryLevel = lazySchema(() => z.enum(['L1', 'L2', 'L3', 'DRAM']));

const gpuBenchSchema = lazySchema(() => z.discriminatedUnion('available', [
  lo({ available: z.literal(false), reason: text, backend: z.enum(['webgpu-dawn', 'webgpu-browser']) }),
  lo({
    available: z.literal(true),
    backend: z.enum(['webgpu-dawn', 'webgpu-browser']),
    adapter: lo({ vendor: name, architecture: name, device: name, description: text, software: bool }),
    gemm: list(
      lo({
        dtype: gemmDtype,
        kernel: z.enum(['tiled', 'naive']),
        m: number,
        n: number,
        k: number,
        gflops: number,
        medianSeconds: number,
        maxAbsError: number,
        tolerance: number,
        checkedEntries: number,
        verified: bool,
      }),
    ),
    bandwidth: lo({ copyGBs: number, readGBs: number.optional(), bytes: number, verified: bool }),
    warnings,
  }),
]));

export const rooflineSchema = lazySchema(() => lo({
  ceilings: list(lo({ kind: z.enum(['compute', 'bandwidth']), name, value: number, source: z.enum(['measured', 'theoretical']), how: text })),
  ridge: lo({ intensity: number, gflops: number, dtype: name, level: name }).nullable(),
}));

/** The cost model's calibration (src-shared/bench/calibration.ts); absent from runs before it existed. */
export const calibrationSchema = lazySchema(() => lo({
  threads: number,
  gemm: list(lo({ batch: number, m: number, n: number, k: number, gflops: number, medianSeconds: number })),
  conv: list(lo({ channels: number, inChannels: number.optional(), groups: number, size: number, kernel: number, stride: number, gflops: number, medianSeconds: number })),
  elementwise: list(lo({ op: z.enum(['Mul', 'Sigmoid']).optional(), broadcast: z.enum(['none', 'channel']), elements: number, GBs: number, medianSeconds: number })).optional(),
  layout: list(lo({ channels: number, size: number, reorderInputSeconds: number, reorderOutputSeconds: number, broadcastMulSeconds: number })).optional(),
  outputs: list(lo({ bytes: number, seconds: number })).optional(),
  overheadUs: number,
  method: text,
}));

export const benchResultSchema = lazySchema(() => lo({
  suite: z.enum(BENCH_SUITES),
  quick: bool,
  threads: number,
  gemm: lo({
    results: list(lo({ dtype: gemmDtype, m: number, n: number, k: number, threads: number, gflops: number, medianSeconds: number, bestSeconds: number, repeats: number })),
    best: z.partialRecord(gemmDtype, number),
    unsupported: list(lo({ dtype: gemmDtype, reason: text })),
  }).optional(),
  memory: lo({
    threads: number,
    arrayBytes: number,
    copyGBs: number,
    scaleGBs: number,
    addGBs: number,
    triadGBs: number,
    levels: list(lo({ name: memoryLevel, bytes: number, GBs: number })),
    sweep: list(lo({ bytes: number, GBs: number })),
    singleThreadSweep: list(lo({ bytes: number, GBs: number })).optional(),
  }).optional(),
  latency: lo({ points: list(lo({ bytes: number, ns: number })), levels: list(lo({ name: memoryLevel, bytes: number, ns: number })) }).optional(),
  gpu: gpuBenchSchema.optional(),
  calibration: calibrationSchema.optional(),
  roofline: rooflineSchema.optional(),
  warnings,
  elapsedSeconds: number,
  energy: energyReportSchema.optional(),
  energyEfficiency: lo({ gemmGflopsPerJoule: z.partialRecord(gemmDtype, numOrNull), streamGBPerJoule: numOrNull }).optional(),
}));

// ---- report ---------------------------------------------------------------------------------

function calibrationBlocks(c: unknown): ReportBlock[] {
  if (!isObject(c)) return [];
  const gemm = arr<Record<string, unknown>>(c.gemm);
  const conv = arr<Record<string, unknown>>(c.conv);
  const layout = arr<Record<string, unknown>>(c.layout);
  const outputs = arr<Record<string, unknown>>(c.outputs);
  return [
    {
      type: 'kv',
      id: 'calibration',
      title: 'Calibration (for the cost model)',
      rows: [row('overheadUs', 'Per-kernel overhead', num(c.overheadUs), 'µs'), row('threads', 'Threads', num(c.threads)), row('method', 'Method', str(c.method))],
    },
    table(
      'calibration.gemm',
      'Calibration: fp32 MatMul per shape',
      [{ key: 'batch', label: 'Batch' }, { key: 'm', label: 'm' }, { key: 'n', label: 'n' }, { key: 'k', label: 'k' }, { key: 'gflops', label: 'Throughput', unit: 'GFLOP/s' }, { key: 'medianSeconds', label: 'Median', unit: 's' }],
      gemm.map((p, i) => ({ key: String(i), cells: [num(p.batch), num(p.m), num(p.n), num(p.k), num(p.gflops), num(p.medianSeconds)] })),
    ),
    table(
      'calibration.conv',
      'Calibration: fp32 Conv per shape',
      [{ key: 'inChannels', label: 'Channels in' }, { key: 'channels', label: 'Channels out' }, { key: 'groups', label: 'Groups' }, { key: 'size', label: 'Output size' }, { key: 'kernel', label: 'Kernel' }, { key: 'stride', label: 'Stride' }, { key: 'gflops', label: 'Throughput', unit: 'GFLOP/s' }, { key: 'medianSeconds', label: 'Median', unit: 's' }],
      conv.map((p, i) => ({ key: String(i), cells: [num(p.inChannels ?? p.channels), num(p.channels), num(p.groups), num(p.size), num(p.kernel), num(p.stride), num(p.gflops), num(p.medianSeconds)] })),
    ),
    ...(layout.length
      ? [
          table(
            'calibration.layout',
            'Calibration: ONNX Runtime layout reorders (NCHWc ↔ NCHW) and the per-channel Mul between them',
            [{ key: 'channels', label: 'Channels' }, { key: 'size', label: 'Image size' }, { key: 'in', label: 'ReorderInput', unit: 'µs' }, { key: 'out', label: 'ReorderOutput', unit: 'µs' }, { key: 'mul', label: 'Broadcast Mul', unit: 'µs' }],
            layout.map((p, i) => ({ key: String(i), cells: [num(p.channels), num(p.size), microseconds(p.reorderInputSeconds), microseconds(p.reorderOutputSeconds), microseconds(p.broadcastMulSeconds)] })),
          ),
        ]
      : []),
    ...(outputs.length
      ? [
          table(
            'calibration.outputs',
            'Calibration: handing a graph output back per run (new memory each run), beyond its kernel',
            [{ key: 'bytes', label: 'Output', unit: 'MiB' }, { key: 'ms', label: 'Time per run', unit: 'ms' }, { key: 'rate', label: 'Rate', unit: 'GB/s' }],
            outputs.map((p, i) => {
              const bytes = num(p.bytes);
              const seconds = num(p.seconds);
              return { key: String(i), cells: [bytes === null ? null : bytes / 2 ** 20, seconds === null ? null : seconds * 1e3, bytes !== null && seconds ? bytes / seconds / 1e9 : null] };
            }),
          ),
        ]
      : []),
  ];
}

/** Seconds as µs; null for a value that is not a finite number. */
function microseconds(v: unknown): number | null {
  const s = num(v);
  return s === null ? null : s * 1e6;
}

/** The WebGPU benchmark: the adapter, one row per GEMM with named columns, the bandwidth; or why it did not run. */
function gpuBlocks(g: Record<string, unknown>): ReportBlock[] {
  const backend = str(g.backend);
  if (g.available !== true) {
    return [{ type: 'notes', id: 'gpu', title: 'GPU benchmark (WebGPU)', items: [`Not run${backend ? ` (${backend})` : ''}: ${str(g.reason) ?? 'no reason given'}.`] }];
  }
  const a = isObject(g.adapter) ? g.adapter : {};
  const b = isObject(g.bandwidth) ? g.bandwidth : {};
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'gpu',
      title: 'GPU benchmark (WebGPU)',
      rows: [
        row('backend', 'Backend', backend),
        row('adapter.vendor', 'Vendor', str(a.vendor)),
        row('adapter.architecture', 'Architecture', str(a.architecture)),
        row('adapter.device', 'Device', str(a.device)),
        row('adapter.description', 'Description', str(a.description)),
        row('adapter.software', 'Software adapter (runs on the CPU)', typeof a.software === 'boolean' ? a.software : null),
        row('bandwidth.copyGBs', 'Copy bandwidth', num(b.copyGBs), 'GB/s'),
        ...(num(b.readGBs) !== null ? [row('bandwidth.readGBs', 'Read bandwidth', num(b.readGBs), 'GB/s')] : []),
        row('bandwidth.bytes', 'Array size', num(b.bytes), 'B'),
        row('bandwidth.verified', 'Data check passed', typeof b.verified === 'boolean' ? b.verified : null),
      ],
    },
    table(
      'gpu.gemm',
      'GPU GEMM',
      [
        { key: 'kernel', label: 'Kernel' },
        { key: 'dtype', label: 'Type' },
        { key: 'm', label: 'm' },
        { key: 'n', label: 'n' },
        { key: 'k', label: 'k' },
        { key: 'medianSeconds', label: 'Median', unit: 's' },
        { key: 'gflops', label: 'Throughput', unit: 'GFLOP/s' },
        { key: 'verified', label: 'Verified' },
        { key: 'maxAbsError', label: 'Max abs error' },
        { key: 'tolerance', label: 'Tolerance' },
        { key: 'checkedEntries', label: 'Entries checked' },
      ],
      arr<Record<string, unknown>>(g.gemm).map((p, i) => ({
        key: String(i),
        cells: [str(p.kernel), str(p.dtype), num(p.m), num(p.n), num(p.k), num(p.medianSeconds), num(p.gflops), typeof p.verified === 'boolean' ? p.verified : null, num(p.maxAbsError), num(p.tolerance), num(p.checkedEntries)],
      })),
    ),
  ];
  const warnings = arr(g.warnings).filter((w): w is string => typeof w === 'string');
  if (warnings.length) blocks.push({ type: 'notes', id: 'gpu.warnings', title: 'GPU benchmark warnings', items: warnings });
  return blocks;
}

/** The summary's key figures: each type's GEMM peak, STREAM triad, DRAM latency, the ridge point. */
function benchSummary(r: BenchResult): ReportRow[] {
  const rows: ReportRow[] = [];
  const best = isObject(r.gemm?.best) ? r.gemm.best : {};
  for (const [d, v] of Object.entries(best)) rows.push(row(`gemm.best.${d}`, `${d} peak (GEMM)`, num(v), 'GFLOP/s'));
  if (isObject(r.memory)) rows.push(row('memory.triadGBs', 'STREAM triad', num(r.memory.triadGBs), 'GB/s'));
  const dram = arr<Record<string, unknown>>(r.latency?.levels).find((l) => l.name === 'DRAM');
  if (dram) rows.push(row('latency.DRAM', 'DRAM latency', num(dram.ns), 'ns'));
  const ridge = isObject(r.roofline) && isObject(r.roofline.ridge) ? r.roofline.ridge : null;
  if (ridge) rows.push(row('roofline.ridge', `Ridge point (${str(ridge.dtype) ?? '?'}, ${str(ridge.level) ?? '?'})`, num(ridge.intensity), 'FLOP/B'));
  if (isObject(r.gpu) && r.gpu.available === true) {
    const gemm = arr<Record<string, unknown>>(r.gpu.gemm).filter((g) => g.verified === true);
    const top = gemm.reduce<number | null>((m, g) => (num(g.gflops) !== null && (m === null || num(g.gflops)! > m) ? num(g.gflops) : m), null);
    if (top !== null) rows.push(row('gpu.gemm.best', 'GPU GEMM peak (WebGPU, verified)', top, 'GFLOP/s'));
  }
  return rows;
}

/** The Benchmarks page's charts: the roofline, the machine's peaks, read bandwidth and load latency against working-set size. */
function benchCharts(r: BenchResult, { machine }: ReportKindContext): ReportBlock[] {
  const charts: Array<{ caption: string; svg: SafeMarkup }> = [];
  const roofline = isObject(r.roofline) ? r.roofline : undefined;
  if (roofline) charts.push({ caption: 'Roofline (solid: measured, dashed: theoretical)', svg: renderRooflineChart(roofline, { width: REPORT_CHART_WIDTH }) });
  if (machine?.peaks.length) charts.push({ caption: `Theoretical peaks of ${machine.machine.hostname}`, svg: renderPeaksChart(machine.peaks, { width: REPORT_CHART_WIDTH }) });
  if (isObject(r.memory) && arr(r.memory.sweep).length) {
    charts.push({ caption: 'Read bandwidth by working-set size: each level holds until the working set outgrows it', svg: renderBandwidthChart(r.memory, { width: REPORT_CHART_WIDTH }) });
  }
  if (isObject(r.latency) && arr(r.latency.points).length) {
    charts.push({ caption: 'Load latency by working-set size (pointer chasing): the latency of the level the working set fits in', svg: renderLatencyChart(r.latency, { width: REPORT_CHART_WIDTH, caches: machine?.cpu.caches ?? null }) });
  }
  return charts.length ? [{ type: 'charts', id: 'charts', title: 'Charts', charts }] : [];
}

function benchBlocks(r: BenchResult): ReportBlock[] {
  const blocks: ReportBlock[] = [
    {
      type: 'kv',
      id: 'bench',
      title: 'Benchmark',
      rows: [row('suite', 'Suite', str(r.suite)), row('quick', 'Quick', typeof r.quick === 'boolean' ? r.quick : null), row('threads', 'Threads', num(r.threads)), row('elapsedSeconds', 'Elapsed', num(r.elapsedSeconds), 's')],
    },
  ];
  if (isObject(r.gemm)) {
    const best = isObject(r.gemm.best) ? r.gemm.best : {};
    blocks.push({ type: 'kv', id: 'gemm.best', title: 'GEMM: best throughput per type', rows: Object.entries(best).map(([d, v]) => row(d, d, num(v), 'GFLOP/s')) });
    blocks.push(
      table(
        'gemm.points',
        'GEMM measurements',
        [
          { key: 'dtype', label: 'Type' },
          { key: 'm', label: 'm' },
          { key: 'n', label: 'n' },
          { key: 'k', label: 'k' },
          { key: 'threads', label: 'Threads' },
          { key: 'gflops', label: 'Throughput', unit: 'GFLOP/s' },
          { key: 'medianSeconds', label: 'Median', unit: 's' },
        ],
        arr<Record<string, unknown>>(r.gemm.results).map((p, i) => ({ key: String(i), cells: [str(p.dtype), num(p.m), num(p.n), num(p.k), num(p.threads), num(p.gflops), num(p.medianSeconds)] })),
      ),
    );
    const unsupported = arr<Record<string, unknown>>(r.gemm.unsupported).map((u) => `${String(u.dtype)}: ${String(u.reason)}`);
    if (unsupported.length) blocks.push({ type: 'notes', id: 'gemm.unsupported', title: 'GEMM types not measured', items: unsupported });
  }
  blocks.push(...calibrationBlocks(r.calibration));
  if (isObject(r.memory)) {
    const m = r.memory;
    blocks.push({
      type: 'kv',
      id: 'memory',
      title: 'Memory bandwidth (STREAM)',
      rows: [
        row('threads', 'Threads', num(m.threads)),
        row('arrayBytes', 'Array size', num(m.arrayBytes), 'B'),
        row('copyGBs', 'Copy', num(m.copyGBs), 'GB/s'),
        row('scaleGBs', 'Scale', num(m.scaleGBs), 'GB/s'),
        row('addGBs', 'Add', num(m.addGBs), 'GB/s'),
        row('triadGBs', 'Triad', num(m.triadGBs), 'GB/s'),
        ...arr<Record<string, unknown>>(m.levels).map((l) => row(`level.${String(l.name)}`, `${String(l.name)} read`, num(l.GBs), 'GB/s')),
      ],
    });
  }
  if (isObject(r.latency)) {
    blocks.push(
      table(
        'latency',
        'Memory latency per level',
        [{ key: 'name', label: 'Level' }, { key: 'bytes', label: 'Working set', unit: 'B' }, { key: 'ns', label: 'Latency', unit: 'ns' }],
        arr<Record<string, unknown>>(r.latency.levels).map((l) => ({ key: String(l.name), cells: [str(l.name), num(l.bytes), num(l.ns)] })),
      ),
    );
  }
  if (isObject(r.gpu)) blocks.push(...gpuBlocks(r.gpu));
  const roofline = isObject(r.roofline) ? r.roofline : undefined;
  if (roofline) {
    const ceilings = arr<Roofline['ceilings'][number]>(roofline.ceilings);
    for (const kind of ['compute', 'bandwidth'] as const) {
      const list = ceilings.filter((c) => c.kind === kind);
      if (!list.length) continue;
      blocks.push(
        table(
          `roofline.${kind}`,
          kind === 'compute' ? 'Roofline: compute ceilings' : 'Roofline: bandwidth ceilings',
          [{ key: 'name', label: kind === 'compute' ? 'Type' : 'Level' }, { key: 'value', label: 'Ceiling', unit: kind === 'compute' ? 'GFLOP/s' : 'GB/s' }, { key: 'source', label: 'Source' }, { key: 'how', label: 'How' }],
          list.map((c) => ({ key: `${c.name}.${c.source}`, cells: [c.name, c.value, c.source, c.how] })),
        ),
      );
    }
    if (roofline.ridge) {
      const rd = roofline.ridge;
      blocks.push({ type: 'kv', id: 'roofline.ridge', title: 'Ridge point', rows: [row('intensity', 'Intensity', rd.intensity, 'FLOP/B'), row('gflops', 'Throughput', rd.gflops, 'GFLOP/s'), row('dtype', 'Type', rd.dtype), row('level', 'Level', rd.level)] });
    }
  }
  blocks.push(...energyBlocks(r.energy, { bench: r.energyEfficiency }, r.warnings));
  blocks.push(...warningsBlock('warnings', r.warnings));
  return blocks;
}

// ---- comparison -----------------------------------------------------------------------------

function gemmDtypesPerJoule(results: Array<BenchResult | undefined>): string[] {
  return [...new Set(results.flatMap((r) => Object.keys(isObject(r?.energyEfficiency?.gemmGflopsPerJoule) ? r!.energyEfficiency!.gemmGflopsPerJoule : {})))];
}
function benchComparison(typed: ReadonlyArray<TypedRun<BenchResult>>): ReportBlock[] {
  const runs = typed.map((t) => t.run);
  const results = typed.map((t) => t.result);
  const dtypes = [...new Set(results.flatMap((r) => Object.keys(isObject(r?.gemm?.best) ? r!.gemm!.best : {})))];
  const level = (r: BenchResult | undefined, name: string) => num(arr<Record<string, unknown>>(r?.memory?.levels).find((l) => l.name === name)?.GBs);
  const lat = (r: BenchResult | undefined, name: string) => num(arr<Record<string, unknown>>(r?.latency?.levels).find((l) => l.name === name)?.ns);
  const rows: ReportComparisonRow[] = [
    ...dtypes.map((d) => compareRow(`gemm.best.${d}`, `${d} peak (GEMM)`, results.map((r) => num((r?.gemm?.best as Record<string, unknown> | undefined)?.[d])), 'GFLOP/s')),
    compareRow('memory.DRAM', 'DRAM read bandwidth', results.map((r) => level(r, 'DRAM')), 'GB/s'),
    compareRow('memory.triad', 'STREAM triad', results.map((r) => num(r?.memory?.triadGBs)), 'GB/s'),
    compareRow('latency.DRAM', 'DRAM latency', results.map((r) => lat(r, 'DRAM')), 'ns'),
    ...['L1', 'L2', 'L3'].map((l) => compareRow(`latency.${l}`, `${l} latency`, results.map((r) => lat(r, l)), 'ns')),
    compareRow('elapsedSeconds', 'Elapsed', results.map((r) => num(r?.elapsedSeconds)), 's'),
    ...energyCompareRows(results.map((r) => r?.energy)),
    ...gemmDtypesPerJoule(results).map((d) => {
      const values = results.map((r) => num((r?.energyEfficiency?.gemmGflopsPerJoule as Record<string, unknown> | undefined)?.[d]));
      const cmp = energyCompareRow(`energy.gemmGflopsPerJoule.${d}`, `${d} GEMM per joule`, values, 'GFLOP/J', results.map((r) => r?.energy));
      // int8 counts operations: "GOP/J" in the text, the same numbers.
      return d === 'int8' ? { ...cmp, display: cmp.display.map((t) => t.replace(/GFLOP\/J|TFLOP\/J/, (u) => u.replace('FLOP', 'OP'))) } : cmp;
    }),
    energyCompareRow('energy.streamGBPerJoule', 'STREAM triad per joule', results.map((r) => num(r?.energyEfficiency?.streamGBPerJoule)), 'GB/J', results.map((r) => r?.energy)),
  ].filter((r) => r.values.some((v) => v !== null));
  const blocks: ReportBlock[] = [{ type: 'comparison', id: 'comparison', title: 'Key numbers', runIds: runs.map((r) => r.id), rows, note: RATIO_NOTE }];
  // The first run's roofline in full, the others' envelopes overlaid on it.
  const withRoofline = runs.map((run, i) => ({ run, roofline: isObject(results[i]?.roofline) ? results[i]!.roofline : undefined })).filter((x) => x.roofline);
  if (withRoofline.length > 1) {
    const [head, ...rest] = withRoofline;
    blocks.push({
      type: 'charts',
      id: 'rooflines-overlaid',
      title: 'Rooflines overlaid',
      charts: [{ caption: `Run #${head!.run.id} in full; dashed: ${rest.map((x) => `run #${x.run.id}`).join(', ')}`, svg: renderRooflineChart(head!.roofline!, { width: REPORT_CHART_WIDTH, overlays: rest.map((x) => ({ label: `run #${x.run.id}`, roofline: x.roofline! })) }) }],
    });
  }
  // And each in full, side by side.
  const charts = runs.flatMap((run, i) => (isObject(results[i]?.roofline) ? [{ caption: `Run #${run.id} roofline`, svg: renderRooflineChart(results[i]!.roofline, { width: SIDE_BY_SIDE_WIDTH }) }] : []));
  if (charts.length) blocks.push({ type: 'charts', id: 'rooflines', title: 'Rooflines side by side', charts, sideBySide: true });
  return blocks;
}

export const benchKind = defineKind<'bench', BenchResult>({
  name: 'bench',
  subject: { paths: ['$.suite', '$.quick', '$.threads'], text: (v) => join([part(v[0]) ? `${part(v[0])} suite` : null, v[1] === true || v[1] === 1 ? 'quick' : v[1] === false || v[1] === 0 ? 'full' : null, part(v[2]) ? `${part(v[2])} thread${v[2] === 1 ? '' : 's'}` : null]) },
  label: 'benchmark',
  measured: true,
  schemas: { params: anyJson, result: benchResultSchema },
  plausible: [
    { path: 'elapsedSeconds', min: 0, max: 7 * DAY, minExclusive: true, unit: 's', what: "a benchmark's duration" },
    { path: 'threads', min: 1, max: 100_000, unit: '', what: 'a thread count' },
    { path: 'gemm.best.*', min: 0, max: GFLOPS_MAX, unit: 'GFLOP/s', what: 'a GEMM throughput' },
    { path: 'gemm.results[].gflops', min: 0, max: GFLOPS_MAX, unit: 'GFLOP/s', what: 'a GEMM throughput' },
    { path: 'gemm.results[].medianSeconds', min: 0, max: DAY, minExclusive: true, unit: 's', what: 'the time of one matrix product' },
    { path: 'memory.copyGBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a memory bandwidth' },
    { path: 'memory.triadGBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a memory bandwidth' },
    { path: 'memory.levels[].GBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a memory bandwidth' },
    { path: 'memory.singleThreadSweep[].GBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a one-thread read bandwidth' },
    { path: 'latency.levels[].ns', min: 0, max: 1e7, minExclusive: true, unit: 'ns', what: 'a memory latency' },
    { path: 'calibration.gemm[].gflops', min: 0, max: GFLOPS_MAX, minExclusive: true, unit: 'GFLOP/s', what: 'a calibrated MatMul throughput' },
    { path: 'calibration.conv[].gflops', min: 0, max: GFLOPS_MAX, minExclusive: true, unit: 'GFLOP/s', what: 'a calibrated Conv throughput' },
    { path: 'calibration.overheadUs', min: 0, max: 1e6, unit: 'µs', what: 'a per-kernel overhead' },
    { path: 'calibration.layout[].reorderInputSeconds', min: 0, max: 60, minExclusive: true, unit: 's', what: 'a calibrated layout reorder' },
    { path: 'calibration.layout[].reorderOutputSeconds', min: 0, max: 60, minExclusive: true, unit: 's', what: 'a calibrated layout reorder' },
    { path: 'calibration.layout[].broadcastMulSeconds', min: 0, max: 60, minExclusive: true, unit: 's', what: 'a calibrated broadcast Mul' },
    { path: 'calibration.outputs[].bytes', min: 0, max: 2 ** 40, minExclusive: true, unit: 'B', what: 'a calibrated graph output' },
    { path: 'calibration.outputs[].seconds', min: 0, max: 60, unit: 's', what: 'handing back a calibrated graph output' },
    { path: 'roofline.ceilings[].value', min: 0, max: GFLOPS_MAX, unit: '', what: 'a roofline ceiling' },
    ...energyRanges('a benchmark'),
  ],
  summary: { elapsed: '$.elapsedSeconds', energy: true },
  keyFigures(result) {
    const { energy, source } = energyOf(result);
    const elapsed = finite(result.elapsedSeconds);
    return {
      time: elapsed !== null ? `${elapsed.toFixed(1)} s` : null,
      energy: energy ? withEstimate(formatJoules(energy.joules), energy.estimated) : null,
      estimated: energy?.estimated ?? false,
      title: energy ? `${formatJoules(energy.joules)} over the run; ${source}` : ENERGY_NOT_MEASURED,
    };
  },
  history: { columns: ['time', 'energy'], energyDetail: true },
  reportSummary: (result) => benchSummary(result),
  reportCharts: (result, context) => benchCharts(result, context),
  reportBlocks: (result) => benchBlocks(result),
  compare: benchComparison,
});
