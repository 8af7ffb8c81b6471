import { describe, expect, it } from 'vitest';
import { svg } from '../markup/markup.js';
import { chartSvg, gridAndAxes } from './frame.js';

describe('chart frame', () => {
  it('draws x then y gridlines with labels, the two axes and the captions, in one group', () => {
    const out = String(
      gridAndAxes(
        { left: 10, right: 110, top: 5, bottom: 55 },
        { values: [1, 2], at: (t) => t * 50, label: (t) => `x${t}`, labelY: 71 },
        { values: [0], at: () => 55, labelAt: () => 59, label: () => '<0>', labelX: 4, className: 'tick' },
        { groupClass: 'axes', captions: [svg`<text class="axis-caption">c</text>`, null] },
      ),
    );
    expect(out).toBe(
      '<g class="axes">' +
        '<line class="gridline" x1="50" x2="50" y1="5" y2="55"></line><text class="tick x-tick" x="50" y="71" text-anchor="middle">x1</text>' +
        '<line class="gridline" x1="100" x2="100" y1="5" y2="55"></line><text class="tick x-tick" x="100" y="71" text-anchor="middle">x2</text>' +
        '<line class="gridline" x1="10" x2="110" y1="55" y2="55"></line><text class="tick" x="4" y="59" text-anchor="end">&lt;0&gt;</text>' +
        '<line class="axis" x1="10" x2="110" y1="55" y2="55"></line><line class="axis" x1="10" x2="10" y1="5" y2="55"></line>' +
        '<text class="axis-caption">c</text></g>',
    );
  });

  it('wraps the marks in the svg shell with its escaped title', () => {
    expect(String(chartSvg({ className: 'demo-chart', width: 300, height: 120, title: 'a & b' }, [svg`<g></g>`]))).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" class="demo-chart" role="img" width="300" height="120" viewBox="0 0 300 120"><title>a &amp; b</title><g></g></svg>',
    );
  });
});
