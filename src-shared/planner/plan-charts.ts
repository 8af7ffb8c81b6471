/**
 * What a plan's three charts are drawn from (pure): the IsoFLOP budgets around the plan's compute,
 * the loss landscape's ranges with the compute-optimal frontier across it, and every fit's
 * frontier over COMPARE_RANGE. The Planner page (src-renderer/components/plan-view.tsx) and the
 * plan report (src-shared/runs/kinds/plan.ts) draw the same charts from these.
 *
 * Budgets and ranges snap to decades, so while the page's sliders move within a decade the curves
 * (and the 100 × 100 contour grid the page keeps in a memo) stay put and only the plan moves.
 */
import { lossContours, lossGrid } from '../charts/loss-contour-chart.js';
import { frontierAt, lossAt } from './laws.js';
import type { Fit } from './types.js';

/** The compute range of the fit-comparison chart (FLOPs). */
export const COMPARE_RANGE: [number, number] = [1e18, 1e27];

export interface PlanPoint {
  computeFlops: number;
  params: number;
  tokens: number;
}

export function planChartInputs(fit: Fit, fits: readonly Fit[], plan: PlanPoint) {
  const C = plan.computeFlops;
  const k = Math.round(Math.log10(C));
  const budgets = [k - 2, k - 1, k, k + 1, k + 2].map((e) => 10 ** e);
  const lo = frontierAt(fit, budgets[0]!).N;
  const hi = frontierAt(fit, budgets[budgets.length - 1]!).N;
  const logN = Math.floor(Math.log10(plan.params));
  const logD = Math.floor(Math.log10(plan.tokens));
  return {
    loss: (N: number, D: number) => lossAt(fit.law, N, D),
    budgets,
    /** Model sizes the IsoFLOP curves span. */
    nRange: [lo / 10, hi * 10] as [number, number],
    /** The loss landscape's parameter and token ranges (decades around the plan). */
    landscape: { logN, logD, nRange: [10 ** (logN - 2), 10 ** (logN + 3)] as [number, number], dRange: [10 ** (logD - 2), 10 ** (logD + 3)] as [number, number] },
    /** The landscape's overlay: the frontier from C/10⁴ to C·10⁴, the budgets C/10, C, 10·C, the plan. */
    overlay: {
      frontier: Array.from({ length: 41 }, (_, i) => frontierAt(fit, 10 ** (k - 4 + (8 * i) / 40))),
      plan: { N: plan.params, D: plan.tokens },
      isoFlopLines: [C / 10, C, C * 10],
      fitLabel: fit.label,
    },
    /** The contour chart's ranges when the grid cannot be computed (the fallback chart). */
    fallbackRanges: { nRange: [plan.params / 100, plan.params * 100] as [number, number], dRange: [plan.tokens / 100, plan.tokens * 100] as [number, number] },
    /** Every fit's compute-optimal N and D over COMPARE_RANGE. */
    series: fits.map((f) => ({
      id: f.id,
      label: f.label,
      points: Array.from({ length: 28 }, (_, i) => {
        const c = COMPARE_RANGE[0] * 10 ** ((i * Math.log10(COMPARE_RANGE[1] / COMPARE_RANGE[0])) / 27);
        return { C: c, ...frontierAt(f, c) };
      }),
    })),
  };
}

/** The 100 × 100 loss grid and its contour bands over the landscape's ranges; null where the law cannot be evaluated there. */
export function lossLandscape(loss: (N: number, D: number) => number, nRange: [number, number], dRange: [number, number]) {
  try {
    const grid = lossGrid(loss, nRange, dRange, 100);
    return { grid, bands: lossContours(grid) };
  } catch {
    return null;
  }
}
