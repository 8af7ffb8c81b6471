/**
 * The chart styles a report carries inline (runs anywhere): the light-theme rules of the chart
 * classes (.roofline-chart, .peaks-chart, .op-share-chart, .attention-sweep-chart,
 * .frontier-compare-chart, .power-strip, .chart-empty) copied from src-renderer/styles/app.css, with the light
 * :root variables they use. Copied, not imported, so a report is one self-contained file; the
 * test in src-main/services/reports/report-styles-sync.test.ts fails when app.css drifts.
 */

/** Selectors of the chart rules copied below (the sync test checks each still exists in app.css). */
export const REPORT_CHART_CLASSES = ['roofline-chart', 'peaks-chart', 'op-share-chart', 'attention-sweep-chart', 'frontier-compare-chart', 'power-strip', 'chart-empty'] as const;

export const REPORT_CHART_CSS = `:root {
  --font-ui: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  --font-mono: ui-monospace, 'SF Mono', 'Cascadia Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace;
  --bg: #f5f6f8;
  --surface: #ffffff;
  --surface-2: #f0f2f5;
  --border: #d9dee4;
  --border-strong: #c3cad3;
  --text: #1b1f24;
  --muted: #5a6470;
  --accent: #1f62d6;
  --accent-soft: #e6efff;
  --accent-text: #ffffff;
  --focus: #2f81f7;
  --warn-bg: #fff8e1;
  --warn-border: #d9a520;
  --warn-text: #5a4300;
  --danger: #c62828;
  --danger-bg: #fdecec;
  --danger-text: #7f1d1d;
  --ok: #1a7f37;
  --grid: #e3e7ec;
  --dtype-fp64: #7048c4;
  --dtype-fp32: #1f62d6;
  --dtype-tf32: #0b7f8f;
  --dtype-fp16: #1a7f37;
  --dtype-bf16: #5f7d10;
  --dtype-fp8: #b85300;
  --dtype-int8: #b5307d;
  --level-l1: #12867a;
  --level-l2: #b7791f;
  --level-l3: #8a5a3c;
  --level-dram: #c2410c;
  --series-0: #1f62d6;
  --series-1: #c2410c;
  --series-2: #1a7f37;
  --series-3: #8e44ad;
  --series-4: #b7791f;
  --series-5: #0e7490;
  --series-6: #be185d;
  --series-7: #4b5563;
}
.peaks-chart text {
  font-family: var(--font-mono);
  font-size: 12px;
  fill: var(--text);
}
.peaks-chart .tick,
.peaks-chart .axis-caption,
.peaks-chart .dtype {
  fill: var(--muted);
  font-size: 11px;
}
.peaks-chart .device {
  font-weight: 600;
}
.peaks-chart .value {
  font-variant-numeric: tabular-nums;
}
.peaks-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}
.peaks-chart .bar {
  fill: var(--accent);
}
.peaks-chart .peak:hover .bar {
  filter: brightness(1.15);
}
.peaks-chart .dtype-fp64 {
  fill: var(--dtype-fp64);
}
.peaks-chart .dtype-fp32 {
  fill: var(--dtype-fp32);
}
.peaks-chart .dtype-tf32 {
  fill: var(--dtype-tf32);
}
.peaks-chart .dtype-fp16 {
  fill: var(--dtype-fp16);
}
.peaks-chart .dtype-bf16 {
  fill: var(--dtype-bf16);
}
.peaks-chart .dtype-fp8 {
  fill: var(--dtype-fp8);
}
.peaks-chart .dtype-int8 {
  fill: var(--dtype-int8);
}
.peaks-chart .empty {
  fill: var(--muted);
  font-style: italic;
}
.roofline-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  font-variant-numeric: tabular-nums;
  fill: var(--text);
}
.roofline-chart .tick,
.roofline-chart .axis-caption {
  fill: var(--muted);
}
.roofline-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}
.roofline-chart .axis {
  stroke: var(--border-strong);
  stroke-width: 1;
}
.chart-empty .empty {
  fill: var(--muted);
  font-style: italic;
  font-family: var(--font-ui);
  font-size: 13px;
}
.roofline-chart .ceiling,
.roofline-chart .swatch {
  fill: none;
  stroke: var(--muted);
  stroke-width: 2;
  stroke-linecap: round;
}
.roofline-chart .ceiling.theoretical {
  stroke-width: 1.5;
  opacity: 0.8;
}
.roofline-chart .hit {
  stroke: transparent;
  stroke-width: 10;
}
.roofline-chart .ceiling-group:hover .ceiling {
  stroke-width: 3.5;
  opacity: 1;
}
.roofline-chart .dtype-fp64 {
  stroke: var(--dtype-fp64); fill: var(--dtype-fp64);
}
.roofline-chart .dtype-fp32 {
  stroke: var(--dtype-fp32); fill: var(--dtype-fp32);
}
.roofline-chart .dtype-tf32 {
  stroke: var(--dtype-tf32); fill: var(--dtype-tf32);
}
.roofline-chart .dtype-fp16 {
  stroke: var(--dtype-fp16); fill: var(--dtype-fp16);
}
.roofline-chart .dtype-bf16 {
  stroke: var(--dtype-bf16); fill: var(--dtype-bf16);
}
.roofline-chart .dtype-fp8 {
  stroke: var(--dtype-fp8); fill: var(--dtype-fp8);
}
.roofline-chart .dtype-int8 {
  stroke: var(--dtype-int8); fill: var(--dtype-int8);
}
.roofline-chart .level-l1 {
  stroke: var(--level-l1); fill: var(--level-l1);
}
.roofline-chart .level-l2 {
  stroke: var(--level-l2); fill: var(--level-l2);
}
.roofline-chart .level-l3 {
  stroke: var(--level-l3); fill: var(--level-l3);
}
.roofline-chart .level-dram {
  stroke: var(--level-dram); fill: var(--level-dram);
}
.roofline-chart .ceiling,
.roofline-chart .swatch {
  fill: none;
}
.roofline-chart .ridge-point {
  fill: var(--surface);
  stroke: var(--text);
  stroke-width: 2;
}
.roofline-chart .ridge-drop {
  stroke: var(--muted);
  stroke-width: 1;
}
.roofline-chart .ridge-label {
  font-weight: 600;
}
.roofline-chart .extra-point .point,
.roofline-chart .legend .point {
  fill: var(--accent);
  stroke: var(--surface);
  stroke-width: 1;
}
.roofline-chart .line-label,
.roofline-chart .ridge-label,
.roofline-chart .point-label {
  paint-order: stroke;
  stroke: var(--surface);
  stroke-width: 3px;
  stroke-linejoin: round;
}
.op-share-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}
.op-share-chart .value,
.op-share-chart .legend-label {
  fill: var(--muted);
}
.op-share-chart .baseline {
  stroke: var(--border-strong);
}
.op-share-chart .flops {
  fill: var(--dtype-fp32);
}
.op-share-chart .bytes {
  fill: var(--level-dram);
}
.op-share-chart .op-row:hover .bar {
  opacity: 0.8;
}
.op-share-chart .other .op-label {
  fill: var(--muted);
  font-style: italic;
}
.op-share-chart .empty {
  fill: var(--muted);
  font-style: italic;
}
.frontier-compare-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}
.frontier-compare-chart .tick,
.frontier-compare-chart .axis-caption {
  fill: var(--muted);
}
.frontier-compare-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}
.frontier-compare-chart .axis {
  stroke: var(--border-strong);
  fill: none;
}
.frontier-compare-chart .series {
  fill: none;
  stroke-width: 2;
}
.frontier-compare-chart .series-0 {
  stroke: var(--series-0);
}
.frontier-compare-chart .series-1 {
  stroke: var(--series-1);
}
.frontier-compare-chart .series-2 {
  stroke: var(--series-2);
}
.frontier-compare-chart .series-3 {
  stroke: var(--series-3);
}
.frontier-compare-chart .series-4 {
  stroke: var(--series-4);
}
.frontier-compare-chart .series-5 {
  stroke: var(--series-5);
}
.frontier-compare-chart .series-6 {
  stroke: var(--series-6);
}
.frontier-compare-chart .series-7 {
  stroke: var(--series-7);
}
.frontier-compare-chart circle.series-0 {
  fill: var(--series-0); stroke: none;
}
.frontier-compare-chart circle.series-1 {
  fill: var(--series-1); stroke: none;
}
.frontier-compare-chart circle.series-2 {
  fill: var(--series-2); stroke: none;
}
.frontier-compare-chart circle.series-3 {
  fill: var(--series-3); stroke: none;
}
.frontier-compare-chart circle.series-4 {
  fill: var(--series-4); stroke: none;
}
.frontier-compare-chart circle.series-5 {
  fill: var(--series-5); stroke: none;
}
.frontier-compare-chart circle.series-6 {
  fill: var(--series-6); stroke: none;
}
.frontier-compare-chart circle.series-7 {
  fill: var(--series-7); stroke: none;
}
.frontier-compare-chart .plan-point {
  fill: var(--danger);
  stroke: var(--surface);
  stroke-width: 1.5;
}
.frontier-compare-chart .guide {
  stroke: var(--danger);
  stroke-dasharray: 3 3;
}
.frontier-compare-chart .spread {
  fill: var(--accent-soft);
  opacity: 0.6;
}
.attention-sweep-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}
.attention-sweep-chart .tick,
.attention-sweep-chart .axis-caption {
  fill: var(--muted);
}
.attention-sweep-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}
.attention-sweep-chart .axis {
  stroke: var(--border-strong);
  fill: none;
}
.attention-sweep-chart path.series,
.attention-sweep-chart line.series {
  fill: none;
  stroke-width: 2;
}
.attention-sweep-chart path.series-0,
.attention-sweep-chart line.series-0 {
  stroke: var(--series-0);
}
.attention-sweep-chart circle.series-0 {
  fill: var(--series-0); stroke: none;
}
.attention-sweep-chart path.series-1,
.attention-sweep-chart line.series-1 {
  stroke: var(--series-1);
}
.attention-sweep-chart circle.series-1 {
  fill: var(--series-1); stroke: none;
}
.attention-sweep-chart path.series-2,
.attention-sweep-chart line.series-2 {
  stroke: var(--series-2);
}
.attention-sweep-chart circle.series-2 {
  fill: var(--series-2); stroke: none;
}
.attention-sweep-chart path.series-3,
.attention-sweep-chart line.series-3 {
  stroke: var(--series-3);
}
.attention-sweep-chart circle.series-3 {
  fill: var(--series-3); stroke: none;
}
.attention-sweep-chart path.series-4,
.attention-sweep-chart line.series-4 {
  stroke: var(--series-4);
}
.attention-sweep-chart circle.series-4 {
  fill: var(--series-4); stroke: none;
}
.attention-sweep-chart path.series-5,
.attention-sweep-chart line.series-5 {
  stroke: var(--series-5);
}
.attention-sweep-chart circle.series-5 {
  fill: var(--series-5); stroke: none;
}
.attention-sweep-chart path.series-6,
.attention-sweep-chart line.series-6 {
  stroke: var(--series-6);
}
.attention-sweep-chart circle.series-6 {
  fill: var(--series-6); stroke: none;
}
.attention-sweep-chart path.series-7,
.attention-sweep-chart line.series-7 {
  stroke: var(--series-7);
}
.attention-sweep-chart circle.series-7 {
  fill: var(--series-7); stroke: none;
}
.attention-sweep-chart path.measured {
  stroke-width: 1.5;
}
.attention-sweep-chart .measured-dot,
.attention-sweep-chart .measured-point {
  stroke: var(--surface);
  stroke-width: 1.5;
}
.attention-sweep-chart .swatch.measured-swatch {
  stroke: var(--muted);
}
.attention-sweep-chart .error-label {
  font-size: 10px;
  paint-order: stroke;
  stroke: var(--surface);
  stroke-width: 3px;
}
.attention-sweep-chart .memory-line {
  stroke: var(--danger);
  stroke-width: 1.5;
  stroke-dasharray: 6 3;
}
.attention-sweep-chart .memory-label,
.attention-sweep-chart .memory-cross-label {
  fill: var(--danger);
}
.attention-sweep-chart .memory-cross {
  fill: var(--danger);
  stroke: var(--surface);
}
.attention-sweep-chart .crossover-guide {
  stroke: var(--muted);
}
.attention-sweep-chart .crossover-point {
  fill: var(--surface);
  stroke: var(--text);
  stroke-width: 1.5;
}
.attention-sweep-chart .crossover-label {
  font-size: 10px;
}
.roofline-chart .overlay-line {
  fill: none;
  stroke-width: 2;
}
.roofline-chart .overlay-0 .overlay-line {
  stroke: var(--series-1);
}
.roofline-chart .overlay-1 .overlay-line {
  stroke: var(--series-2);
}
.roofline-chart .overlay-2 .overlay-line {
  stroke: var(--series-3);
}
.roofline-chart .overlay-label {
  fill: var(--muted);
}
.power-strip text {
  font-family: var(--font-mono);
  font-size: 11px;
  font-variant-numeric: tabular-nums;
  fill: var(--text);
}
.power-strip .tick,
.power-strip .axis-caption,
.power-strip .phase-label,
.power-strip .power-now {
  fill: var(--muted);
}
.power-strip .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}
.power-strip .axis {
  stroke: var(--border-strong);
  stroke-width: 1;
}
.power-strip .phase-band-0 {
  fill: var(--surface-2);
}
.power-strip .phase-band-1 {
  fill: none;
}
.power-strip .phase-boundary {
  stroke: var(--border-strong);
  stroke-width: 1;
}
.power-strip .power-area {
  fill: var(--series-0);
  fill-opacity: 0.14;
  stroke: none;
}
.power-strip .power-line {
  fill: none;
  stroke: var(--series-0);
  stroke-width: 1.5;
}
.power-strip .power-point {
  fill: var(--series-0);
}
.power-strip.estimated .power-line {
  stroke-dasharray: 5 3;
}
.power-strip .estimate-label {
  fill: var(--warn-text);
  font-weight: 600;
}
`;
