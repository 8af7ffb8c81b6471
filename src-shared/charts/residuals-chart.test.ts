import { describe, expect, it } from 'vitest';
import { renderResidualsChart } from './residuals-chart.js';

describe('residuals chart', () => {
  it('draws one dot per run and the identity line, never NaN', () => {
    const residuals = [1, 2, 3].map((i) => ({ N: 1e8 * i, D: 1e9 * i, loss: 3 - i * 0.1, predicted: 3 - i * 0.11, logResidual: 0.01 }));
    const svg = String(renderResidualsChart({ residuals }));
    expect(svg.match(/<circle class="run"/g)).toHaveLength(3);
    expect(svg).toContain('class="identity"');
    expect(svg).not.toMatch(/NaN/);
  });

  it('shows an empty state without finite runs', () => {
    const svg = String(renderResidualsChart({ residuals: [{ N: 1, D: 1, loss: Number.NaN, predicted: 2, logResidual: 0 }] }));
    expect(svg).toContain('No runs with finite losses');
    expect(svg).not.toMatch(/NaN/);
  });
});
