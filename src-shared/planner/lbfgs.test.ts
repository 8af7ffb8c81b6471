import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, type Objective } from './lbfgs.js';

const rosenbrock: Objective = (x, g) => {
  const a = x[0]!;
  const b = x[1]!;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

/** Extended Rosenbrock in n dimensions (sum over pairs), minimum 0 at (1, …, 1). */
const rosenbrockN: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i]!;
    const b = x[i + 1]!;
    f += (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    g[i] = g[i]! - 2 * (1 - a) - 400 * a * (b - a * a);
    g[i + 1] = g[i + 1]! + 200 * (b - a * a);
  }
  return f;
};

/** ½ Σ c_i (x_i − i)² with condition number 1e4. */
function illConditionedQuadratic(n: number): Objective {
  const c = Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const r = x[i]! - i;
      f += 0.5 * c[i]! * r * r;
      g[i] = c[i]! * r;
    }
    return f;
  };
}

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum from the classic start (−1.2, 1)', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(100);
  });

  it('minimises a 10-dimensional Rosenbrock', () => {
    const r = minimizeLbfgs(rosenbrockN, new Array(10).fill(-1).map((v, i) => (i % 2 ? 1 : v)));
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 5);
  });

  it('solves an ill-conditioned quadratic to the gradient tolerance', () => {
    const n = 20;
    const r = minimizeLbfgs(illConditionedQuadratic(n), new Array(n).fill(0), { gradientTolerance: 1e-9, relativeTolerance: 0 });
    expect(r.stop).toBe('gradient');
    expect(r.gradNorm).toBeLessThanOrEqual(1e-9);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(i, 8));
  });

  it('takes one step on a unit quadratic (the first step length is exact for ½‖x‖²)', () => {
    const r = minimizeLbfgs((x, g) => {
      g.set(x);
      return 0.5 * (x[0]! ** 2 + x[1]! ** 2);
    }, [0.3, -0.4]);
    expect(r.iterations).toBe(1);
    expect(Math.abs(r.x[0]!)).toBeLessThan(1e-12);
  });

  it('returns at once when the start already satisfies the gradient test', () => {
    const r = minimizeLbfgs(rosenbrock, [1, 1]);
    expect(r).toMatchObject({ iterations: 0, stop: 'gradient', converged: true, f: 0 });
  });

  it('stops at the iteration cap and says so', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.stop).toBe('max-iterations');
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.f).toBeLessThan(24.2); // f(−1.2, 1) = 24.2: every iteration decreases f
  });

  it('stops on relative decrease with a loose tolerance', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { relativeTolerance: 1e-3, gradientTolerance: 0 });
    expect(r.stop).toBe('relative-decrease');
  });

  it('backs off from steps where the objective is not finite', () => {
    // −log x − log(1 − x): minimum at ½, undefined outside (0, 1). From 0.9 the first trial step
    // (length 1/‖g‖) lands at −0.1.
    let outside = 0;
    const r = minimizeLbfgs((x, g) => {
      const v = x[0]!;
      g[0] = -1 / v + 1 / (1 - v);
      if (v <= 0 || v >= 1) outside++;
      return v > 0 && v < 1 ? -Math.log(v) - Math.log(1 - v) : NaN;
    }, [0.9]);
    expect(outside).toBeGreaterThan(0);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(0.5, 6);
  });

  it('reports a non-finite start without iterating', () => {
    const r = minimizeLbfgs(() => NaN, [0]);
    expect(r).toMatchObject({ stop: 'non-finite', converged: false, iterations: 0 });
  });

  it('does not modify the starting point it was given', () => {
    const x0 = new Float64Array([-1.2, 1]);
    minimizeLbfgs(rosenbrock, x0);
    expect(Array.from(x0)).toEqual([-1.2, 1]);
  });
});
