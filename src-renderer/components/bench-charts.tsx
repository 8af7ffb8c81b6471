/**
 * Thin mounts for the benchmark charts (renderer): roofline, latency ladder and bandwidth sweep.
 * The drawing is in the pure functions of src-shared/charts; ChartFrame measures and mounts it.
 */
import type { LatencyResult, MemoryResult, Roofline } from '../../src-shared/api/bench.js';
import type { CacheSizes } from '../../src-shared/bench/knees.js';
import { renderBandwidthChart } from '../../src-shared/charts/bandwidth-chart.js';
import { renderLatencyChart } from '../../src-shared/charts/latency-chart.js';
import { renderRooflineChart, type RooflinePoint } from '../../src-shared/charts/roofline-chart.js';
import { ChartFrame } from './chart-frame.js';

export function RooflineChartView({ roofline, extraPoints }: { roofline: Roofline | undefined; extraPoints?: readonly RooflinePoint[] }) {
  return <ChartFrame draw={(width) => renderRooflineChart(roofline, { width, ...(extraPoints ? { extraPoints } : {}) })} deps={[roofline, extraPoints]} testId="roofline-chart" />;
}

export function LatencyChartView({ latency, caches }: { latency: LatencyResult | undefined; caches: Partial<CacheSizes> | null }) {
  return <ChartFrame draw={(width) => renderLatencyChart(latency, { width, caches })} deps={[latency, caches]} testId="latency-chart" />;
}

export function BandwidthChartView({ memory }: { memory: MemoryResult | undefined }) {
  return <ChartFrame draw={(width) => renderBandwidthChart(memory, { width })} deps={[memory]} testId="bandwidth-chart" />;
}
