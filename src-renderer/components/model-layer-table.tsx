/**
 * The per-layer table of a profile (renderer): sortable by any column (click a header; again to
 * reverse), filterable by block, drawn by the shared DataTable: the first MAX_ROWS rows, then
 * "Show all", with a note saying how many are hidden.
 * The cost model's predicted ms per layer is a column whenever the profile carries it (before any
 * run); measured columns (ms, measured ÷ predicted, achieved GFLOP/s) appear when the model was run.
 * A layer ONNX Runtime fused with others is marked "fused" in the ratio column: its measured ms is
 * its share of the fused kernel's time, split by predicted cost, so it has no ratio of its own.
 * Fifteen columns do not fit a card: the less used ones (output shape, MACs, other ops, intensity,
 * achieved GFLOP/s) start hidden, and the "Columns" toggle shows or hides any of them.
 */
import { DataTable } from '../ui/data-table.js';
import { Select } from '../ui/select.js';
import { useMemo, useState, type ReactNode } from 'react';
import { formatIntensity } from '../../src-shared/charts/axes.js';
import { formatShare } from '../../src-shared/charts/op-share-chart.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { CLOSE_FACTOR } from '../../src-shared/profiler/prediction-check.js';
import { formatCompact, formatCount, formatMsValue, formatRatio, hasLayerPredictions, layerRows, ratioClass, sortLayers, type LayerRow, type LayerSortKey } from '../model-run.js';

export const MAX_ROWS = 500;
const ALL = '\u0000all';
const NO_BLOCK = '\u0000none';

interface Column {
  key: LayerSortKey;
  label: string;
  numeric: boolean;
  measured?: boolean;
  predicted?: boolean;
  /** Shown until the user hides it (the others start hidden: all fifteen do not fit a card). */
  byDefault: boolean;
  cell: (r: LayerRow) => CellSpec;
}

/** A cell's content and the attributes its <td> carries (DataTable draws the <td>). */
interface CellSpec {
  content: ReactNode;
  className?: string;
  title?: string;
  data?: Record<string, string>;
}

const COLUMNS: Column[] = [
  { key: 'index', label: '#', numeric: true, byDefault: true, cell: (r) => ({ content: r.index + 1, className: 'muted' }) },
  {
    key: 'name',
    label: 'Name',
    numeric: false,
    byDefault: true,
    cell: (r) => ({ content: r.node.name, className: 'mono layer-name', ...(r.node.block ? { title: `block ${r.node.block}` } : {}) }),
  },
  {
    key: 'opType',
    label: 'Op type',
    numeric: false,
    byDefault: true,
    cell: (r) => ({
      className: 'mono',
      content: (
        <>
          {r.node.opType}
          {r.node.counted ? null : <span className="chip chip-warn">not counted</span>}
        </>
      ),
    }),
  },
  { key: 'outputShape', label: 'Output shape', numeric: false, byDefault: false, cell: (r) => ({ content: r.node.outputShape ? r.node.outputShape.join('×') : '?', className: 'mono nowrap' }) },
  { key: 'params', label: 'Params', numeric: true, byDefault: true, cell: (r) => ({ content: formatCount(r.node.params) }) },
  { key: 'macs', label: 'MACs', numeric: true, byDefault: false, cell: (r) => ({ content: formatCompact(r.node.macs), title: formatCount(r.node.macs) }) },
  { key: 'flops', label: 'FLOPs', numeric: true, byDefault: true, cell: (r) => ({ content: formatCompact(r.node.flops), title: formatCount(r.node.flops) }) },
  { key: 'otherOps', label: 'Other ops', numeric: true, byDefault: false, cell: (r) => ({ content: formatCompact(r.node.otherOps), title: formatCount(r.node.otherOps) }) },
  {
    key: 'bytes',
    label: 'Bytes read / written',
    numeric: true,
    byDefault: true,
    cell: (r) => ({ content: `${formatBytes(r.node.bytesRead)} / ${formatBytes(r.node.bytesWritten)}` }),
  },
  { key: 'intensity', label: 'Intensity (FLOP/B)', numeric: true, byDefault: false, cell: (r) => ({ content: r.node.intensity > 0 ? formatIntensity(r.node.intensity) : '—' }) },
  { key: 'share', label: 'Share of FLOPs', numeric: true, byDefault: true, cell: (r) => ({ content: formatShare(r.share) }) },
  {
    key: 'predicted',
    label: 'Predicted ms',
    numeric: true,
    predicted: true,
    byDefault: true,
    cell: (r) => ({ content: formatMsValue(r.predictedMs) }),
  },
  {
    key: 'ms',
    label: 'Measured ms',
    numeric: true,
    measured: true,
    byDefault: true,
    cell: (r) => ({ content: r.ms !== null ? r.ms.toFixed(3) : '—' }),
  },
  { key: 'ratio', label: 'Measured ÷ predicted', numeric: true, measured: true, predicted: true, byDefault: true, cell: (r) => ratioCell(r.ratio, r.fusedWith, r.ms !== null) },
  { key: 'gflops', label: 'Achieved GFLOP/s', numeric: true, measured: true, byDefault: false, cell: (r) => ({ content: r.achievedGflops !== null ? r.achievedGflops.toFixed(1) : '—' }) },
];

