/**
 * Per-node cost counting (pure; runs anywhere): parameters, multiply-accumulates, other
 * operations and bytes moved, from the shapes shape inference found. The convention (also in
 * types.ts and docs/profiler.md):
 *
 * - 1 MAC = one multiply-add. Only matrix products and convolutions have MACs, and for them
 *   flops = 2 × MACs. Conv: N·Cout·∏out·(Cin/groups)·∏k (the direct-convolution count used by
 *   e.g. fvcore, ptflops and the torchvision model docs); ConvTranspose: N·Cin·∏in·(Cout/groups)·∏k
 *   (each input element scatters into Cout/groups·∏k outputs); MatMul/Gemm: batch·m·n·k; Einsum:
 *   the product of all index sizes per contracted pair (ops/einsum.ts); attention: QKᵀ and A·V are
 *   two batched matmuls, b·h·n²·d MACs each, so 4·b·h·n²·d FLOPs (the count the FlashAttention
 *   paper's benchmarks use, Dao et al. 2022), plus the input projection for
 *   com.microsoft Attention.
 * - Everything else (bias adds, normalisation, activations, softmax, pooling, reductions…) is
 *   `otherOps`, from the one table below (OTHER_OPS), never folded into flops.
 * - Views (Reshape, Flatten, Squeeze, Unsqueeze, Shape, Size, Constant, Identity, Dropout at
 *   inference) cost 0 ops and 0 bytes: a runtime re-describes or aliases the buffer. Data
 *   movement (Transpose, Concat, Slice, Gather, Cast…) costs 0 ops but its bytes count.
 * - bytesRead: bytes of each distinct input tensor (initializers included) at its element type,
 *   unless the counter reads less (the LLM ops in ops/contrib-llm.ts: KV rows, gathered rows,
 *   reachable experts); bytesWritten: bytes of the outputs.
 */
import type { NodeIR } from './ir.js';
import { OpContext, Unknown } from './ops/context.js';
import { CONTROL_FLOW, shapeRuleFor } from './ops/index.js';
import { attentionDims, mhaDims } from './ops/contrib.js';
import type { AttentionDims } from './ops/contrib.js';
import { LLM_RATES, llmCounters } from './ops/contrib-llm.js';
import type { LlmCost } from './ops/contrib-llm.js';
import { planEinsum } from './ops/einsum.js';
import { gemmDims, matmulDims, swapLast } from './ops/matmul.js';
import { rnnDims } from './ops/rnn.js';
import { tensorBytes } from './dtype.js';
import type { ShapeInferenceResult } from './shape-inference.js';
import { numel } from './tensor-math.js';

/** How a node's cost was (or was not) counted. */
export type CostStatus = 'counted' | 'no-counter' | 'unknown-shape' | 'subgraph';

export interface NodeCost {
  macs: number;
  flops: number;
  otherOps: number;
  bytesRead: number;
  bytesWritten: number;
  status: CostStatus;
  /** Logical weights behind packed initializers (name → elements) for `params` (ops/contrib-llm.ts: MatMulNBits, GatherBlockQuantized, QMoE). */
  weightElems?: Record<string, number>;
}

/** Ops that re-describe or alias a buffer: 0 ops and 0 bytes. */
export const VIEW_OPS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Shape', 'Size', 'Constant', 'Identity', 'Dropout']);

/** Ops that only move or convert data: 0 ops, bytes counted. */
export const MOVE_OPS = new Set([
  'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'GatherElements', 'GatherND', 'ScatterND', 'ScatterElements', 'Scatter',
  'Expand', 'Tile', 'Pad', 'Cast', 'CastLike', 'ConstantOfShape', 'DepthToSpace', 'SpaceToDepth', 'OneHot', 'Trilu',
  'ReverseSequence', 'EyeLike', 'NonZero',
]);

/** Ops with MACs and no other work (the rest with MACs are in OTHER_OPS for their bias and extras). */
export const MAC_ONLY_OPS = new Set(['MatMul', 'MatMulInteger', 'QLinearMatMul', 'ConvInteger', 'QLinearConv']);

