/**
 * Shape rules for matrix products (pure; runs anywhere): MatMul with numpy semantics (batch
 * broadcasting; a 1-D left operand gets a leading 1 and a 1-D right operand a trailing 1, both
 * removed from the result), Gemm (transA/transB, C broadcast to [M, N]), the quantised variants
 * (MatMulInteger, QLinearMatMul) and com.microsoft FusedMatMul. `matmulDims` is shared with the
 * counter, so the MACs use exactly the m, n, k the shapes were checked with.
 */
import { broadcastShapes, fmtShape, numel } from '../tensor-math.js';
import type { OpContext, ShapeRule } from './context.js';

export interface MatmulDims {
  out: number[];
  /** Product of the broadcast batch dimensions. */
  batch: number;
  m: number;
  n: number;
  k: number;
}

/** numpy.matmul dimensions for shapes a·b, or a reason they do not multiply. */
export function matmulDims(a: readonly number[], b: readonly number[]): MatmulDims | string {
  if (a.length === 0 || b.length === 0) return 'operands must have rank ≥ 1';
  const a2 = a.length === 1 ? [1, a[0]!] : [...a];
  const b2 = b.length === 1 ? [b[0]!, 1] : [...b];
  const m = a2[a2.length - 2]!;
  const k = a2[a2.length - 1]!;
  const kb = b2[b2.length - 2]!;
  const n = b2[b2.length - 1]!;
  if (k !== kb) return `inner dimensions differ (${k} ≠ ${kb})`;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  if (!batch) return `batch dimensions ${fmtShape(a2.slice(0, -2))} and ${fmtShape(b2.slice(0, -2))} do not broadcast`;
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  return { out, batch: numel(batch), m, n, k };
}

/** Swaps the last two axes (FusedMatMul's transA/transB). */
export function swapLast(s: readonly number[]): number[] {
  if (s.length < 2) return [...s];
  const t = [...s];
  [t[t.length - 2], t[t.length - 1]] = [t[t.length - 1]!, t[t.length - 2]!];
  return t;
}

function matmulRule(ai: number, bi: number, transposed = false): ShapeRule {
  return (ctx) => {
    let a = ctx.shape(ai);
    let b = ctx.shape(bi);
    if (transposed) {
      if (ctx.int('transBatchA', 0) || ctx.int('transBatchB', 0)) return ctx.fail('transBatchA/transBatchB are not supported');
      if (ctx.int('transA', 0)) a = swapLast(a);
      if (ctx.int('transB', 0)) b = swapLast(b);
    }
    const d = matmulDims(a, b);
    if (typeof d === 'string') return ctx.fail(`${d}: input ${ctx.desc(ai)} × input ${ctx.desc(bi)}`);
    return [{ shape: d.out }];
  };
}

/** Gemm's M, N, K after transA/transB, or a failure naming the node. */
export function gemmDims(ctx: OpContext): { m: number; n: number; k: number } {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  if (a.length !== 2 || b.length !== 2) return ctx.fail(`inputs ${ctx.desc(0)} and ${ctx.desc(1)} must be 2-D`);
  const [m, k] = ctx.int('transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [kb, n] = ctx.int('transB', 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (k !== kb) return ctx.fail(`inner dimensions differ (${k} ≠ ${kb}): A ${ctx.desc(0)}${ctx.int('transA', 0) ? 'ᵀ' : ''} × B ${ctx.desc(1)}${ctx.int('transB', 0) ? 'ᵀ' : ''}`);
  return { m, n, k };
}

const gemmRule: ShapeRule = (ctx) => {
  const { m, n } = gemmDims(ctx);
  const c = ctx.maybeShape(2);
  if (c) {
    const bc = broadcastShapes(c, [m, n]);
    if (!bc || bc.length !== 2 || bc[0] !== m || bc[1] !== n) return ctx.fail(`C ${ctx.desc(2)} does not broadcast to [${m},${n}]`);
  }
  return [{ shape: [m, n] }];
};

export const matmulRules: Record<string, ShapeRule> = {
  MatMul: matmulRule(0, 1),
  MatMulInteger: (ctx) => matmulRule(0, 1)(ctx).map((o) => ({ ...o, type: 'int32' })),
  QLinearMatMul: (ctx) => matmulRule(0, 3)(ctx).map((o) => ({ ...o, type: ctx.type(7) })),
  Gemm: gemmRule,
};

/** com.microsoft FusedMatMul: alpha·op(A)·op(B). */
export const fusedMatMulRule: ShapeRule = matmulRule(0, 1, true);
