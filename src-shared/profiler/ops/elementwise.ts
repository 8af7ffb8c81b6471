/**
 * Shape rules for element-wise ops (pure; runs anywhere): unary maths and activations (the
 * output has the input's shape), binary and variadic ops with numpy broadcasting, Where, Clip,
 * Cast, quantisation, and the normalisations, whose outputs keep the input's shape too. Cheap
 * arithmetic is folded when its inputs are constants, because torch exports compute shapes with
 * it (Shape → Gather → Mul → Concat → Reshape; Equal/Where in Expand's shape).
 */
import { elemTypeFromCode, isIntegerType } from '../dtype.js';
import type { ElemType } from '../ir.js';
import { broadcastMap, broadcastShapes, normAxis } from '../tensor-math.js';
import type { OpOutput, ShapeRule } from './context.js';

type Fold1 = (x: number, t: ElemType) => number;
type FoldN = (xs: number[], t: ElemType) => number;

/** Output has input 0's shape (and, with `fold`, its values mapped). */
export function unary(fold?: Fold1, outType?: ElemType): ShapeRule {
  return (ctx) => {
    const shape = ctx.shape(0);
    const v = fold ? ctx.maybeValue(0) : null;
    const t = ctx.type(0);
    const out: OpOutput = { shape, value: v && fold ? v.map((x) => fold(x, t)) : null };
    if (outType) out.type = outType;
    return [out];
  };
}

/** Multidirectional broadcasting over all present inputs (Add … Where); `fold` maps each element. */
export function broadcasting(fold?: FoldN, outType?: ElemType, typeFrom = 0): ShapeRule {
  return (ctx) => {
    const idx = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));
    const shapes = idx.map((i) => ctx.shape(i));
    const out = broadcastShapes(...shapes);
    if (!out) return ctx.fail(`cannot broadcast ${idx.map((i) => ctx.desc(i)).join(' with ')}`);
    const t = ctx.type(typeFrom);
    let value: number[] | null = null;
    if (fold && idx.every((i) => ctx.maybeValue(i) !== null)) {
      value = ctx.fold(out, () => broadcastMap(idx.map((i) => ({ shape: shapes[idx.indexOf(i)]!, values: ctx.maybeValue(i)! })), out, (xs) => fold(xs, t)));
    }
    return [{ shape: out, type: outType ?? t, value }];
  };
}

const bin = (f: (a: number, b: number, t: ElemType) => number): FoldN => (xs, t) => f(xs[0]!, xs[1]!, t);
const bool = (b: boolean): number => (b ? 1 : 0);
/** Integer results truncate toward zero (ONNX Div on integers, as ORT computes it). */
const intIf = (t: ElemType, x: number): number => (isIntegerType(t) ? Math.trunc(x) : x);

/** Round half to even, as ONNX Round specifies. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function castTo(x: number, t: ElemType): number {
  if (t === 'bool') return bool(x !== 0);
  if (isIntegerType(t)) return Math.trunc(x);
  return x;
}

const castRule: ShapeRule = (ctx) => {
  const to = elemTypeFromCode(ctx.int('to', 1));
  const v = ctx.maybeValue(0);
  return [{ shape: ctx.shape(0), type: to, value: v ? v.map((x) => castTo(x, to)) : null }];
};

const castLikeRule: ShapeRule = (ctx) => {
  const to = ctx.type(1);
  const v = ctx.maybeValue(0);
  return [{ shape: ctx.shape(0), type: to, value: v ? v.map((x) => castTo(x, to)) : null }];
};

/** Clip: bounds come from inputs 1, 2 (opset ≥ 11) or attributes min/max (older). */
const clipRule: ShapeRule = (ctx) => {
  const shape = ctx.shape(0);
  const v = ctx.maybeValue(0);
  const lo = ctx.has(1) ? ctx.maybeValue(1)?.[0] : ctx.float('min', -Infinity);
  const hi = ctx.has(2) ? ctx.maybeValue(2)?.[0] : ctx.float('max', Infinity);
  const value = v && lo !== undefined && hi !== undefined ? v.map((x) => Math.min(Math.max(x, lo), hi)) : null;
  return [{ shape, value }];
};

