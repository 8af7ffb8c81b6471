/**
 * A report model as Markdown (runs anywhere): headings and GitHub-style pipe tables; charts are
 * named with a pointer to the HTML or PDF report, since Markdown viewers differ on inline SVG.
 * Every piece of data goes through mdText (cells through mdCell, list items through mdLine), so a
 * run's strings show as text: never raw HTML, never Markdown syntax, never a broken table.
 */
import type { ReportBlock, ReportModel, ReportRow } from './report.js';

/**
 * Text as Markdown that shows exactly that text: line breaks flattened to spaces (a value never
 * starts a block), '&', '<' and '>' as character references (no raw HTML, no autolink, no entity
 * of the data's own), and the characters that start inline syntax backslash-escaped — \ ` * _ [ ]
 * | ~ — so no emphasis, code span, link, image, strikethrough or table cell comes from data.
 */
export function mdText(s: string): string {
  return s
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]|~]/g, '\\$&');
}

/** Text in a heading: mdText with '#' escaped too (a trailing run of them would be dropped as the closing sequence). */
function mdHeading(s: string): string {
  return mdText(s).replace(/#/g, '\\#');
}

/** Text that starts a line (a list item, a paragraph): mdText, and a leading -, +, # or "1." that would start a list or a heading kept as text. */
function mdLine(s: string): string {
  return mdText(s.trim()).replace(/^([-+#])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A table cell: mdText, trimmed, never empty. */
export function mdCell(s: string): string {
  const t = mdText(s).trim();
  return t === '' ? ' ' : t;
}

function mdTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: readonly boolean[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  const sep = `| ${head.map((_, i) => (numeric[i] ? '---:' : '---')).join(' | ')} |`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}

function kv(rows: readonly ReportRow[]): string {
  return mdTable(['Setting', 'Value'], rows.map((r) => [r.label, r.display]));
}

function block(b: ReportBlock): string {
  const h = `#### ${mdHeading(b.title)}\n\n`;
  switch (b.type) {
    case 'kv':
      return b.rows.length ? h + mdTable(['Quantity', 'Value'], b.rows.map((r) => [r.label, r.display])) : '';
    case 'table':
      if (!b.rows.length) return b.note ? h + `_${mdText(b.note).trim()}_` : '';
      return (
        h +
        mdTable(
          b.columns.map((c) => c.label),
          b.rows.map((r) => r.display),
          b.columns.map((_, i) => typeof b.rows[0]?.cells[i] === 'number'),
        ) +
        (b.note ? `\n\n_${mdText(b.note).trim()}_` : '')
      );
    case 'comparison':
      return h + mdTable(['Metric', ...b.runIds.map((id, i) => (b.runLabels?.[i] ? `Run #${id}: ${b.runLabels[i]}` : `Run #${id}`))], b.rows.map((r) => [r.label, ...r.display]), [false, ...b.runIds.map(() => true)]) + `\n\n_${mdText(b.note).trim()}_`;
    case 'charts':
      return h + b.charts.map((c) => `- Chart: ${mdText(c.caption)} (drawn in the HTML and PDF reports)`).join('\n') + (b.aside ? `\n\n${block(b.aside)}` : '');
    case 'notes':
      return h + b.items.map((i) => `- ${mdLine(i)}`).join('\n');
  }
}

export function renderMarkdown(model: ReportModel): string {
  const v = model.versions;
  const versions = [`Node ${v.node}`, v.electron ? `Electron ${v.electron}` : '', v.onnxruntime ? `ONNX Runtime ${v.onnxruntime}` : '', v.sqlite ? `SQLite ${v.sqlite}` : ''].filter(Boolean).join(', ');
  const out: string[] = [`# ${mdHeading(model.title)}`, mdLine(`Generated ${model.generatedAt} by FLOPscope ${model.appVersion} (${versions}).`)];
  for (const c of model.comparisons) {
    out.push(`## Comparison of ${c.runIds.length} ${mdHeading(c.kind)} runs (${c.runIds.map((id) => `#${id}`).join(', ')})`, ...c.blocks.map(block).filter(Boolean));
  }
  for (const r of model.runs) {
    const hd = r.header;
    const m = hd.machine;
    // The summary, the charts and the details first; the run's facts and exact settings close it.
    out.push(
      `## Run #${hd.id}: ${mdHeading(hd.kind)}${hd.subject ? ` — ${mdHeading(hd.subject)}` : ''}`,
      ...r.blocks.map(block).filter(Boolean),
      `#### Run and machine\n\n` +
        mdTable(
          ['Fact', 'Value'],
          [
            ['Kind', hd.kind],
            ['Run', `#${hd.id}`],
            ['Date', hd.createdAt],
            ['Machine', m.hostname ? `${m.hostname} (${m.id})` : m.id],
            ...(m.os ? [['OS', m.os]] : []),
            ['CPU', m.cpu ?? 'unknown'],
            ['GPUs', m.gpus.length ? m.gpus.join('; ') : 'none reported'],
            ['App version', hd.appVersion],
            ...(hd.uid ? [['Run uid', hd.uid]] : []),
            ...(hd.tags.length ? [['Tags', hd.tags.join(', ')]] : []),
            ...(hd.note ? [['Note', hd.note]] : []),
          ],
        ),
      hd.settings.length || hd.settingsTables.length ? `#### Exact settings${hd.settings.length ? `\n\n${kv(hd.settings)}` : ''}` : '_No settings were stored with this run._',
      ...hd.settingsTables.map(block).filter(Boolean),
    );
  }
  return out.join('\n\n') + '\n';
}
