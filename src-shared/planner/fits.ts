/**
 * The built-in scaling-law fits, each with its source and constants (runs anywhere).
 *
 * Chinchilla (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models",
 * arXiv 2203.15556):
 * - Approaches 1 and 2 publish exponents (Table 2: a = 0.50 and 0.49) and projections
 *   (Table 3, Table A3) but no coefficients. N* = G·C^a is recovered here by least squares on
 *   log N against log C over the nine rows of the approach's own projection table; the
 *   recovered exponents round to Table 2's printed values (see fits.test.ts), and every row
 *   but one is reproduced within 1.3% (docs/planner.md lists them; the 67B row lies off the
 *   power law through the other eight in all three columns).
 * - Approach 3's parametric law uses the constants at the precision of the arXiv source as
 *   reported by Besiroglu et al. 2024, Table 1 (E 1.6934, A 406.4, B 410.7, α 0.3392,
 *   β 0.2849); the paper body prints them rounded (1.69, 406.4, 410.7, 0.34, 0.28), and that
 *   rounding moves the optimal token count by +57% to +122% over Table A3's rows.
 * - Epoch AI's replication (Besiroglu, Erdil, Barnett, You 2024, "Chinchilla Scaling: A
 *   replication attempt", arXiv 2404.10102, eq. 3 / Table 1): E 1.8172, A 482.01, B 2085.43,
 *   α 0.3478, β 0.3658.
 * - Kaplan et al. 2020 ("Scaling Laws for Neural Language Models", arXiv 2001.08361): joint
 *   law L(N, D) from Table 2 / eq. 4.1 (α_N 0.076, α_D 0.103, N_c 6.4e13, D_c 1.8e13), compute-
 *   efficient frontier N = 1.3e9·C_min^0.73 with C_min in PF-days (§6.1, Fig. 14 / Table 6), and
 *   C_min = C/2 for training at the critical batch size (eq. 5.5) — the reading Hoffmann et al.
 *   use in App. D.4, which gives their quoted 4.68B parameters at 1e21 FLOPs.
 */
import type { BuiltinFitId, Fit, ParametricLaw } from './types.js';

