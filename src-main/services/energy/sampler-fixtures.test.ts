/**
 * The sampler with the real readers over recorded fixture trees: a two-package Intel powercap
 * tree whose counters this test advances at known wattages (package-0 starting 2 J short of its
 * wrap), and the stand-in nvidia-smi replaying captured output, through a real child process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleReport } from '../../testing/fixtures.js';
import { FIXTURES, fixtureTrees } from './fixtures/helpers.js';
import { startEnergySampler } from './sampler.js';

const { tree, cleanup } = fixtureTrees();
afterEach(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the stand-in nvidia-smi has printed `rounds` rounds (it counts them in `file`), or
 * fails after `limitMs`: on a loaded machine starting its node process alone can take a second,
 * so a fixed sleep is not a test of the reader.
 */
async function untilRounds(file: string, rounds: number, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const done = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
    if (done >= rounds) return;
    if (Date.now() > deadline) throw new Error(`the stand-in nvidia-smi printed ${done} of ${rounds} rounds in ${limitMs} ms`);
    await sleep(25);
  }
}
const FAKE_SMI = path.join(FIXTURES, 'nvidia-smi', 'fake-nvidia-smi');

/** Advances energy_uj of the given zones at the given watts, wrapping at each zone's range, until stopped. */
function driveCounters(root: string, watts: Record<string, number>) {
  const zones = Object.entries(watts).map(([zone, w]) => {
    const dir = path.join(root, 'sys/class/powercap', zone);
    const range = Number(fs.readFileSync(path.join(dir, 'max_energy_range_uj'), 'utf8'));
    return { file: path.join(dir, 'energy_uj'), start: Number(fs.readFileSync(path.join(dir, 'energy_uj'), 'utf8')), range, w };
  });
  const t0 = performance.now();
  const write = () => {
    const s = (performance.now() - t0) / 1000;
    for (const z of zones) fs.writeFileSync(z.file, String(Math.round((z.start + z.w * s * 1e6) % z.range)));
  };
  const timer = setInterval(write, 5);
  return { stop: () => (clearInterval(timer), write()), seconds: () => (performance.now() - t0) / 1000 };
}

