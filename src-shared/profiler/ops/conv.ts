/**
 * Shape rules for convolutions and pooling (pure; runs anywhere): Conv (1-D/2-D/3-D, groups,
 * dilations, strides, pads, auto_pad), ConvTranspose (output_padding, output_shape), the
 * quantised and fused variants (ConvInteger, QLinearConv, com.microsoft FusedConv), MaxPool,
 * AveragePool and LpPool (ceil_mode), and the global pools.
 *
 * Output size per spatial axis (ONNX Conv / pooling spec; PyTorch's Conv2d docs give the same):
 *   out = floor((in + pad_begin + pad_end − ((k − 1)·dilation + 1)) / stride) + 1
 * with ceil instead of floor under ceil_mode, dropping a last window that would start inside the
 * end padding (PyTorch's rule, which the ONNX reference implementation follows); auto_pad
 * SAME_UPPER/SAME_LOWER gives ceil(in / stride) and VALID ceil((in − k_eff + 1) / stride).
 * ConvTranspose inverts it: out = stride·(in − 1) + output_padding + k_eff − pad_begin − pad_end.
 */
import type { OpContext, ShapeRule } from './context.js';

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [begin…, end…] */
  pads: number[];
  autoPad: string;
}

function windowOf(ctx: OpContext, spatialRank: number, kernel: number[]): Window {
  const ones = kernel.map(() => 1);
  const w: Window = {
    kernel,
    strides: ctx.ints('strides') ?? ones,
    dilations: ctx.ints('dilations') ?? ones,
    pads: ctx.ints('pads') ?? [...ones, ...ones].map(() => 0),
    autoPad: ctx.string('auto_pad', 'NOTSET'),
  };
  if (kernel.length !== spatialRank || w.strides.length !== spatialRank || w.dilations.length !== spatialRank || w.pads.length !== 2 * spatialRank) {
    ctx.fail(`kernel_shape, strides, dilations or pads do not match the ${spatialRank} spatial axes of input ${ctx.desc(0)}`);
  }
  if (w.strides.some((s) => s < 1) || w.dilations.some((d) => d < 1)) return ctx.fail('strides and dilations must be ≥ 1');
  return w;
}

/** Spatial output sizes of a sliding window (Conv and pooling). */
export function slidingOutput(ctx: OpContext, spatial: number[], w: Window, ceilMode: boolean): number[] {
  return spatial.map((inSize, i) => {
    const s = w.strides[i]!;
    const kEff = (w.kernel[i]! - 1) * w.dilations[i]! + 1;
    let out: number;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') out = Math.ceil(inSize / s);
    else if (w.autoPad === 'VALID') out = Math.ceil((inSize - kEff + 1) / s);
    else {
      const pb = w.pads[i]!;
      const span = inSize + pb + w.pads[i + spatial.length]! - kEff;
      out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
      if (ceilMode && (out - 1) * s >= inSize + pb) out -= 1;
    }
    if (out < 1) {
      ctx.fail(`kernel ${w.kernel[i]} (dilation ${w.dilations[i]}) does not fit spatial axis ${i} of input ${ctx.desc(0)} (size ${inSize} with padding ${w.pads[i]}+${w.pads[i + spatial.length]})`);
    }
    return out;
  });
}

/** Conv and its variants: x at input `xi`, weight [M, C/group, k…] at `wi`. */
function convRule(xi: number, wi: number, bi: number | null): ShapeRule {
  return (ctx) => {
    const x = ctx.shape(xi);
    const w = ctx.shape(wi);
    if (x.length < 3) return ctx.fail(`input ${ctx.desc(xi)} must be (N, C, spatial…) with at least one spatial axis`);
    if (w.length !== x.length) return ctx.fail(`weight ${ctx.desc(wi)} must have the rank of input ${ctx.desc(xi)}`);
    const group = ctx.int('group', 1);
    const m = w[0]!;
    if (x[1] !== w[1]! * group) {
      ctx.fail(`input ${ctx.desc(xi)} has ${x[1]} channels but weight ${ctx.desc(wi)} with group=${group} expects ${w[1]! * group}`);
    }
    if (m % group !== 0) return ctx.fail(`weight ${ctx.desc(wi)}: ${m} output channels are not divisible by group=${group}`);
    const kernel = ctx.ints('kernel_shape') ?? w.slice(2);
    if (kernel.some((k, i) => k !== w[i + 2])) return ctx.fail(`kernel_shape [${kernel.join(',')}] does not match weight ${ctx.desc(wi)}`);
    if (bi !== null) {
      const b = ctx.maybeShape(bi);
      if (b && (b.length !== 1 || b[0] !== m)) return ctx.fail(`bias ${ctx.desc(bi)} must be [${m}]`);
    }
    const win = windowOf(ctx, x.length - 2, kernel);
    return [{ shape: [x[0]!, m, ...slidingOutput(ctx, x.slice(2), win, false)] }];
  };
}

