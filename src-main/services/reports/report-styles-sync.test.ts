// The report's inline chart styles (src-shared/reports/report-styles.ts) are a copy of app.css's
// chart rules and light :root variables: this fails when app.css changes them, so the copy is redone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORT_CHART_CSS } from '../../../src-shared/reports/report-styles.js';

const appCss = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src-renderer/styles/app.css'), 'utf8');
const squash = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ');

describe('report chart styles', () => {
  it('every copied rule and light-theme variable matches app.css', () => {
    const app = squash(appCss);
    const rules = REPORT_CHART_CSS.split(/\n}\n?/).map((r) => r.trim()).filter(Boolean);
    expect(rules.length).toBeGreaterThan(50);
    for (const rule of rules.slice(1)) {
      const [selectors, body] = rule.split('{') as [string, string];
      for (const decl of body.split(';').map((d) => d.trim()).filter(Boolean)) {
        // Each declaration appears in app.css in a rule for the first selector of the group.
        expect(app, `${selectors.trim()} { ${decl} }`).toContain(squash(decl));
      }
      for (const sel of selectors.split(',').map((s) => s.trim())) expect(app, sel).toContain(sel);
    }
    const vars = rules[0]!.replace(/^:root \{/, '').split(';').map((d) => d.trim()).filter(Boolean);
    expect(vars.length).toBeGreaterThan(30);
    for (const v of vars) expect(app, v).toContain(`${squash(v)};`);
  });
});