/** The columns shown at first. */
export const DEFAULT_LAYER_COLUMNS: readonly LayerSortKey[] = COLUMNS.filter((c) => c.byDefault).map((c) => c.key);

export function LayerTable({ result }: { result: ProfileResult }) {
  const measured = Boolean(result.measured);
  const predicted = hasLayerPredictions(result);
  const [sort, setSort] = useState<{ key: LayerSortKey; descending: boolean }>({ key: 'index', descending: false });
  const [block, setBlock] = useState(ALL);
  const [visible, setVisible] = useState<ReadonlySet<LayerSortKey>>(() => new Set(DEFAULT_LAYER_COLUMNS));
  const rows = useMemo(() => layerRows(result), [result]);
  const blocks = useMemo(() => [...new Set(result.nodes.map((n) => n.block).filter((b): b is string => b !== null))], [result]);
  const hasUnblocked = result.nodes.some((n) => n.block === null);
  const filtered = useMemo(() => (block === ALL ? rows : rows.filter((r) => (block === NO_BLOCK ? r.node.block === null : r.node.block === block))), [rows, block]);
  const sorted = useMemo(() => sortLayers(filtered, sort.key, sort.descending), [filtered, sort]);
  const available = COLUMNS.filter((c) => (measured || !c.measured) && (predicted || !c.predicted));
  const columns = available.filter((c) => visible.has(c.key));
  const toggle = (key: LayerSortKey) =>
    setVisible((v) => {
      const next = new Set(v);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      // At least the name stays.
      return next.size ? next : new Set<LayerSortKey>(['name']);
    });
  const anyFused = measured && rows.some((r) => r.fusedWith !== null);

  const clickHeader = (c: Column) =>
    // First click on a number column sorts largest first: that is what one looks for.
    setSort((s) => (s.key === c.key ? { key: c.key, descending: !s.descending } : { key: c.key, descending: c.numeric && c.key !== 'index' }));

  return (
    <>
      <div className="control-row table-controls">
        <div className="field">
          <label htmlFor="layer-block">Block</label>
          <Select id="layer-block" value={block} onChange={(value) => setBlock(value)} testId="block-filter">
            <option value={ALL}>All blocks ({rows.length} layers)</option>
            {blocks.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
            {hasUnblocked && blocks.length ? <option value={NO_BLOCK}>(no block)</option> : null}
          </Select>
        </div>
        <details className="layer-columns" data-testid="layer-columns">
          <summary>
            Columns ({columns.length} of {available.length})
          </summary>
          <fieldset className="layer-columns-list">
            <legend className="visually-hidden">Layer table columns</legend>
            {available.map((c) => (
              <label key={c.key} className="check">
                <input type="checkbox" checked={visible.has(c.key)} onChange={() => toggle(c.key)} data-testid={`layer-col-${c.key}`} /> {c.label}
              </label>
            ))}
          </fieldset>
        </details>
      </div>
      <DataTable
        testId="layer-table"
        className="layer-table"
        caption="Layers of the model"
        limit={MAX_ROWS}
        columns={columns.map((c) => ({
          label: c.label,
          num: c.numeric,
          data: { col: c.key },
          sort: sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none',
          onSort: () => clickHeader(c),
        }))}
        rows={sorted.map((r) => {
          const cells = columns.map((c) => c.cell(r));
          return {
            key: String(r.index),
            className: r.node.counted ? undefined : 'uncounted-row',
            cells: cells.map((x) => x.content),
            cellClass: cells.map((x) => x.className),
            titles: cells.map((x) => x.title),
            // Every cell names its column (the e2e tests and the page's CSS find them by it).
            cellData: cells.map((x, i) => ({ col: columns[i]!.key, ...x.data })),
          };
        })}
      />
      {predicted ? (
        <p className="note table-note" data-testid="layer-prediction-note">
          Predicted ms: the cost model of this machine, before any run{measured ? '' : ' (run the model to measure each layer beside it)'}.
          {anyFused
            ? ' Layers marked “fused” ran inside one ONNX Runtime kernel with others: their measured ms is that kernel’s time split by predicted cost, so they have no ratio of their own; the kernel is compared as one row under Predicted vs measured.'
            : null}
        </p>
      ) : null}
      {sorted.length > MAX_ROWS ? (
        <p className="note table-note" data-testid="rows-limited">
          Showing the first {MAX_ROWS} of {formatCount(sorted.length)} layers in this order; sort, filter by block or show all to see others.
        </p>
      ) : null}
    </>
  );
}

/** measured ÷ predicted, or "fused" for a layer that shares its kernel (the title names the others). */
function ratioCell(ratio: number | null, fusedWith: string[] | null, measured: boolean): CellSpec {
  if (fusedWith && measured) {
    const others = fusedWith.length <= 4 ? fusedWith.join(', ') : `${fusedWith.slice(0, 4).join(', ')} and ${fusedWith.length - 4} more`;
    return { content: <span className="chip">fused</span>, title: `fused with ${others}; time split by predicted cost`, data: { fused: 'true' } };
  }
  const where = ratioClass(ratio, CLOSE_FACTOR);
  return { content: formatRatio(ratio), ...(where ? { className: `ratio ratio-${where}` } : {}) };
}

