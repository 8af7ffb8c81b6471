/**
 * The frame every chart in src-shared/charts draws its marks in (runs anywhere): the <svg> shell
 * with its accessible title (every chart, the empty-state one included), and for the cartesian
 * ones the grid group (gridlines, tick labels, the two axis lines). Built once here; a chart
 * module picks its margins, scales and tick values (and which of the grid's parts it has), then
 * only draws its marks. SafeMarkup out (svg`…`): every text is escaped.
 */
import { svg, type SafeMarkup } from '../markup/markup.js';

/** A printed coordinate: a number, or a string from px(). */
export type Coord = number | string;

/** The plot area's edges, as the chart prints them. */
export interface PlotEdges {
  readonly left: Coord;
  readonly right: Coord;
  readonly top: Coord;
  readonly bottom: Coord;
}

export interface XTicks {
  readonly values: readonly number[];
  /** x of a tick's gridline and label. */
  readonly at: (value: number) => Coord;
  readonly label: (value: number) => string;
  /** y of the labels (below the plot). */
  readonly labelY: Coord;
  /** Default 'tick x-tick'. */
  readonly className?: string;
  /** false: labels only, no vertical gridlines (a strip whose x grid would crowd it). Default true. */
  readonly gridlines?: boolean;
}

export interface YTicks {
  readonly values: readonly number[];
  /** y of a tick's gridline. */
  readonly at: (value: number) => Coord;
  /** y of its label (a few px below the line, so the text is centred on it). */
  readonly labelAt: (value: number) => Coord;
  readonly label: (value: number) => string;
  /** x of the labels (right-aligned, left of the plot). */
  readonly labelX: Coord;
  /** Default 'tick y-tick'. */
  readonly className?: string;
}

export interface GridOptions {
  /** The group's class: 'grid' (default) or 'axes'. */
  readonly groupClass?: string;
  /** Drawn in the group after the axis lines (the axis captions, a plot frame). */
  readonly captions?: readonly (SafeMarkup | null)[];
  /** false: no axis lines (a plot framed by its own rect, a bar chart). Default true. */
  readonly axisLines?: boolean;
  /** Which ticks come first: 'x' (default) or 'y'. */
  readonly first?: 'x' | 'y';
}

/** No ticks on that axis (a bar chart with the value axis only). */
export const NO_Y_TICKS: YTicks = { values: [], at: () => 0, labelAt: () => 0, label: () => '', labelX: 0 };

/**
 * The grid group: x then y gridlines with their tick labels (or y then x), the x and y axis
 * lines, then any captions.
 */
export function gridAndAxes(edges: PlotEdges, xTicks: XTicks, yTicks: YTicks, options: GridOptions = {}): SafeMarkup {
  const { left, right, top, bottom } = edges;
  const xClass = xTicks.className ?? 'tick x-tick';
  const yClass = yTicks.className ?? 'tick y-tick';
  const xParts: Array<SafeMarkup | null> = [];
  for (const t of xTicks.values) {
    const tx = xTicks.at(t);
    xParts.push(
      xTicks.gridlines === false ? null : svg`<line class="gridline" x1="${tx}" x2="${tx}" y1="${top}" y2="${bottom}"></line>`,
      svg`<text class="${xClass}" x="${tx}" y="${xTicks.labelY}" text-anchor="middle">${xTicks.label(t)}</text>`,
    );
  }
  const yParts: Array<SafeMarkup | null> = [];
  for (const t of yTicks.values) {
    const ty = yTicks.at(t);
    yParts.push(
      svg`<line class="gridline" x1="${left}" x2="${right}" y1="${ty}" y2="${ty}"></line>`,
      svg`<text class="${yClass}" x="${yTicks.labelX}" y="${yTicks.labelAt(t)}" text-anchor="end">${yTicks.label(t)}</text>`,
    );
  }
  const parts: Array<SafeMarkup | null> = [svg`<g class="${options.groupClass ?? 'grid'}">`, ...(options.first === 'y' ? [...yParts, ...xParts] : [...xParts, ...yParts])];
  if (options.axisLines !== false) {
    parts.push(
      svg`<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"></line>`,
      svg`<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${bottom}"></line>`,
    );
  }
  parts.push(...(options.captions ?? []), svg`</g>`);
  return svg`${parts}`;
}

export interface ChartShell {
  readonly className: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  /**
   * A longer text alternative (what a sighted reader takes from the drawing: the trend, the
   * crossover, the best value), written as the <desc> after the <title>; screen readers give it as
   * the image's description. Left out: no <desc>.
   */
  readonly desc?: string;
  /** Further attributes of the <svg> (written with the attrs`…` tag, e.g. attrs` data-metric="${m}"`). */
  readonly attrs?: SafeMarkup;
  /** Further attributes written after the viewBox (the power strip's data-points and data-estimated). */
  readonly trailingAttrs?: SafeMarkup;
}

/** The chart's <svg> shell: class, size, viewBox, role="img" with its <title> (and <desc> when given), around the body. */
export function chartSvg(shell: ChartShell, body: SafeMarkup | readonly (SafeMarkup | null)[]): SafeMarkup {
  const { className, width, height, title, desc } = shell;
  const description = desc?.trim() ? svg`<desc>${desc.trim()}</desc>` : null;
  return svg`<svg xmlns="http://www.w3.org/2000/svg" class="${className}" role="img"${shell.attrs ?? null} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"${shell.trailingAttrs ?? null}><title>${title}</title>${description}${body}</svg>`;
}