interface Rate {
  /** Operations per element of `per`: the first output ('out'), the first input ('in'). 'custom': see the counter; `ops` is its per-element rate. */
  ops: number;
  per: 'out' | 'in' | 'custom';
  why: string;
}

const r = (ops: number, why: string, per: Rate['per'] = 'out'): Rate => ({ ops, per, why });

/**
 * otherOps per element: THE table (docs/profiler.md mirrors it). Rule of thumb: one op per
 * elementary arithmetic operation (add, sub, mul, div, compare/select, min/max) and one per
 * transcendental (exp, log, sqrt, erf, tanh), chosen so that a fused op costs what its usual
 * ONNX decomposition costs (Gelu = Div, Erf, Add, Mul, Mul = 5; LayerNormalization = ReduceMean,
 * Sub, Pow, ReduceMean, Mul, Add… = 7 per element + 2 per row), so fused and unfused exports of
 * the same model report the same totals. Per-row or per-output finishing work (a mean's final
 * divide, the rsqrt of a variance) is ignored except where noted.
 */
export const OTHER_OPS: Record<string, Rate> = {
  // Binary arithmetic and logic: one op per output element.
  Add: r(1, 'one add'), Sub: r(1, 'one sub'), Mul: r(1, 'one mul'), Div: r(1, 'one div'), Pow: r(1, 'one pow'), Mod: r(1, 'one mod'),
  BitShift: r(1, 'one shift'), BitwiseAnd: r(1, 'one and'), BitwiseOr: r(1, 'one or'), BitwiseXor: r(1, 'one xor'),
  Equal: r(1, 'one compare'), Less: r(1, 'one compare'), LessOrEqual: r(1, 'one compare'), Greater: r(1, 'one compare'),
  GreaterOrEqual: r(1, 'one compare'), And: r(1, 'one and'), Or: r(1, 'one or'), Xor: r(1, 'one xor'), Where: r(1, 'one select'),
  Max: r(1, 'n−1 max for n inputs', 'custom'), Min: r(1, 'n−1 min for n inputs', 'custom'), Sum: r(1, 'n−1 adds for n inputs', 'custom'),
  Mean: r(1, 'n−1 adds and a divide for n inputs', 'custom'),
  // Unary maths: one op (a transcendental counts as one).
  Neg: r(1, 'one negate'), Abs: r(1, 'one abs'), Sign: r(1, 'one sign'), Floor: r(1, 'one floor'), Ceil: r(1, 'one ceil'), Round: r(1, 'one round'),
  Sqrt: r(1, 'one sqrt'), Reciprocal: r(1, 'one divide'), Exp: r(1, 'one exp'), Log: r(1, 'one log'), Erf: r(1, 'one erf'), Tanh: r(1, 'one tanh'),
  Sin: r(1, 'one sin'), Cos: r(1, 'one cos'), Tan: r(1, 'one tan'), Asin: r(1, 'one asin'), Acos: r(1, 'one acos'), Atan: r(1, 'one atan'),
  Sinh: r(1, 'one sinh'), Cosh: r(1, 'one cosh'), Asinh: r(1, 'one asinh'), Acosh: r(1, 'one acosh'), Atanh: r(1, 'one atanh'),
  Not: r(1, 'one not'), BitwiseNot: r(1, 'one not'), IsNaN: r(1, 'one test'), IsInf: r(1, 'one test'),
  // Activations.
  Relu: r(1, 'max(x, 0)'),
  LeakyRelu: r(2, 'mul, select'), PRelu: r(2, 'mul, select'), ThresholdedRelu: r(2, 'compare, select'), Shrink: r(2, 'compare, add/select'),
  Clip: r(2, 'max, min (Relu6 is Clip(0, 6))'),
  Sigmoid: r(4, '1/(1+exp(−x)): neg, exp, add, div'),
  HardSigmoid: r(4, 'max(0, min(1, αx+β)): mul, add, min, max'),
  HardSwish: r(5, 'x·HardSigmoid(x): 4 + mul'),
  Softplus: r(3, 'log(exp(x)+1): exp, add, log'),
  Softsign: r(3, 'x/(1+|x|): abs, add, div'),
  Elu: r(4, 'x<0 ? α(exp(x)−1) : x: exp, sub, mul, select'),
  Celu: r(4, 'as Elu, with x/α: exp, sub, mul, select'),
  Selu: r(5, 'γ·(x>0 ? x : α·exp(x)−α): exp, mul, sub, select, mul'),
  Mish: r(5, 'x·tanh(softplus(x)): 3 + tanh + mul'),
  Swish: r(6, 'x·sigmoid(αx): mul, 4, mul'),
  Gelu: r(5, "exact: 0.5·x·(1+erf(x/√2)) = div, erf, add, mul, mul; approximate='tanh' is 8", 'custom'),
  QuickGelu: r(6, 'x·sigmoid(αx): mul, sigmoid 4, mul'),
  FastGelu: r(8, 'tanh form 0.5x(1+tanh(√(2/π)(x+0.044715x³))): pow, mul, add, mul, tanh, add, mul, mul (+1 with bias)', 'custom'),
  BiasGelu: r(6, 'bias add + exact Gelu 5'),
  BiasAdd: r(2, 'two adds (x + bias + skip)'),
  // Softmax family: per element of the input.
  Softmax: r(5, 'max-reduce, sub, exp, sum-reduce, div'),
  LogSoftmax: r(5, 'max-reduce, sub, exp, sum-reduce, sub log-sum'),
  Hardmax: r(2, 'max-reduce, compare'),
  // Normalisations (inference).
  BatchNormalization: r(2, 'scale and shift, after folding mean/var/γ/β into one scale and shift per channel'),
  LayerNormalization: r(7, 'mean 1, sub 1, square 1, variance 1, ×rstd 1, ×γ 1, +β 1 (6 without β); +2 per row (eps add, rsqrt)', 'custom'),
  InstanceNormalization: r(7, 'as LayerNormalization over each (n, c) plane; +2 per plane', 'custom'),
  GroupNormalization: r(7, 'as LayerNormalization over each group; +2 per group', 'custom'),
  SimplifiedLayerNormalization: r(4, 'RMSNorm: square, sum, ×rstd, ×γ; +2 per row', 'custom'),
  RMSNormalization: r(4, 'square, sum, ×rstd, ×γ; +2 per row', 'custom'),
  SkipLayerNormalization: r(8, 'skip add 1 + LayerNormalization 7 (+1 with bias, −1 without β); +2 per row', 'custom'),
  SkipSimplifiedLayerNormalization: r(5, 'skip add 1 + RMSNorm 4 (+1 with bias); +2 per row', 'custom'),
  EmbedLayerNormalization: r(9, 'word + position + segment adds 2 (1 without segment) + LayerNormalization 7; +2 per row', 'custom'),
  LpNormalization: r(3, 'p=2: square, sum, div (p=1: abs, sum, div)'),
  MeanVarianceNormalization: r(5, 'mean 1, sub 1, square 1, variance 1, ×rstd 1; +2 per row', 'custom'),
  LRN: r(3, 'size squares and adds across channels, then pow and div: size + 3', 'custom'),
  // Reductions and selections: per element of the input.
  ReduceSum: r(1, 'one add', 'in'), ReduceMean: r(1, 'one add (the divide per output is ignored)', 'in'), ReduceMax: r(1, 'one max', 'in'),
  ReduceMin: r(1, 'one min', 'in'), ReduceProd: r(1, 'one mul', 'in'), ReduceL1: r(2, 'abs, add', 'in'), ReduceL2: r(2, 'mul, add', 'in'),
  ReduceSumSquare: r(2, 'mul, add', 'in'), ReduceLogSum: r(1, 'one add', 'in'), ReduceLogSumExp: r(2, 'exp, add', 'in'),
  ArgMax: r(1, 'one compare', 'in'), ArgMin: r(1, 'one compare', 'in'), TopK: r(1, 'one compare (a selection pass)', 'in'),
  CumSum: r(1, 'one add', 'in'),
  // Pooling.
  MaxPool: r(1, 'per output: one max per kernel tap (∏kernel_shape)', 'custom'),
  AveragePool: r(1, 'per output: one add per kernel tap (∏kernel_shape)', 'custom'),
  LpPool: r(2, 'per output: pow and add per kernel tap', 'custom'),
  GlobalAveragePool: r(1, 'one add', 'in'), GlobalMaxPool: r(1, 'one max', 'in'), GlobalLpPool: r(2, 'pow, add', 'in'),
  // Resampling: per output element, 2ᵈ (linear) or 4ᵈ (cubic) taps over the d resized axes, a mul per tap and the adds between.
  Resize: r(1, "nearest: 0; linear: 2·2ᵈ−1; cubic: 2·4ᵈ−1", 'custom'),
  Upsample: r(1, "as Resize", 'custom'),
  GridSample: r(1, 'as Resize over the grid’s spatial axes', 'custom'),
  // Quantisation and generators.
  QuantizeLinear: r(4, 'div, round, add zero point, saturate'),
  DequantizeLinear: r(2, 'sub zero point, mul scale'),
  DynamicQuantizeLinear: r(6, 'min and max over the input, then quantize 4', 'in'),
  Range: r(1, 'one add'),
  // Parts of ops with MACs.
  Conv: r(1, 'bias add per output element', 'custom'),
  ConvTranspose: r(1, 'bias add per output element', 'custom'),
  Gemm: r(1, 'per output element: +1 bias add (C), +1 if alpha ≠ 1, +1 if beta ≠ 1', 'custom'),
  FusedMatMul: r(1, 'alpha scale per output element when alpha ≠ 1', 'custom'),
  FusedConv: r(1, 'bias add + the activation (table rate) + residual add (Z) per output element', 'custom'),
  Einsum: r(1, 'single-operand reductions: one add per input element', 'custom'),
  Attention: r(6, 'per attention score: scale 1 + softmax 5 (+1 with a mask or bias); +1 per projected element for the QKV bias', 'custom'),
  MultiHeadAttention: r(6, 'per attention score: scale 1 + softmax 5 (+1 with a mask or bias); +1 per Q/K/V element with bias', 'custom'),
  LSTM: r(30, 'per hidden unit per step and direction: 8 bias adds, 4 gate sums, 3 sigmoids (12), 2 tanh, 4 cell/hidden updates', 'custom'),
  GRU: r(23, 'per hidden unit per step and direction: 6 bias adds, 3 gate sums, 2 sigmoids (8), tanh, reset mul, 4 update', 'custom'),
  RNN: r(4, 'per hidden unit per step and direction: 2 bias adds, a sum, tanh', 'custom'),
  // ONNX Runtime LLM ops (com.microsoft; ops/contrib-llm.ts, docs/profiler.md "ONNX Runtime LLM ops").
  GroupQueryAttention: r(LLM_RATES.score, 'per attended score: scale 1 + softmax 5 (+1 attention_bias, +3 softcap); rotary 3 per rotated Q/K element; q/k RMSNorm 4 per element', 'custom'),
  RotaryEmbedding: r(LLM_RATES.rotary, 'per rotated element: 2 mul + 1 add (x1·cos − x2·sin)', 'custom'),
  MatMulNBits: r(LLM_RATES.dequant, 'per weight: dequantise (sub zero point, mul scale) once per call; +1 per output with bias', 'custom'),
  GatherBlockQuantized: r(LLM_RATES.dequant, 'per output element: dequantise (sub zero point, mul scale)', 'custom'),
  MoE: r(1, 'per token and chosen expert: activation per intermediate element + bias adds; per token: routing softmax and top-k 6 per expert, weighted sum of k outputs', 'custom'),
  QMoE: r(1, 'as MoE, + dequantise 2 per weight of each reachable expert', 'custom'),
};

