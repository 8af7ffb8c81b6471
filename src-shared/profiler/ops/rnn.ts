/**
 * Shape rules for the recurrent ops LSTM, GRU and RNN (pure; runs anywhere). X is
 * [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1); Y is [seq, dirs, batch,
 * hidden] or [batch, seq, dirs, hidden]; Y_h and Y_c are [dirs, batch, hidden] or [batch, dirs, hidden].
 */
import type { OpContext, ShapeRule } from './context.js';

export interface RnnDims {
  seq: number;
  batch: number;
  input: number;
  hidden: number;
  dirs: number;
}

export function rnnDims(ctx: OpContext): RnnDims {
  const x = ctx.shape(0);
  if (x.length !== 3) return ctx.fail(`input ${ctx.desc(0)} must be 3-D`);
  const layout = ctx.int('layout', 0);
  const [seq, batch] = layout === 1 ? [x[1]!, x[0]!] : [x[0]!, x[1]!];
  const dirs = ctx.string('direction', 'forward') === 'bidirectional' ? 2 : 1;
  let hidden = ctx.int('hidden_size', 0);
  if (hidden < 1) {
    const r = ctx.shape(2);
    hidden = r[2]!;
  }
  return { seq, batch, input: x[2]!, hidden, dirs };
}

const rnnRule: ShapeRule = (ctx) => {
  const d = rnnDims(ctx);
  const layout = ctx.int('layout', 0);
  const y = layout === 1 ? [d.batch, d.seq, d.dirs, d.hidden] : [d.seq, d.dirs, d.batch, d.hidden];
  const h = layout === 1 ? [d.batch, d.dirs, d.hidden] : [d.dirs, d.batch, d.hidden];
  return [{ shape: y }, { shape: h }, { shape: h }];
};

export const rnnRules: Record<string, ShapeRule> = { LSTM: rnnRule, GRU: rnnRule, RNN: rnnRule };
