/**
 * The 'hardware' run kind: a machine's hardware report (CPU, caches, memory, GPUs, theoretical
 * peaks), saved as a run and kept as the machine's record. Its result is a HardwareReport.
 */
import { z } from 'zod';
import type { HardwareReport, Peak } from '../../api/types.js';
import { renderPeaksChart } from '../../charts/peaks-chart.js';
import { describeL3Groups, describeMeasuredClock, describePeakClock, formatBytes } from '../../hardware/format.js';
import { arr, display, isObject, num, REPORT_CHART_WIDTH, row, str, table, warningsBlock, type ReportBlock, type ReportRow } from '../../reports/report-parts.js';
import { GFLOPS_MAX } from '../ranges.js';
import { anyJson, arr as list, count, lo, machineIdSchema, name, num as number, numOrNull, storedText, text, warnings } from '../schema-parts.js';
import { defineKind } from './entry.js';
import { join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

const dtype = lazySchema(() => z.enum(['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8']));

export const peakSchema = lazySchema(() => lo({ device: name, dtype, gflops: number, basis: text }));

/** HardwareReport (src-shared/api/types.ts): a 'hardware' run's result and every machine record. */
export const hardwareReportSchema = lazySchema(() => lo({
  machine: lo({
    id: machineIdSchema,
    hostname: storedText(1_000, 'a host name'),
    os: lo({ platform: name, release: name, arch: name }),
  }),
  cpu: lo({
    vendor: name,
    model: name,
    physicalCores: count,
    logicalCores: count,
    baseGHz: numOrNull,
    maxGHz: numOrNull,
    isa: list(name).max(10_000),
    caches: lo({ l1dBytes: numOrNull, l2Bytes: numOrNull, l3Bytes: numOrNull }),
    cacheSource: name.nullable().optional(),
    l3Groups: list(lo({ bytes: number, sharedBy: number, instances: number })).optional(),
    measuredClock: lo({ ghz: number, minGHz: number, maxGHz: number, threads: number, method: text }).nullable().optional(),
  }),
  memory: lo({ totalBytes: number }),
  gpus: list(lo({ vendor: name, model: name, vramBytes: numOrNull, driver: name.nullable() })),
  peaks: list(peakSchema),
  warnings,
}));

// ---- report ---------------------------------------------------------------------------------

function hardwareBlocks(report: HardwareReport): ReportBlock[] {
  const { cpu, memory, gpus, peaks, machine } = report;
  return [
    {
      type: 'kv',
      id: 'hardware',
      title: 'Hardware',
      rows: [
        row('hostname', 'Hostname', machine.hostname),
        row('os', 'OS', `${machine.os.platform} ${machine.os.release} (${machine.os.arch})`),
        row('cpu.model', 'CPU', cpu.model),
        row('cpu.physicalCores', 'Physical cores', cpu.physicalCores),
        row('cpu.logicalCores', 'Logical cores', cpu.logicalCores),
        row('cpu.maxGHz', 'Max clock', cpu.maxGHz, 'GHz'),
        ...clockRows(report),
        row('cpu.isa', 'ISA extensions', cpu.isa.join(' ')),
        row('cpu.l1dBytes', 'L1d cache', cpu.caches.l1dBytes, 'B'),
        row('cpu.l2Bytes', 'L2 cache', cpu.caches.l2Bytes, 'B'),
        row('cpu.l3Bytes', 'L3 cache', cpu.caches.l3Bytes, 'B'),
        ...cacheRows(cpu),
        row('memory.totalBytes', 'Memory', memory.totalBytes, 'B'),
        ...gpus.map((g, i) => row(`gpu.${i}`, `GPU ${i}`, `${g.vendor} ${g.model}${g.vramBytes ? `, ${formatBytes(g.vramBytes)}` : ''}`)),
      ],
    },
    ...peaksBlocks(peaks),
    ...warningsBlock('warnings', report.warnings),
  ];
}

/**
 * The measured all-core clock and the clock the CPU peaks used. Reports from before the
 * measurement (no `measuredClock`) get no rows; one where it was not measured (null) says so.
 */
function clockRows(report: HardwareReport): ReportRow[] {
  const { cpu } = report;
  const rows: ReportRow[] = [];
  const mc: unknown = cpu.measuredClock;
  if (mc === null) rows.push({ ...row('cpu.measuredClock.ghz', 'Measured all-core clock', null, 'GHz'), display: 'not measured' });
  else if (isObject(mc) && num(mc.ghz) !== null) {
    const m = cpu.measuredClock!;
    rows.push(
      { ...row('cpu.measuredClock.ghz', 'Measured all-core clock', m.ghz, 'GHz'), display: describeMeasuredClock(m) ?? display(m.ghz, 'GHz') },
      row('cpu.measuredClock.threads', 'Clock measured on', num(mc.threads), 'threads'),
      row('cpu.measuredClock.method', 'Clock measurement', str(mc.method)),
    );
  }
  if (cpu.measuredClock !== undefined) {
    const used = Array.isArray(report.peaks) ? describePeakClock(report) : null;
    if (used) rows.push(row('cpu.peakClock', 'CPU peaks use', used));
  }
  return rows;
}

/** Where the cache sizes came from and the L3 slices by sharing; absent in reports from before them. */
function cacheRows(cpu: HardwareReport['cpu']): ReportRow[] {
  const rows: ReportRow[] = [];
  const groups = arr<unknown>(cpu.l3Groups).filter((g): g is { bytes: number; sharedBy: number; instances: number } => isObject(g) && num(g.bytes) !== null && num(g.sharedBy) !== null && num(g.instances) !== null);
  if (groups.length) rows.push(row('cpu.l3Groups', 'L3 sharing', describeL3Groups(groups)));
  const source = str(cpu.cacheSource);
  if (source) rows.push(row('cpu.cacheSource', 'Cache sizes from', source));
  return rows;
}

function peaksBlocks(peaks: readonly Peak[]): ReportBlock[] {
  if (!peaks.length) return [];
  return [
    table(
      'peaks',
      'Theoretical peaks',
      [{ key: 'device', label: 'Device' }, { key: 'dtype', label: 'Type' }, { key: 'gflops', label: 'Peak', unit: 'GFLOP/s' }, { key: 'basis', label: 'Basis' }],
      peaks.map((p) => ({ key: `${p.device}.${p.dtype}`, cells: [p.device, p.dtype, p.gflops, p.basis] })),
    ),
  ];
}

/** The Hardware page's peaks chart. */
function hardwareCharts(report: HardwareReport): ReportBlock[] {
  const peaks = arr<Peak>(report.peaks);
  if (!peaks.length) return [];
  return [{ type: 'charts', id: 'peaks-chart', title: 'Theoretical peaks', charts: [{ caption: 'Theoretical peak throughput per device and data type (log scale)', svg: renderPeaksChart(peaks, { width: REPORT_CHART_WIDTH }) }] }];
}

/** The summary's key figures: cores, memory, GPUs and the highest CPU peak. */
function hardwareSummary(report: HardwareReport): ReportRow[] {
  const cpuPeaks = arr<Peak>(report.peaks).filter((p) => p.device === 'cpu' && num(p.gflops) !== null);
  const top = cpuPeaks.sort((a, b) => b.gflops - a.gflops)[0];
  return [
    row('cpu', 'CPU', isObject(report.cpu) ? `${report.cpu.model} (${report.cpu.physicalCores} cores, ${report.cpu.logicalCores} threads)` : null),
    row('memory.totalBytes', 'Memory', isObject(report.memory) ? num(report.memory.totalBytes) : null, 'B'),
    row('gpus', 'GPUs', arr<HardwareReport['gpus'][number]>(report.gpus).map((g) => `${g.vendor} ${g.model}`).join('; ') || 'none reported'),
    ...(top ? [row('peak.cpu', `CPU peak (${top.dtype}, theoretical)`, top.gflops, 'GFLOP/s')] : []),
  ];
}

export const hardwareKind = defineKind<'hardware', HardwareReport>({
  name: 'hardware',
  subject: { paths: ['$.cpu.model', '$.cpu.logicalCores', '$.gpus[0].model'], text: (v) => join([part(v[0]), part(v[1]) ? `${part(v[1])} logical cores` : null, part(v[2])]) },
  label: 'hardware report',
  measured: false,
  schemas: { params: anyJson, result: hardwareReportSchema },
  plausible: [
    { path: 'cpu.logicalCores', min: 1, max: 100_000, unit: '', what: 'a logical core count' },
    { path: 'cpu.physicalCores', min: 1, max: 100_000, unit: '', what: 'a physical core count' },
    { path: 'cpu.baseGHz', min: 0.01, max: 20, unit: 'GHz', what: 'a base clock' },
    { path: 'cpu.maxGHz', min: 0.01, max: 20, unit: 'GHz', what: 'a maximum clock' },
    { path: 'memory.totalBytes', min: 2 ** 20, max: 2 ** 60, unit: 'B', what: "a machine's memory" },
    { path: 'peaks[].gflops', min: 0, max: GFLOPS_MAX, minExclusive: true, unit: 'GFLOP/s', what: 'a theoretical peak' },
  ],
  history: { columns: [], energyDetail: false },
  reportSummary: (report) => hardwareSummary(report),
  reportCharts: (report) => hardwareCharts(report),
  reportBlocks: (report) => hardwareBlocks(report),
  // A hardware run is its own machine's report.
  machineReport: (result) => (isObject(result.machine) && isObject(result.cpu) ? result : undefined),
});
