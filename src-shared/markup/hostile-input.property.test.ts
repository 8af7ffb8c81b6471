// Property test for issue 14 "Hostile input": every string field (values and object keys) of every
// run kind, and of every chart's input, is fed hostile strings — quotes, <, &, ]]>, </style>,
// </script>, control characters, U+202E, lone surrogates, very long strings — and each output is
// parsed with a real HTML parser (parse5). The elements and attributes must be EXACTLY those that
// benign data of the same shape gives: the same string with every character other than letters,
// digits and white space replaced by 'x' (same length, same line breaks, equal to no keyword), so
// layout and branching match and only the escaping can differ. Markdown keeps its line and table
// structure and shows no raw '<'; CSV keeps its rows and fields and starts no cell with a formula
// character. Every field is checked once with a kitchen-sink string, then fast-check (fixed seed,
// bounded runs) tries random hostile strings in random fields, several at once.
import fc from 'fast-check';
import Papa from 'papaparse';
import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import type { AttentionPoint } from '../attention/types.js';
import type { Run } from '../api/types.js';
import { renderPatternGrid, renderAttentionPattern } from '../charts/attention-pattern-chart.js';
import { renderAttentionSweepChart, type AttentionSweepChartInput } from '../charts/attention-sweep-chart.js';
import { renderBandwidthChart } from '../charts/bandwidth-chart.js';
import { renderFrontierCompareChart, type FrontierCompareChartInput } from '../charts/frontier-compare-chart.js';
import { renderGdCostChart } from '../charts/gd-cost-chart.js';
import { renderIsoflopChart, type IsoflopChartInput } from '../charts/isoflop-chart.js';
import { renderLatencyChart } from '../charts/latency-chart.js';
import { renderLossContourChart, type LossContourChartInput } from '../charts/loss-contour-chart.js';
import { renderMemoryBatchChart, type MemoryBatchChartInput } from '../charts/memory-batch-chart.js';
import { renderOpShareChart } from '../charts/op-share-chart.js';
import { renderPeaksChart } from '../charts/peaks-chart.js';
import { powerStripInput, renderPowerStrip, type PowerStripInput } from '../charts/power-strip.js';
import { renderResidualsChart } from '../charts/residuals-chart.js';
import { renderRooflineChart, type RooflineChartOptions } from '../charts/roofline-chart.js';
import { renderSparsityScheduleChart } from '../charts/sparsity-schedule-chart.js';
import type { BenchResult, LatencyResult, MemoryResult } from '../api/bench.js';
import type { Roofline } from '../bench/roofline.js';
import { buildReport } from '../reports/report.js';
import { renderCsv } from '../reports/render-csv.js';
import { renderHtml } from '../reports/render-html.js';
import { renderMarkdown } from '../reports/render-markdown.js';
import { attentionResult, benchResult, estimatedBenchEnergy, profileResult, TEST_MACHINE, testContext, testRuns } from '../reports/test-runs.js';

// ---- hostile strings ---------------------------------------------------------------------------

const HOSTILE = [
  `"'><script>alert(1)</script>`,
  `<img src=x onerror=alert(1)>`,
  `bandwidth"><meta http-equiv="refresh" content="2;url=https://evil.example/"><x y="`,
  `]]><![CDATA[<x>]]>`,
  `</style><style>*{}</style>`,
  `</script><script>alert(1)</script>`,
  `</title></svg><iframe src="https://evil.example/"></iframe>`,
  `<!-- -- --!>`,
  `&amp;&lt;&#x3c;&#0;&`,
  `a\u0000b\u0001c\u0007d\u001be\u007ff\u0085g\u000bh\u000ci`,
  `\u202Eevil\u202Dtxt.exe \u200F\u2066`,
  `\uD800\uDFFF\uDC00x\uD83D`,
  `=cmd|'/C calc'!A0`,
  `+1+2`,
  `-2+3`,
  `@SUM(1)`,
  `\tTAB\rCR\r\n`,
  `| pipe | \\| back\\slash \` code \` *em* _em_ [a](https://evil.example) ![i](x) # h`,
  `javascript:alert(1)`,
  `' onmouseover='alert(1)`,
  `" onmouseover="alert(1)`,
  'x'.repeat(5000) + '<b>',
];
const KITCHEN_SINK = HOSTILE.slice(0, -1).join(' ');
/** Also a long one: 100 KB of markup. */
const LONG = `<a href="https://evil.example/">${'<b>&'.repeat(25_000)}</a>`;

