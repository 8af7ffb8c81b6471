/**
 * The per-layer table of a profile (renderer): sortable by any column (click a header; again to
 * reverse), filterable by block, at most MAX_ROWS rows with a note saying how many are hidden.
 * The cost model's predicted ms per layer is a column whenever the profile carries it (before any
 * run); measured columns (ms, measured ÷ predicted, achieved GFLOP/s) appear when the model was run.
 * A layer ONNX Runtime fused with others is marked "fused" in the ratio column: its measured ms is
 * its share of the fused kernel's time, split by predicted cost, so it has no ratio of its own.
 * Fifteen columns do not fit a card: the less used ones (output shape, MACs, other ops, intensity,
 * achieved GFLOP/s) start hidden, and the "Columns" toggle shows or hides any of them.
 */
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
  cell: (r: LayerRow) => ReactNode;
}

const COLUMNS: Column[] = [
  { key: 'index', label: '#', numeric: true, byDefault: true, cell: (r) => <td className="num muted">{r.index + 1}</td> },
  {
    key: 'name',
    label: 'Name',
    numeric: false,
    byDefault: true,
    cell: (r) => (
      <td className="mono layer-name" title={r.node.block ? `block ${r.node.block}` : undefined}>
        {r.node.name}
      </td>
    ),
  },
  {
    key: 'opType',
    label: 'Op type',
    numeric: false,
    byDefault: true,
    cell: (r) => (
      <td className="mono">
        {r.node.opType}
        {r.node.counted ? null : <span className="chip chip-warn">not counted</span>}
      </td>
    ),
  },
  { key: 'outputShape', label: 'Output shape', numeric: false, byDefault: false, cell: (r) => <td className="mono nowrap">{r.node.outputShape ? r.node.outputShape.join('×') : '?'}</td> },
  { key: 'params', label: 'Params', numeric: true, byDefault: true, cell: (r) => <td className="num">{formatCount(r.node.params)}</td> },
  { key: 'macs', label: 'MACs', numeric: true, byDefault: false, cell: (r) => <td className="num" title={formatCount(r.node.macs)}>{formatCompact(r.node.macs)}</td> },
  { key: 'flops', label: 'FLOPs', numeric: true, byDefault: true, cell: (r) => <td className="num" title={formatCount(r.node.flops)}>{formatCompact(r.node.flops)}</td> },
  { key: 'otherOps', label: 'Other ops', numeric: true, byDefault: false, cell: (r) => <td className="num" title={formatCount(r.node.otherOps)}>{formatCompact(r.node.otherOps)}</td> },
  {
    key: 'bytes',
    label: 'Bytes read / written',
    numeric: true,
    byDefault: true,
    cell: (r) => (
      <td className="num">
        {formatBytes(r.node.bytesRead)} / {formatBytes(r.node.bytesWritten)}
      </td>
    ),
  },
  { key: 'intensity', label: 'Intensity (FLOP/B)', numeric: true, byDefault: false, cell: (r) => <td className="num">{r.node.intensity > 0 ? formatIntensity(r.node.intensity) : '—'}</td> },
  { key: 'share', label: 'Share of FLOPs', numeric: true, byDefault: true, cell: (r) => <td className="num">{formatShare(r.share)}</td> },
  {
    key: 'predicted',
    label: 'Predicted ms',
    numeric: true,
    predicted: true,
    byDefault: true,
    cell: (r) => (
      <td className="num" data-col="predicted">
        {formatMsValue(r.predictedMs)}
      </td>
    ),
  },
  {
    key: 'ms',
    label: 'Measured ms',
    numeric: true,
    measured: true,
    byDefault: true,
    cell: (r) => (
      <td className="num" data-col="ms">
        {r.ms !== null ? r.ms.toFixed(3) : '—'}
      </td>
    ),
  },
  { key: 'ratio', label: 'Measured ÷ predicted', numeric: true, measured: true, predicted: true, byDefault: true, cell: (r) => <RatioCell ratio={r.ratio} fusedWith={r.fusedWith} measured={r.ms !== null} /> },
  { key: 'gflops', label: 'Achieved GFLOP/s', numeric: true, measured: true, byDefault: false, cell: (r) => <td className="num">{r.achievedGflops !== null ? r.achievedGflops.toFixed(1) : '—'}</td> },
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
  const shown = sorted.slice(0, MAX_ROWS);
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
      <div className="table-wrap">
        <table className="data-table layer-table" data-testid="layer-table">
          <thead>
            <tr>
              {columns.map((c) => {
                const active = sort.key === c.key;
                return (
                  <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} data-col={c.key}>
                    <button type="button" className="sort-button" onClick={() => clickHeader(c)}>
                      {c.label}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (sort.descending ? ' ▼' : ' ▲') : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.index} className={r.node.counted ? undefined : 'uncounted-row'}>
                {columns.map((c) => (
                  <Cell key={c.key}>{c.cell(r)}</Cell>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
          Showing the first {MAX_ROWS} of {formatCount(sorted.length)} layers in this order; sort or filter by block to see others.
        </p>
      ) : null}
    </>
  );
}

/** measured ÷ predicted, or "fused" for a layer that shares its kernel (the title names the others). */
function RatioCell({ ratio, fusedWith, measured }: { ratio: number | null; fusedWith: string[] | null; measured: boolean }) {
  if (fusedWith && measured) {
    const others = fusedWith.length <= 4 ? fusedWith.join(', ') : `${fusedWith.slice(0, 4).join(', ')} and ${fusedWith.length - 4} more`;
    return (
      <td className="num" data-col="ratio" data-fused="true" title={`fused with ${others}; time split by predicted cost`}>
        <span className="chip">fused</span>
      </td>
    );
  }
  const where = ratioClass(ratio, CLOSE_FACTOR);
  return (
    <td className={where ? `num ratio ratio-${where}` : 'num'} data-col="ratio">
      {formatRatio(ratio)}
    </td>
  );
}

/** A column's cell as its renderer wrote it (a td). */
function Cell({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
