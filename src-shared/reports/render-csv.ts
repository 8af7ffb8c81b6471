/**
 * A report model as long-format CSV (runs anywhere): one value per line,
 * `run_id,kind,section,key,value,unit`. Numbers are written unformatted (JavaScript's shortest
 * round-trip form), so parsing a value back gives the identical number. Report-wide lines have an
 * empty run_id and kind and section "report"; settings are section "settings"; columnar tables
 * give one line per cell, keyed `<row key>.<column key>`; comparisons give each run's value and
 * its ratio against the first run (key `<metric>.ratio`, unit "ratio"). Charts are not data here.
 * Text that a spreadsheet would run as a formula is neutralised (csvField).
 */
import type { ReportBlock, ReportModel, ReportScalar } from './report.js';

export const CSV_HEADER = ['run_id', 'kind', 'section', 'key', 'value', 'unit'] as const;

/** A decimal number as JavaScript writes one: a cell holding this is a number to a spreadsheet, never a formula. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula
 * or a DDE command (OWASP, "CSV Injection"): =, +, -, @, tab and carriage return at the start.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180 field: quoted when it holds a comma, quote, line break or edge space. Numbers (and
 * booleans) are written as they are, so -1.5 stays the number -1.5. A string that a spreadsheet
 * would run as a formula — one starting with =, +, -, @, tab or CR — gets a leading single quote
 * and is always quoted, as OWASP's CSV-injection guidance says ("'=cmd|…" shows as text); a
 * string that is a plain decimal number ("-1.5") is left alone, since a spreadsheet reads it as
 * that number. Readers of this CSV: a value starting with ' that is not a number had one added.
 */
export function csvField(v: ReportScalar | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const formula = FORMULA_START.test(v) && !PLAIN_NUMBER.test(v);
  const s = formula ? `'${v}` : v;
  return formula || /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Line = [number | string, string, string, string, ReportScalar, string];

function blockLines(runId: number, kind: string, b: ReportBlock, section: string): Line[] {
  switch (b.type) {
    case 'kv':
      return b.rows.map((r) => [runId, kind, section, r.key, r.value, r.unit ?? '']);
    case 'table':
      return b.rows.flatMap((r) => r.cells.map((c, i): Line => [runId, kind, section, `${r.key}.${b.columns[i]!.key}`, c, b.columns[i]!.unit ?? '']));
    case 'notes':
      return b.items.map((item, i): Line => [runId, kind, section, `${b.id}.${i}`, item, '']);
    case 'charts':
      // The drawing is not data; a table beside it is.
      return b.aside ? blockLines(runId, kind, b.aside, b.aside.id) : [];
    case 'comparison':
      return [];
  }
}

export function renderCsv(model: ReportModel): string {
  const lines: Line[] = [
    ['', '', 'report', 'title', model.title, ''],
    ['', '', 'report', 'generated_at', model.generatedAt, ''],
    ['', '', 'report', 'app_version', model.appVersion, ''],
    ...Object.entries(model.versions).filter(([, v]) => v !== null).map(([k, v]): Line => ['', '', 'report', `versions.${k}`, v, '']),
  ];
  for (const c of model.comparisons) {
    for (const b of c.blocks) {
      if (b.type !== 'comparison') continue;
      for (const r of b.rows) {
        b.runIds.forEach((id, i) => {
          lines.push([id, c.kind, 'comparison', r.key, r.values[i] ?? null, r.unit ?? '']);
          lines.push([id, c.kind, 'comparison', `${r.key}.ratio`, r.ratios[i] ?? null, 'ratio']);
        });
      }
    }
  }
  for (const r of model.runs) {
    const h = r.header;
    const m = h.machine;
    const id = h.id;
    lines.push(
      [id, h.kind, 'header', 'created_at', h.createdAt, ''],
      [id, h.kind, 'header', 'app_version', h.appVersion, ''],
      [id, h.kind, 'header', 'uid', h.uid, ''],
      [id, h.kind, 'header', 'tags', h.tags.join(', '), ''],
      [id, h.kind, 'header', 'note', h.note, ''],
      [id, h.kind, 'header', 'machine_id', m.id, ''],
      [id, h.kind, 'header', 'hostname', m.hostname, ''],
      [id, h.kind, 'header', 'cpu', m.cpu, ''],
      [id, h.kind, 'header', 'gpus', m.gpus.join('; '), ''],
      [id, h.kind, 'header', 'memory_bytes', m.memoryBytes, 'B'],
    );
    for (const s of h.settings) lines.push([id, h.kind, 'settings', s.key, s.value, s.unit ?? '']);
    for (const t of h.settingsTables) lines.push(...blockLines(id, h.kind, t, t.id));
    for (const b of r.blocks) lines.push(...blockLines(id, h.kind, b, b.id));
  }
  return [CSV_HEADER.join(','), ...lines.map((l) => l.map((f) => csvField(f)).join(','))].join('\r\n') + '\r\n';
}