/** The benign twin: same length and white space, every other non-alphanumeric character 'x'. */
function benign(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    out += /[A-Za-z0-9\s]/.test(c) ? c : 'x';
  }
  return out;
}

// ---- where the strings go: every string value and object key -----------------------------------

interface Target {
  path: Array<string | number>;
  /**
   * 'value': the string at path is replaced. 'key': a second key, named after the last step of
   * path, is added beside it with the same value (a dtype in gemm.best, a variant in labels, an
   * unknown field in a bundle); the original stays, so no required field goes missing.
   */
  kind: 'value' | 'key';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

function targets(value: unknown, path: Array<string | number> = [], out: Target[] = []): Target[] {
  if (typeof value === 'string') out.push({ path, kind: 'value' });
  else if (Array.isArray(value)) value.forEach((v, i) => targets(v, [...path, i], out));
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: [...path, k], kind: 'key' });
      targets(v, [...path, k], out);
    }
  }
  return out;
}

/**
 * One target per field: array elements share a schema, so only the first element of each array
 * is fed (a run's third ceiling is the same field as its first, another run of the kind too).
 */
function perField(ts: readonly Target[]): Target[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const key = `${t.kind}:${t.path.map((p) => (typeof p === 'number' ? '#' : p)).join('.')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A copy of `root` with the target's string replaced by (or its key doubled as) f(string); untouched branches are shared. */
function replace(root: unknown, t: Target, f: (s: string) => string): unknown {
  const step = (node: unknown, depth: number): unknown => {
    if (depth === t.path.length) return t.kind === 'value' ? f(node as string) : node;
    const k = t.path[depth]!;
    if (Array.isArray(node)) {
      const copy = [...node];
      copy[k as number] = step(node[k as number], depth + 1);
      return copy;
    }
    const obj = node as Record<string, unknown>;
    const last = depth === t.path.length - 1 && t.kind === 'key';
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(obj)) {
      if (key !== k) copy[key] = v;
      else if (last) {
        copy[key] = v;
        copy[f(key)] = v;
      } else copy[key] = step(v, depth + 1);
    }
    return copy;
  };
  return step(root, 0);
}

// ---- the shape of parsed markup ----------------------------------------------------------------

type Node = DefaultTreeAdapterMap['node'];

/** The elements, comments and attribute names, each with its ancestors' tag names, sorted: a multiset. */
function shapeOf(root: Node): string[] {
  const out: string[] = [];
  const walk = (n: Node, ancestors: string) => {
    if (n.nodeName === '#comment') out.push(`${ancestors}>#comment`);
    if ('tagName' in n) {
      const names = n.attrs.map((a) => (a.prefix ? `${a.prefix}:${a.name}` : a.name)).sort();
      out.push(`${ancestors}>${n.tagName}[${names.join(',')}]`);
    }
    const here = 'tagName' in n ? `${ancestors}>${n.tagName}` : ancestors;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c, here);
    if ('content' in n && n.content) walk(n.content as Node, here);
  };
  walk(root, '');
  return out.sort();
}

/** Parse errors other than the noncharacters a random string may carry (harmless as text). */
const IGNORED_ERRORS = new Set(['noncharacter-in-input-stream']);

function parsed(markup: string, document: boolean): { shape: string[]; errors: string[] } {
  const errors: string[] = [];
  const onParseError = (e: { code: string }) => {
    if (!IGNORED_ERRORS.has(e.code)) errors.push(e.code);
  };
  const root = document ? parse(markup, { onParseError }) : parseFragment(markup, { onParseError });
  return { shape: shapeOf(root as Node), errors: errors.sort() };
}

