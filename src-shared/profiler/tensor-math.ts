/**
 * Shape arithmetic and small-tensor constant folding for shape inference (pure; runs anywhere).
 * Values are flat row-major `number[]` (int64 shape data fits: dimensions stay far below 2^53,
 * and INT64_MAX sentinels in Slice arrive as ~9.22e18, which clamping handles).
 */

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Normalises a possibly negative axis against `rank`; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

/**
 * Numpy multidirectional broadcasting (ONNX "Broadcasting in ONNX"): right-align, each pair of
 * sizes must be equal or one of them 1. Returns null when they do not broadcast.
 */
export function broadcastShapes(...shapes: ReadonlyArray<readonly number[]>): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[off + i]!;
      if (o === d || d === 1) continue;
      if (o === 1) out[off + i] = d;
      else return null;
    }
  }
  return out;
}

/** Flat index into `shape` (right-aligned inside `outShape`, broadcasting size-1 axes) for each output element. */
function broadcastIndex(shape: readonly number[], outShape: readonly number[]): number[] {
  const n = numel(outShape);
  const rank = outShape.length;
  const off = rank - shape.length;
  const inStrides = stridesOf(shape);
  const idx = new Array<number>(n);
  const coord = new Array<number>(rank).fill(0);
  for (let k = 0; k < n; k++) {
    let f = 0;
    for (let a = 0; a < shape.length; a++) if (shape[a] !== 1) f += coord[off + a]! * inStrides[a]!;
    idx[k] = f;
    for (let a = rank - 1; a >= 0; a--) {
      coord[a]!++;
      if (coord[a]! < outShape[a]!) break;
      coord[a] = 0;
    }
  }
  return idx;
}

/** Element-wise map over broadcast operands. */
export function broadcastMap(
  operands: ReadonlyArray<{ shape: readonly number[]; values: readonly number[] }>,
  outShape: readonly number[],
  fn: (xs: number[]) => number,
): number[] {
  const idx = operands.map((o) => broadcastIndex(o.shape, outShape));
  const n = numel(outShape);
  const out = new Array<number>(n);
  const xs = new Array<number>(operands.length);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < operands.length; j++) xs[j] = operands[j]!.values[idx[j]![k]!]!;
    out[k] = fn(xs);
  }
  return out;
}

/**
 * Picks, on each axis, the listed indices (gather on every axis at once): Slice, Split and
 * single-axis Gather all reduce to this. Output shape is the index lists' lengths.
 */
export function takeAlongAxes(values: readonly number[], shape: readonly number[], picks: ReadonlyArray<readonly number[]>): number[] {
  const strides = stridesOf(shape);
  const out: number[] = [];
  const walk = (axis: number, base: number): void => {
    if (axis === shape.length) { out.push(values[base]!); return; }
    for (const i of picks[axis]!) walk(axis + 1, base + i * strides[axis]!);
  };
  walk(0, 0);
  return out;
}

export function transposeValues(values: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const n = numel(outShape);
  const out = new Array<number>(n);
  const coord = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let f = 0;
    for (let a = 0; a < perm.length; a++) f += coord[a]! * inStrides[perm[a]!]!;
    out[k] = values[f]!;
    for (let a = outShape.length - 1; a >= 0; a--) {
      coord[a]!++;
      if (coord[a]! < outShape[a]!) break;
      coord[a] = 0;
    }
  }
  return out;
}

/** Reduces `values` over `axes` (sorted, normalised) with `fn` over each group; keeps the group order row-major. */
export function reduceValues(values: readonly number[], shape: readonly number[], axes: readonly number[], fn: (xs: number[]) => number): number[] {
  const keep = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...keep, ...axes];
  const t = transposeValues(values, shape, perm);
  const group = numel(axes.map((a) => shape[a]!));
  const groups = numel(keep.map((a) => shape[a]!));
  const out: number[] = [];
  for (let g = 0; g < groups; g++) out.push(fn(t.slice(g * group, (g + 1) * group)));
  return out;
}

export function concatValues(parts: ReadonlyArray<{ shape: readonly number[]; values: readonly number[] }>, axis: number): number[] {
  const first = parts[0]!.shape;
  const outer = numel(first.slice(0, axis));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = numel(p.shape.slice(axis));
      for (let i = 0; i < chunk; i++) out.push(p.values[o * chunk + i]!);
    }
  }
  return out;
}

export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

export function fmtShape(s: readonly number[] | null): string {
  return s ? `[${s.join(',')}]` : '[?]';
}