/** ConvTranspose: weight [C, M/group, k…]; output_shape (spatial, or full) wins over the formula. */
const convTransposeRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  if (x.length < 3) return ctx.fail(`input ${ctx.desc(0)} must be (N, C, spatial…)`);
  if (w.length !== x.length) return ctx.fail(`weight ${ctx.desc(1)} must have the rank of input ${ctx.desc(0)}`);
  if (x[1] !== w[0]) return ctx.fail(`input ${ctx.desc(0)} has ${x[1]} channels but weight ${ctx.desc(1)} expects ${w[0]}`);
  const group = ctx.int('group', 1);
  const m = w[1]! * group;
  const sr = x.length - 2;
  const kernel = ctx.ints('kernel_shape') ?? w.slice(2);
  const win = windowOf(ctx, sr, kernel);
  const outputPadding = ctx.ints('output_padding') ?? kernel.map(() => 0);
  const outputShape = ctx.ints('output_shape');
  let spatial: number[];
  if (outputShape) {
    if (outputShape.length !== sr && outputShape.length !== x.length) return ctx.fail(`output_shape [${outputShape.join(',')}] does not match the ${sr} spatial axes`);
    spatial = outputShape.slice(outputShape.length - sr);
  } else {
    spatial = x.slice(2).map((inSize, i) => {
      const kEff = (kernel[i]! - 1) * win.dilations[i]! + 1;
      if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') return inSize * win.strides[i]!;
      const pads = win.autoPad === 'VALID' ? 0 : win.pads[i]! + win.pads[i + sr]!;
      return win.strides[i]! * (inSize - 1) + (outputPadding[i] ?? 0) + kEff - pads;
    });
  }
  if (spatial.some((d) => d < 1)) return ctx.fail(`output spatial size [${spatial.join(',')}] is not positive`);
  return [{ shape: [x[0]!, m, ...spatial] }];
};

function poolRule(ctx: OpContext): number[] {
  const x = ctx.shape(0);
  if (x.length < 3) return ctx.fail(`input ${ctx.desc(0)} must be (N, C, spatial…)`);
  const kernel = ctx.ints('kernel_shape');
  if (!kernel) return ctx.fail('has no kernel_shape');
  const win = windowOf(ctx, x.length - 2, kernel);
  return [x[0]!, x[1]!, ...slidingOutput(ctx, x.slice(2), win, ctx.int('ceil_mode', 0) === 1)];
}

const globalPool: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x.length < 3) return ctx.fail(`input ${ctx.desc(0)} must be (N, C, spatial…)`);
  return [{ shape: [x[0]!, x[1]!, ...x.slice(2).map(() => 1)] }];
};

export const convRules: Record<string, ShapeRule> = {
  Conv: convRule(0, 1, 2),
  ConvInteger: (ctx) => convRule(0, 1, null)(ctx).map((o) => ({ ...o, type: 'int32' })),
  QLinearConv: (ctx) => convRule(0, 3, 8)(ctx).map((o) => ({ ...o, type: ctx.type(7) })),
  ConvTranspose: convTransposeRule,
  MaxPool: (ctx) => {
    const shape = poolRule(ctx);
    return [{ shape }, { shape, type: 'int64' }];
  },
  AveragePool: (ctx) => [{ shape: poolRule(ctx) }],
  LpPool: (ctx) => [{ shape: poolRule(ctx) }],
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
};

/** com.microsoft FusedConv: Conv plus an activation (and optional residual Z). */
export const fusedConvRule: ShapeRule = convRule(0, 1, 2);