// ---- report checks -----------------------------------------------------------------------------

interface Outputs {
  html: string;
  md: string;
  csv: string;
}

/** Markdown's structure: per line its first character (escaped: '\') and how many unescaped pipes it has. */
function mdStructure(md: string): string[] {
  return md.split('\n').map((l) => `${l[0] ?? ''}${l.replace(/\\./g, '').replace(/[^|]/g, '').length}`);
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function expectSameReport(hostile: Outputs, twin: Outputs, what: string) {
  const h = parsed(hostile.html, true);
  const b = parsed(twin.html, true);
  expect(h.shape, `${what}: HTML elements and attributes`).toEqual(b.shape);
  expect(h.errors, `${what}: HTML parse errors`).toEqual(b.errors);
  expect(mdStructure(hostile.md), `${what}: Markdown structure`).toEqual(mdStructure(twin.md));
  expect(hostile.md, `${what}: Markdown shows no raw '<'`).not.toContain('<');
  const hc = Papa.parse<string[]>(hostile.csv, { skipEmptyLines: true });
  const bc = Papa.parse<string[]>(twin.csv, { skipEmptyLines: true });
  expect(hc.errors, `${what}: CSV parses`).toEqual([]);
  expect(hc.data.map((r) => r.length), `${what}: CSV rows and fields`).toEqual(bc.data.map((r) => r.length));
  for (const row of hc.data) for (const f of row) if (/^[=+\-@\t\r]/.test(f)) expect(f, `${what}: CSV cell starts a formula`).toMatch(NUMBER);
}

function outputs(runs: Run[], machines: Record<string, unknown>): Outputs {
  const model = buildReport(runs, { ...testContext(), machines: machines as ReturnType<typeof testContext>['machines'] });
  return { html: renderHtml(model), md: renderMarkdown(model), csv: renderCsv(model) };
}

/** The runs of one kind (so a comparison is built too), with the machines the report looks up. */
interface ReportCase {
  name: string;
  root: { runs: Run[]; machines: Record<string, unknown> };
}

function reportCases(): ReportCase[] {
  const r = testRuns();
  const machines = testContext().machines as Record<string, unknown>;
  return [
    { name: 'hardware', root: { runs: [r.hardware], machines: {} } },
    { name: 'bench', root: { runs: [r.bench, r.bench2], machines } },
    { name: 'bench, stored before energy', root: { runs: [r.benchOld], machines: {} } },
    { name: 'profile', root: { runs: [r.profile, r.profile2], machines } },
    { name: 'plan', root: { runs: [r.plan, r.plan2], machines } },
    { name: 'attention', root: { runs: [r.attention, r.attention2], machines } },
    { name: 'fit', root: { runs: [r.fit], machines } },
  ];
}

function reportWith(c: ReportCase, ts: Target[], value: (t: Target, s: string) => string, twin: boolean): Outputs {
  let root: unknown = c.root;
  for (const t of ts) root = replace(root, t, (s) => (twin ? benign(value(t, s)) : value(t, s)));
  const { runs, machines } = root as ReportCase['root'];
  return outputs(runs, machines);
}

// ---- chart checks ------------------------------------------------------------------------------

const law = { E: 1.6934, A: 406.4, B: 410.7, alpha: 0.3392, beta: 0.2849 };
const loss = (N: number, D: number) => law.E + law.A / N ** law.alpha + law.B / D ** law.beta;

function mask(n: number, on: (q: number, k: number) => boolean): Uint8Array {
  const m = new Uint8Array(n * n);
  for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) if (on(q, k)) m[q * n + k] = 1;
  return m;
}

function attentionPoints(): AttentionPoint[] {
  return attentionResult().points.map((p, i) => (i % 2 === 0 ? { ...p, measuredSeconds: p.predictedSeconds * 1.3 } : p));
}

interface ChartCase {
  name: string;
  input: unknown;
  render: (input: never) => unknown;
}

