/**
 * Shape rules for ops that move or re-describe data (pure; runs anywhere): Shape, Size, Constant,
 * ConstantOfShape, Range, Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split, Slice,
 * Gather*, Scatter*, Expand, Tile, Pad, Resize/Upsample, OneHot, DepthToSpace, NonZero…
 * They fold small constants, so the Shape → Gather → Unsqueeze → Concat → Reshape chains that
 * torch exports for `x.view(x.size(0), -1)` resolve to fixed shapes. Semantics per the ONNX
 * operator specs (onnx/docs/Operators.md), including negative axes and INT64_MAX clamping.
 */
import type { ElemType } from '../ir.js';
import {
  broadcastMap, broadcastShapes, concatValues, fmtShape, normAxis, numel, range, takeAlongAxes, transposeValues,
} from '../tensor-math.js';
import { Unknown } from './context.js';
import type { OpContext, ShapeRule } from './context.js';

function axisOf(ctx: OpContext, axis: number, rank: number, what = 'axis'): number {
  const a = normAxis(axis, rank);
  if (a === null) return ctx.fail(`${what} ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Axes from input `i` (newer opsets) or attribute `name` (older); null when neither is given. */
function axesFrom(ctx: OpContext, i: number, name = 'axes'): number[] | null {
  if (ctx.has(i)) return ctx.value(i, 'axes');
  return ctx.ints(name);
}

const shapeRule: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  const r = s.length;
  const clampIdx = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const start = clampIdx(ctx.int('start', 0));
  const end = ctx.attr('end') ? clampIdx(ctx.int('end', r)) : r;
  const value = s.slice(start, Math.max(start, end));
  return [{ shape: [value.length], type: 'int64', value }];
};

const sizeRule: ShapeRule = (ctx) => [{ shape: [], type: 'int64', value: [numel(ctx.shape(0))] }];

const constantRule: ShapeRule = (ctx) => {
  const a = ctx.node.attributes;
  const v = a.value;
  if (v && v.type === 'tensor') {
    const { dims, elemType, values } = v.value;
    return [{ shape: [...dims], type: elemType, value: values && values.length === numel(dims) ? [...values] : null }];
  }
  const one = (x: typeof a[string] | undefined, type: ElemType) => {
    if (!x) return null;
    if (x.type === 'int' || x.type === 'float') return [{ shape: [], type, value: [x.value] }];
    if (x.type === 'ints' || x.type === 'floats') return [{ shape: [x.value.length], type, value: [...x.value] }];
    if (x.type === 'string') return [{ shape: [], type }];
    if (x.type === 'strings') return [{ shape: [x.value.length], type }];
    return null;
  };
  const out = one(a.value_int, 'int64') ?? one(a.value_ints, 'int64') ?? one(a.value_float, 'float32') ?? one(a.value_floats, 'float32')
    ?? one(a.value_string, 'string') ?? one(a.value_strings, 'string');
  if (out) return out;
  ctx.warn('constant without a dense value attribute (sparse_value?); its shape is unknown');
  return [{ shape: null }];
};

const constantOfShapeRule: ShapeRule = (ctx) => {
  const shape = ctx.has(0) ? ctx.value(0, 'shape') : [];
  if (shape.some((d) => d < 0 || !Number.isInteger(d))) return ctx.fail(`shape ${fmtShape(shape)} has a negative or fractional dimension`);
  const v = ctx.attr('value');
  const type: ElemType = v && v.type === 'tensor' ? v.value.elemType : 'float32';
  const fill = v && v.type === 'tensor' ? v.value.values?.[0] ?? 0 : 0;
  return [{ shape, type, value: ctx.fold(shape, () => new Array<number>(numel(shape)).fill(fill)) }];
};

const rangeRule: ShapeRule = (ctx) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => {
    const v = ctx.value(i, ['start', 'limit', 'delta'][i]);
    if (v.length !== 1) return ctx.fail(`input ${ctx.desc(i)} must be a scalar`);
    return v[0]!;
  }) as [number, number, number];
  if (delta === 0) return ctx.fail('delta is 0');
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  return [{ shape: [n], value: ctx.fold([n], () => range(n).map((i) => start + i * delta)) }];
};

/** Reshape: 0 copies the input dimension (unless allowzero), one -1 is inferred. */
const reshapeRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const target = ctx.has(1) ? ctx.value(1, 'shape') : ctx.ints('shape');
  if (!target) return ctx.fail('has no target shape');
  const allowZero = ctx.int('allowzero', 0) === 1;
  let inferred = -1;
  const out = target.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= x.length) return ctx.fail(`target ${fmtShape(target)} copies dimension ${i} (0), but input ${ctx.desc(0)} has rank ${x.length}`);
      return x[i]!;
    }
    if (d === -1) {
      if (inferred >= 0) return ctx.fail(`target ${fmtShape(target)} has more than one -1`);
      inferred = i;
      return 1;
    }
    if (d < 0 || !Number.isInteger(d)) return ctx.fail(`target ${fmtShape(target)} has an invalid dimension ${d}`);
    return d;
  });
  const total = numel(x);
  if (inferred >= 0) {
    const rest = numel(out);
    if (rest === 0 || total % rest !== 0) return ctx.fail(`cannot reshape input ${ctx.desc(0)} (${total} elements) to ${fmtShape(target)}`);
    out[inferred] = total / rest;
  }
  if (numel(out) !== total) return ctx.fail(`cannot reshape input ${ctx.desc(0)} (${total} elements) to ${fmtShape(target)} (${numel(out)} elements)`);
  return [{ shape: out, value: ctx.maybeValue(0) }];
};

const flattenRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const raw = ctx.int('axis', 1);
  const axis = raw < 0 ? raw + x.length : raw;
  if (axis < 0 || axis > x.length) return ctx.fail(`axis ${raw} is out of range for input ${ctx.desc(0)}`);
  return [{ shape: [numel(x.slice(0, axis)), numel(x.slice(axis))], value: ctx.maybeValue(0) }];
};

const squeezeRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axesRaw = axesFrom(ctx, 1);
  let out: number[];
  if (!axesRaw || axesRaw.length === 0) out = x.filter((d) => d !== 1);
  else {
    const axes = axesRaw.map((a) => axisOf(ctx, a, x.length));
    for (const a of axes) if (x[a] !== 1) ctx.fail(`cannot squeeze axis ${a} of input ${ctx.desc(0)}: its size is ${x[a]}, not 1`);
    out = x.filter((_, i) => !axes.includes(i));
  }
  return [{ shape: out, value: ctx.maybeValue(0) }];
};

const unsqueezeRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axesRaw = axesFrom(ctx, 1);
  if (!axesRaw) return ctx.fail('has no axes');
  const rank = x.length + axesRaw.length;
  const axes = axesRaw.map((a) => axisOf(ctx, a, rank));
  if (new Set(axes).size !== axes.length) return ctx.fail(`axes ${fmtShape(axesRaw)} repeat an axis`);
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : x[j++]!);
  return [{ shape: out, value: ctx.maybeValue(0) }];
};

const transposeRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const perm = ctx.ints('perm') ?? range(x.length).reverse();
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== x.length || sorted.some((p, i) => p !== i)) return ctx.fail(`perm ${fmtShape(perm)} is not a permutation of the ${x.length} axes of input ${ctx.desc(0)}`);
  const out = perm.map((p) => x[p]!);
  const v = ctx.maybeValue(0);
  return [{ shape: out, value: v ? transposeValues(v, x, perm) : null }];
};

const concatRule: ShapeRule = (ctx) => {
  const idx = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));
  const shapes = idx.map((i) => ctx.shape(i));
  const first = shapes[0];
  if (!first) return ctx.fail('has no inputs');
  const axis = axisOf(ctx, ctx.int('axis', 0), first.length);
  const out = [...first];
  out[axis] = 0;
  shapes.forEach((s, j) => {
    if (s.length !== first.length || s.some((d, a) => a !== axis && d !== first[a])) {
      ctx.fail(`input ${ctx.desc(idx[j]!)} does not match input ${ctx.desc(idx[0]!)} outside axis ${axis}`);
    }
    out[axis]! += s[axis]!;
  });
  const value = idx.every((i) => ctx.maybeValue(i) !== null)
    ? ctx.fold(out, () => concatValues(idx.map((i, j) => ({ shape: shapes[j]!, values: ctx.maybeValue(i)! })), axis))
    : null;
  return [{ shape: out, value }];
};

/** Split: sizes from input 1 (opset ≥ 13), attribute split (older), num_outputs (18), or even parts. */
const splitRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = axisOf(ctx, ctx.int('axis', 0), x.length);
  const d = x[axis]!;
  const n = ctx.node.outputs.length;
  let sizes = ctx.has(1) ? ctx.value(1, 'split') : ctx.ints('split');
  if (!sizes || sizes.length === 0) {
    const parts = ctx.attr('num_outputs') ? ctx.int('num_outputs', n) : n;
    const chunk = Math.ceil(d / parts);
    if (!ctx.attr('num_outputs') && d % parts !== 0) return ctx.fail(`cannot split axis ${axis} of input ${ctx.desc(0)} into ${parts} equal parts`);
    sizes = range(parts).map((i) => Math.max(0, Math.min(chunk, d - i * chunk)));
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== d || sizes.some((s) => s < 0)) return ctx.fail(`split sizes ${fmtShape(sizes)} do not add up to ${d}, the size of axis ${axis} of input ${ctx.desc(0)}`);
  const v = ctx.maybeValue(0);
  let offset = 0;
  return sizes.map((s) => {
    const shape = [...x];
    shape[axis] = s;
    const start = offset;
    offset += s;
    const picks = x.map((dim, a) => (a === axis ? range(s, start) : range(dim)));
    return { shape, value: v ? takeAlongAxes(v, x, picks) : null };
  });
};

/** Slice (opset ≥ 10 inputs; attributes before), with the spec's clamping for either step sign. */
const sliceRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const fromInputs = ctx.has(1);
  const starts = fromInputs ? ctx.value(1, 'starts') : ctx.ints('starts');
  const ends = fromInputs ? ctx.value(2, 'ends') : ctx.ints('ends');
  if (!starts || !ends || starts.length !== ends.length) return ctx.fail('needs starts and ends of the same length');
  const axesRaw = (fromInputs ? (ctx.has(3) ? ctx.value(3, 'axes') : null) : ctx.ints('axes')) ?? range(starts.length);
  const steps = (fromInputs && ctx.has(4) ? ctx.value(4, 'steps') : null) ?? starts.map(() => 1);
  if (axesRaw.length !== starts.length || steps.length !== starts.length) return ctx.fail('starts, ends, axes and steps differ in length');
  const picks = x.map((d) => range(d));
  const out = [...x];
  axesRaw.forEach((raw, j) => {
    const a = axisOf(ctx, raw, x.length);
    const d = x[a]!;
    const step = steps[j]!;
    if (step === 0) return ctx.fail(`step on axis ${a} is 0`);
    let s = starts[j]!;
    let e = ends[j]!;
    if (s < 0) s += d;
    if (e < 0) e += d;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
    }
    const len = Math.max(0, Math.ceil((e - s) / step));
    out[a] = len;
    picks[a] = range(len).map((i) => s + i * step);
  });
  const v = ctx.maybeValue(0);
  return [{ shape: out, value: v ? takeAlongAxes(v, x, picks) : null }];
};

const gatherRule: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const ind = ctx.shape(1);
  if (data.length === 0) return ctx.fail(`data ${ctx.desc(0)} must have rank ≥ 1`);
  const axis = axisOf(ctx, ctx.int('axis', 0), data.length);
  const out = [...data.slice(0, axis), ...ind, ...data.slice(axis + 1)];
  const dv = ctx.maybeValue(0);
  const iv = ctx.maybeValue(1);
  let value: number[] | null = null;
  if (dv && iv) {
    const d = data[axis]!;
    const idx = iv.map((i) => {
      const k = i < 0 ? i + d : i;
      if (k < 0 || k >= d) return ctx.fail(`index ${i} is out of range for axis ${axis} of data ${ctx.desc(0)}`);
      return k;
    });
    value = ctx.fold(out, () => takeAlongAxes(dv, data, data.map((n, a) => (a === axis ? idx : range(n)))));
  }
  return [{ shape: out, value }];
};

const gatherElementsRule: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const ind = ctx.shape(1);
  if (ind.length !== data.length) return ctx.fail(`indices ${ctx.desc(1)} must have the rank of data ${ctx.desc(0)}`);
  return [{ shape: ind }];
};

const gatherNdRule: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const ind = ctx.shape(1);
  const b = ctx.int('batch_dims', 0);
  const last = ind[ind.length - 1];
  if (last === undefined || b + last > data.length) return ctx.fail(`indices ${ctx.desc(1)} do not fit data ${ctx.desc(0)}`);
  return [{ shape: [...ind.slice(0, -1), ...data.slice(b + last)] }];
};

const likeData: ShapeRule = (ctx) => [{ shape: ctx.shape(0) }];

const expandRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const target = ctx.value(1, 'shape');
  const out = broadcastShapes(x, target);
  if (!out) return ctx.fail(`cannot expand input ${ctx.desc(0)} to ${fmtShape(target)}`);
  const v = ctx.maybeValue(0);
  return [{ shape: out, value: v ? ctx.fold(out, () => broadcastMap([{ shape: x, values: v }], out, (xs) => xs[0]!)) : null }];
};

const tileRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const reps = ctx.value(1, 'repeats');
  if (reps.length !== x.length) return ctx.fail(`repeats ${fmtShape(reps)} must have one entry per axis of input ${ctx.desc(0)}`);
  const out = x.map((d, i) => d * reps[i]!);
  const v = ctx.maybeValue(0);
  return [{ shape: out, value: v ? ctx.fold(out, () => takeAlongAxes(v, x, out.map((n, a) => range(n).map((i) => i % x[a]!)))) : null }];
};

/** Pad: pads [x1_begin, x2_begin, …, x1_end, …] from input 1 (opset ≥ 11) or attributes; optional axes (18). */
const padRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const pads = ctx.has(1) ? ctx.value(1, 'pads') : ctx.ints('pads') ?? ctx.ints('paddings');
  if (!pads) return ctx.fail('has no pads');
  const axes = ctx.has(3) ? ctx.value(3, 'axes').map((a) => axisOf(ctx, a, x.length)) : range(x.length);
  if (pads.length !== 2 * axes.length) return ctx.fail(`pads ${fmtShape(pads)} must have 2 entries per padded axis (${axes.length})`);
  const out = [...x];
  axes.forEach((a, j) => {
    out[a] = x[a]! + pads[j]! + pads[j + axes.length]!;
    if (out[a]! < 0) return ctx.fail(`pads ${fmtShape(pads)} crop axis ${a} of input ${ctx.desc(0)} below zero`);
  });
  return [{ shape: out }];
};

function nonEmpty(v: number[] | null): v is number[] {
  return v !== null && v.length > 0;
}

/**
 * Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18: axes, keep_aspect_ratio_policy)
 * and Upsample (X, scales, or the scales attribute): out = floor(in × scale), or sizes.
 */
const resizeRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const op = ctx.node.opType;
  let scales: number[] | null;
  let sizes: number[] | null = null;
  if (op === 'Upsample' || ctx.arity === 2) scales = ctx.has(1) ? ctx.value(1, 'scales') : ctx.ints('scales');
  else {
    scales = ctx.has(2) ? ctx.value(2, 'scales') : null;
    sizes = ctx.has(3) ? ctx.value(3, 'sizes') : null;
  }
  const axes = (ctx.ints('axes') ?? range(x.length)).map((a) => axisOf(ctx, a, x.length));
  const out = [...x];
  if (nonEmpty(sizes)) {
    if (sizes.length !== axes.length) return ctx.fail(`sizes ${fmtShape(sizes)} must have one entry per resized axis (${axes.length})`);
    const policy = ctx.string('keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') axes.forEach((a, j) => { out[a] = sizes[j]!; });
    else {
      const ratios = axes.map((a, j) => sizes[j]! / x[a]!);
      const s = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      axes.forEach((a) => { out[a] = Math.round(s * x[a]!); });
    }
  } else if (nonEmpty(scales)) {
    if (scales.length !== axes.length) return ctx.fail(`scales ${fmtShape(scales)} must have one entry per resized axis (${axes.length})`);
    axes.forEach((a, j) => { out[a] = Math.floor(x[a]! * scales[j]!); });
  } else return ctx.fail('needs scales or sizes');
  return [{ shape: out }];
};

const oneHotRule: ShapeRule = (ctx) => {
  const ind = ctx.shape(0);
  const depth = ctx.value(1, 'depth')[0]!;
  const rank = ind.length + 1;
  const axis = axisOf(ctx, ctx.int('axis', -1), rank);
  const out = [...ind.slice(0, axis), depth, ...ind.slice(axis)];
  return [{ shape: out, type: ctx.type(2) }];
};

const depthToSpaceRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const b = ctx.int('blocksize', 1);
  if (x.length !== 4 || x[1]! % (b * b) !== 0) return ctx.fail(`input ${ctx.desc(0)} must be NCHW with C divisible by blocksize² (${b * b})`);
  return [{ shape: [x[0]!, x[1]! / (b * b), x[2]! * b, x[3]! * b] }];
};

const spaceToDepthRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const b = ctx.int('blocksize', 1);
  if (x.length !== 4 || x[2]! % b !== 0 || x[3]! % b !== 0) return ctx.fail(`input ${ctx.desc(0)} must be NCHW with H and W divisible by blocksize ${b}`);
  return [{ shape: [x[0]!, x[1]! * b * b, x[2]! / b, x[3]! / b] }];
};

/** NonZero is data-dependent: known only when its input is a folded constant. */
const nonZeroRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const v = ctx.maybeValue(0);
  if (!v) throw new Unknown(`${ctx.label}: its output size depends on the data, so it and what follows from it are unknown`);
  const coords: number[][] = x.map(() => []);
  const n = v.length;
  for (let k = 0; k < n; k++) {
    if (v[k] === 0) continue;
    let rem = k;
    for (let a = x.length - 1; a >= 0; a--) {
      coords[a]!.push(rem % x[a]!);
      rem = Math.floor(rem / x[a]!);
    }
  }
  const nnz = coords[0]?.length ?? (v[0] ? 1 : 0);
  return [{ shape: [x.length, nnz], type: 'int64', value: coords.flat() }];
};

const gridSampleRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const g = ctx.shape(1);
  if (g.length !== x.length || g[0] !== x[0]) return ctx.fail(`grid ${ctx.desc(1)} does not match input ${ctx.desc(0)}`);
  return [{ shape: [x[0]!, x[1]!, ...g.slice(1, -1)] }];
};

export const shapeOpRules: Record<string, ShapeRule> = {
  Shape: shapeRule,
  Size: sizeRule,
  Constant: constantRule,
  ConstantOfShape: constantOfShapeRule,
  Range: rangeRule,
  Reshape: reshapeRule,
  Flatten: flattenRule,
  Squeeze: squeezeRule,
  Unsqueeze: unsqueezeRule,
  Transpose: transposeRule,
  Concat: concatRule,
  Split: splitRule,
  Slice: sliceRule,
  Gather: gatherRule,
  GatherElements: gatherElementsRule,
  GatherND: gatherNdRule,
  ScatterND: likeData,
  ScatterElements: likeData,
  Scatter: likeData,
  Expand: expandRule,
  Tile: tileRule,
  Pad: padRule,
  Resize: resizeRule,
  Upsample: resizeRule,
  OneHot: oneHotRule,
  DepthToSpace: depthToSpaceRule,
  SpaceToDepth: spaceToDepthRule,
  NonZero: nonZeroRule,
  GridSample: gridSampleRule,
};
