// Report model and the HTML, Markdown and CSV renderers, on runs of every kind.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../api/types.js';
import type { ReportBlock, ReportModel, ReportRow } from './report.js';
import { buildReport, flatten, formatNumber } from './report.js';
import { renderCsv } from './render-csv.js';
import { renderHtml, REPORT_CSP } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { profileResult, testContext, testRuns } from './test-runs.js';

const blocks = (m: ReportModel, i = 0) => m.runs[i]!.blocks;
const find = (bs: ReportBlock[], id: string) => bs.find((b) => b.id === id);
const svgs = (bs: ReportBlock[]) => bs.flatMap((b) => (b.type === 'charts' ? b.charts.map((c) => String(c.svg)) : []));

describe('buildReport', () => {
  it('gives every run a header with its kind, id, date, machine, app version and exact settings', () => {
    const r = testRuns();
    const m = buildReport([r.bench], testContext());
    expect(m.title).toBe(`FLOPscope report: bench run #${r.bench.id}`);
    const h = m.runs[0]!.header;
    expect(h).toMatchObject({ id: r.bench.id, kind: 'bench', createdAt: r.bench.createdAt, appVersion: '0.1.0', tags: ['baseline', 'quick'] });
    expect(h.machine).toMatchObject({ id: 'm-test-1', hostname: 'testbox', gpus: ['NVIDIA Test GPU 80GB, 80 GiB'] });
    expect(h.machine.cpu).toContain('AMD EPYC 7B13 Test CPU');
    expect(h.params).toBe(r.bench.params);
    expect(h.settings.map((s) => [s.key, s.value])).toEqual([['suite', 'all'], ['quick', true], ['threads', 8]]);
    expect(m.comparisons).toEqual([]);
    expect(m.versions).toEqual({ node: '20.19.0', electron: null, onnxruntime: '1.30.0', sqlite: '3.50.0' });
  });

  it('bench: GEMM, memory, latency and roofline tables, roofline and peaks charts', () => {
    const m = buildReport([testRuns().bench], testContext());
    const bs = blocks(m);
    const best = find(bs, 'gemm.best');
    expect(best?.type === 'kv' && best.rows.map((r) => [r.key, r.value])).toEqual([['fp32', 612.5], ['int8', 1830.25]]);
    expect(find(bs, 'memory')).toBeDefined();
    expect(find(bs, 'latency')).toBeDefined();
    expect(find(bs, 'roofline.compute')).toBeDefined();
    expect(find(bs, 'roofline.ridge')).toBeDefined();
    const charts = svgs(bs);
    expect(charts.some((s) => s.includes('class="roofline-chart"'))).toBe(true);
    expect(charts.some((s) => s.includes('class="peaks-chart"'))).toBe(true);
    expect(find(bs, 'warnings')).toMatchObject({ type: 'notes' });
  });

  it('profile: totals, measured latency, op-share table and chart', () => {
    const bs = blocks(buildReport([testRuns().profile], testContext()));
    const totals = find(bs, 'totals');
    expect(totals?.type === 'kv' && totals.rows.find((r) => r.key === 'flops')?.value).toBe(49152);
    expect(find(bs, 'measured')).toBeDefined();
    expect(find(bs, 'op-share')?.type).toBe('table');
    expect(find(bs, 'uncounted')).toBeDefined();
    expect(svgs(bs).some((svg) => svg.includes('class="op-share-chart"'))).toBe(true);
  });

  it('plan: the plan and shape tables', () => {
    const r = testRuns();
    const bs = blocks(buildReport([r.plan], testContext()));
    const plan = find(bs, 'plan');
    expect(plan?.type === 'kv' && plan.rows.find((x) => x.key === 'params')?.value).toBe((r.plan.result as { params: number }).params);
    expect(find(bs, 'shape')).toBeDefined();
  });

  it('attention: the sweep table and the predicted-time chart', () => {
    const bs = blocks(buildReport([testRuns().attention], testContext()));
    const pts = find(bs, 'points');
    expect(pts?.type === 'table' && pts.rows.length).toBe(6);
    expect(svgs(bs)[0]).toContain('attention-sweep-chart');
    expect(svgs(bs)[0]).toContain('data-metric="predictedSeconds"');
  });

  it('hardware and other kinds: tables; an unreadable result falls back to its stored values', () => {
    const r = testRuns();
    const hw = blocks(buildReport([r.hardware], testContext()));
    expect(find(hw, 'hardware')).toBeDefined();
    expect(svgs(hw)[0]).toContain('peaks-chart');
    const fit = blocks(buildReport([r.fit], testContext()));
    const res = find(fit, 'result');
    expect(res?.type === 'kv' && res.rows.find((x) => x.key === 'law.alpha')?.value).toBe(0.34);
    const broken = blocks(buildReport([{ ...r.bench, result: { gemm: { best: 5, results: 'x' }, roofline: { ceilings: 3 } } }], testContext()));
    expect(broken.length).toBeGreaterThan(0);
    const odd = blocks(buildReport([{ ...r.profile, result: 'not json' }], testContext()));
    expect(odd[0]).toMatchObject({ type: 'kv', id: 'summary' });
    expect(odd[1]).toMatchObject({ type: 'notes', id: 'unreadable' });
  });

  it('hardware: the measured clock, the clock the peaks used, L3 sharing and the cache source in every format; old runs without them still render', () => {
    const r = testRuns();
    const hwResult = r.hardware.result as HardwareReport;
    const newer: HardwareReport = {
      ...hwResult,
      cpu: {
        ...hwResult.cpu,
        cacheSource: 'sysfs',
        l3Groups: [{ bytes: 33554432, sharedBy: 8, instances: 2 }],
        measuredClock: { ghz: 3.71, minGHz: 3.65, maxGHz: 3.72, threads: 16, method: 'dependent 32-bit integer-add chain' },
      },
    };
    const run = { ...r.hardware, result: newer };
    const m = buildReport([run], testContext());
    const hw = find(blocks(m), 'hardware');
    if (hw?.type !== 'kv') throw new Error('expected the hardware table');
    const byKey = (k: string) => hw.rows.find((x) => x.key === k);
    expect(byKey('cpu.measuredClock.ghz')).toMatchObject({ value: 3.71, unit: 'GHz', display: 'measured all-core 3.71 GHz (16 threads, 3.65–3.72 GHz)' });
    expect(byKey('cpu.measuredClock.threads')?.value).toBe(16);
    expect(byKey('cpu.measuredClock.method')?.value).toBe('dependent 32-bit integer-add chain');
    expect(byKey('cpu.peakClock')?.value).toBe("measured all-core clock, 3.71 GHz (above the OS's 3.5 GHz)");
    expect(byKey('cpu.l3Groups')?.value).toBe('2 × 32 MiB, each shared by 8 CPUs');
    expect(byKey('cpu.cacheSource')?.value).toBe('sysfs');
    const md = renderMarkdown(m);
    expect(md).toContain('| Measured all-core clock | measured all-core 3.71 GHz (16 threads, 3.65–3.72 GHz) |');
    expect(md).toContain('| L3 sharing | 2 × 32 MiB, each shared by 8 CPUs |');
    expect(md).toContain('| Cache sizes from | sysfs |');
    const html = renderHtml(m);
    expect(html).toContain('<tr data-key="cpu.measuredClock.ghz"><th>Measured all-core clock</th><td class="num">measured all-core 3.71 GHz (16 threads, 3.65–3.72 GHz)</td></tr>');
    expect(html).toContain('2 × 32 MiB, each shared by 8 CPUs');
    const csv = renderCsv(m);
    expect(csv).toContain(`${run.id},hardware,hardware,cpu.measuredClock.ghz,3.71,GHz`);
    expect(csv).toContain(`${run.id},hardware,hardware,cpu.l3Groups,"2 × 32 MiB, each shared by 8 CPUs",`);
    expect(csv).toContain(`${run.id},hardware,hardware,cpu.cacheSource,sysfs,`);

    // Measured but not used (below the OS's max clock); not measured at all (null).
    const slow = buildReport([{ ...run, result: { ...newer, cpu: { ...newer.cpu, measuredClock: { ...newer.cpu.measuredClock!, ghz: 2.9 } } } }], testContext());
    const slowHw = find(blocks(slow), 'hardware');
    expect(slowHw?.type === 'kv' && slowHw.rows.find((x) => x.key === 'cpu.peakClock')?.value).toBe('OS max clock, 3.5 GHz');
    const none = buildReport([{ ...run, result: { ...newer, cpu: { ...newer.cpu, measuredClock: null } } }], testContext());
    const noneHw = find(blocks(none), 'hardware');
    expect(noneHw?.type === 'kv' && noneHw.rows.find((x) => x.key === 'cpu.measuredClock.ghz')).toMatchObject({ value: null, display: 'not measured' });

    // A run stored before these fields: the same rows as before, no new ones, and every format renders.
    const old = buildReport([r.hardware], testContext());
    const oldHw = find(blocks(old), 'hardware');
    if (oldHw?.type !== 'kv') throw new Error('expected the hardware table');
    expect(oldHw.rows.map((x) => x.key).filter((k) => /measuredClock|peakClock|l3Groups|cacheSource/.test(k))).toEqual([]);
    expect(oldHw.rows.find((x) => x.key === 'cpu.l3Bytes')?.display).toBe('32 MiB');
    expect(renderMarkdown(old)).toContain('| L3 cache | 32 MiB |');
    expect(renderHtml(old)).toContain('L3 cache');
    expect(renderCsv(old)).toContain('cpu.l3Bytes,33554432,B');
  });

  it('runs on an unknown machine get a header without hardware facts', () => {
    const r = testRuns();
    const m = buildReport([{ ...r.plan, machineId: 'elsewhere' }], { ...testContext(), machines: {} });
    expect(m.runs[0]!.header.machine).toEqual({ id: 'elsewhere', hostname: null, os: null, cpu: null, gpus: [], memoryBytes: null });
  });

  it('compares 2+ runs of a kind: key numbers with ratios against the first', () => {
    const r = testRuns();
    const m = buildReport([r.bench, r.bench2], testContext());
    expect(m.title).toBe('FLOPscope comparison: 2 bench runs');
    const c = m.comparisons[0]!;
    expect(c.runIds).toEqual([r.bench.id, r.bench2.id]);
    const table = c.blocks[0]!;
    if (table.type !== 'comparison') throw new Error('expected a comparison');
    const row = (k: string) => table.rows.find((x) => x.key === k)!;
    expect(row('gemm.best.fp32').values).toEqual([612.5, 1225]);
    expect(row('gemm.best.fp32').ratios).toEqual([1, 2]);
    expect(row('memory.DRAM').ratios[1]).toBeCloseTo(2, 12);
    expect(row('latency.DRAM').ratios[1]).toBeCloseTo(0.5, 12);
    expect(row('gemm.best.fp32').display[1]).toContain('×2');
    const overlaid = c.blocks.find((b) => b.id === 'rooflines-overlaid');
    expect(overlaid?.type === 'charts' && String(overlaid.charts[0]!.svg)).toMatch(/class="overlay overlay-0"/);
    const side = c.blocks.find((b) => b.type === 'charts' && b.sideBySide);
    expect(side?.type === 'charts' && side.charts.length).toBe(2);

    const p = buildReport([r.profile, r.profile2], testContext()).comparisons[0]!.blocks[0]!;
    expect(p.type === 'comparison' && p.rows.find((x) => x.key === 'latencyMs.median')?.values).toEqual([0.125, null]);
    const pl = buildReport([r.plan, r.plan2], testContext()).comparisons[0]!.blocks[0]!;
    expect(pl.type === 'comparison' && pl.rows.map((x) => x.key)).toEqual(['computeFlops', 'params', 'tokens', 'loss']);
    expect(pl.type === 'comparison' && pl.rows[0]!.ratios[1]).toBeCloseTo(10, 10);
    const at = buildReport([r.attention, r.attention2], testContext()).comparisons[0]!.blocks[0]!;
    expect(at.type === 'comparison' && at.title).toContain('2048');
    expect(at.type === 'comparison' && at.rows.map((x) => x.key)).toEqual(['predictedSeconds.full@2048', 'predictedSeconds.sliding:256@2048']);
    expect(at.type === 'comparison' && at.rows.every((x) => x.ratios[1]! > 0 && x.ratios[1]! <= 1)).toBe(true);
  });

  it('a comparer that draws no chart gets each run’s first chart side by side, captioned with its run', () => {
    const r = testRuns();
    for (const [a, b] of [[r.plan, r.plan2], [r.attention, r.attention2]] as const) {
      const blocks = buildReport([a, b], testContext()).comparisons[0]!.blocks;
      const side = blocks.find((x) => x.id === 'charts.side-by-side');
      if (side?.type !== 'charts') throw new Error(`${a.kind}: no side-by-side charts`);
      expect(side.sideBySide).toBe(true);
      expect(side.charts).toHaveLength(2);
      expect(side.charts[0]!.caption.startsWith(`Run #${a.id}`)).toBe(true);
      expect(side.charts[1]!.caption.startsWith(`Run #${b.id}`)).toBe(true);
      // The runs' own first charts, not copies of one.
      const own = (run: typeof a) => buildReport([run], testContext()).runs[0]!.blocks.find((x) => x.type === 'charts');
      expect(side.charts.map((c) => String(c.svg))).toEqual([a, b].map((run) => { const o = own(run); return o?.type === 'charts' ? String(o.charts[0]!.svg) : ''; }));
    }
    // The bench comparer draws its own rooflines: no generic block added.
    expect(buildReport([r.bench, r.bench2], testContext()).comparisons[0]!.blocks.some((x) => x.id === 'charts.side-by-side')).toBe(false);
  });

  it('mixed kinds: one comparison per kind with 2+ runs, every run listed', () => {
    const r = testRuns();
    const m = buildReport([r.bench, r.plan, r.bench2], testContext());
    expect(m.comparisons.map((c) => c.kind)).toEqual(['bench']);
    expect(m.runs.map((x) => x.header.id)).toEqual([r.bench.id, r.plan.id, r.bench2.id]);
    expect(m.title).toBe('FLOPscope report: 3 runs (bench, plan)');
  });

  it('flatten and formatNumber', () => {
    expect(flatten({ a: { b: 1, c: [1, 2] }, d: [{ e: 'x' }] })).toEqual([['a.b', 1], ['a.c', '[1,2]'], ['d[0].e', 'x']]);
    // SI prefixes, never e-notation (issue "Results that stay").
    expect(formatNumber(1e22)).toBe('10 Z');
    expect(formatNumber(3.488e6)).toBe('3.488 M');
    expect(formatNumber(-2.5e-5)).toBe('-25 µ');
    expect(formatNumber(1e-21)).toBe('0.001 a');
    expect(formatNumber(123456)).toBe('123456');
    expect(formatNumber(0.12345)).toBe('0.1235');
  });
});