const bench = benchResult();
const latency: LatencyResult = {
  points: [4096, 16384, 65536, 262144, 1 << 20, 4 << 20, 16 << 20, 64 << 20].map((bytes, i) => ({ bytes, ns: [1, 1, 4, 4, 12, 12, 80, 90][i]! })),
  levels: [
    { name: 'L1', bytes: 32768, ns: 1 },
    { name: 'L2', bytes: 524288, ns: 4 },
    { name: 'DRAM', bytes: 1e9, ns: 85 },
  ],
} as LatencyResult;
const memory: MemoryResult = { ...bench.memory!, sweep: [16384, 262144, 4 << 20, 64 << 20].map((bytes, i) => ({ bytes, GBs: [1200, 600, 150, 21][i]! })) } as MemoryResult;
const frontierPoints = (a: number, N0: number) => Array.from({ length: 9 }, (_, i) => 10 ** (19 + (i * 6) / 8)).map((C) => ({ C, N: N0 * (C / 5.88e23) ** a, D: C / (6 * N0 * (C / 5.88e23) ** a) }));

const CHARTS: ChartCase[] = [
  {
    name: 'roofline',
    input: { roofline: bench.roofline, extraPoints: [{ label: 'fc1 (Gemm)', intensity: 4, gflops: 50 }], overlays: [{ label: 'run #2', roofline: benchResult(2).roofline }] },
    render: (i: { roofline: Roofline } & RooflineChartOptions) => renderRooflineChart(i.roofline, { width: 720, ...(i.extraPoints ? { extraPoints: i.extraPoints } : {}), ...(i.overlays ? { overlays: i.overlays } : {}) }),
  },
  { name: 'peaks', input: TEST_MACHINE.peaks, render: (p: typeof TEST_MACHINE.peaks) => renderPeaksChart(p, { width: 720 }) },
  { name: 'latency', input: latency, render: (l: LatencyResult) => renderLatencyChart(l, { width: 720, caches: TEST_MACHINE.cpu.caches }) },
  { name: 'bandwidth', input: memory, render: (m: MemoryResult) => renderBandwidthChart(m, { width: 720 }) },
  { name: 'op-share', input: profileResult().nodes, render: (n: ReturnType<typeof profileResult>['nodes']) => renderOpShareChart(n, { width: 720 }) },
  { name: 'power-strip', input: powerStripInput(estimatedBenchEnergy()), render: (p: PowerStripInput) => renderPowerStrip(p, { width: 720 }) },
  { name: 'power-strip (live)', input: { ...powerStripInput(estimatedBenchEnergy()), live: true }, render: (p: PowerStripInput) => renderPowerStrip(p, { width: 720 }) },
  {
    name: 'attention sweep (time, measured, crossovers)',
    input: { points: attentionPoints(), metric: 'predictedSeconds', labels: { full: 'full attention', 'sliding:256': 'sliding window 256' }, crossovers: attentionResult().crossovers, measured: true },
    render: (i: AttentionSweepChartInput) => renderAttentionSweepChart(i, { width: 760 }),
  },
  {
    name: 'attention sweep (memory line)',
    input: { points: attentionPoints(), metric: 'kvCacheBytes', memoryBytes: 2e8, memoryLabel: 'test GPU' },
    render: (i: AttentionSweepChartInput) => renderAttentionSweepChart(i, { width: 760 }),
  },
  { name: 'attention pattern', input: { mask: mask(24, (q, k) => k <= q), n: 24, label: 'causal' }, render: (i: Parameters<typeof renderAttentionPattern>[0]) => renderAttentionPattern(i, { size: 96 }) },
  {
    name: 'attention pattern grid',
    input: [
      { mask: mask(16, (q, k) => Math.abs(q - k) <= 2), n: 16, label: 'sliding:2' },
      { mask: mask(300, () => true), n: 300, label: 'full, binned' },
      { mask: new Uint8Array(3), n: 4, label: 'broken' },
    ],
    render: (i: Parameters<typeof renderPatternGrid>[0]) => renderPatternGrid(i, { width: 500, size: 80 }),
  },
  {
    name: 'frontier compare',
    input: {
      series: [
        { id: 'chinchilla-1', label: 'Chinchilla approach 1', points: frontierPoints(0.5, 70e9) },
        { id: 'kaplan', label: 'Kaplan et al. 2020', points: frontierPoints(0.73, 20e9) },
      ],
      plan: { C: 1e23, N: 30e9, D: 1e23 / (6 * 30e9) },
      cRange: [1e19, 1e25],
    },
    render: (i: FrontierCompareChartInput) => renderFrontierCompareChart(i, { width: 800 }),
  },
  { name: 'gd cost', input: { n: 100_000, d: 256, kMax: 10_000, roofline: { peakGflops: 300, bandwidthGBs: 50 }, measured: { recomputeStep: 0.02, precompute: 0.25, precomputeStep: 0.00002 } }, render: (i: Parameters<typeof renderGdCostChart>[0]) => renderGdCostChart(i, { width: 640 }) },
  {
    name: 'isoflop',
    input: { loss, budgets: [1e19, 1e21, 1e23], nRange: [1e7, 1e13], plan: { N: 4e10, D: 5e11, C: 1.2e23, loss: 2.1 }, fitLabel: 'Chinchilla approach 3 (Hoffmann et al. 2022)' },
    render: (i: IsoflopChartInput) => renderIsoflopChart(i, { width: 720, samples: 40 }),
  },
  {
    name: 'loss contour',
    input: { loss, nRange: [1e7, 1e13], dRange: [1e8, 1e15], grid: 24, frontier: [{ N: 1e8, D: 2e9 }, { N: 1e10, D: 2e11 }], plan: { N: 4e10, D: 5e11 }, isoFlopLines: [1e21, 1e23], fitLabel: 'Chinchilla approach 3' },
    render: (i: LossContourChartInput) => renderLossContourChart(i, { width: 720, thresholds: 8 }),
  },
  {
    name: 'memory batch',
    input: {
      plain: [1, 2, 4, 8, 16, 32, 64].map((batch) => ({ batch, total: 1e6 + 1e6 * batch })),
      checkpointed: [1, 2, 4, 8, 16, 32, 64].map((batch) => ({ batch, total: 1e6 + 2e5 * batch })),
      devices: [
        { label: 'RAM', bytes: 16 * 2 ** 30 },
        { label: 'GPU 0 VRAM', bytes: 2 ** 25 },
      ],
      fits: [{ device: 'GPU 0 VRAM', batch: 32, bytes: 33e6 }],
      current: 8,
    },
    render: (i: MemoryBatchChartInput) => renderMemoryBatchChart(i, { width: 640 }),
  },
  { name: 'residuals', input: { residuals: [1, 2, 3].map((k) => ({ N: 10 ** (7 + k), D: 10 ** (9 + k), loss: 3 - k / 2, predicted: 3.05 - k / 2, logResidual: 0.01 })) }, render: (i: Parameters<typeof renderResidualsChart>[0]) => renderResidualsChart(i) },
  { name: 'sparsity schedule', input: { initialSparsity: 0, finalSparsity: 0.9, startStep: 100, frequency: 50, pruningSteps: 10 }, render: (i: Parameters<typeof renderSparsityScheduleChart>[0]) => renderSparsityScheduleChart(i) },
];

