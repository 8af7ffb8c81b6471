/**
 * Thin mounts for the benchmark charts (renderer): roofline, latency ladder and bandwidth sweep.
 * The drawing is in the pure functions of src-shared/charts; these only measure their container
 * so each SVG is drawn at its real width (text keeps its true size instead of being scaled).
 */
import { useMemo, type RefObject } from 'react';
import type { LatencyResult, MemoryResult, Roofline } from '../../src-shared/api/bench.js';
import type { CacheSizes } from '../../src-shared/bench/knees.js';
import { renderBandwidthChart } from '../../src-shared/charts/bandwidth-chart.js';
import { renderLatencyChart } from '../../src-shared/charts/latency-chart.js';
import { renderRooflineChart, type RooflinePoint } from '../../src-shared/charts/roofline-chart.js';
import { innerMarkup, type SafeMarkup } from '../../src-shared/markup/markup.js';
import { useWidth } from './use-width.js';


function ChartFrame({ svg, testId, frameRef }: { svg: SafeMarkup; testId: string; frameRef: RefObject<HTMLDivElement | null> }) {
  // Only SafeMarkup mounts: the chart functions write it with the svg`…` tag, which escapes every text.
  return <div ref={frameRef} className="chart-frame" data-testid={testId} dangerouslySetInnerHTML={innerMarkup(svg)} />;
}

export function RooflineChartView({ roofline, extraPoints }: { roofline: Roofline | undefined; extraPoints?: readonly RooflinePoint[] }) {
  const [ref, width] = useWidth();
  const svg = useMemo(() => renderRooflineChart(roofline, { width, ...(extraPoints ? { extraPoints } : {}) }), [roofline, extraPoints, width]);
  return <ChartFrame svg={svg} testId="roofline-chart" frameRef={ref} />;
}

export function LatencyChartView({ latency, caches }: { latency: LatencyResult | undefined; caches: Partial<CacheSizes> | null }) {
  const [ref, width] = useWidth();
  const svg = useMemo(() => renderLatencyChart(latency, { width, caches }), [latency, caches, width]);
  return <ChartFrame svg={svg} testId="latency-chart" frameRef={ref} />;
}

export function BandwidthChartView({ memory }: { memory: MemoryResult | undefined }) {
  const [ref, width] = useWidth();
  const svg = useMemo(() => renderBandwidthChart(memory, { width }), [memory, width]);
  return <ChartFrame svg={svg} testId="bandwidth-chart" frameRef={ref} />;
}
