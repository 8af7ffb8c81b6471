/**
 * Scaling-law planner types (runs anywhere): the loss laws a fit can carry, a fit's description
 * with its source, and the transformer shape the planner proposes for a parameter count. The
 * maths that use them live beside this file (laws.ts, fits.ts, optimum.ts, shape.ts, …).
 */

/** Chinchilla form (Hoffmann et al. 2022, eq. 2): L(N, D) = E + A / N^α + B / D^β. */
export interface ParametricLaw {
  kind: 'parametric';
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
}

/**
 * Kaplan et al. 2020, eq. 1.5: L(N, D) = [ (N_c / N)^(α_N / α_D) + D_c / D ]^α_D, with N the
 * NON-embedding parameter count and the loss in nats on WebText2 (not comparable with MassiveText).
 */
export interface KaplanLaw {
  kind: 'kaplan';
  Nc: number;
  Dc: number;
  alphaN: number;
  alphaD: number;
}

export type LossLaw = ParametricLaw | KaplanLaw;

/** How a fit places the compute-optimal frontier N*(C), D*(C) = C / (6 N*). */
export type Frontier =
  /** Minimise the fit's own law under C = 6ND (closed form for the parametric law). */
  | { kind: 'law' }
  /** A published power law N* = G · C^a (C in FLOPs), D* = C / (6 N*). */
  | { kind: 'power-law'; G: number; a: number; note: string };

export type BuiltinFitId = 'chinchilla-1' | 'chinchilla-2' | 'chinchilla-3' | 'epoch' | 'kaplan';
export const BUILTIN_FIT_IDS: readonly BuiltinFitId[] = ['chinchilla-1', 'chinchilla-2', 'chinchilla-3', 'epoch', 'kaplan'];

export interface FitConstant {
  name: string;
  value: number;
  note?: string;
}

export interface Fit {
  /** A built-in id, or `custom:<run id>` for a law the user fitted and stored. */
  id: string;
  label: string;
  /** Full citation (authors, year, title, where in the paper). */
  source: string;
  /** The law used for predicted loss, IsoFLOP curves and the contour map. */
  law: LossLaw;
  /** Where the loss law comes from when it is not the fit's own (e.g. Approach 1 has none). */
  lawNote?: string;
  frontier: Frontier;
  constants: FitConstant[];
  /** What the fit's N counts ('all' parameters, or 'non-embedding' for Kaplan). */
  paramsCount: 'all' | 'non-embedding';
}

/** A decoder-only transformer shape (Chinchilla Table A4 / Appendix F conventions). */
export interface TransformerShape {
  layers: number;
  dModel: number;
  heads: number;
  /** Head size; dModel = heads · headDim. */
  headDim: number;
  ffn: number;
  vocab: number;
  context: number;
  /** Exact parameter count of this shape (embedding included, see shape.ts). */
  exactParams: number;
  /** Non-embedding parameters (Kaplan's N). */
  nonEmbeddingParams: number;
  /** Whether the output projection shares the input embedding matrix. */
  tiedEmbeddings: boolean;
  /** Training FLOPs per token, attention included (3 × forward, Hoffmann et al. App. F; see shape.ts). */
  flopsPerToken: number;
  /** Forward FLOPs per token, split for display (projections, QK/softmax/AV over the context, FFN, logits). */
  forwardBreakdown: { attention: number; attentionScores: number; ffn: number; logits: number };
}