/** PRelu: slope broadcasts to X (unidirectionally); the output has X's shape. */
const preluRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const s = ctx.shape(1);
  const b = broadcastShapes(x, s);
  if (!b || b.length !== x.length || b.some((d, i) => d !== x[i])) return ctx.fail(`slope ${ctx.desc(1)} does not broadcast to input ${ctx.desc(0)}`);
  return [{ shape: x }];
};

const dropoutRule: ShapeRule = (ctx) => {
  const shape = ctx.shape(0);
  return [{ shape, value: ctx.maybeValue(0) }, { shape, type: 'bool' }];
};

/** LayerNormalization: Y like X; Mean and InvStdDev keep the leading dims and 1 for the normalised ones (stash_type float). */
const layerNormRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = normAxis(ctx.int('axis', -1), x.length);
  if (axis === null) return ctx.fail(`axis ${ctx.int('axis', -1)} is out of range for input ${ctx.desc(0)}`);
  const stats = x.map((d, i) => (i < axis ? d : 1));
  return [{ shape: x }, { shape: stats, type: 'float32' }, { shape: stats, type: 'float32' }];
};

/** BatchNormalization: Y like X; training-mode outputs (running mean/var) are per channel. */
const batchNormRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x.length < 2) return ctx.fail(`input ${ctx.desc(0)} must have rank ≥ 2 (N, C, …)`);
  const c = ctx.maybeShape(1);
  if (c && c.length === 1 && c[0] !== x[1]) return ctx.fail(`scale ${ctx.desc(1)} does not match the ${x[1]} channels of input ${ctx.desc(0)}`);
  return [{ shape: x }, { shape: [x[1]!] }, { shape: [x[1]!] }];
};

const channelNormRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x.length < 2) return ctx.fail(`input ${ctx.desc(0)} must have rank ≥ 2 (N, C, …)`);
  return [{ shape: x }];
};

/** QuantizeLinear: the output type is the zero point's, else output_dtype, else uint8. */
const quantizeRule: ShapeRule = (ctx) => {
  const t = ctx.has(2) ? ctx.type(2) : elemTypeFromCode(ctx.int('output_dtype', 2));
  return [{ shape: ctx.shape(0), type: t === 'undefined' ? 'uint8' : t }];
};

const dequantizeRule: ShapeRule = (ctx) => [{ shape: ctx.shape(0), type: ctx.type(1) === 'undefined' ? 'float32' : ctx.type(1) }];

const dynamicQuantizeRule: ShapeRule = (ctx) => [
  { shape: ctx.shape(0), type: 'uint8' },
  { shape: [], type: 'float32' },
  { shape: [], type: 'uint8' },
];

const eyeLikeRule: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  if (s.length !== 2) return ctx.fail(`input ${ctx.desc(0)} must be 2-D`);
  return [{ shape: s, type: ctx.attr('dtype') ? elemTypeFromCode(ctx.int('dtype', 1)) : ctx.type(0) }];
};

