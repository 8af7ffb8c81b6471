// writeReport: each text format on disk, atomic writes, errors naming the path, PDF without Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { testContext, testRuns } from '../../../src-shared/reports/test-runs.js';
import { writeReport } from './write-report.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-report-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, { recursive: true, force: true });
});

const runs = () => {
  const r = testRuns();
  return [r.bench, r.bench2, r.plan];
};

describe('writeReport', () => {
  it('writes html, md, csv and json, leaving no temp file', async () => {
    for (const format of ['html', 'md', 'csv', 'json'] as const) {
      const file = path.join(dir, `report.${format}`);
      const out = await writeReport(runs(), format, file, testContext());
      expect(out.file).toBe(file);
      expect(fs.statSync(file).size).toBe(out.bytes);
    }
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toMatch(/^# FLOPscope report/);
    expect(fs.readFileSync(path.join(dir, 'report.csv'), 'utf8')).toMatch(/^run_id,kind,section,key,value,unit\r\n/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.report.format).toBe('flopscope-report');
    expect(json.runs).toEqual(JSON.parse(JSON.stringify(runs())));
    expect(fs.readdirSync(dir).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
  });

  it('replaces an existing file whole', async () => {
    const file = path.join(dir, 'r.md');
    fs.writeFileSync(file, 'old');
    await writeReport(runs(), 'md', file, testContext());
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# FLOPscope/);
  });

  it('an unwritable path is an error naming the path, and leaves nothing behind', async () => {
    const missing = path.join(dir, 'no-such-folder', 'r.html');
    await expect(writeReport(runs(), 'html', missing, testContext())).rejects.toThrow(missing);
    await expect(writeReport(runs(), 'html', missing, testContext())).rejects.toBeInstanceOf(ApiFailure);
    const folder = path.join(dir, 'is-a-folder');
    fs.mkdirSync(folder);
    await expect(writeReport(runs(), 'csv', folder, testContext())).rejects.toThrow(folder);
    expect(fs.readdirSync(folder)).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(['is-a-folder']);
    if (process.getuid?.() !== 0) {
      const ro = path.join(dir, 'ro');
      fs.mkdirSync(ro, 0o500);
      await expect(writeReport(runs(), 'md', path.join(ro, 'r.md'), testContext())).rejects.toThrow(/permission denied/);
      fs.chmodSync(ro, 0o700);
      expect(fs.readdirSync(ro)).toEqual([]);
    }
  });

  it('a failed PDF (CHROMIUM_PATH pointing nowhere) says so and writes nothing', async () => {
    vi.stubEnv('CHROMIUM_PATH', path.join(dir, 'no-chromium'));
    const file = path.join(dir, 'r.pdf');
    const err = await writeReport(runs(), 'pdf', file, testContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).code).toBe('UNAVAILABLE');
    expect((err as Error).message).toContain('no-chromium');
    expect((err as Error).message).toMatch(/CHROMIUM_PATH/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a failed PDF (no Chromium anywhere) names every place it looked', async () => {
    const emptyBin = path.join(dir, 'bin');
    fs.mkdirSync(emptyBin);
    vi.stubEnv('CHROMIUM_PATH', '');
    vi.stubEnv('PATH', emptyBin);
    vi.stubEnv('FLOPSCOPE_CHROMIUM_NPM', '0');
    const err = await writeReport(runs(), 'pdf', path.join(dir, 'r.pdf'), testContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).code).toBe('UNAVAILABLE');
    const message = (err as Error).message;
    expect(message).toMatch(/^PDF export needs a headless Chromium/);
    expect(message).toContain('CHROMIUM_PATH: not set');
    expect(message).toContain(`PATH (${emptyBin})`);
    expect(message).toContain('@sparticuz/chromium: not used (FLOPSCOPE_CHROMIUM_NPM=0)');
    expect(fs.readdirSync(dir)).toEqual(['bin']);
  });

  it('rejects an unknown format and an empty run list', async () => {
    await expect(writeReport(runs(), 'docx' as never, path.join(dir, 'x'), testContext())).rejects.toThrow(/unknown report format/);
    await expect(writeReport([], 'md', path.join(dir, 'x'), testContext())).rejects.toThrow(/at least one run/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