/** Activation rate by name, for FusedConv's `activation` attribute. */
function activationRate(name: string): number {
  return OTHER_OPS[name]?.ops ?? 1;
}

const rate = (op: string): number => OTHER_OPS[op]!.ops;

/** macs and otherOps; LLM counters may also say which bytes they read and the logical weights (LlmCost). */
type Counted = LlmCost;

type Counter = (ctx: OpContext) => Counted;

const out0 = (ctx: OpContext, state: ShapeInferenceResult): number[] => {
  const s = state.shapes.get(ctx.node.outputs[0] ?? '');
  if (!s) throw new Unknown(null);
  return s;
};

function attentionCost(d: AttentionDims, extraPerScore: number, biasElems: number): Counted {
  const scores = d.batch * d.heads * d.s * d.l;
  const macs = d.batch * d.s * d.projIn * d.projOut + scores * d.dqk + scores * d.dv;
  return { macs, otherOps: scores * (rate('Attention') + extraPerScore) + biasElems };
}

/** Rows (normalised groups) for the +2-per-row finishing term. */
function rowsOf(elements: number, rowLength: number): number {
  return rowLength > 0 ? elements / rowLength : 0;
}

function makeCounters(state: ShapeInferenceResult): Record<string, Counter> {
  const out = (ctx: OpContext): number[] => out0(ctx, state);
  const conv = (xi: number, wi: number, bi: number | null): Counter => (ctx) => {
    const x = ctx.shape(xi);
    const w = ctx.shape(wi);
    const y = out(ctx);
    const group = ctx.int('group', 1);
    // N·Cout·∏out · (Cin/groups)·∏k
    const macs = numel(y) * (x[1]! / group) * numel(w.slice(2));
    return { macs, otherOps: bi !== null && ctx.has(bi) ? numel(y) : 0 };
  };
  const matmul = (ai: number, bi: number): Counter => (ctx) => {
    let a = ctx.shape(ai);
    let b = ctx.shape(bi);
    if (ctx.node.opType === 'FusedMatMul') {
      if (ctx.int('transA', 0)) a = swapLast(a);
      if (ctx.int('transB', 0)) b = swapLast(b);
    }
    const d = matmulDims(a, b);
    if (typeof d === 'string') throw new Unknown(null);
    const alpha = ctx.node.opType === 'FusedMatMul' && ctx.float('alpha', 1) !== 1 ? numel(d.out) : 0;
    return { macs: d.batch * d.m * d.n * d.k, otherOps: alpha };
  };
  const layerNorm = (perElem: (ctx: OpContext) => number, rowLength: (ctx: OpContext, x: number[]) => number): Counter => (ctx) => {
    const x = ctx.shape(0);
    const n = numel(x);
    return { macs: 0, otherOps: n * perElem(ctx) + 2 * rowsOf(n, rowLength(ctx, x)) };
  };
  const lastAxes = (axisAttr: number) => (ctx: OpContext, x: number[]): number => {
    const a = ctx.int('axis', axisAttr);
    return numel(x.slice(a < 0 ? a + x.length : a));
  };
  const pool = (op: string): Counter => (ctx) => ({ macs: 0, otherOps: numel(out(ctx)) * numel(ctx.ints('kernel_shape') ?? []) * rate(op) });
  const resize = (ctx: OpContext): Counted => {
    const x = ctx.shape(0);
    const y = out(ctx);
    const mode = ctx.string('mode', 'nearest');
    const d = ctx.node.opType === 'GridSample' ? y.length - 2 : x.filter((n, i) => n !== y[i]).length;
    const taps = mode === 'linear' || mode === 'bilinear' ? 2 ** d : mode === 'cubic' || mode === 'bicubic' ? 4 ** d : 0;
    return { macs: 0, otherOps: taps > 0 ? numel(y) * (2 * taps - 1) : 0 };
  };
  const variadic = (extra: number): Counter => (ctx) => {
    const n = ctx.node.inputs.filter((i) => i).length;
    return { macs: 0, otherOps: numel(out(ctx)) * Math.max(0, n - 1 + extra) };
  };
  const rnn = (gates: number, op: string): Counter => (ctx) => {
    const d = rnnDims(ctx);
    const units = d.seq * d.batch * d.dirs * d.hidden;
    return { macs: units * gates * (d.input + d.hidden), otherOps: units * rate(op) };
  };
  return {
    Conv: conv(0, 1, 2),
    ConvInteger: conv(0, 1, null),
    QLinearConv: conv(0, 3, 8),
    FusedConv: (ctx) => {
      const c = conv(0, 1, 2)(ctx);
      const y = numel(out(ctx));
      const act = ctx.string('activation', '');
      return { macs: c.macs, otherOps: c.otherOps + (act ? y * activationRate(act) : 0) + (ctx.has(3) ? y : 0) };
    },
    ConvTranspose: (ctx) => {
      const x = ctx.shape(0);
      const w = ctx.shape(1);
      // N·Cin·∏in · (Cout/groups)·∏k: W is [Cin, Cout/groups, k…].
      return { macs: numel(x) * w[1]! * numel(w.slice(2)), otherOps: ctx.has(2) ? numel(out(ctx)) : 0 };
    },
    MatMul: matmul(0, 1),
    MatMulInteger: matmul(0, 1),
    QLinearMatMul: matmul(0, 3),
    FusedMatMul: matmul(0, 1),
    Gemm: (ctx) => {
      const { m, n, k } = gemmDims(ctx);
      const mn = m * n;
      const hasC = ctx.has(2) && ctx.float('beta', 1) !== 0;
      const other = (hasC ? mn : 0) + (ctx.float('alpha', 1) !== 1 ? mn : 0) + (hasC && ctx.float('beta', 1) !== 1 ? mn : 0);
      return { macs: m * n * k, otherOps: other };
    },
    Einsum: (ctx) => {
      const shapes = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i)).map((i) => ctx.shape(i));
      const p = planEinsum(ctx.string('equation', ''), shapes);
      return { macs: p.macs, otherOps: p.reductionAdds };
    },
    Attention: (ctx) => {
      const d = attentionDims(ctx);
      const masked = ctx.has(3) || ctx.has(5) ? 1 : 0;
      return attentionCost(d, masked, ctx.has(2) ? d.batch * d.s * d.projOut : 0);
    },
    MultiHeadAttention: (ctx) => {
      const d = mhaDims(ctx);
      const masked = ctx.has(4) || ctx.has(5) ? 1 : 0;
      const bias = ctx.has(3) ? d.batch * d.heads * (d.s * d.dqk + d.l * (d.dqk + d.dv)) : 0;
      return attentionCost(d, masked, bias);
    },
    Max: variadic(0), Min: variadic(0), Sum: variadic(0), Mean: variadic(1),
    Gelu: (ctx) => ({ macs: 0, otherOps: numel(out(ctx)) * (ctx.string('approximate', 'none') === 'tanh' ? 8 : rate('Gelu')) }),
    FastGelu: (ctx) => ({ macs: 0, otherOps: numel(out(ctx)) * (rate('FastGelu') + (ctx.has(1) ? 1 : 0)) }),
    LayerNormalization: layerNorm((ctx) => rate('LayerNormalization') - (ctx.has(2) ? 0 : 1), lastAxes(-1)),
    SimplifiedLayerNormalization: layerNorm(() => rate('SimplifiedLayerNormalization'), lastAxes(-1)),
    RMSNormalization: layerNorm(() => rate('RMSNormalization'), lastAxes(-1)),
    InstanceNormalization: layerNorm(() => rate('InstanceNormalization'), (_c, x) => numel(x.slice(2))),
    GroupNormalization: layerNorm(() => rate('GroupNormalization'), (c, x) => (x[1]! / Math.max(1, c.int('num_groups', 1))) * numel(x.slice(2))),
    MeanVarianceNormalization: layerNorm(() => rate('MeanVarianceNormalization'), (c, x) => {
      const axes = c.ints('axes') ?? [0, 2, 3];
      return numel(axes.map((a) => x[a < 0 ? a + x.length : a] ?? 1));
    }),
    SkipLayerNormalization: layerNorm((ctx) => rate('SkipLayerNormalization') + (ctx.has(4) ? 1 : 0) - (ctx.has(3) ? 0 : 1), (_c, x) => x[x.length - 1]!),
    SkipSimplifiedLayerNormalization: layerNorm((ctx) => rate('SkipSimplifiedLayerNormalization') + (ctx.has(3) ? 1 : 0), (_c, x) => x[x.length - 1]!),
    EmbedLayerNormalization: (ctx) => {
      const y = out(ctx);
      const n = numel(y);
      return { macs: 0, otherOps: n * (rate('EmbedLayerNormalization') - (ctx.has(4) ? 0 : 1)) + 2 * rowsOf(n, y[y.length - 1]!) };
    },
    LRN: (ctx) => ({ macs: 0, otherOps: numel(ctx.shape(0)) * (ctx.int('size', 1) + rate('LRN')) }),
    MaxPool: pool('MaxPool'), AveragePool: pool('AveragePool'), LpPool: pool('LpPool'),
    Resize: resize, Upsample: resize, GridSample: resize,
    LSTM: rnn(4, 'LSTM'), GRU: rnn(3, 'GRU'), RNN: rnn(1, 'RNN'),
    ...llmCounters,
  };
}

