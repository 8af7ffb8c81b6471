/**
 * Einsum (pure; runs anywhere): parses an equation ("bhqd,bhkd->bhqk", implicit outputs,
 * '...' broadcasting), gives the output shape and the multiply-add count.
 *
 * MACs follow the usual convention for contractions (as fvcore and opt_einsum count them): an
 * operand pair costs the product of the sizes of every index either operand carries (including
 * the broadcast '...' dims); three or more operands are contracted left to right, keeping only
 * the indices later operands or the output still need. A single operand does no multiply-adds
 * (a transpose, trace or sum; a sum's additions are counted apart, as otherOps).
 */
import { broadcastShapes, numel } from '../tensor-math.js';
import type { ShapeRule } from './context.js';

export interface EinsumPlan {
  out: number[];
  macs: number;
  /** Elements summed by a single-operand reduction (otherwise 0). */
  reductionAdds: number;
}

const ELL = '.';

function parseTerm(term: string): string[] {
  const t = term.replace(/\s+/g, '');
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t.startsWith('...', i)) { out.push(ELL); i += 2; continue; }
    const c = t[i]!;
    if (!/[A-Za-z]/.test(c)) throw new Error(`unexpected character '${c}'`);
    out.push(c);
  }
  return out;
}

/** Plans an einsum over the given operand shapes; throws Error with a reason when they do not fit. */
export function planEinsum(equation: string, shapes: ReadonlyArray<readonly number[]>): EinsumPlan {
  const [lhs, rhs] = equation.split('->') as [string, string | undefined];
  const terms = lhs.split(',').map(parseTerm);
  if (terms.length !== shapes.length) throw new Error(`equation '${equation}' has ${terms.length} operands but the node has ${shapes.length} inputs`);
  const sizes = new Map<string, number>();
  let ell: number[] = [];
  const ellOf: number[][] = [];
  terms.forEach((term, j) => {
    const s = shapes[j]!;
    const letters = term.filter((c) => c !== ELL).length;
    const hasEll = term.includes(ELL);
    if (hasEll ? s.length < letters : s.length !== letters) throw new Error(`operand ${j} '${term.join('').replace(ELL, '...')}' does not match its rank ${s.length}`);
    const ellRank = s.length - letters;
    let pos = 0;
    const mine: number[] = [];
    for (const c of term) {
      if (c === ELL) { mine.push(...s.slice(pos, pos + ellRank)); pos += ellRank; continue; }
      const d = s[pos++]!;
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, d);
      else if (d !== prev && d !== 1) throw new Error(`index '${c}' is ${prev} in one operand and ${d} in operand ${j}`);
    }
    ellOf.push(mine);
    const b = broadcastShapes(ell, mine);
    if (!b) throw new Error(`'...' dimensions do not broadcast`);
    ell = b;
  });
  let outTerm: string[];
  if (rhs !== undefined) outTerm = parseTerm(rhs);
  else {
    const counts = new Map<string, number>();
    for (const t of terms) for (const c of t) if (c !== ELL) counts.set(c, (counts.get(c) ?? 0) + 1);
    const once = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
    outTerm = terms.some((t) => t.includes(ELL)) ? [ELL, ...once] : once;
  }
  const out: number[] = [];
  for (const c of outTerm) {
    if (c === ELL) out.push(...ell);
    else {
      const d = sizes.get(c);
      if (d === undefined) throw new Error(`output index '${c}' appears in no operand`);
      out.push(d);
    }
  }
  // Cost: left-to-right pairwise contraction.
  const ellN = numel(ell);
  const size = (set: Set<string>): number => [...set].reduce((p, c) => p * (c === ELL ? 1 : sizes.get(c)!), 1);
  let macs = 0;
  let reductionAdds = 0;
  if (terms.length === 1) {
    const t = new Set(terms[0]);
    const reduces = [...t].some((c) => c !== ELL && !outTerm.includes(c));
    if (reduces) reductionAdds = numel(shapes[0]!);
  } else {
    let acc = new Set(terms[0]);
    for (let j = 1; j < terms.length; j++) {
      const union = new Set([...acc, ...terms[j]!]);
      macs += ellN * size(union);
      const later = new Set([...terms.slice(j + 1).flat(), ...outTerm]);
      acc = new Set([...union].filter((c) => c === ELL || later.has(c)));
    }
  }
  return { out, macs, reductionAdds };
}

export const einsumRule: ShapeRule = (ctx) => {
  const eq = ctx.string('equation', '');
  const idx = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));
  const shapes = idx.map((i) => ctx.shape(i));
  try {
    return [{ shape: planEinsum(eq, shapes).out }];
  } catch (e) {
    return ctx.fail(`equation '${eq}' does not fit inputs ${idx.map((i) => ctx.desc(i)).join(', ')}: ${(e as Error).message}`);
  }
};
