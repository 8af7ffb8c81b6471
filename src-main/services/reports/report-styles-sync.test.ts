// The report's inline chart styles and the app's are one text (src-shared/charts/chart-styles.ts):
// the report inlines it, the app bundles it (vite.renderer.config.ts) before app.css. Nothing to
// keep in sync any more; this checks no copy comes back: app.css holds no rule of a chart class.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHART_CSS } from '../../../src-shared/charts/chart-styles.js';
import { REPORT_CHART_CSS } from '../../../src-shared/reports/report-styles.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const appCss = fs.readFileSync(path.join(root, 'src-renderer/styles/app.css'), 'utf8');
const squash = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ');
const CHART_CLASS = /^\.([a-z0-9-]+-chart|power-strip|chart-empty|attention-pattern-grid)(?![\w-])/;

describe('report chart styles', () => {
  it('are the charts’ one stylesheet, with its rules and light-theme variables', () => {
    expect(REPORT_CHART_CSS).toBe(CHART_CSS);
    const rules = CHART_CSS.split(/\n}\n?/).map((r) => r.trim()).filter(Boolean);
    expect(rules.length).toBeGreaterThan(50);
    const vars = rules[0]!.replace(/^:root \{/, '').split(';').map((d) => d.trim()).filter(Boolean);
    expect(vars.length).toBeGreaterThan(30);
    for (const v of vars) expect(v).toMatch(/^--[a-z0-9-]+: /);
  });

  it('are not copied into app.css, which the app loads after them', () => {
    // Top-level rules only: the dark theme's overrides inside @media stay in app.css.
    let top = squash(appCss);
    for (let i = top.indexOf('@'); i >= 0; i = top.indexOf('@')) {
      let depth = 0;
      let j = top.indexOf('{', i);
      for (; j < top.length; j++) {
        if (top[j] === '{') depth++;
        else if (top[j] === '}' && --depth === 0) break;
      }
      top = top.slice(0, i) + top.slice(j + 1);
    }
    const selectors = [...top.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
    expect(selectors.length).toBeGreaterThan(100);
    expect(selectors.filter((s) => CHART_CLASS.test(s))).toEqual([]);
    const main = fs.readFileSync(path.join(root, 'src-renderer/main.tsx'), 'utf8');
    expect(main.indexOf("import 'virtual:flopscope-chart-styles.css';")).toBeGreaterThan(0);
    expect(main.indexOf("import 'virtual:flopscope-chart-styles.css';")).toBeLessThan(main.indexOf("import './styles/app.css';"));
  });
});