describe('energy sampler over fixture trees', () => {
  it('RAPL packages + DRAM (one counter wrapping) and two GPUs through nvidia-smi', async () => {
    const root = tree('powercap-intel');
    const pkg0 = path.join(root, 'sys/class/powercap/intel-rapl:0');
    const range = Number(fs.readFileSync(path.join(pkg0, 'max_energy_range_uj'), 'utf8'));
    fs.writeFileSync(path.join(pkg0, 'energy_uj'), String(range - 2_000_000)); // 2 J before the wrap
    const drive = driveCounters(root, { 'intel-rapl:0': 40, 'intel-rapl:1': 25, 'intel-rapl:0:2': 5, 'intel-rapl:0:0': 20, 'intel-rapl-mmio:0': 40 });
    const progress = path.join(root, 'smi-rounds');
    process.env.FAKE_NVIDIA_SMI_PROGRESS = progress;
    const s = await startEnergySampler({
      hardware: sampleReport(),
      intervalMs: 50,
      discover: { sysRoot: root, platform: 'linux', commands: { nvidiaSmi: FAKE_SMI, powermetrics: '/nonexistent/powermetrics', typeperf: '/nonexistent/typeperf' } },
    });
    s.mark('gemm');
    await sleep(700);
    // Each GPU's lines of 4 rounds have been printed (and one more, so the 4th reached the reader).
    await untilRounds(progress, 5).finally(() => delete process.env.FAKE_NVIDIA_SMI_PROGRESS);
    drive.stop();
    const r = await s.stop();
    const byLabel = new Map(r.devices.map((d) => [d.label, d]));
    // The counter wrapped (40 W eats 2 J in 50 ms) and was not counted as backwards.
    expect(r.warnings.filter((w) => /went backwards/.test(w))).toEqual([]);
    const p0 = [...byLabel.values()].find((d) => d.source === 'powercap' && /package-0$/.test(d.label))!;
    const p1 = [...byLabel.values()].find((d) => d.source === 'powercap' && /package-1$/.test(d.label))!;
    const dram = [...byLabel.values()].find((d) => d.kind === 'dram')!;
    expect(p0.avgWatts).toBeGreaterThan(40 * 0.85);
    expect(p0.avgWatts).toBeLessThan(40 * 1.15);
    expect(p1.avgWatts).toBeGreaterThan(25 * 0.85);
    expect(p1.avgWatts).toBeLessThan(25 * 1.15);
    expect(dram.avgWatts).toBeGreaterThan(5 * 0.85);
    expect(dram.inTotal).toBe(true);
    // The core sub-zone is shown, not added; the MMIO duplicate of package-0 is not read at all.
    const core = r.devices.find((d) => /core/.test(d.label) && d.source === 'powercap')!;
    expect(core.inTotal).toBe(false);
    expect(r.devices.filter((d) => d.source === 'powercap' && d.inTotal)).toHaveLength(3);
    // GPUs from the captured nvidia-smi stream (GPU 1's '[N/A]' reading dropped with a warning).
    const gpus = r.devices.filter((d) => d.source === 'nvidia-smi');
    expect(gpus.map((g) => g.label)).toEqual(['GPU 0 NVIDIA H100 80GB HBM3', 'GPU 1 NVIDIA H100 80GB HBM3']);
    for (const g of gpus) {
      expect(g.samples).toBeGreaterThan(2);
      expect(g.avgWatts).toBeGreaterThan(60);
      expect(g.peakWatts).toBeLessThanOrEqual(700);
    }
    expect(r.estimated).toBe(false);
    expect(r.source).toBe('powercap (RAPL) + nvidia-smi');
    const cpuW = p0.avgWatts + p1.avgWatts + dram.avgWatts;
    expect(r.avgWatts).toBeCloseTo(cpuW + gpus.reduce((a, g) => a + g.avgWatts, 0), 6);
    // The estimate sits beside the measurement for comparison, outside the total.
    expect(r.devices.find((d) => d.source === 'estimate')).toMatchObject({ inTotal: false, label: 'CPU (estimate, for comparison)' });
    expect(r.phases[0]).toMatchObject({ phase: 'gemm' });
    expect(r.phases[0]!.avgWatts).toBeGreaterThan(cpuW);
  });

  it('a counter that goes backwards mid-run is a warning, and the run still gets its energy', async () => {
    const root = tree('powercap-amd');
    const zone = fs.readdirSync(path.join(root, 'sys/class/powercap')).find((z) => /^intel-rapl:\d+$/.test(z))!;
    const file = path.join(root, 'sys/class/powercap', zone, 'energy_uj');
    fs.writeFileSync(file, '40000000000'); // 40 kJ into a 65.7 kJ range
    const drive = driveCounters(root, { [zone]: 30 });
    const s = await startEnergySampler({
      hardware: sampleReport(),
      intervalMs: 40,
      discover: { sysRoot: root, platform: 'linux', commands: { nvidiaSmi: '/nonexistent/nvidia-smi', powermetrics: 'x', typeperf: 'x' } },
    });
    await sleep(300);
    drive.stop();
    // A driver reload: the counter drops 30 kJ — read as a wrap that would be 35.7 kJ in 40 ms, more than half the range.
    fs.writeFileSync(file, String(Number(fs.readFileSync(file, 'utf8')) - 30_000_000_000));
    await sleep(150);
    const r = await s.stop();
    expect(r.warnings.join('\n')).toMatch(/went backwards 1 time/);
    expect(r.unavailable.join('\n')).toMatch(/nvidia-smi: /);
    expect(r.estimated).toBe(false);
    expect(r.joules).toBeGreaterThan(0);
    expect(r.peakWatts).toBeLessThan(1000);
  });
});
