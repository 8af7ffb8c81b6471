/**
 * `--energy` on `bench` and `profile --run`, spawned as a user runs them against a real SQLite
 * file: on this machine as it is (no sensor → "not available" and a labelled estimate, no error),
 * and with the readers pointed at a recorded powercap tree and the stand-in nvidia-smi through the
 * documented overrides (a measured source). The JSON carries the five fields.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';
import { copyFixtureTree, FIXTURES, removeTree } from '../services/energy/fixtures/helpers.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(db: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', timeout: 180_000, maxBuffer: 512 * 2 ** 20, env: { ...process.env, ...env } });
  // stderr carries the NDJSON events (a profile's result event includes its trace): keep its tail for messages.
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.slice(-2000) };
}

const FIELDS = ['source', 'joules', 'avgWatts', 'peakWatts', 'samples'];
const roots: string[] = [];
afterAll(() => roots.forEach(removeTree));

describe('flopscope … --energy', () => {
  it('bench on this machine: the five fields, GFLOP/J, the sources that were not there, and the stored run keeps it', () => {
    const db = path.join(tempDir(), 'e.db');
    const r = cli(db, ['bench', 'gemm', '--quick', '--energy', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.energy).slice(0, 5)).toEqual(FIELDS);
    expect(out.energy.joules).toBeGreaterThan(0);
    expect(out.energy.peakWatts).toBeGreaterThanOrEqual(out.energy.avgWatts);
    expect(out.energy.samples).toBeGreaterThan(5);
    if (out.energy.estimated) {
      expect(out.energy.source).toMatch(/^estimated/);
      expect(out.energy.unavailable.length).toBeGreaterThan(0);
    }
    expect(out.energy.gemmGflopsPerJoule.fp32).toBeCloseTo(out.best.fp32 / out.energy.phases.find((p: { phase: string }) => p.phase === 'gemm').avgWatts, 6);
    // Without --energy the JSON is as before; the stored run has the energy either way.
    const stored = JSON.parse(cli(db, ['runs', 'show', String(out.runId), '--json']).stdout);
    expect(stored.result.energy.joules).toBeCloseTo(out.energy.joules, 9);
    const text = cli(db, ['bench', 'gpu', '--quick']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/^Energy/m);
  });

  it('bench with the readers on a recorded RAPL tree and the stand-in nvidia-smi: measured, not estimated', () => {
    const root = copyFixtureTree('powercap-intel');
    roots.push(root);
    const env = { FLOPSCOPE_POWER_SYSROOT: root, FLOPSCOPE_NVIDIA_SMI: path.join(FIXTURES, 'nvidia-smi', 'fake-nvidia-smi') };
    const r = cli(path.join(tempDir(), 'm.db'), ['bench', 'latency', '--quick', '--energy', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const { energy } = JSON.parse(r.stdout);
    expect(energy.source).toBe('powercap (RAPL) + nvidia-smi');
    expect(energy.estimated).toBe(false);
    // The recorded counters stand still, so the CPU part is 0 W; the GPUs replay their captured draw.
    const gpus = energy.devices.filter((d: { source: string }) => d.source === 'nvidia-smi');
    expect(gpus).toHaveLength(2);
    expect(energy.avgWatts).toBeGreaterThan(100);
    expect(energy.devices.find((d: { source: string }) => d.source === 'estimate').inTotal).toBe(false);
  });

  it('profile --run --energy gives J per inference and per token; --energy without --run is a usage error', () => {
    const db = path.join(tempDir(), 'p.db');
    const r = cli(db, ['profile', 'zoo:gpt2', '--dim', 'sequence=16', '--run', '--energy', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { energy } = JSON.parse(r.stdout);
    expect(Object.keys(energy).slice(0, 5)).toEqual(FIELDS);
    expect(energy.joulesPerInference).toBeGreaterThan(0);
    expect(energy.tokensPerInference).toBe(16);
    expect(energy.joulesPerToken).toBeCloseTo(energy.joulesPerInference / 16, 12);
    expect(energy.phases.map((p: { phase: string }) => p.phase)).toEqual(expect.arrayContaining(['warmup', 'run']));
    const bad = cli(db, ['profile', 'zoo:mlp', '--energy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--energy needs --run/);
  });

  it('energy lists what a run would read: nothing here (each source says why), the hwmon fixture tree through the override', () => {
    const db = path.join(tempDir(), 's.db');
    const here = cli(db, ['energy', '--json']);
    expect(here.code, here.stderr).toBe(0);
    const found = JSON.parse(here.stdout);
    expect(found.unavailable.length + found.channels.filter((c: { source: string }) => c.source !== 'estimate').length).toBeGreaterThan(0);
    for (const line of found.unavailable) expect(line).toMatch(/^[\w -]+: \S/);
    expect(found.estimateBasis).toMatch(/^estimated: /);
    const root = copyFixtureTree('hwmon');
    roots.push(root);
    const fixture = cli(db, ['energy'], { FLOPSCOPE_POWER_SYSROOT: root, FLOPSCOPE_NVIDIA_SMI: '/nonexistent/nvidia-smi' });
    expect(fixture.code, fixture.stderr).toBe(0);
    expect(fixture.stdout).toMatch(/^Power sensors FLOPscope reads on this machine/);
    expect(fixture.stdout).toMatch(/\(gpu, hwmon\)/);
    expect(fixture.stdout).toMatch(/nvidia-smi: /);
  });
});