/** Hoffmann et al. 2022 Approach 3, arXiv-source precision (Besiroglu et al. 2024, Table 1). */
export const HOFFMANN_LAW: ParametricLaw = { kind: 'parametric', E: 1.6934, A: 406.4, B: 410.7, alpha: 0.3392, beta: 0.2849 };
/** The same law as printed in Hoffmann et al. 2022, §3.3 (two-decimal exponents). */
export const HOFFMANN_LAW_PRINTED: ParametricLaw = { kind: 'parametric', E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
/** Besiroglu et al. 2024, eq. 3. */
export const EPOCH_LAW: ParametricLaw = { kind: 'parametric', E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };

/** One PF-day in FLOPs (Kaplan et al. 2020, §1.3: 10^15 × 24 × 3600). */
export const PF_DAY = 8.64e19;

/** A published projection row: parameters, training FLOPs and tokens. */
export interface ProjectionRow {
  params: number;
  flops: number;
  tokens: number;
}

/** Hoffmann et al. 2022, Table 3 (Approach 1). */
export const TABLE_3_APPROACH_1: readonly ProjectionRow[] = [
  { params: 400e6, flops: 1.92e19, tokens: 8.0e9 },
  { params: 1e9, flops: 1.21e20, tokens: 20.2e9 },
  { params: 10e9, flops: 1.23e22, tokens: 205.1e9 },
  { params: 67e9, flops: 5.76e23, tokens: 1.5e12 },
  { params: 175e9, flops: 3.85e24, tokens: 3.7e12 },
  { params: 280e9, flops: 9.9e24, tokens: 5.9e12 },
  { params: 520e9, flops: 3.43e25, tokens: 11.0e12 },
  { params: 1e12, flops: 1.27e26, tokens: 21.2e12 },
  { params: 10e12, flops: 1.3e28, tokens: 216.2e12 },
];

/** Hoffmann et al. 2022, Table A3, Approach 2 columns. */
export const TABLE_A3_APPROACH_2: readonly ProjectionRow[] = [
  { params: 400e6, flops: 1.84e19, tokens: 7.7e9 },
  { params: 1e9, flops: 1.2e20, tokens: 20.0e9 },
  { params: 10e9, flops: 1.32e22, tokens: 219.5e9 },
  { params: 67e9, flops: 6.88e23, tokens: 1.7e12 },
  { params: 175e9, flops: 4.54e24, tokens: 4.3e12 },
  { params: 280e9, flops: 1.18e25, tokens: 7.1e12 },
  { params: 520e9, flops: 4.19e25, tokens: 13.4e12 },
  { params: 1e12, flops: 1.59e26, tokens: 26.5e12 },
  { params: 10e12, flops: 1.75e28, tokens: 292.0e12 },
];

/** Hoffmann et al. 2022, Table A3, Approach 3 columns. */
export const TABLE_A3_APPROACH_3: readonly ProjectionRow[] = [
  { params: 400e6, flops: 2.21e19, tokens: 9.2e9 },
  { params: 1e9, flops: 1.62e20, tokens: 27.1e9 },
  { params: 10e9, flops: 2.46e22, tokens: 410.1e9 },
  { params: 67e9, flops: 1.71e24, tokens: 4.1e12 },
  { params: 175e9, flops: 1.26e25, tokens: 12.0e12 },
  { params: 280e9, flops: 3.52e25, tokens: 20.1e12 },
  { params: 520e9, flops: 1.36e26, tokens: 43.5e12 },
  { params: 1e12, flops: 5.65e26, tokens: 94.1e12 },
  { params: 10e12, flops: 8.55e28, tokens: 1425.5e12 },
];

/** Least-squares power law N = G·C^a through a projection table (log N on log C). */
export function powerLawThrough(rows: readonly ProjectionRow[]): { G: number; a: number } {
  const xs = rows.map((r) => Math.log(r.flops));
  const ys = rows.map((r) => Math.log(r.params));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const a = sxy / sxx;
  return { G: Math.exp(my - a * mx), a };
}

const APPROACH_1 = powerLawThrough(TABLE_3_APPROACH_1);
const APPROACH_2 = powerLawThrough(TABLE_A3_APPROACH_2);
/** The power law behind Table A3's Approach 3 column (not the parametric law's own argmin). */
export const TABLE_A3_APPROACH_3_FRONTIER = powerLawThrough(TABLE_A3_APPROACH_3);

const KAPLAN_A = 0.73;
/** N = 1.3e9·(C / (2·PF_DAY))^0.73 written as G·C^a with C in FLOPs. */
const KAPLAN_G = 1.3e9 / (2 * PF_DAY) ** KAPLAN_A;

const HOFFMANN = 'Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models" (arXiv 2203.15556)';
const LAW_NOTE_A3 = 'Loss from Approach 3\'s parametric law (the paper fits no loss model for this approach).';

const lawConstants = (law: ParametricLaw) => [
  { name: 'E', value: law.E },
  { name: 'A', value: law.A },
  { name: 'B', value: law.B },
  { name: 'α', value: law.alpha },
  { name: 'β', value: law.beta },
];

export const BUILTIN_FITS: Readonly<Record<BuiltinFitId, Fit>> = {
  'chinchilla-1': {
    id: 'chinchilla-1',
    label: 'Chinchilla Approach 1',
    source: `${HOFFMANN}, §3.1 and Table 3 (training curve envelope)`,
    law: HOFFMANN_LAW,
    lawNote: LAW_NOTE_A3,
    frontier: {
      kind: 'power-law',
      G: APPROACH_1.G,
      a: APPROACH_1.a,
      note: 'N* = G·C^a recovered from Table 3 by least squares (Table 2 prints a = 0.50).',
    },
    constants: [
      { name: 'a', value: APPROACH_1.a, note: 'Table 2: 0.50 (0.488, 0.502)' },
      { name: 'G', value: APPROACH_1.G, note: 'from Table 3' },
    ],
    paramsCount: 'all',
  },
  'chinchilla-2': {
    id: 'chinchilla-2',
    label: 'Chinchilla Approach 2',
    source: `${HOFFMANN}, §3.2 and Table A3 (IsoFLOP profiles)`,
    law: HOFFMANN_LAW,
    lawNote: LAW_NOTE_A3,
    frontier: {
      kind: 'power-law',
      G: APPROACH_2.G,
      a: APPROACH_2.a,
      note: 'N* = G·C^a recovered from Table A3 by least squares (Table 2 prints a = 0.49).',
    },
    constants: [
      { name: 'a', value: APPROACH_2.a, note: 'Table 2: 0.49 (0.462, 0.534)' },
      { name: 'G', value: APPROACH_2.G, note: 'from Table A3' },
    ],
    paramsCount: 'all',
  },
  'chinchilla-3': {
    id: 'chinchilla-3',
    label: 'Chinchilla Approach 3',
    source: `${HOFFMANN}, §3.3 eq. 2–4 and App. D.2 (parametric fit); constants at arXiv-source precision per Besiroglu et al. 2024, Table 1`,
    law: HOFFMANN_LAW,
    frontier: { kind: 'law' },
    constants: [
      ...lawConstants(HOFFMANN_LAW),
      { name: 'a = β/(α+β)', value: HOFFMANN_LAW.beta / (HOFFMANN_LAW.alpha + HOFFMANN_LAW.beta), note: 'Table 2: 0.46' },
    ],
    paramsCount: 'all',
  },
  epoch: {
    id: 'epoch',
    label: 'Epoch AI refit (Besiroglu et al. 2024)',
    source: 'Besiroglu, Erdil, Barnett, You 2024, "Chinchilla Scaling: A replication attempt" (arXiv 2404.10102), eq. 3',
    law: EPOCH_LAW,
    frontier: { kind: 'law' },
    constants: [...lawConstants(EPOCH_LAW), { name: 'a = β/(α+β)', value: EPOCH_LAW.beta / (EPOCH_LAW.alpha + EPOCH_LAW.beta) }],
    paramsCount: 'all',
  },
  kaplan: {
    id: 'kaplan',
    label: 'Kaplan et al. 2020',
    source:
      'Kaplan et al. 2020, "Scaling Laws for Neural Language Models" (arXiv 2001.08361): L(N, D) eq. 4.1 with Table 2 constants; frontier §6.1 (N = 1.3e9·C_min^0.73, C_min in PF-days, C = 2·C_min per eq. 5.5 as read by Hoffmann et al. App. D.4)',
    law: { kind: 'kaplan', Nc: 6.4e13, Dc: 1.8e13, alphaN: 0.076, alphaD: 0.103 },
    lawNote: 'Loss in nats per token on WebText2 with N counting non-embedding parameters: not comparable with the Chinchilla losses (MassiveText).',
    frontier: { kind: 'power-law', G: KAPLAN_G, a: KAPLAN_A, note: 'N = 1.3e9·(C / 2 PF-days)^0.73 (non-embedding parameters).' },
    constants: [
      { name: 'α_N', value: 0.076 },
      { name: 'α_D', value: 0.103 },
      { name: 'N_c', value: 6.4e13 },
      { name: 'D_c', value: 1.8e13 },
      { name: 'N_e', value: 1.3e9, note: 'frontier coefficient (PF-day units)' },
      { name: 'p_N', value: KAPLAN_A },
    ],
    paramsCount: 'non-embedding',
  },
};

export function isBuiltinFit(id: string): id is BuiltinFitId {
  return Object.prototype.hasOwnProperty.call(BUILTIN_FITS, id);
}

/** A user's fitted law (see fit-law.ts) as a Fit the planner uses like any built-in one. */
export function customFit(id: string, label: string, law: ParametricLaw, source: string): Fit {
  return {
    id,
    label,
    source,
    law,
    frontier: { kind: 'law' },
    constants: [...lawConstants(law), { name: 'a = β/(α+β)', value: law.beta / (law.alpha + law.beta) }],
    paramsCount: 'all',
  };
}
