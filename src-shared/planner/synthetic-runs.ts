/**
 * Synthetic training runs drawn from a known law with multiplicative log-normal noise (runs
 * anywhere): data for the fit-your-own-law tests, the e2e test's CSV and the fit-speed bench,
 * where the true exponents are known so recovering them can be checked.
 */
import { mulberry32 } from '../gpu/cpu-reference.js';
import { lossAt } from './laws.js';
import type { ParametricLaw } from './types.js';

export function syntheticRuns(law: ParametricLaw, n: number, options: { seed?: number; noise?: number; nRange?: [number, number]; dRange?: [number, number] } = {}) {
  const rand = mulberry32(options.seed ?? 7);
  const [n0, n1] = options.nRange ?? [1e7, 1e10];
  const [d0, d1] = options.dRange ?? [1e8, 1e12];
  const sigma = options.noise ?? 0.01;
  const runs: Array<{ N: number; D: number; loss: number }> = [];
  for (let i = 0; i < n; i++) {
    const N = n0 * (n1 / n0) ** rand();
    const D = d0 * (d1 / d0) ** rand();
    // Box–Muller: one standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    runs.push({ N, D, loss: lossAt(law, N, D) * Math.exp(sigma * z) });
  }
  return runs;
}

export function syntheticRunsCsv(law: ParametricLaw, n: number, options: Parameters<typeof syntheticRuns>[2] = {}): string {
  const rows = syntheticRuns(law, n, options).map((r) => `${r.N.toExponential(6)},${r.D.toExponential(6)},${r.loss.toFixed(6)}`);
  return ['params,tokens,loss', ...rows].join('\n') + '\n';
}
