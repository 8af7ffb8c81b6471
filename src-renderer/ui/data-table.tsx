/**
 * Data table: sticky header, numeric columns right-aligned with their unit in the header, the
 * first 20 rows with a "Show all N" button for the rest, and no horizontal scrollbar: text cells
 * wrap, `truncate` columns cut to one line with the full text in a title.
 *
 *   <DataTable testId="peaks-table" caption="Peak throughput"
 *     columns={[{ label: 'Dtype' }, { label: 'Peak', num: true, unit: 'FLOP/s' }]}
 *     rows={peaks.map((p) => ({ key: p.dtype, cells: [p.dtype, formatSi(p.flops)] }))} />
 *
 * A row may carry `testId`, `className`, `data` (data-* attributes) and per-cell `titles` (a truncated cell's title defaults
 * to its text when the cell is a string or number). The <table> carries data-ui="table" and the
 * testId; `limit` changes the row limit (default ROW_LIMIT = 20).
 */
import { useState, type ReactNode } from 'react';
import { limitRows, ROW_LIMIT } from './keys.js';

export interface DataColumn {
  label: ReactNode;
  num?: boolean;
  /** Unit of a numeric column, printed after the label, e.g. "GB/s". */
  unit?: string;
  /** One line, cut with an ellipsis, full text in the title. */
  truncate?: boolean;
  /** Header tooltip. */
  title?: string;
  /** Extra class of the column's header and cells (e.g. one a narrow window hides). */
  className?: string;
  /** data-* attributes of the header cell. */
  data?: Record<string, string>;
  /**
   * A sortable column: its header is a button that calls onSort, and aria-sort says the current
   * order (the caller sorts the rows; the table only draws).
   */
  sort?: 'ascending' | 'descending' | 'none';
  onSort?: () => void;
}

export interface DataRow {
  key: string;
  cells: ReactNode[];
  titles?: Array<string | undefined>;
  testId?: string;
  className?: string;
  /** data-* attributes of the row, e.g. { fits: 'true' } → data-fits="true". */
  data?: Record<string, string>;
  /** A click anywhere on the row (a mouse target; give the row a button for the keyboard too). */
  onClick?: () => void;
  /** Per-cell extra class and data-* attributes ({ col: 'macs' } → data-col="macs"; { testid: 'x' } → data-testid="x"). */
  cellClass?: Array<string | undefined>;
  cellData?: Array<Record<string, string> | undefined>;
}

interface Props {
  columns: readonly DataColumn[];
  rows: readonly DataRow[];
  testId?: string;
  caption?: string;
  limit?: number;
  /** Text for an empty table. */
  empty?: string;
  /** Extra class of the <table>. */
  className?: string;
  /** The first column names its row: its cells are <th scope="row"> (screen readers read it with each value). */
  rowHeaders?: boolean;
}

export function DataTable({ columns, rows, testId, caption, limit = ROW_LIMIT, empty = 'Nothing to show.', className, rowHeaders = false }: Props) {
  const [showAll, setShowAll] = useState(false);
  const { visible, hidden } = limitRows(rows, showAll, limit);
  const cls = (c: DataColumn, extra?: string) => [c.num ? 'num' : '', c.truncate ? 'ui-truncate' : '', c.className ?? '', extra ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="ui-table-wrap">
      <table className={`data-table ui-table${className ? ` ${className}` : ''}`} data-ui="table" data-testid={testId}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={[c.num ? 'num' : '', c.className ?? ''].filter(Boolean).join(' ') || undefined} title={c.title} aria-sort={c.onSort ? (c.sort ?? 'none') : undefined} {...dataAttributes(c.data)}>
                {c.onSort ? (
                  <button type="button" className="sort-button" onClick={c.onSort}>
                    {c.label}
                    {c.unit ? <span className="ui-unit"> ({c.unit})</span> : null}
                    <span className="sort-mark" aria-hidden="true">
                      {c.sort === 'descending' ? ' ▼' : c.sort === 'ascending' ? ' ▲' : ''}
                    </span>
                  </button>
                ) : (
                  <>
                    {c.label}
                    {c.unit ? <span className="ui-unit"> ({c.unit})</span> : null}
                  </>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          ) : null}
          {visible.map((r) => (
            <tr key={r.key} data-testid={r.testId} className={r.className} onClick={r.onClick} {...dataAttributes(r.data)}>
              {r.cells.map((cell, i) => {
                const c: DataColumn = columns[i] ?? { label: '' };
                const title = r.titles?.[i] ?? (c.truncate && (typeof cell === 'string' || typeof cell === 'number') ? String(cell) : undefined);
                const data = dataAttributes(r.cellData?.[i]);
                return (
                  rowHeaders && i === 0 ? (
                    <th key={i} scope="row" className={cls(c, r.cellClass?.[i])} title={title} {...data}>
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className={cls(c, r.cellClass?.[i])} title={title} {...data}>
                      {cell}
                    </td>
                  )
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 || showAll ? (
        <button type="button" className="button ui-table-more" onClick={() => setShowAll(!showAll)} data-testid={testId ? `${testId}-more` : undefined}>
          {showAll ? `Show first ${limit}` : `Show all ${rows.length}`}
        </button>
      ) : null}
    </div>
  );
}

/** { run-id: '3' } → { 'data-run-id': '3' }. */
function dataAttributes(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
}
