/**
 * `flopscope attention`, spawned as a user runs it, against a real SQLite file: the JSON shape the
 * issue fixes (points with the named fields, crossovers), the stored run, sequence ranges, and bad
 * input with exit code 2 naming the problem.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(db: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GPU = ['--device', 'NVIDIA A100 80GB SXM4'];

describe('flopscope attention', () => {
  it('prints the points and crossovers as JSON and stores the sweep', () => {
    const db = path.join(tempDir(), 'att.db');
    const r = cli(db, ['attention', '--variants', 'full,causal,sliding:512,linear,flash,tome:16', '--seq', '1024,4096,16384', '--d-model', '768', '--heads', '12', '--layers', '12', ...GPU, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.points).toHaveLength(18);
    for (const p of out.points) {
      for (const key of ['variant', 'seq', 'flops', 'attentionFlops', 'activationBytes', 'bytesMoved', 'kvCacheBytes', 'predictedSeconds']) expect(p).toHaveProperty(key);
    }
    // Torch SDPA's convention inside: 4·N²·d per head, here × 12 heads × 12 layers.
    expect(out.points.find((p: { variant: string; seq: number }) => p.variant === 'full' && p.seq === 1024).attentionFlops).toBe(4 * 1024 ** 2 * 64 * 12 * 12);
    expect(Array.isArray(out.crossovers)).toBe(true);
    const stored = JSON.parse(cli(db, ['runs', 'show', String(out.runId), '--json']).stdout);
    expect(stored.kind).toBe('attention');
  });

  it('takes a range and prints tables', () => {
    const r = cli(path.join(tempDir(), 'att.db'), ['attention', '--variants', 'full,sliding:256', '--seq', '256..4K', '--d-model', '512', '--heads', '8', ...GPU, '--no-save']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sliding:256\n\s+seq\s+FLOPs/);
    expect(r.stdout.match(/^\s+(256|512|1024|2048|4096)\s/gm)).toHaveLength(10);
  });

  it.each([
    [['--variants', 'full,sliding:8192', '--seq', '1024,4096'], /"sliding:8192": the window is at least every sequence length/],
    [['--variants', 'full', '--seq', '1024', '--heads', '7'], /heads: 7 does not divide d_model 768/],
    [['--variants', 'full,gqa:5', '--seq', '1024'], /5 K\/V heads do not divide the 12 query heads/],
    [['--variants', 'full', '--seq', 'lots'], /--seq takes whole numbers/],
  ])('%j exits 2 naming the problem', (args, message) => {
    const withDefaults = args.includes('--heads') ? args : [...args, '--heads', '12'];
    const r = cli(path.join(tempDir(), 'bad.db'), ['attention', '--d-model', '768', ...withDefaults, ...GPU]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
