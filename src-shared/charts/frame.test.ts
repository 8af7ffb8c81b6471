import { describe, expect, it } from 'vitest';
import { attrs, svg } from '../markup/markup.js';
import { chartSvg, gridAndAxes, NO_Y_TICKS } from './frame.js';

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

  it('draws y before x when asked, x labels without gridlines, and leaves the axis lines out', () => {
    const out = String(
      gridAndAxes(
        { left: 10, right: 110, top: 5, bottom: 55 },
        { values: [1], at: (t) => t * 50, label: (t) => `x${t}`, labelY: 71, gridlines: false },
        { values: [0], at: () => 55, labelAt: () => 59, label: () => '0', labelX: 4 },
        { first: 'y', axisLines: false },
      ),
    );
    expect(out).toBe(
      '<g class="grid">' +
        '<line class="gridline" x1="10" x2="110" y1="55" y2="55"></line><text class="tick y-tick" x="4" y="59" text-anchor="end">0</text>' +
        '<text class="tick x-tick" x="50" y="71" text-anchor="middle">x1</text></g>',
    );
  });

  it('draws no y ticks with NO_Y_TICKS', () => {
    const out = String(gridAndAxes({ left: 0, right: 100, top: 0, bottom: 50 }, { values: [], at: () => 0, label: () => '', labelY: 0 }, NO_Y_TICKS, { axisLines: false }));
    expect(out).toBe('<g class="grid"></g>');
  });

  it('writes further attributes before the size, and trailing ones after the viewBox', () => {
    expect(String(chartSvg({ className: 'c', width: 10, height: 20, title: 't', attrs: attrs` data-a="1"`, trailingAttrs: attrs` data-b="${'&'}"` }, svg``))).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" class="c" role="img" data-a="1" width="10" height="20" viewBox="0 0 10 20" data-b="&amp;"><title>t</title></svg>',
    );
  });

  it('wraps the marks in the svg shell with its escaped title', () => {
    expect(String(chartSvg({ className: 'demo-chart', width: 300, height: 120, title: 'a & b' }, [svg`<g></g>`]))).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" class="demo-chart" role="img" width="300" height="120" viewBox="0 0 300 120"><title>a &amp; b</title><g></g></svg>',
    );
  });

  it('writes an escaped <desc> after the <title> when given, none when empty', () => {
    expect(String(chartSvg({ className: 'c', width: 10, height: 20, title: 't', desc: ' Flash wins past 4 K < 8 K ' }, [svg`<g></g>`]))).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" class="c" role="img" width="10" height="20" viewBox="0 0 10 20"><title>t</title><desc>Flash wins past 4 K &lt; 8 K</desc><g></g></svg>',
    );
    expect(String(chartSvg({ className: 'c', width: 10, height: 20, title: 't', desc: '  ' }, svg``))).not.toContain('<desc>');
  });
});