function chartShape(c: ChartCase, input: unknown) {
  return parsed(String(c.render(input as never)), false);
}

function chartWith(c: ChartCase, ts: Target[], value: (t: Target, s: string) => string, twin: boolean) {
  let input = c.input;
  for (const t of ts) input = replace(input, t, (s) => (twin ? benign(value(t, s)) : value(t, s)));
  return chartShape(c, input);
}

// ---- the tests ---------------------------------------------------------------------------------

describe('hostile strings in every string field', () => {
  it('the benign twin keeps length, white space and nothing else', () => {
    expect(benign('a<b>\n c"d\uD800')).toBe('axbx\n cxdx');
    expect(benign(KITCHEN_SINK)).toHaveLength(KITCHEN_SINK.length);
  });

  for (const c of CHARTS) {
    it(`chart: ${c.name}: every string field, one at a time, gives the benign elements and attributes`, () => {
      const base = chartShape(c, c.input);
      expect(base.shape.length).toBeGreaterThan(3);
      perField(targets(c.input)).forEach((t, i) => {
        // The 100 KB string in the first field only: it is slow to parse, and long is long anywhere.
        for (const s of i === 0 ? [KITCHEN_SINK, LONG] : [KITCHEN_SINK]) {
          const what = `${c.name} ${t.kind} ${t.path.join('.')}`;
          const h = chartWith(c, [t], () => s, false);
          const b = chartWith(c, [t], () => s, true);
          expect(h.shape, `${what}: elements and attributes`).toEqual(b.shape);
          expect(h.errors, `${what}: parse errors`).toEqual(b.errors);
        }
      });
    });
  }

  for (const c of reportCases()) {
    it(`report: ${c.name} runs: every string field, one at a time, gives the benign HTML, Markdown and CSV structure`, () => {
      const ts = perField(targets(c.root));
      expect(ts.length).toBeGreaterThan(5);
      for (const t of ts) {
        const what = `${c.name} ${t.kind} ${t.path.join('.')}`;
        expectSameReport(reportWith(c, [t], () => KITCHEN_SINK, false), reportWith(c, [t], () => KITCHEN_SINK, true), what);
      }
      // Each field renders two whole reports with their charts: a bench run has hundreds of fields
      // (~11 s on an idle 2-vCPU machine), so a loaded CI machine gets room beyond the default 30 s.
    }, 120_000);
  }

  // Random hostile strings, several fields at once; fixed seed and bounded runs for CI.
  const special = fc.constantFrom('<', '>', '&', '"', "'", '/', '=', '`', '|', '\\', '[', ']', '!', '-', '#', '*', '_', ':', ';', '\n', '\r', '\t', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u202e', '\u2028', '\ud800', '\udc00', '\ufffe', ' ');
  const word = fc.constantFrom('script', 'style', 'svg', 'img', 'a', 'meta', 'iframe', 'onload', 'href', '![CDATA[', ']]', '--', '&amp;', '&#', 'http://', '=cmd', '+1', '@A1');
  const hostileString = fc.oneof(
    fc.constantFrom(...HOSTILE),
    fc.array(fc.oneof(special, word, fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n))), { maxLength: 24 }).map((a) => a.join('')),
  );
  const SEED = 14;

  it('random hostile strings in random chart fields (fast-check, fixed seed)', () => {
    const withTargets = CHARTS.map((c) => ({ c, ts: targets(c.input) })).filter((x) => x.ts.length > 0);
    fc.assert(
      fc.property(fc.nat(withTargets.length - 1), fc.array(fc.tuple(fc.nat(), hostileString), { minLength: 1, maxLength: 4 }), (ci, picks) => {
        const { c, ts } = withTargets[ci]!;
        const chosen = new Map(picks.map(([i, s]) => [ts[i % ts.length]!, s]));
        const value = (t: Target) => chosen.get(t)!;
        const h = chartWith(c, [...chosen.keys()], value, false);
        const b = chartWith(c, [...chosen.keys()], value, true);
        expect(h.shape, `${c.name}: elements and attributes`).toEqual(b.shape);
        expect(h.errors, `${c.name}: parse errors`).toEqual(b.errors);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('random hostile strings in random report fields (fast-check, fixed seed)', () => {
    const cases = reportCases().map((c) => ({ c, ts: targets(c.root) }));
    fc.assert(
      fc.property(fc.nat(cases.length - 1), fc.array(fc.tuple(fc.nat(), hostileString), { minLength: 1, maxLength: 4 }), (ci, picks) => {
        const { c, ts } = cases[ci]!;
        const chosen = new Map(picks.map(([i, s]) => [ts[i % ts.length]!, s]));
        const value = (t: Target) => chosen.get(t)!;
        expectSameReport(reportWith(c, [...chosen.keys()], value, false), reportWith(c, [...chosen.keys()], value, true), c.name);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

export type { BenchResult };
