/**
 * Shape rules for reductions (pure; runs anywhere): Reduce* with axes as an attribute (older
 * opsets) or an input (ReduceSum from opset 13, the rest from 18), keepdims and
 * noop_with_empty_axes; ArgMax/ArgMin; TopK. Small constant reductions are folded (torch
 * exports `prod(shape[1:])` for flatten as ReduceProd over a Slice of Shape).
 */
import { normAxis, reduceValues } from '../tensor-math.js';
import type { OpContext, OpOutput, ShapeRule } from './context.js';

type Fold = (xs: number[]) => number;

function reduceAxes(ctx: OpContext, rank: number): number[] | null {
  const raw = ctx.has(1) ? ctx.value(1, 'axes') : ctx.ints('axes');
  if (!raw || raw.length === 0) return ctx.int('noop_with_empty_axes', 0) === 1 ? null : Array.from({ length: rank }, (_, i) => i);
  const axes = raw.map((a) => {
    const n = normAxis(a, rank);
    if (n === null) return ctx.fail(`axis ${a} is out of range for input ${ctx.desc(0)}`);
    return n;
  });
  return [...new Set(axes)].sort((a, b) => a - b);
}

function reduceRule(fold?: Fold): ShapeRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const axes = reduceAxes(ctx, x.length);
    if (!axes) return [{ shape: x, value: ctx.maybeValue(0) }];
    const keep = ctx.int('keepdims', 1) === 1;
    const out = keep ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i));
    const v = fold ? ctx.maybeValue(0) : null;
    const result: OpOutput = { shape: out, value: v && fold ? reduceValues(v, x, axes, fold) : null };
    return [result];
  };
}

const argRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = normAxis(ctx.int('axis', 0), x.length);
  if (axis === null) return ctx.fail(`axis ${ctx.int('axis', 0)} is out of range for input ${ctx.desc(0)}`);
  const out = ctx.int('keepdims', 1) === 1 ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis);
  return [{ shape: out, type: 'int64' }];
};

const topKRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = normAxis(ctx.int('axis', -1), x.length);
  if (axis === null) return ctx.fail(`axis ${ctx.int('axis', -1)} is out of range for input ${ctx.desc(0)}`);
  const k = ctx.has(1) ? ctx.value(1, 'K')[0]! : ctx.int('k', 1);
  if (k < 0 || k > x[axis]!) return ctx.fail(`K=${k} is larger than axis ${axis} of input ${ctx.desc(0)}`);
  const out = x.map((d, i) => (i === axis ? k : d));
  return [{ shape: out }, { shape: out, type: 'int64' }];
};

const sum: Fold = (xs) => xs.reduce((a, b) => a + b, 0);

export const reduceRules: Record<string, ShapeRule> = {
  ReduceSum: reduceRule(sum),
  ReduceMean: reduceRule((xs) => sum(xs) / xs.length),
  ReduceMax: reduceRule((xs) => Math.max(...xs)),
  ReduceMin: reduceRule((xs) => Math.min(...xs)),
  ReduceProd: reduceRule((xs) => xs.reduce((a, b) => a * b, 1)),
  ReduceL1: reduceRule(),
  ReduceL2: reduceRule(),
  ReduceLogSum: reduceRule(),
  ReduceLogSumExp: reduceRule(),
  ReduceSumSquare: reduceRule(),
  ArgMax: argRule,
  ArgMin: argRule,
  TopK: topKRule,
};
