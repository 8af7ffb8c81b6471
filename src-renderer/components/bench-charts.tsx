/**
 * Thin mounts for the benchmark charts (renderer): roofline, latency ladder and bandwidth sweep.
 * The drawing is in the pure functions of src-shared/charts; ChartFrame measures and mounts it.
 */
import type { LatencyResult, MemoryResult, Roofline } from '../../src-shared/api/bench.js';
import type { CacheSizes } from '../../src-shared/bench/knees.js';
import { renderBandwidthChart } from '../../src-shared/charts/bandwidth-chart.js';
import { renderLatencyChart } from '../../src-shared/charts/latency-chart.js';
import { renderRooflineChart, type RooflinePoint } from '../../src-shared/charts/roofline-chart.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { formatNumber } from '../../src-shared/reports/report-parts.js';
import { ChartFrame, type ChartValues } from './chart-frame.js';

/** The roofline's ceilings (and any points drawn on it) as rows. */
export function rooflineValues(roofline: Roofline | undefined, extraPoints: readonly RooflinePoint[] = []): ChartValues {
  return {
    label: 'ceilings and points',
    columns: [{ label: 'Ceiling or point' }, { label: 'Kind' }, { label: 'Value', num: true }, { label: 'Source', truncate: true }],
    rows: [
      ...(roofline?.ceilings ?? []).map((c) => ({ key: `${c.kind}|${c.name}`, cells: [c.name, c.kind === 'compute' ? 'compute' : 'bandwidth', `${formatNumber(c.value)} ${c.kind === 'compute' ? 'GFLOP/s' : 'GB/s'}`, `${c.source}: ${c.how}`] })),
      ...(roofline?.ridge ? [{ key: 'ridge', cells: ['ridge point', `${roofline.ridge.dtype} against ${roofline.ridge.level}`, `${formatNumber(roofline.ridge.intensity)} FLOP/byte`, `${formatNumber(roofline.ridge.gflops)} GFLOP/s there`] }] : []),
      ...extraPoints.map((p, i) => ({ key: `point|${i}`, cells: [p.label, 'point', `${formatNumber(p.gflops)} GFLOP/s`, `${formatNumber(p.intensity)} FLOP/byte`] })),
    ],
  };
}

/** The latency ladder's points: working set against ns per load. */
export function latencyValues(latency: LatencyResult | undefined): ChartValues {
  return {
    label: 'latency per working-set size',
    columns: [{ label: 'Working set', num: true }, { label: 'Latency', num: true, unit: 'ns' }],
    rows: (latency?.points ?? []).map((p) => ({ key: String(p.bytes), cells: [formatBytes(p.bytes), formatNumber(p.ns)] })),
  };
}

/** The bandwidth sweep's points: working set against read GB/s. */
export function bandwidthValues(memory: MemoryResult | undefined): ChartValues {
  const single = new Map((memory?.singleThreadSweep ?? []).map((p) => [p.bytes, p.GBs] as const));
  return {
    label: 'read bandwidth per working-set size',
    columns: [
      { label: 'Working set', num: true },
      { label: memory?.threads === 1 ? 'Read bandwidth, 1 thread' : `Read bandwidth, ${memory?.threads ?? 'all'} threads`, num: true, unit: 'GB/s' },
      ...(single.size ? [{ label: 'One thread', num: true, unit: 'GB/s' }] : []),
    ],
    rows: (memory?.sweep ?? []).map((p) => ({ key: String(p.bytes), cells: [formatBytes(p.bytes), formatNumber(p.GBs), ...(single.size ? [single.has(p.bytes) ? formatNumber(single.get(p.bytes)!) : '—'] : [])] })),
  };
}

export function RooflineChartView({ roofline, extraPoints }: { roofline: Roofline | undefined; extraPoints?: readonly RooflinePoint[] }) {
  return <ChartFrame draw={(width) => renderRooflineChart(roofline, { width, ...(extraPoints ? { extraPoints } : {}) })} deps={[roofline, extraPoints]} testId="roofline-chart" values={rooflineValues(roofline, extraPoints)} />;
}

export function LatencyChartView({ latency, caches }: { latency: LatencyResult | undefined; caches: Partial<CacheSizes> | null }) {
  return <ChartFrame draw={(width) => renderLatencyChart(latency, { width, caches })} deps={[latency, caches]} testId="latency-chart" values={latencyValues(latency)} />;
}

export function BandwidthChartView({ memory }: { memory: MemoryResult | undefined }) {
  return <ChartFrame draw={(width) => renderBandwidthChart(memory, { width })} deps={[memory]} testId="bandwidth-chart" values={bandwidthValues(memory)} />;
}
