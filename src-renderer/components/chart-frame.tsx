/**
 * The one mount for every chart on a page (renderer). The drawing is in the pure functions of
 * src-shared/charts; the frame only measures its container (useWidth) so each SVG is drawn at its
 * real width (text keeps its true size instead of being scaled by a viewBox), and mounts the
 * result (a drawing made elsewhere at a fixed size, like a report's charts, ignores the width).
 * Only SafeMarkup mounts: the chart functions write it with the svg`…` tag, which escapes
 * every text.
 */
import { useMemo, type DependencyList } from 'react';
import { innerMarkup, type SafeMarkup } from '../../src-shared/markup/markup.js';
import { DataTable, type DataColumn, type DataRow } from '../ui/data-table.js';
import { useWidth } from './use-width.js';

/** A chart's values as a table under it (a closed <details>, reachable by keyboard), for reading without hovering. */
export interface ChartValues {
  /** What the values are, after "Values in a table — ". */
  readonly label: string;
  readonly columns: readonly DataColumn[];
  readonly rows: readonly DataRow[];
}

export interface ChartFrameProps {
  /** Draws the chart at the frame's measured width. */
  readonly draw: (width: number) => SafeMarkup;
  /** What the drawing depends on besides the width; the chart is redrawn only when one changes. Left out: redrawn on every render. */
  readonly deps?: DependencyList;
  /** The frame's data-testid; left out, the frame has none. */
  readonly testId?: string;
  /** Classes beside `chart-frame`. */
  readonly className?: string;
  /** Further data-* attributes on the frame (e.g. data-live). */
  readonly data?: Readonly<Record<`data-${string}`, string>>;
  /** The chart's values, shown in a table under it (data-testid `<testId>-values`, its table `<testId>-values-table`). */
  readonly values?: ChartValues;
}

export function ChartFrame({ draw, deps, testId, className, data, values }: ChartFrameProps) {
  const [ref, width] = useWidth();
  // A fresh object each render when deps are left out, so the memo redraws every time.
  const svg = useMemo(() => draw(width), deps ? [width, ...deps] : [width, {}]);
  const frame = <div ref={ref} className={className ? `chart-frame ${className}` : 'chart-frame'} data-testid={testId} {...data} dangerouslySetInnerHTML={innerMarkup(svg)} />;
  if (!values || values.rows.length === 0) return frame;
  return (
    <>
      {frame}
      <details className="chart-values" data-testid={testId ? `${testId}-values` : undefined}>
        <summary>Values in a table — {values.label}</summary>
        <DataTable columns={values.columns} rows={values.rows} caption={values.label} {...(testId ? { testId: `${testId}-values-table` } : {})} />
      </details>
    </>
  );
}