/** Counts every node of an inferred graph (in `inf.order`). */
export function countNodes(inf: ShapeInferenceResult): NodeCost[] {
  const counters = makeCounters(inf);
  const state = { shapes: inf.shapes, consts: inf.consts, types: inf.types };
  const bytes = (name: string): number | null => {
    const s = inf.shapes.get(name);
    return s ? tensorBytes(inf.types.get(name) ?? 'undefined', numel(s)) : null;
  };
  return inf.order.map((node): NodeCost => {
    const zero: NodeCost = { macs: 0, flops: 0, otherOps: 0, bytesRead: 0, bytesWritten: 0, status: 'counted' };
    if (CONTROL_FLOW.has(node.opType)) return { ...zero, status: 'subgraph' };
    if (!shapeRuleFor(node) || !isCountable(node)) return { ...zero, status: 'no-counter' };
    if (VIEW_OPS.has(node.opType)) return zero;
    let bytesRead = 0;
    let bytesWritten = 0;
    for (const name of new Set(node.inputs.filter((i) => i))) {
      const b = bytes(name);
      if (b === null) return { ...zero, status: 'unknown-shape' };
      bytesRead += b;
    }
    // The first present output must be known; an unknown optional output (rare) only leaves its bytes out.
    const first = node.outputs.find((o) => o);
    if (first === undefined || bytes(first) === null) return { ...zero, status: 'unknown-shape' };
    for (const name of node.outputs.filter((o) => o)) bytesWritten += bytes(name) ?? 0;
    let c: Counted;
    try {
      c = costOf(node, new OpContext(node, state, () => {}), counters, inf);
    } catch (e) {
      if (e instanceof Unknown) return { ...zero, status: 'unknown-shape' };
      throw e;
    }
    const flops = 2 * c.macs;
    const counted: NodeCost = { macs: c.macs, flops, otherOps: c.otherOps, bytesRead: c.bytesRead ?? bytesRead, bytesWritten, status: 'counted' };
    return c.weightElems ? { ...counted, weightElems: c.weightElems } : counted;
  });
}

/** Whether the profiler has a cost for this op (its shape rule alone is not enough). */
export function isCountable(node: Pick<NodeIR, 'opType' | 'domain'>): boolean {
  return VIEW_OPS.has(node.opType) || MOVE_OPS.has(node.opType) || MAC_ONLY_OPS.has(node.opType) || Object.hasOwn(OTHER_OPS, node.opType);
}

function costOf(node: NodeIR, ctx: OpContext, counters: Record<string, Counter>, inf: ShapeInferenceResult): Counted {
  const counter = counters[node.opType];
  if (counter) return counter(ctx);
  if (MOVE_OPS.has(node.opType)) return { macs: 0, otherOps: 0 };
  const rate = OTHER_OPS[node.opType]!;
  const elems = rate.per === 'in' ? numel(ctx.shape(0)) : numel(out0(ctx, inf));
  return { macs: 0, otherOps: elems * rate.ops };
}
