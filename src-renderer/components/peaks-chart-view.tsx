/**
 * Mounts the pure peaks chart (src-shared/charts/peaks-chart.ts) in the page (renderer). All
 * drawing happens in the shared function; ChartFrame measures its container and mounts the SVG.
 */
import type { Peak } from '../../src-shared/api/types.js';
import { renderPeaksChart } from '../../src-shared/charts/peaks-chart.js';
import { ChartFrame } from './chart-frame.js';

export function PeaksChartView({ peaks }: { peaks: readonly Peak[] }) {
  return <ChartFrame draw={(width) => renderPeaksChart(peaks, { width })} deps={[peaks]} testId="peaks-chart" />;
}
