/**
 * The one stylesheet of the charts drawn by src-shared/charts: the light-theme variables they use
 * and every rule of the chart classes (.roofline-chart, .peaks-chart, .power-strip, .chart-empty, …).
 * Both hosts read it from here:
 *  - the app: vite.renderer.config.ts serves CHART_CSS as the virtual stylesheet
 *    `virtual:flopscope-chart-styles.css`, which main.tsx imports before styles/app.css, so it is
 *    bundled into the app's own stylesheet (the CSP allows no inline style element); app.css keeps the
 *    dark-theme overrides and the page styles, which come after it and so still win;
 *  - a report: render-html.ts writes CHART_CSS into the report's one inline style element.
 * A TS string rather than a .css file because the report code also runs outside any bundler (the
 * CLI runs the sources through tsx), where a `?raw` CSS import would not load. Classes only, no
 * url(): a report allows no external resources.
 */

/** The light-theme variables the charts use (the dark theme overrides them in app.css). */
export const CHART_THEME_CSS = `:root {
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
`;

/**
 * The one series palette of the charts: a colour (the --series-<c> variables, themed) and a dash
 * pattern per style, `series-style-<i>`. Style i takes colour i mod 8 and dash ⌊i / 8⌋, so the
 * first eight differ by colour and the next sixteen repeat the colours dashed and dotted: 24
 * distinct styles, more than any chart draws series (the Transformers lab offers 11 variants).
 * A chart gives its series `seriesStyleClass(i)` on paths, lines and circles (circles are filled).
 */
export const SERIES_COLOURS = 8;
export const SERIES_DASHES: readonly string[] = ['', '7 3', '2 2.5'];
export const SERIES_STYLE_COUNT = SERIES_COLOURS * SERIES_DASHES.length;

/** The class of series i (wrapping past SERIES_STYLE_COUNT). */
export function seriesStyleClass(i: number): string {
  const k = Number.isInteger(i) && i >= 0 ? i % SERIES_STYLE_COUNT : 0;
  return `series-style-${k}`;
}

/** The colour and dash of style i, e.g. for a legend drawn outside an SVG. */
export function seriesStyle(i: number): { colour: string; dash: string } {
  const k = Number.isInteger(i) && i >= 0 ? i % SERIES_STYLE_COUNT : 0;
  return { colour: `var(--series-${k % SERIES_COLOURS})`, dash: SERIES_DASHES[Math.floor(k / SERIES_COLOURS)]! };
}

function seriesStyleRules(): string {
  let out = '/* The series palette (seriesStyleClass): colour and dash per style. */\n\n';
  for (let k = 0; k < SERIES_STYLE_COUNT; k++) {
    const { colour, dash } = seriesStyle(k);
    out += `path.series-style-${k}, line.series-style-${k}, polyline.series-style-${k} { stroke: ${colour};${dash ? ` stroke-dasharray: ${dash};` : ''} }\n\n`;
    out += `circle.series-style-${k}, rect.series-style-${k} { fill: ${colour}; }\n\n`;
  }
  return out;
}

