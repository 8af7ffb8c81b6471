/**
 * A report model as one self-contained HTML page (runs anywhere): inline SVG charts, an inline
 * <style> with the charts' light-theme rules (report-styles.ts) and the page's own, a strict CSP
 * (`default-src 'none'; style-src 'unsafe-inline'; img-src data:`), no scripts, no external
 * references of any kind: the SVG namespace attribute is dropped (HTML does not need it) and the
 * "://" of any URL in text is written as character references, so the markup contains no URL.
 */
import { escapeXml } from '../charts/svg.js';
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
figure { margin: 6px 0 12px; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
figure svg { max-width: 100%; height: auto; display: block; }
section.run, section.comparison { break-before: auto; }
@media print { body { margin: 0; } h2, h3 { break-after: avoid; } .chart-block { break-inside: avoid; } table { break-inside: auto; } tr { break-inside: avoid; } }
`;

/** Escapes text and breaks the "://" of URLs into character references (same rendering, no URL in the markup). */
function text(s: string): string {
  return escapeXml(s).replace(/:\/\//g, ':&#47;&#47;');
}

/** A chart's SVG for inline HTML: without the namespace attribute (HTML parsers imply it). */
export function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '').replace(/\s+xmlns:xlink="[^"]*"/g, '');
}

function kvTable(rows: readonly ReportRow[]): string {
  const body = rows.map((r) => `<tr data-key="${escapeXml(r.key)}"><th>${text(r.label)}</th><td${typeof r.value === 'number' ? ' class="num"' : ''}>${text(r.display)}</td></tr>`).join('');
  return `<table class="kv"><tbody>${body}</tbody></table>`;
}

function block(b: ReportBlock): string {
  const h = `<h3>${text(b.title)}</h3>`;
  switch (b.type) {
    case 'kv':
      return b.rows.length ? `<div class="block" data-block="${escapeXml(b.id)}">${h}${kvTable(b.rows)}</div>` : '';
    case 'table': {
      if (!b.rows.length) return '';
      const head = b.columns.map((c) => `<th>${text(c.label)}${c.unit && !SCALED_UNITS.has(c.unit) ? ` (${text(c.unit)})` : ''}</th>`).join('');
      const body = b.rows
        .map((r) => `<tr>${r.display.map((d, i) => `<td${typeof r.cells[i] === 'number' ? ' class="num"' : ''}>${text(unitless(d, b.columns[i]?.unit))}</td>`).join('')}</tr>`)
        .join('');
      return `<div class="block" data-block="${escapeXml(b.id)}">${h}<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${b.note ? `<p class="note">${text(b.note)}</p>` : ''}</div>`;
    }
    case 'comparison': {
      const head = `<th>Metric</th>${b.runIds.map((id) => `<th>Run #${id}</th>`).join('')}`;
      const body = b.rows.map((r) => `<tr data-key="${escapeXml(r.key)}"><th>${text(r.label)}</th>${r.display.map((d) => `<td class="num">${text(d)}</td>`).join('')}</tr>`).join('');
      return `<div class="block" data-block="${escapeXml(b.id)}">${h}<table class="compare"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p class="note">${text(b.note)}</p></div>`;
    }
    case 'charts':
      return `<div class="block chart-block" data-block="${escapeXml(b.id)}">${h}<div class="charts${b.sideBySide ? ' side-by-side' : ''}">${b.charts.map((c) => `<figure>${inlineSvg(c.svg)}<figcaption>${text(c.caption)}</figcaption></figure>`).join('')}</div></div>`;
    case 'notes':
      return `<div class="block" data-block="${escapeXml(b.id)}">${h}<ul class="notes">${b.items.map((i) => `<li>${text(i)}</li>`).join('')}</ul></div>`;
  }
}

/** Units whose cells are scaled (KiB/GiB, G/TFLOP/s, mJ/kJ, W/kW…): each cell keeps its own unit, the header none. */
const SCALED_UNITS = new Set(['B', 'GFLOP/s', 'J', 'W', 'GFLOP/J', 'GB/J']);

/** A table cell without the unit its column header already shows (scaled units stay in the cell). */
function unitless(d: string, unit: string | undefined): string {
  if (!unit || SCALED_UNITS.has(unit)) return d;
  return d.endsWith(` ${unit}`) ? d.slice(0, -unit.length - 1) : d;
}

function headerHtml(hd: ReportRunHeader): string {
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
  const rows = facts.map(([k, v]) => `<tr><th>${text(k)}</th><td>${text(v)}</td></tr>`).join('');
  const settings = hd.settings.length ? `<h3>Settings</h3>${kvTable(hd.settings)}` : '<p class="note">No settings were stored with this run.</p>';
  return `<table class="kv header" data-testid="run-header"><tbody>${rows}</tbody></table>${settings}`;
}

export function renderHtml(model: ReportModel): string {
  const v = model.versions;
  const versions = [`Node ${v.node}`, v.electron ? `Electron ${v.electron}` : '', v.onnxruntime ? `ONNX Runtime ${v.onnxruntime}` : '', v.sqlite ? `SQLite ${v.sqlite}` : ''].filter(Boolean).join(', ');
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(model.title)}</title>`,
    `<style>${REPORT_CHART_CSS}${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${text(model.title)}</h1>`,
    `<p class="meta">Generated ${text(model.generatedAt)} by FLOPscope ${text(model.appVersion)} (${text(versions)}).</p>`,
  ];
  for (const c of model.comparisons) {
    parts.push(`<section class="comparison" data-kind="${escapeXml(c.kind)}"><h2>Comparison of ${c.runIds.length} ${text(c.kind)} runs (${c.runIds.map((id) => `#${id}`).join(', ')})</h2>`, ...c.blocks.map(block), '</section>');
  }
  for (const r of model.runs) {
    parts.push(`<section class="run" data-run-id="${r.header.id}" data-kind="${escapeXml(r.header.kind)}"><h2>Run #${r.header.id}: ${text(r.header.kind)}</h2>`, headerHtml(r.header), ...r.blocks.map(block), '</section>');
  }
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}
