/**
 * `flopscope plan` and `flopscope fit`, spawned as a user runs them, against a real SQLite file:
 * the JSON shape the issue fixes, energy and CO₂ under --pue / --grid-g-per-kwh, budgets in
 * device-hours and money, fitting a CSV and planning
 * with it, and bad input that names the field with exit code 2.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';
import { EPOCH_LAW } from '../../src-shared/planner/fits.js';
import { syntheticRunsCsv } from '../../src-shared/planner/synthetic-runs.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(db: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const syntheticCsv = (n: number) => syntheticRunsCsv(EPOCH_LAW, n);

describe('flopscope plan / fit', () => {
  it('plans device-hours on a catalog GPU with the JSON shape of the issue and stores the plan', () => {
    const db = path.join(tempDir(), 'plan.db');
    const r = cli(db, ['plan', '--device', 'NVIDIA H100 SXM5 80GB', '--hours', '720', '--count', '64', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout);
    for (const key of ['fit', 'computeFlops', 'params', 'tokens', 'tokensPerParam', 'loss', 'shape', 'time', 'runId']) expect(p).toHaveProperty(key);
    for (const key of ['layers', 'dModel', 'heads', 'ffn', 'vocab', 'context', 'exactParams', 'flopsPerToken']) expect(typeof p.shape[key]).toBe('number');
    expect(p.fit).toBe('chinchilla-3');
    expect(p.computeFlops).toBeCloseTo(64 * 720 * 3600 * 989.4e12 * 0.4, -15);
    expect(p.time).toEqual({ seconds: 720 * 3600, devices: 64 });
    const stored = JSON.parse(cli(db, ['runs', 'show', String(p.runId), '--json']).stdout);
    expect(stored.kind).toBe('plan');
    expect(stored.result.params).toBe(p.params);
  });

  it('adds energy and CO₂ to the JSON: defaults without the flags, --pue and --grid-g-per-kwh change them', () => {
    const db = path.join(tempDir(), 'plan.db');
    const args = ['plan', '--device', 'NVIDIA H100 SXM5 80GB', '--hours', '720', '--count', '64', '--no-save', '--json'];
    const plan = (extra: string[]) => {
      const r = cli(db, [...args, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const def = plan([]);
    // 64 × 720 h × 3600 s × 700 W (H100 TDP) = 32 256 kWh of IT energy; × 1.56; × 481 g/kWh.
    expect(def.energy.itKwh).toBeCloseTo(32_256, 3);
    expect(def.energy.kwh).toBeCloseTo(32_256 * 1.56, 3);
    expect(def.energy.co2Kg).toBeCloseTo(32_256 * 1.56 * 0.481, 3);
    expect(def.energy).toMatchObject({ pue: 1.56, gridGPerKwh: 481, deviceWatts: 700, wattsSource: 'catalog TDP' });
    const a = plan(['--pue', '1.2', '--grid-g-per-kwh', '50']);
    expect(a.energy.kwh).toBeCloseTo(32_256 * 1.2, 3);
    expect(a.energy.co2Kg).toBeCloseTo(a.energy.kwh * 0.05, 6);
    const b = plan(['--pue', '1.2', '--grid-g-per-kwh', '100']);
    expect(b.energy.kwh).toBe(a.energy.kwh);
    expect(b.energy.co2Kg).toBeCloseTo(2 * a.energy.co2Kg, 6);
    // No device, no energy: null with the reason.
    const bare = JSON.parse(cli(db, ['plan', '--compute', '1e22', '--no-save', '--json']).stdout);
    expect(bare.energy).toBeNull();
    expect(bare.energyUnavailable).toBe('choose a device to estimate energy');
    const text = cli(db, args.slice(0, -1));
    expect(text.stdout).toMatch(/Energy: +50\.3 MWh \(IT 32\.3 MWh \+ 18\.1 MWh overhead at PUE 1\.56\) · CO₂ 24\.2 t at 481 g\/kWh \(Ember 2024 world average\)/);
  });

  it('answers --params alone and a money budget; text output names the fit and the shape', () => {
    const db = path.join(tempDir(), 'plan.db');
    const p = JSON.parse(cli(db, ['plan', '--params', '7B', '--fit', 'chinchilla-1', '--no-save', '--json']).stdout);
    expect(p.params).toBe(7e9);
    expect(p.tokensPerParam).toBeGreaterThan(15);
    expect(p.runId).toBeNull();
    const money = cli(db, ['plan', '--budget-usd', '100000', '--usd-per-hour', '2.5', '--device', 'NVIDIA A100 80GB SXM4', '--fit', 'epoch']);
    expect(money.code, money.stderr).toBe(0);
    expect(money.stdout).toMatch(/Epoch AI refit/);
    expect(money.stdout).toMatch(/Cost: +\$100,000/);
    expect(money.stdout).toMatch(/Shape: \d+ layers × d_model \d+/);
  });

  it('fits a CSV of runs, stores the fit and plans with it (directly and as --fit file.csv)', () => {
    const dir = tempDir();
    const db = path.join(dir, 'fit.db');
    const csv = path.join(dir, 'runs.csv');
    fs.writeFileSync(csv, syntheticCsv(60));
    const fit = cli(db, ['fit', csv, '--bootstrap', '20', '--json']);
    expect(fit.code, fit.stderr).toBe(0);
    const info = JSON.parse(fit.stdout);
    expect(info.id).toBe(`custom:${info.runId}`);
    expect(Math.abs(info.law.alpha / EPOCH_LAW.alpha - 1)).toBeLessThan(0.15);
    const plan = JSON.parse(cli(db, ['plan', '--fit', info.id, '--compute', '1e21', '--json']).stdout);
    expect(plan.fit).toBe(info.id);
    const direct = cli(db, ['plan', '--fit', csv, '--compute', '1e21']);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toMatch(/runs\.csv \(custom:\d+\)/);
  });

  it.each([
    [['plan', '--compute', '0'], /compute: must be greater than 0/],
    [['plan', '--compute', '-1e20'], /compute: must be greater than 0/],
    [['plan', '--compute', 'NaN'], /--compute must be a number/],
    [['plan', '--compute', '1e40'], /compute: .*beyond any plausible/],
    [['plan', '--device', 'Quantum Potato', '--hours', '10'], /device: unknown device "Quantum Potato"/],
    [['plan', '--hours', '10'], /--hours needs --device/],
    [['plan', '--fit', 'chinchilla-9', '--compute', '1e21'], /fit: unknown fit "chinchilla-9"/],
    [['plan'], /give a budget/],
    [['plan', '--compute', '1e22', '--pue', '0.9'], /pue: must be at least 1 \(got 0\.9\)/],
    [['plan', '--compute', '1e22', '--pue', '4'], /pue: must be at most 3/],
    [['plan', '--compute', '1e22', '--pue', 'warm'], /--pue must be a number/],
    [['plan', '--compute', '1e22', '--grid-g-per-kwh', '-10'], /grid-g-per-kwh: cannot be negative/],
    [['plan', '--compute', '1e22', '--grid-g-per-kwh', '3000'], /grid-g-per-kwh: must be at most 2000/],
  ])('%j exits 2 naming the problem', (args, message) => {
    const r = cli(path.join(tempDir(), 'bad.db'), args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('rejects bad CSVs with the column or row named', () => {
    const dir = tempDir();
    const db = path.join(dir, 'bad.db');
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const missing = cli(db, ['fit', write('missing.csv', 'params,tokens\n1e9,2e10\n')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing column "loss"/);
    const bad = cli(db, ['fit', write('bad.csv', syntheticCsv(12).replace(/\n([^\n]+)\n/, '\n1e9,abc,2.5\n'))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/row \d+, column "tokens": "abc" is not a number/);
    const few = cli(db, ['fit', write('few.csv', syntheticCsv(4))]);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/at least 10 runs/);
    const nofile = cli(db, ['fit', path.join(dir, 'nope.csv')]);
    expect(nofile.code).toBe(2);
    expect(nofile.stderr).toMatch(/cannot read/);
  });
});