/** Every rule of the chart classes. */
export const CHART_RULES_CSS = `.peaks-chart text {
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

.peaks-chart .dtype-fp64 { fill: var(--dtype-fp64); }

.peaks-chart .dtype-fp32 { fill: var(--dtype-fp32); }

.peaks-chart .dtype-tf32 { fill: var(--dtype-tf32); }

.peaks-chart .dtype-fp16 { fill: var(--dtype-fp16); }

.peaks-chart .dtype-bf16 { fill: var(--dtype-bf16); }

.peaks-chart .dtype-fp8 { fill: var(--dtype-fp8); }

.peaks-chart .dtype-int8 { fill: var(--dtype-int8); }

.peaks-chart .empty {
  fill: var(--muted);
  font-style: italic;
}

/* Benchmark charts: roofline, latency ladder, bandwidth sweep (src-shared/charts). */

.roofline-chart text,
.latency-chart text,
.bandwidth-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  font-variant-numeric: tabular-nums;
  fill: var(--text);
}

.roofline-chart .tick,
.roofline-chart .axis-caption,
.latency-chart .tick,
.latency-chart .axis-caption,
.bandwidth-chart .tick,
.bandwidth-chart .axis-caption {
  fill: var(--muted);
}

.roofline-chart .gridline,
.latency-chart .gridline,
.bandwidth-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}

.roofline-chart .axis,
.latency-chart .axis,
.bandwidth-chart .axis {
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

/* A wide transparent twin of each line: an easy hover target for its title element. */

.roofline-chart .hit {
  stroke: transparent;
  stroke-width: 10;
}

.roofline-chart .ceiling-group:hover .ceiling {
  stroke-width: 3.5;
  opacity: 1;
}

.roofline-chart .dtype-fp64 { stroke: var(--dtype-fp64); fill: var(--dtype-fp64); }

.roofline-chart .dtype-fp32 { stroke: var(--dtype-fp32); fill: var(--dtype-fp32); }

.roofline-chart .dtype-tf32 { stroke: var(--dtype-tf32); fill: var(--dtype-tf32); }

.roofline-chart .dtype-fp16 { stroke: var(--dtype-fp16); fill: var(--dtype-fp16); }

.roofline-chart .dtype-bf16 { stroke: var(--dtype-bf16); fill: var(--dtype-bf16); }

.roofline-chart .dtype-fp8 { stroke: var(--dtype-fp8); fill: var(--dtype-fp8); }

.roofline-chart .dtype-int8 { stroke: var(--dtype-int8); fill: var(--dtype-int8); }

.roofline-chart .level-l1 { stroke: var(--level-l1); fill: var(--level-l1); }

.roofline-chart .level-l2 { stroke: var(--level-l2); fill: var(--level-l2); }

.roofline-chart .level-l3 { stroke: var(--level-l3); fill: var(--level-l3); }

.roofline-chart .level-dram { stroke: var(--level-dram); fill: var(--level-dram); }

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

.latency-chart .series,
.bandwidth-chart .series {
  fill: none;
  stroke: var(--accent);
  stroke-width: 1.75;
}

.latency-chart .point,
.bandwidth-chart .point {
  fill: var(--accent);
}

.bandwidth-chart .series-single {
  fill: none;
  stroke: var(--muted);
  stroke-width: 1.5;
}

.bandwidth-chart .point-single {
  fill: var(--muted);
}

.latency-chart .cache-size,
.bandwidth-chart .boundary {
  stroke: var(--muted);
  stroke-width: 1;
}

.latency-chart .cache-label {
  fill: var(--muted);
}

.latency-chart .level-line,
.bandwidth-chart .level-line {
  stroke: var(--ok);
  stroke-width: 3;
  opacity: 0.55;
}

.latency-chart .level-label,
.bandwidth-chart .level-label {
  fill: var(--ok);
  font-weight: 600;
}

.latency-chart .knee-mark {
  fill: var(--warn-border);
  stroke: var(--surface);
  stroke-width: 1;
}

/* A halo in the card's colour keeps labels readable where they cross a line or a point. */

.roofline-chart .line-label,
.roofline-chart .ridge-label,
.roofline-chart .point-label,
.latency-chart .level-label,
.latency-chart .cache-label,
.bandwidth-chart .level-label {
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

.memory-batch-chart text,
.sparsity-schedule-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}

.memory-batch-chart .tick,
.memory-batch-chart .axis-caption,
.sparsity-schedule-chart .tick,
.sparsity-schedule-chart .axis-caption {
  fill: var(--muted);
}

.memory-batch-chart .gridline,
.sparsity-schedule-chart .gridline {
  stroke: var(--border);
  stroke-width: 1;
}

.memory-batch-chart .axis,
.sparsity-schedule-chart .axis {
  stroke: var(--border-strong);
  stroke-width: 1;
}

.memory-batch-chart .series {
  fill: none;
  stroke-width: 2;
}

.memory-batch-chart .series.plain {
  stroke: var(--accent);
}

.memory-batch-chart .series.checkpointed {
  stroke: var(--dtype-bf16);
  stroke-dasharray: 6 4;
}

.memory-batch-chart .device {
  stroke: var(--danger);
  stroke-width: 1.5;
  stroke-dasharray: 2 3;
}

.memory-batch-chart .device-label {
  fill: var(--danger);
}

.memory-batch-chart .current {
  stroke: var(--muted);
  stroke-dasharray: 3 3;
}

.memory-batch-chart .fit {
  fill: var(--surface);
  stroke: var(--danger);
  stroke-width: 2;
}

.sparsity-schedule-chart .schedule {
  fill: none;
  stroke: var(--accent);
  stroke-width: 2;
}

.sparsity-schedule-chart .event {
  fill: var(--surface);
  stroke: var(--accent);
  stroke-width: 1.5;
}

/* Planner (src-renderer/pages/planner-page.tsx) and its charts (src-shared/charts: isoflop,
   loss-contour, frontier-compare, gd-cost, residuals). Series colours are a fixed categorical
   palette; contour bands a sequential one (band-0 lowest loss … band-12 highest). */

.isoflop-chart text,
.loss-contour-chart text,
.frontier-compare-chart text,
.gd-cost-chart text,
.residuals-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}

.isoflop-chart .tick,
.isoflop-chart .axis-caption,
.loss-contour-chart .tick,
.loss-contour-chart .axis-caption,
.frontier-compare-chart .tick,
.frontier-compare-chart .axis-caption,
.gd-cost-chart .tick,
.gd-cost-chart .axis-caption,
.gd-cost-chart .note,
.residuals-chart .tick,
.residuals-chart .axis-caption {
  fill: var(--muted);
}

.isoflop-chart .gridline,
.loss-contour-chart .gridline,
.frontier-compare-chart .gridline,
.gd-cost-chart .gridline,
.residuals-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}

.isoflop-chart .axis,
.frontier-compare-chart .axis,
.gd-cost-chart .axis,
.loss-contour-chart .plot-frame {
  stroke: var(--border-strong);
  fill: none;
}

.isoflop-chart .curve,
.frontier-compare-chart .series,
.gd-cost-chart .series {
  fill: none;
  stroke-width: 2;
}

.isoflop-chart .curve-0, .frontier-compare-chart .series-0 { stroke: var(--series-0); }

.isoflop-chart .curve-1, .frontier-compare-chart .series-1 { stroke: var(--series-1); }

.isoflop-chart .curve-2, .frontier-compare-chart .series-2 { stroke: var(--series-2); }

.isoflop-chart .curve-3, .frontier-compare-chart .series-3 { stroke: var(--series-3); }

.isoflop-chart .curve-4, .frontier-compare-chart .series-4 { stroke: var(--series-4); }

.isoflop-chart .curve-5, .frontier-compare-chart .series-5 { stroke: var(--series-5); }

.isoflop-chart .curve-6, .frontier-compare-chart .series-6 { stroke: var(--series-6); }

.isoflop-chart .curve-7, .frontier-compare-chart .series-7 { stroke: var(--series-7); }

.isoflop-chart .budget-label.curve-0, .isoflop-chart .budget-0, .frontier-compare-chart circle.series-0 { fill: var(--series-0); stroke: none; }

.isoflop-chart .budget-label.curve-1, .isoflop-chart .budget-1, .frontier-compare-chart circle.series-1 { fill: var(--series-1); stroke: none; }

.isoflop-chart .budget-label.curve-2, .isoflop-chart .budget-2, .frontier-compare-chart circle.series-2 { fill: var(--series-2); stroke: none; }

.isoflop-chart .budget-label.curve-3, .isoflop-chart .budget-3, .frontier-compare-chart circle.series-3 { fill: var(--series-3); stroke: none; }

.isoflop-chart .budget-label.curve-4, .isoflop-chart .budget-4, .frontier-compare-chart circle.series-4 { fill: var(--series-4); stroke: none; }

.isoflop-chart .budget-label.curve-5, .isoflop-chart .budget-5, .frontier-compare-chart circle.series-5 { fill: var(--series-5); stroke: none; }

.isoflop-chart .budget-label.curve-6, .isoflop-chart .budget-6, .frontier-compare-chart circle.series-6 { fill: var(--series-6); stroke: none; }

.isoflop-chart .budget-label.curve-7, .isoflop-chart .budget-7, .frontier-compare-chart circle.series-7 { fill: var(--series-7); stroke: none; }

.isoflop-chart .frontier,
.loss-contour-chart .frontier {
  fill: none;
  stroke: var(--text);
  stroke-width: 2;
  stroke-dasharray: 6 3;
}

.isoflop-chart .minimum {
  fill: var(--surface);
  stroke: var(--text);
  stroke-width: 1.5;
}

.isoflop-chart .minimum.at-edge {
  stroke-dasharray: 2 2;
}

.isoflop-chart .plan-point,
.loss-contour-chart .plan-point,
.frontier-compare-chart .plan-point {
  fill: var(--danger);
  stroke: var(--surface);
  stroke-width: 1.5;
}

.isoflop-chart .plan-label,
.loss-contour-chart .plan-label {
  fill: var(--danger);
  font-weight: 600;
}

.frontier-compare-chart .guide {
  stroke: var(--danger);
  stroke-dasharray: 3 3;
}

.frontier-compare-chart .spread {
  fill: var(--accent-soft);
  opacity: 0.6;
}

.loss-contour-chart .band { stroke: none; }

.loss-contour-chart .band-0 { fill: #08306b; }

.loss-contour-chart .band-1 { fill: #08519c; }

.loss-contour-chart .band-2 { fill: #2171b5; }

.loss-contour-chart .band-3 { fill: #4292c6; }

.loss-contour-chart .band-4 { fill: #6baed6; }

.loss-contour-chart .band-5 { fill: #9ecae1; }

.loss-contour-chart .band-6 { fill: #c6dbef; }

.loss-contour-chart .band-7 { fill: #deebf7; }

.loss-contour-chart .band-8 { fill: #fee6ce; }

.loss-contour-chart .band-9 { fill: #fdd0a2; }

.loss-contour-chart .band-10 { fill: #fdae6b; }

.loss-contour-chart .band-11 { fill: #f16913; }

.loss-contour-chart .band-12 { fill: #d94801; }

.loss-contour-chart .isoflop-line {
  stroke: var(--text);
  stroke-width: 1;
  stroke-dasharray: 2 4;
  opacity: 0.7;
}

.loss-contour-chart .threshold-label,
.loss-contour-chart .isoflop-label {
  fill: var(--text);
  font-size: 10px;
  paint-order: stroke;
  stroke: var(--surface);
  stroke-width: 3px;
}

.gd-cost-chart .strategy-recompute { stroke: var(--series-1); }

.gd-cost-chart .strategy-precompute { stroke: var(--series-0); }

.gd-cost-chart .strategy-closed-form { stroke: var(--series-2); }

.gd-cost-chart .measured-point.strategy-recompute, .gd-cost-chart .swatch.measured-point { fill: var(--series-1); }

.gd-cost-chart .measured-point.strategy-precompute { fill: var(--series-0); }

.gd-cost-chart .measured-point.strategy-closed-form { fill: var(--series-2); }

.gd-cost-chart .measured-line {
  fill: none;
  stroke-width: 1.5;
  stroke-dasharray: 4 3;
}

.gd-cost-chart .break-even-mark,
.gd-cost-chart .swatch.break-even {
  stroke: var(--muted);
  stroke-dasharray: 3 3;
  fill: none;
}

.gd-cost-chart .swatch.series {
  fill: none;
  stroke-width: 2;
}

.residuals-chart .identity {
  stroke: var(--muted);
  stroke-dasharray: 4 3;
}

.residuals-chart .run {
  fill: var(--accent);
  opacity: 0.8;
}

/* Predicted against measured time per kernel (src-shared/charts/predicted-measured-chart.ts). */

.predicted-measured-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}

.predicted-measured-chart .tick,
.predicted-measured-chart .axis-caption,
.predicted-measured-chart .note {
  fill: var(--muted);
}

.predicted-measured-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}

.predicted-measured-chart .axis {
  stroke: var(--border-strong);
  stroke-width: 1;
}

.predicted-measured-chart .close-band {
  fill: var(--ok);
  fill-opacity: 0.1;
  stroke: none;
}

.predicted-measured-chart .identity {
  stroke: var(--muted);
  stroke-width: 1.5;
  stroke-dasharray: 4 3;
}

.predicted-measured-chart .unit {
  fill-opacity: 0.8;
  stroke: var(--surface);
  stroke-width: 0.75;
}

.predicted-measured-chart .unit.fused,
.predicted-measured-chart .fused-swatch {
  stroke: var(--text);
  stroke-width: 1.5;
}

.predicted-measured-chart .fused-swatch {
  fill: none;
}

.predicted-measured-chart .series-0 { fill: var(--series-0); }

.predicted-measured-chart .series-1 { fill: var(--series-1); }

.predicted-measured-chart .series-2 { fill: var(--series-2); }

.predicted-measured-chart .series-3 { fill: var(--series-3); }

.predicted-measured-chart .series-4 { fill: var(--series-4); }

.predicted-measured-chart .series-5 { fill: var(--series-5); }

.predicted-measured-chart .series-6 { fill: var(--series-6); }

.predicted-measured-chart .series-7 { fill: var(--series-7); }

/* Transformers page charts (src-shared/charts/attention-sweep-chart.ts, attention-pattern-chart.ts). */

.attention-sweep-chart text,
.attention-pattern-chart text,
.attention-pattern-grid text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}

.attention-sweep-chart .tick,
.attention-sweep-chart .axis-caption,
.attention-pattern-grid .pattern-density,
.attention-pattern-grid .pattern-note,
.attention-pattern-chart .pattern-density,
.attention-pattern-chart .pattern-note {
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

.attention-sweep-chart path.series-0, .attention-sweep-chart line.series-0 { stroke: var(--series-0); }

.attention-sweep-chart circle.series-0 { fill: var(--series-0); stroke: none; }

.attention-sweep-chart path.series-1, .attention-sweep-chart line.series-1 { stroke: var(--series-1); }

.attention-sweep-chart circle.series-1 { fill: var(--series-1); stroke: none; }

.attention-sweep-chart path.series-2, .attention-sweep-chart line.series-2 { stroke: var(--series-2); }

.attention-sweep-chart circle.series-2 { fill: var(--series-2); stroke: none; }

.attention-sweep-chart path.series-3, .attention-sweep-chart line.series-3 { stroke: var(--series-3); }

.attention-sweep-chart circle.series-3 { fill: var(--series-3); stroke: none; }

.attention-sweep-chart path.series-4, .attention-sweep-chart line.series-4 { stroke: var(--series-4); }

.attention-sweep-chart circle.series-4 { fill: var(--series-4); stroke: none; }

.attention-sweep-chart path.series-5, .attention-sweep-chart line.series-5 { stroke: var(--series-5); }

.attention-sweep-chart circle.series-5 { fill: var(--series-5); stroke: none; }

.attention-sweep-chart path.series-6, .attention-sweep-chart line.series-6 { stroke: var(--series-6); }

.attention-sweep-chart circle.series-6 { fill: var(--series-6); stroke: none; }

.attention-sweep-chart path.series-7, .attention-sweep-chart line.series-7 { stroke: var(--series-7); }

.attention-sweep-chart circle.series-7 { fill: var(--series-7); stroke: none; }

.attention-sweep-chart path.measured {
  stroke-width: 1.5;
  stroke-dasharray: 5 3;
}

/* A generous, focusable hit area over each point and marker: it carries the value (title, aria-label, data-tip). */

.attention-sweep-chart .hit {
  fill: transparent;
  stroke: none;
  pointer-events: all;
  cursor: default;
}

.attention-sweep-chart .hit:focus {
  outline: none;
  stroke: var(--focus);
  stroke-width: 2;
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
  stroke-width: 1.25;
}

.attention-sweep-chart .crossover-label {
  font-size: 10px;
}

.attention-pattern-chart .off,
.attention-pattern-grid .off {
  fill: var(--accent-soft);
}

.attention-pattern-chart .on,
.attention-pattern-grid .on {
  fill: var(--accent);
}

.attention-pattern-chart .frame,
.attention-pattern-grid .frame {
  fill: none;
  stroke: var(--border-strong);
}

/* Roofline overlays: other runs' envelopes in a comparison (src-shared/charts/roofline-chart.ts). */

.roofline-chart .overlay-line {
  fill: none;
  stroke-width: 2;
}

.roofline-chart .overlay-0 .overlay-line { stroke: var(--series-1); }

.roofline-chart .overlay-1 .overlay-line { stroke: var(--series-2); }

.roofline-chart .overlay-2 .overlay-line { stroke: var(--series-3); }

.roofline-chart .overlay-3 .overlay-line { stroke: var(--series-4); }

.roofline-chart .overlay-4 .overlay-line { stroke: var(--series-5); }

.roofline-chart .overlay-5 .overlay-line { stroke: var(--series-6); }

.roofline-chart .overlay-6 .overlay-line { stroke: var(--series-7); }

.roofline-chart .overlay-7 .overlay-line { stroke: var(--series-0); }

.roofline-chart .overlay-label {
  fill: var(--muted);
}

/* energy */

/* The power strip under the progress and in the Energy cards (src-shared/charts/power-strip.ts). */

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

/* An estimate is drawn dashed, like the theoretical lines of the roofline: not a measurement. */

.power-strip.estimated .power-line {
  stroke-dasharray: 5 3;
}

.power-strip .estimate-label {
  fill: var(--warn-text);
  font-weight: 600;
}

/* Decode tokens/s against context depth (src-shared/charts/llm-decode-chart.ts). */

.llm-decode-chart text {
  font-family: var(--font-mono);
  font-size: 11px;
  fill: var(--text);
}

.llm-decode-chart .tick,
.llm-decode-chart .axis-caption {
  fill: var(--muted);
}

.llm-decode-chart .gridline {
  stroke: var(--grid);
  stroke-width: 1;
}

.llm-decode-chart .axis {
  stroke: var(--border-strong);
  stroke-width: 1;
}

.llm-decode-chart .predicted {
  fill: none;
  stroke: var(--series-0);
  stroke-width: 2;
}

.llm-decode-chart .measured {
  fill: var(--series-1);
  stroke: var(--surface);
  stroke-width: 1;
}
`;

export const CHART_CSS = CHART_THEME_CSS + CHART_RULES_CSS + seriesStyleRules();