function allRuns() {
  const r = testRuns();
  return [r.hardware, r.bench, r.bench2, r.profile, r.profile2, r.plan, r.plan2, r.attention, r.attention2, r.fit];
}

describe('renderHtml', () => {
  const model = buildReport(allRuns(), testContext());
  const html = renderHtml(model);

  it('is self-contained: a strict CSP, no scripts, no URL anywhere, no external reference', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|<object|<embed|@import|url\(|\b(src|href)=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    // The URL in a warning is still readable text (character references for the slashes).
    expect(html).toContain('https:&#47;&#47;example.invalid/x');
  });

  it('carries the header facts, the chart styles and every chart', () => {
    expect(html).toContain('<title>FLOPscope report: 10 runs (hardware, bench, profile, plan, attention, fit)</title>');
    for (const fact of ['testbox', 'AMD EPYC 7B13 Test CPU', 'NVIDIA Test GPU 80GB', '2025-01-03T10:00:00.000Z', 'Node 20.19.0', 'ONNX Runtime 1.30.0', 'Run #2: bench', 'baseline, quick', '&quot;quotes&quot;']) {
      expect(html).toContain(fact);
    }
    expect(html).toContain('.roofline-chart .ceiling');
    expect(html).toContain('--dtype-fp32: #1f62d6');
    for (const cls of ['roofline-chart', 'peaks-chart', 'op-share-chart', 'attention-sweep-chart']) expect(html).toContain(`<svg class="${cls}`);
    expect(html.match(/<section class="comparison"/g)?.length).toBe(4);
    expect(html.match(/<section class="run"/g)?.length).toBe(10);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(buildReport(allRuns(), testContext()));

  it('writes well-formed pipe tables: a separator after each header, the same cell count on every row', () => {
    const lines = md.split('\n');
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('|') || (i > 0 && lines[i - 1]!.startsWith('|'))) continue;
      tables++;
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      expect(lines[i + 1], `separator after line ${i + 1}`).toMatch(/^\| (-{3}:?)( \| -{3}:?)* \|$/);
      const n = cells(lines[i]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).toBe(n);
    }
    expect(tables).toBeGreaterThan(20);
    expect(md).toContain('| Tags | baseline, quick |');
    expect(md).toContain('Before the BIOS update \\| with "quotes", commas and a line break');
    expect(md).toMatch(/^# FLOPscope report: 10 runs/);
  });
});

describe('renderCsv', () => {
  const model = buildReport(allRuns(), testContext());
  const csv = renderCsv(model);
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });

  it('parses back (papaparse) in long format with the exact numbers', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['run_id', 'kind', 'section', 'key', 'value', 'unit']);
    const r = testRuns();
    const get = (id: number, section: string, key: string) => parsed.data.find((x) => x.run_id === String(id) && x.section === section && x.key === key);
    expect(Number(get(r.bench.id, 'gemm.best', 'fp32')!.value)).toBe(612.5);
    expect(get(r.bench.id, 'gemm.best', 'fp32')!.unit).toBe('GFLOP/s');
    expect(get(r.bench.id, 'gemm.points', '0.medianSeconds')!.value).toBe('0.0035061');
    const plan = r.plan.result as { params: number; tokens: number; loss: number };
    expect(Number(get(r.plan.id, 'plan', 'params')!.value)).toBe(plan.params);
    expect(Number(get(r.plan.id, 'plan', 'loss')!.value)).toBe(plan.loss);
    expect(get(r.bench.id, 'header', 'note')!.value).toBe('Before the BIOS update | with "quotes", commas\nand a line break');
    expect(get(r.plan.id, 'settings', 'budget.flops')!.value).toBe('1e+22');
    expect(Number(get(r.bench2.id, 'comparison', 'gemm.best.fp32.ratio')!.value)).toBe(2);
  });

  it('every number in the model comes back identical', () => {
    let checked = 0;
    for (const run of model.runs) {
      for (const b of run.blocks) {
        const pairs: Array<[string, unknown]> =
          b.type === 'kv' ? b.rows.map((x) => [x.key, x.value]) : b.type === 'table' ? b.rows.flatMap((x) => x.cells.map((c, i): [string, unknown] => [`${x.key}.${b.columns[i]!.key}`, c])) : [];
        for (const [key, value] of pairs) {
          if (typeof value !== 'number') continue;
          const line = parsed.data.find((x) => x.run_id === String(run.header.id) && x.section === b.id && x.key === key);
          expect(line, `${run.header.id} ${b.id} ${key}`).toBeDefined();
          expect(Number(line!.value)).toBe(value);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});

describe('per-layer comparison of profiles', () => {
  it('compares each layer’s measured time when the same model ran on two machines', () => {
    const base = profileResult();
    const names = base.nodes.map((n) => n.name);
    const timed = (scale: number) => ({ ...base, measured: { ...base.measured!, nodes: names.map((name, i) => ({ name, ms: (i + 1) * scale, achievedGflops: null })) } });
    const runs = [
      { ...testRuns().profile, id: 11, result: timed(1) },
      { ...testRuns().profile, id: 12, result: timed(2) },
    ];
    const model = buildReport(runs, testContext());
    const block = model.comparisons[0]!.blocks.find((b) => b.id === 'per-layer');
    expect(block?.type).toBe('comparison');
    if (block?.type !== 'comparison') return;
    expect(block.rows.length).toBe(Math.min(30, names.length));
    for (const row of block.rows) expect(row.ratios[1]).toBeCloseTo(2, 9);
  });
});

describe('energy in reports', () => {
  const kvRows = (bs: ReportBlock[], id: string): ReportRow[] => {
    const b = find(bs, id);
    if (b?.type !== 'kv') throw new Error(`no kv block ${id}`);
    return b.rows;
  };
  const rowOf = (rows: ReportRow[], key: string) => rows.find((r) => r.key === key);

  it('a measured bench run: source, joules, power, GFLOP/J, GB/J, devices, phases and the power strip', () => {
    const r = testRuns();
    const bs = blocks(buildReport([r.bench], testContext()));
    const energy = find(bs, 'energy');
    expect(energy?.title).toBe('Energy');
    const rows = kvRows(bs, 'energy');
    expect(rowOf(rows, 'source')?.value).toBe('powercap (RAPL)');
    expect(rowOf(rows, 'estimated')?.display).toBe('no');
    expect(rowOf(rows, 'estimateBasis')).toBeUndefined();
    expect(rowOf(rows, 'joules')).toMatchObject({ value: 845, unit: 'J', display: '845 J' });
    expect(rowOf(rows, 'avgWatts')?.display).toBe('67.6 W');
    expect(rowOf(rows, 'peakWatts')?.display).toBe('91.3 W');
    expect(rowOf(rows, 'gemmGflopsPerJoule.fp32')?.value).toBeCloseTo(612.5 / 85.1, 10);
    expect(rowOf(rows, 'gemmGflopsPerJoule.fp32')?.display).toBe('7.2 GFLOP/J');
    expect(rowOf(rows, 'streamGBPerJoule')).toMatchObject({ unit: 'GB/J', display: '0.328 GB/J' });
    expect(rowOf(rows, 'gemmGflopsPerJoule.int8')).toMatchObject({ unit: 'GFLOP/J', display: '21.5 GOP/J' });
    expect(rows.every((x) => !x.display.includes('estimated'))).toBe(true);
    const devices = find(bs, 'energy.devices');
    expect(devices?.type === 'table' && devices.rows.map((x) => [x.cells[0], x.cells[5]])).toEqual([
      ['package-0', true],
      ['core', false],
      ['dram', true],
    ]);
    const phases = find(bs, 'energy.phases');
    expect(phases?.type === 'table' && phases.rows.map((x) => x.cells[0])).toEqual(['gemm', 'memory: STREAM', 'latency']);
    const strip = svgs(bs).find((svg) => svg.includes('class="power-strip"'));
    expect(strip).toBeDefined();
    expect(strip).toContain('data-phase-name="memory: STREAM"');
    expect(find(bs, 'energy.unavailable')).toMatchObject({ type: 'notes', items: ['nvidia-smi: not found on PATH', 'hwmon: no power or energy sensors under /sys/class/hwmon'] });
    expect(find(bs, 'energy.warnings')).toBeUndefined();
  });

  it('an estimated bench run says "estimated" on every energy figure, with its basis and warnings', () => {
    const bs = blocks(buildReport([testRuns().bench2], testContext()));
    expect(find(bs, 'energy')?.title).toBe('Energy (estimated)');
    const rows = kvRows(bs, 'energy');
    expect(rowOf(rows, 'source')?.value).toBe('estimated: catalog TDP × measured CPU utilisation');
    expect(rowOf(rows, 'estimated')?.value).toBe(true);
    expect(rowOf(rows, 'estimateBasis')?.value).toContain('240 W TDP');
    for (const key of ['joules', 'avgWatts', 'peakWatts', 'gemmGflopsPerJoule.fp32', 'gemmGflopsPerJoule.int8', 'streamGBPerJoule']) {
      expect(rowOf(rows, key)?.display, key).toMatch(/ \(estimated\)$/);
    }
    // The raw value stays a number (CSV), only its display is labelled.
    expect(rowOf(rows, 'joules')?.value).toBe(2535);
    const strip = svgs(bs).find((svg) => svg.includes('power-strip'))!;
    expect(strip).toContain('class="power-strip estimated"');
    expect(strip).toContain('>estimated</text>');
    expect(find(bs, 'energy.warnings')).toMatchObject({ type: 'notes', items: [expect.stringContaining('fell behind')] });
    // Copied into the result's warnings by the suite ("Energy: …"): listed once, there.
    const r = testRuns().bench2;
    const result = r.result as { warnings: string[]; energy: { warnings: string[] } };
    const copied = blocks(buildReport([{ ...r, result: { ...result, warnings: [...result.warnings, ...result.energy.warnings.map((w) => `Energy: ${w}`)] } }], testContext()));
    expect(find(copied, 'energy.warnings')).toBeUndefined();
    expect(find(copied, 'warnings')).toMatchObject({ items: expect.arrayContaining([expect.stringContaining('Energy: The sampling loop fell behind')]) });
  });

  it('a run stored before energy says it was not measured; a count-only profile has no energy section', () => {
    const r = testRuns();
    const old = blocks(buildReport([r.benchOld], testContext()));
    expect(find(old, 'energy')).toEqual({ type: 'notes', id: 'energy', title: 'Energy', items: ['Energy: not measured (run predates energy).'] });
    expect(svgs(old).some((svg) => svg.includes('power-strip'))).toBe(false);
    expect(find(blocks(buildReport([r.profile2], testContext())), 'energy')).toBeUndefined();
    // A damaged energy object reads as absent rather than breaking the report.
    const damaged = blocks(buildReport([{ ...r.bench, result: { ...(r.bench.result as object), energy: { joules: 'lots' } } }], testContext()));
    expect(find(damaged, 'energy')?.type).toBe('notes');
  });

  it('a measured profile: joules per inference and per token beside the latency', () => {
    const bs = blocks(buildReport([testRuns().profile], testContext()));
    const ids = bs.map((b) => b.id);
    expect(ids.indexOf('energy')).toBe(ids.indexOf('measured') + 1);
    const rows = kvRows(bs, 'energy');
    expect(rowOf(rows, 'joulesPerInference')).toMatchObject({ value: 0.006, display: '6 mJ' });
    expect(rowOf(rows, 'joulesPerToken')?.display).toBe('—');
    expect(svgs(bs).some((svg) => svg.includes('data-phase-name="run"'))).toBe(true);
  });

  it('comparisons set time, joules, power and efficiency side by side, estimates marked', () => {
    const r = testRuns();
    const c = buildReport([r.bench, r.bench2, r.benchOld], testContext()).comparisons[0]!.blocks[0]!;
    if (c.type !== 'comparison') throw new Error('expected a comparison');
    const row = (k: string) => c.rows.find((x) => x.key === k)!;
    expect(row('elapsedSeconds').values).toEqual([12.5, 12.5, 12.5]);
    expect(row('energy.joules').values).toEqual([845, 2535, null]);
    expect(row('energy.joules').ratios[1]).toBeCloseTo(3, 12);
    expect(row('energy.joules').display).toEqual(['845 J', '2.54 kJ (×3) (est.)', '—']);
    expect(row('energy.avgWatts').display[1]).toMatch(/\(est\.\)$/);
    expect(row('energy.gemmGflopsPerJoule.fp32').values[2]).toBeNull();
    expect(row('energy.streamGBPerJoule').unit).toBe('GB/J');
    expect(row('energy.gemmGflopsPerJoule.int8').display[0]).toBe('21.5 GOP/J');
    // First run without energy: the others' figures stand alone, no ratio against nothing.
    const fromOld = buildReport([r.benchOld, r.bench2], testContext()).comparisons[0]!.blocks[0]!;
    expect(fromOld.type === 'comparison' && fromOld.rows.find((x) => x.key === 'energy.joules')?.display).toEqual(['—', '2.54 kJ (est.)']);
    const keys = c.rows.map((x) => x.key);
    expect(keys.indexOf('energy.joules')).toBe(keys.indexOf('elapsedSeconds') + 1);

    const p = buildReport([r.profile, r.profile2], testContext()).comparisons[0]!.blocks[0]!;
    if (p.type !== 'comparison') throw new Error('expected a comparison');
    expect(p.rows.find((x) => x.key === 'energy.joulesPerInference')?.values).toEqual([0.006, null]);
    expect(p.rows.find((x) => x.key === 'energy.joulesPerToken')).toBeUndefined();
  });

  it('HTML, Markdown and CSV carry the energy section', () => {
    const r = testRuns();
    const model = buildReport([r.bench, r.bench2, r.benchOld, r.profile], testContext());
    const html = renderHtml(model);
    expect(html).toContain('<svg class="power-strip"');
    expect(html).toContain('<svg class="power-strip estimated"');
    expect(html).toContain('.power-strip .power-line');
    expect(html).toContain('data-block="energy.devices"');
    expect(html).toContain('2.54 kJ (estimated)');
    expect(html).toContain('not measured (run predates energy)');
    // Scaled energy units stay in their cells, like bytes.
    expect(html).toMatch(/<th>Energy<\/th>/);
    expect(html).toContain('<td class="num">780 J</td>');
    expect(html).not.toMatch(/https?:\/\//);
    const md = renderMarkdown(model);
    expect(md).toContain('#### Energy (estimated)');
    expect(md).toContain('| Energy | 845 J |');
    expect(md).toContain('- Chart: Total power over the run (estimated: AMD EPYC 7B13 Test CPU');
    const parsed = Papa.parse<Record<string, string>>(renderCsv(model), { header: true, skipEmptyLines: true });
    const get = (id: number, section: string, key: string) => parsed.data.find((x) => x.run_id === String(id) && x.section === section && x.key === key);
    expect(get(r.bench.id, 'energy', 'joules')).toMatchObject({ value: '845', unit: 'J' });
    expect(get(r.bench2.id, 'energy', 'estimated')?.value).toBe('true');
    expect(get(r.bench.id, 'energy', 'estimated')?.value).toBe('false');
    expect(Number(get(r.bench.id, 'energy', 'gemmGflopsPerJoule.fp32')?.value)).toBe(612.5 / 85.1);
    expect(get(r.bench.id, 'energy.devices', 'powercap:intel-rapl:0:1.joules')?.value).toBe('64.75');
    expect(get(r.profile.id, 'energy', 'joulesPerInference')?.value).toBe('0.006');
    expect(get(r.benchOld.id, 'energy', 'energy.0')?.value).toBe('Energy: not measured (run predates energy).');
    expect(get(r.bench2.id, 'comparison', 'energy.joules')).toMatchObject({ value: '2535', unit: 'J' });
    expect(Number(get(r.bench2.id, 'comparison', 'energy.joules.ratio')?.value)).toBe(3);
    expect(get(r.benchOld.id, 'comparison', 'energy.joules')?.value).toBe('');
  });
});
