/**
 * Memory of a large bundle import: writes a correctly signed bundle of about --mb megabytes
 * (profile runs of ~300 KB each, the kind with the largest results), then imports it with
 * importBundleFile (what `flopscope runs import FILE` and `runs.import { upload }` use) in a fresh
 * child process and prints the child's peak resident memory (process.resourceUsage().maxRSS), its
 * resident memory before the import, the time and the throughput. With --compare, a second child
 * does what the import did before it streamed (read the whole file, JSON.parse it) and prints its
 * peak for reference.
 *
 *   npx tsx bench/import-memory.ts [--mb 300] [--compare] [--keep]
 *
 * Target: the peak stays near one run's worth above the baseline, whatever the bundle's size.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalJson } from '../src-shared/history/bundle.js';
import { TEST_MACHINE, testRuns } from '../src-shared/reports/test-runs.js';
import type { ProfileResult } from '../src-shared/profiler/types.js';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '300' },
    compare: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
    file: { type: 'string' },
    db: { type: 'string' },
  },
});

if (values.child) {
  // Child: one import (or the old whole-text parse), then its figures as one JSON line.
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  let outcome: unknown;
  if (values.child === 'stream') {
    const { openDatabase } = await import('../src-main/store/database.js');
    const { importBundleFile } = await import('../src-main/services/history/bundles.js');
    const db = openDatabase(values.db!);
    const before = process.memoryUsage().rss;
    const result = await importBundleFile(db, values.file!);
    db.close();
    outcome = { imported: result.imported, rssBeforeImportMB: before / 2 ** 20 };
  } else {
    const text = fs.readFileSync(values.file!, 'utf8');
    const parsed = JSON.parse(text) as { runs: unknown[] };
    outcome = { parsedRuns: parsed.runs.length };
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ ...(outcome as object), seconds, baselineMB: baseline / 2 ** 20, peakRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
}

const targetBytes = Number(values.mb) * 1e6;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-import-bench-'));
const file = path.join(dir, 'big-bundle.json');

// A profile result with ~1,000 nodes: about 300 KB of JSON.
const template = testRuns().profile.result as ProfileResult;
const node = template.nodes[0]!;
function profileResult(i: number): ProfileResult {
  const nodes = Array.from({ length: 1000 }, (_, k) => ({ ...node, name: `/layer${k}/op${i}`, macs: node.macs + k, flops: node.flops + 2 * k, intensity: node.intensity + k / 1000 }));
  return { ...template, nodes, model: { ...template.model, name: `model-${i}` } };
}

/** Writes the bundle as a stream (the writer holds one run at a time) and signs it the way exportBundle does. */
function writeBundle(): { runs: number; bytes: number } {
  const createdAt = '2026-06-01T00:00:00.000Z';
  const header = { format: 'flopscope-bundle', schemaVersion: 1, createdAt, appVersion: 'bench' };
  const frame = canonicalJson({ ...header, machines: [], runs: [] });
  const [before, rest] = frame.split('"machines":[]') as [string, string];
  const [between, after] = rest.split('"runs":[]') as [string, string];
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  const write = (s: string) => {
    fs.writeSync(fd, s);
    bytes += Buffer.byteLength(s);
  };
  hash.update(`${before}"machines":[${canonicalJson(TEST_MACHINE)}]${between}"runs":[`);
  write(`{"format":"flopscope-bundle","schemaVersion":1,"createdAt":"${createdAt}","appVersion":"bench","machines":[${JSON.stringify(TEST_MACHINE)}],"runs":[`);
  let n = 0;
  while (bytes < targetBytes) {
    const run = {
      uid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      kind: 'profile',
      machineId: TEST_MACHINE.machine.id,
      appVersion: 'bench',
      createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + n * 60_000).toISOString(),
      params: { source: { zoo: 'bench' }, i: n },
      result: profileResult(n),
      tags: ['bench'],
      note: '',
    };
    if (n) {
      hash.update(',');
      write(',');
    }
    hash.update(canonicalJson(run));
    write(JSON.stringify(run));
    n++;
  }
  hash.update(`]${after}`);
  write(`],"checksum":"${hash.digest('hex')}"}\n`);
  fs.closeSync(fd);
  return { runs: n, bytes };
}

function child(mode: 'stream' | 'whole', db?: string): Record<string, number> {
  const args = ['--import', 'tsx', path.join(import.meta.dirname, 'import-memory.ts'), '--child', mode, '--file', file, ...(db ? ['--db', db] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} child failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

try {
  const t0 = performance.now();
  const { runs, bytes } = writeBundle();
  console.log(`Wrote ${(bytes / 1e6).toFixed(0)} MB (${runs} profile runs of ~${(bytes / runs / 1e3).toFixed(0)} KB) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${file}`);
  const s = child('stream', path.join(dir, 'import.db'));
  console.log(
    `Streamed import (importBundleFile): ${s.imported} runs in ${s.seconds!.toFixed(1)} s (${(bytes / 1e6 / s.seconds!).toFixed(1)} MB/s); ` +
      `resident memory ${s.rssBeforeImportMB!.toFixed(0)} MB before, peak ${s.peakRssMB!.toFixed(0)} MB (node ${process.version}, ${os.cpus().length} CPUs).`,
  );
  if (values.compare) {
    const w = child('whole');
    console.log(`For reference, reading the whole file and JSON.parse (the import before it streamed): peak ${w.peakRssMB!.toFixed(0)} MB in ${w.seconds!.toFixed(1)} s.`);
  }
} finally {
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
}
