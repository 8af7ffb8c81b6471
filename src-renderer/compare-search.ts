/**
 * Pure search behind "Match FLOPs / latency to the first" on the Models page's comparison (no DOM):
 * bisect one numeric option within its [min, max] (whole numbers where the option is an integer)
 * so that a non-decreasing cost (MACs, latency) lands as close as possible to a target, with a cap
 * on evaluations (each one is a profile). The best value seen is returned, so an unreachable
 * target ends at the nearer bound.
 */

export interface SearchRequest {
  /** The cost at an option value; assumed non-decreasing in the value. */
  evaluate(value: number): Promise<number>;
  target: number;
  min: number;
  max: number;
  integer: boolean;
  /** At most this many evaluate() calls (≥ 1). */
  maxEvaluations: number;
}

export interface SearchResult {
  value: number;
  cost: number;
  /** Every evaluation, in order. */
  steps: Array<{ value: number; cost: number }>;
}

/** Scaling options in order of preference for matching: the first numeric one the entry has is used. */
export const SCALING_OPTIONS = ['resolution', 'width_multiplier', 'alpha', 'width', 'd_model', 'layers', 'depth'] as const;

export interface ScalableOption {
  name: string;
  min?: number;
  max?: number;
  integer?: boolean;
  choices?: string[];
}

/** The option to scale an entry by, or null when it has none of SCALING_OPTIONS with a range. */
export function pickScalingOption<T extends ScalableOption>(options: readonly T[]): T | null {
  for (const name of SCALING_OPTIONS) {
    const o = options.find((x) => x.name === name);
    if (o && !o.choices && o.min !== undefined && o.max !== undefined) return o;
  }
  return null;
}

export async function searchOption(request: SearchRequest): Promise<SearchResult> {
  const { evaluate, target, integer } = request;
  const min = integer ? Math.ceil(request.min) : request.min;
  const max = integer ? Math.floor(request.max) : request.max;
  if (!(min <= max)) throw new Error(`empty range [${request.min}, ${request.max}]`);
  const budget = Math.max(1, Math.floor(request.maxEvaluations));
  const seen = new Map<number, number>();
  const steps: SearchResult['steps'] = [];
  const at = async (value: number) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    const cost = await evaluate(value);
    seen.set(value, cost);
    steps.push({ value, cost });
    return cost;
  };

  let lo = min;
  let hi = max;
  // Bisect, keeping one evaluation for a bound the search never moved off (unreachable targets).
  while (steps.length < Math.max(1, budget - 1)) {
    if (integer ? hi - lo <= 1 : hi - lo <= Math.abs(hi) * 1e-9) break;
    const mid = integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
    const cost = await at(mid);
    if (cost === target) break;
    if (cost < target) lo = mid;
    else hi = mid;
  }
  // The nearer side of the final bracket: a bound never moved off, or the unevaluated neighbour.
  const candidates = [lo, hi].filter((v) => !seen.has(v));
  const order = lo === min && hi !== max ? candidates : hi === max && lo !== min ? [...candidates].reverse() : candidates;
  for (const v of order) {
    if (steps.length >= budget) break;
    if (seen.size > 0 && [...seen.values()].includes(target)) break;
    await at(v);
  }

  let best = steps[0]!;
  for (const s of steps) if (Math.abs(s.cost - target) < Math.abs(best.cost - target)) best = s;
  return { value: best.value, cost: best.cost, steps };
}