function floatMod(a: number, b: number, fmod: boolean): number {
  if (fmod) return a % b;
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

export const elementwiseRules: Record<string, ShapeRule> = {
  // Unary maths. Folding covers what shape arithmetic uses.
  Identity: unary((x) => x),
  Neg: unary((x) => -x),
  Abs: unary((x) => Math.abs(x)),
  Sqrt: unary((x, t) => intIf(t, Math.sqrt(x))),
  Reciprocal: unary((x) => 1 / x),
  Floor: unary((x) => Math.floor(x)),
  Ceil: unary((x) => Math.ceil(x)),
  Round: unary(roundEven),
  Sign: unary((x) => Math.sign(x)),
  Exp: unary((x) => Math.exp(x)),
  Log: unary((x) => Math.log(x)),
  Not: unary((x) => bool(x === 0), 'bool'),
  IsNaN: unary((x) => bool(Number.isNaN(x)), 'bool'),
  IsInf: unary((x) => bool(!Number.isFinite(x) && !Number.isNaN(x)), 'bool'),
  BitwiseNot: unary(),
  Erf: unary(), Sin: unary(), Cos: unary(), Tan: unary(), Asin: unary(), Acos: unary(), Atan: unary(),
  Sinh: unary(), Cosh: unary(), Asinh: unary(), Acosh: unary(), Atanh: unary(),
  Cast: castRule,
  CastLike: castLikeRule,
  Clip: clipRule,
  Dropout: dropoutRule,
  // Activations.
  Relu: unary((x) => Math.max(0, x)),
  LeakyRelu: unary(), Sigmoid: unary(), Tanh: unary(), Gelu: unary(), HardSigmoid: unary(), HardSwish: unary(),
  Softplus: unary(), Softsign: unary(), Elu: unary(), Selu: unary(), Celu: unary(), ThresholdedRelu: unary(),
  Mish: unary(), Shrink: unary(), Swish: unary(),
  PRelu: preluRule,
  // Same-shape ops along an axis.
  Softmax: unary(), LogSoftmax: unary(), Hardmax: unary(), CumSum: unary(), Trilu: unary(), ReverseSequence: unary(),
  // Binary and variadic, numpy broadcasting.
  Add: broadcasting(bin((a, b) => a + b)),
  Sub: broadcasting(bin((a, b) => a - b)),
  Mul: broadcasting(bin((a, b) => a * b)),
  Div: broadcasting(bin((a, b, t) => intIf(t, a / b))),
  Pow: broadcasting(bin((a, b) => a ** b)),
  Mod: (ctx) => broadcasting(bin((a, b) => floatMod(a, b, ctx.int('fmod', 0) === 1)))(ctx),
  BitShift: broadcasting(),
  BitwiseAnd: broadcasting(), BitwiseOr: broadcasting(), BitwiseXor: broadcasting(),
  Max: broadcasting((xs) => Math.max(...xs)),
  Min: broadcasting((xs) => Math.min(...xs)),
  Sum: broadcasting((xs) => xs.reduce((a, b) => a + b, 0)),
  Mean: broadcasting((xs) => xs.reduce((a, b) => a + b, 0) / xs.length),
  Equal: broadcasting(bin((a, b) => bool(a === b)), 'bool'),
  Less: broadcasting(bin((a, b) => bool(a < b)), 'bool'),
  LessOrEqual: broadcasting(bin((a, b) => bool(a <= b)), 'bool'),
  Greater: broadcasting(bin((a, b) => bool(a > b)), 'bool'),
  GreaterOrEqual: broadcasting(bin((a, b) => bool(a >= b)), 'bool'),
  And: broadcasting(bin((a, b) => bool(a !== 0 && b !== 0)), 'bool'),
  Or: broadcasting(bin((a, b) => bool(a !== 0 || b !== 0)), 'bool'),
  Xor: broadcasting(bin((a, b) => bool((a !== 0) !== (b !== 0))), 'bool'),
  Where: broadcasting((xs) => (xs[0] !== 0 ? xs[1]! : xs[2]!), undefined, 1),
  // Normalisations.
  BatchNormalization: batchNormRule,
  LayerNormalization: layerNormRule,
  SimplifiedLayerNormalization: layerNormRule,
  RMSNormalization: layerNormRule,
  GroupNormalization: channelNormRule,
  InstanceNormalization: channelNormRule,
  LpNormalization: unary(),
  MeanVarianceNormalization: unary(),
  LRN: channelNormRule,
  // Quantisation.
  QuantizeLinear: quantizeRule,
  DequantizeLinear: dequantizeRule,
  DynamicQuantizeLinear: dynamicQuantizeRule,
  EyeLike: eyeLikeRule,
};
