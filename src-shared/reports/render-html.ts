/**
 * A report model as one self-contained HTML page (runs anywhere): inline SVG charts, an inline
 * <style> with the charts' light-theme rules (report-styles.ts) and the page's own, a strict CSP
 * (`default-src 'none'; style-src 'unsafe-inline'; img-src data:`), no scripts, no external
 * references of any kind: the SVG namespace attribute is dropped (HTML does not need it) and the
 * "://" of any URL in text is written as character references, so the markup contains no URL.
 * Every piece of data goes through the htmlWithoutUrls`…` tag of src-shared/markup (escaped by
 * where it stands; the charts arrive as SafeMarkup), never through string concatenation.
 */
import { attrs, htmlWithoutUrls as html, joinMarkup, styleText, withoutUrls, withoutXmlns, type SafeMarkup } from '../markup/markup.js';
import type { ReportBlock, ReportModel, ReportRow, ReportRunHeader } from './report.js';
import { REPORT_CHART_CSS } from './report-styles.js';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 24px; font: 13px/1.45 var(--font-ui); color: var(--text); background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 6px; padding-top: 8px; border-top: 2px solid var(--border-strong); }
h3 { font-size: 14px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 8px; }
table { border-collapse: collapse; margin: 4px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--border); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--surface-2); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
table.kv th { width: 16em; }
.note { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
ul.notes { margin: 4px 0 10px; padding-left: 20px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts.side-by-side { flex-wrap: nowrap; }
.charts.side-by-side figure { flex: 1 1 0; min-width: 0; }
.with-aside { display: flex; gap: 16px; align-items: flex-start; }
.with-aside > .charts { flex: 1 1 auto; min-width: 0; }
.with-aside > aside { flex: 0 0 auto; max-width: 260px; }
.with-aside > aside h3 { margin-top: 6px; }
.block.summary table.kv { min-width: 60%; }
.block.summary td { font-weight: 600; }
figure { margin: 6px 0 12px; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
figure svg { max-width: 100%; height: auto; display: block; }
section.run, section.comparison { break-before: auto; }
@media print { body { margin: 0; } h2, h3 { break-after: avoid; } section.run + section.run, section.comparison + section.run { break-before: page; } .block.summary { break-inside: avoid; } .chart-block, figure { break-inside: avoid; } table { break-inside: auto; } tr { break-inside: avoid; } .with-aside { gap: 10px; } .with-aside > aside { max-width: 200px; font-size: 11px; } }
`;

/** A chart's SVG for inline HTML: without the namespace attribute (HTML parsers imply it), URLs in its text broken like the page's. */
export function inlineSvg(svg: SafeMarkup): SafeMarkup {
  return withoutUrls(withoutXmlns(svg));
}

function kvTable(rows: readonly ReportRow[]): SafeMarkup {
  const body = rows.map((r) => html`<tr data-key="${r.key}"><th>${r.label}</th><td${typeof r.value === 'number' ? NUM : null}>${r.display}</td></tr>`);
  return html`<table class="kv"><tbody>${body}</tbody></table>`;
}

/** Numeric cells: right-aligned. */
const NUM = attrs` class="num"`;

function block(b: ReportBlock): SafeMarkup | null {
  const h = html`<h3>${b.title}</h3>`;
  switch (b.type) {
    case 'kv':
      if (!b.rows.length) return null;
      return b.id === 'summary' ? html`<div class="block summary" data-block="summary">${h}${kvTable(b.rows)}</div>` : html`<div class="block" data-block="${b.id}">${h}${kvTable(b.rows)}</div>`;
    case 'table': {
      if (!b.rows.length) return b.note ? html`<div class="block" data-block="${b.id}">${h}<p class="note">${b.note}</p></div>` : null;
      const head = b.columns.map((c) => html`<th>${c.label}${c.unit && !SCALED_UNITS.has(c.unit) ? html` (${c.unit})` : null}</th>`);
      const body = b.rows.map((r) => html`<tr>${r.display.map((d, i) => html`<td${typeof r.cells[i] === 'number' ? NUM : null}>${unitless(d, b.columns[i]?.unit)}</td>`)}</tr>`);
      return html`<div class="block" data-block="${b.id}">${h}<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${b.note ? html`<p class="note">${b.note}</p>` : null}</div>`;
    }
    case 'comparison': {
      const head = html`<th>Metric</th>${b.runIds.map((id, i) => html`<th>Run #${id}${b.runLabels?.[i] ? html`<br><span class="subject">${b.runLabels[i]}</span>` : null}</th>`)}`;
      const body = b.rows.map((r) => html`<tr data-key="${r.key}"><th>${r.label}</th>${r.display.map((d) => html`<td class="num">${d}</td>`)}</tr>`);
      return html`<div class="block" data-block="${b.id}">${h}<table class="compare"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p class="note">${b.note}</p></div>`;
    }
    case 'charts': {
      const figures = html`<div class="charts${b.sideBySide ? ' side-by-side' : ''}">${b.charts.map((c) => html`<figure>${inlineSvg(c.svg)}<figcaption>${c.caption}</figcaption></figure>`)}</div>`;
      // A table beside the charts (the crossovers beside the attention curves).
      const aside = b.aside ? block(b.aside) : null;
      return html`<div class="block chart-block" data-block="${b.id}">${h}${aside ? html`<div class="with-aside">${figures}<aside>${aside}</aside></div>` : figures}</div>`;
    }
    case 'notes':
      return html`<div class="block" data-block="${b.id}">${h}<ul class="notes">${b.items.map((i) => html`<li>${i}</li>`)}</ul></div>`;
  }
}

/** Units whose cells are scaled (KiB/GiB, G/TFLOP/s, mJ/kJ, W/kW…): each cell keeps its own unit, the header none. */
const SCALED_UNITS = new Set(['B', 'GFLOP/s', 'J', 'W', 'GFLOP/J', 'GB/J']);

/** A table cell without the unit its column header already shows (scaled units stay in the cell). */
function unitless(d: string, unit: string | undefined): string {
  if (!unit || SCALED_UNITS.has(unit)) return d;
  return d.endsWith(` ${unit}`) ? d.slice(0, -unit.length - 1) : d;
}

function headerHtml(hd: ReportRunHeader): SafeMarkup {
  const m = hd.machine;
  const facts: Array<[string, string]> = [
    ['Kind', hd.kind],
    ['Run', `#${hd.id}`],
    ['Date', hd.createdAt],
    ['Machine', m.hostname ? `${m.hostname} (${m.id})` : m.id],
    ...(m.os ? [['OS', m.os] as [string, string]] : []),
    ['CPU', m.cpu ?? 'unknown'],
    ['GPUs', m.gpus.length ? m.gpus.join('; ') : 'none reported'],
    ['App version', hd.appVersion],
    ...(hd.uid ? [['Run uid', hd.uid] as [string, string]] : []),
    ...(hd.tags.length ? [['Tags', hd.tags.join(', ')] as [string, string]] : []),
    ...(hd.note ? [['Note', hd.note] as [string, string]] : []),
  ];
  const rows = facts.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`);
  const settings =
    hd.settings.length || hd.settingsTables.length
      ? html`<h3>Exact settings</h3>${hd.settings.length ? kvTable(hd.settings) : null}${hd.settingsTables.map(block)}`
      : html`<p class="note">No settings were stored with this run.</p>`;
  return html`<div class="block run-details" data-block="run-details"><h3>Run and machine</h3><table class="kv header" data-testid="run-header"><tbody>${rows}</tbody></table>${settings}</div>`;
}

export function renderHtml(model: ReportModel): string {
  const v = model.versions;
  const versions = [`Node ${v.node}`, v.electron ? `Electron ${v.electron}` : '', v.onnxruntime ? `ONNX Runtime ${v.onnxruntime}` : '', v.sqlite ? `SQLite ${v.sqlite}` : ''].filter(Boolean).join(', ');
  const parts: Array<SafeMarkup | null> = [
    html`<!doctype html>`,
    html`<html lang="en">`,
    html`<head>`,
    html`<meta charset="utf-8">`,
    // REPORT_CSP, written out: a constant of ours, and its quotes must stay quotes (the report test checks the two agree).
    html`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    html`<meta name="viewport" content="width=device-width, initial-scale=1">`,
    html`<title>${model.title}</title>`,
    html`<style>${styleText(REPORT_CHART_CSS + PAGE_CSS)}</style>`,
    html`</head>`,
    html`<body>`,
    html`<h1>${model.title}</h1>`,
    html`<p class="meta">Generated ${model.generatedAt} by FLOPscope ${model.appVersion} (${versions}).</p>`,
  ];
  for (const c of model.comparisons) {
    parts.push(html`<section class="comparison" data-kind="${c.kind}"><h2>Comparison of ${c.runIds.length} ${c.kind} runs (${c.runIds.map((id) => `#${id}`).join(', ')})</h2>`, ...c.blocks.map(block), html`</section>`);
  }
  for (const r of model.runs) {
    parts.push(html`<section class="run" data-run-id="${r.header.id}" data-kind="${r.header.kind}"><h2>Run #${r.header.id}: ${r.header.kind}${r.header.subject ? html` — ${r.header.subject}` : null}</h2>`, ...r.blocks.map(block), headerHtml(r.header), html`</section>`);
  }
  parts.push(html`</body>`, html`</html>`, html``);
  return String(joinMarkup(parts.map((p) => p ?? html``), '\n'));
}
