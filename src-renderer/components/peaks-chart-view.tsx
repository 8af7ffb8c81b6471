/**
 * Mounts the pure peaks chart (src-shared/charts/peaks-chart.ts) in the page (renderer). All
 * drawing happens in the shared function; this component only measures its container so the SVG
 * is drawn at its real width (text stays at its true size instead of being scaled by a viewBox).
 */
import { useMemo } from 'react';
import type { Peak } from '../../src-shared/api/types.js';
import { renderPeaksChart } from '../../src-shared/charts/peaks-chart.js';
import { innerMarkup } from '../../src-shared/markup/markup.js';
import { useWidth } from './use-width.js';

export function PeaksChartView({ peaks }: { peaks: readonly Peak[] }) {
  const [ref, width] = useWidth();

  // SafeMarkup from the svg`…` tag: every piece of text in it is escaped.
  const svg = useMemo(() => renderPeaksChart(peaks, { width }), [peaks, width]);
  return <div ref={ref} className="chart-frame" data-testid="peaks-chart" dangerouslySetInnerHTML={innerMarkup(svg)} />;
}
