import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureTrees, RecordingSink, RUNNING_AS_ROOT, sysfsOptions } from '../fixtures/helpers.js';
import { discoverHwmon, hwmonKind } from './hwmon.js';

const options = sysfsOptions;
const { tree, cleanup } = fixtureTrees('hwmon');
const file = (root: string, device: string, name: string) => path.join(root, 'sys', 'class', 'hwmon', device, name);

afterEach(cleanup);

// chmod cannot take read access away on Windows, and these are sysfs trees: run them where sysfs is.
describe.skipIf(process.platform === 'win32')('hwmon reader (recorded tree)', () => {
  it('finds the power and energy sensors, kind from the driver, nested sensors out of the total', async () => {
    const root = tree();
    const found = await discoverHwmon(options(root));
    expect(found.unavailable).toBeUndefined();
    expect(found.warnings).toBeUndefined();
    expect(found.source!.id).toBe('hwmon');
    const channels = found.source!.channels;
    expect(channels.map((c) => [c.id, c.label, c.kind, c.mode, c.inTotal])).toEqual([
      // hwmon0 (k10temp) has temperatures only: no channel.
      ['hwmon:hwmon1:power1', 'amdgpu PPT', 'gpu', 'power', true],
      ['hwmon:hwmon2:energy1', 'amd_energy Ecore000', 'cpu', 'energy', false],
      ['hwmon:hwmon2:energy2', 'amd_energy Ecore001', 'cpu', 'energy', false],
      ['hwmon:hwmon2:energy3', 'amd_energy Ecore002', 'cpu', 'energy', false],
      ['hwmon:hwmon2:energy4', 'amd_energy Ecore003', 'cpu', 'energy', false],
      ['hwmon:hwmon2:energy5', 'amd_energy Esocket0', 'cpu', 'energy', true],
      ['hwmon:hwmon3:power1', 'power_meter power1', 'system', 'power', false],
    ]);
    for (const c of channels) expect(c.source).toBe('hwmon');
    expect(channels[0]!.detail).toBe(file(root, 'hwmon1', 'power1_average'));
    expect(channels[5]!.detail).toBe(file(root, 'hwmon2', 'energy5_input'));
    expect(channels[5]!.wrapJoules).toBeNull();
  });

  it('polls watts (µW / 1e6) and joules (µJ / 1e6)', async () => {
    const root = tree();
    const { source } = await discoverHwmon(options(root));
    const sink = new RecordingSink();
    source!.poll!(sink);
    fs.writeFileSync(file(root, 'hwmon1', 'power1_average'), '187000000\n');
    fs.writeFileSync(file(root, 'hwmon2', 'energy5_input'), '52418004731\n');
    source!.poll!(sink);
    expect(sink.values('hwmon:hwmon1:power1')).toEqual([33, 187]);
    expect(sink.values('hwmon:hwmon2:energy5')).toEqual([52318.004731, 52418.004731]);
    expect(sink.values('hwmon:hwmon3:power1')).toEqual([212, 212]);
    expect(sink.warnings).toEqual([]);
    await source!.stop();
  });

  it('prefers an energy counter to a power reading of the same index, and _input to _average', async () => {
    const root = tree();
    fs.writeFileSync(file(root, 'hwmon1', 'energy1_input'), '912345678\n');
    fs.writeFileSync(file(root, 'hwmon3', 'power1_input'), '208000000\n');
    const channels = (await discoverHwmon(options(root))).source!.channels;
    const gpu = channels.find((c) => c.id.startsWith('hwmon:hwmon1:'))!;
    expect([gpu.id, gpu.mode, gpu.detail]).toEqual(['hwmon:hwmon1:energy1', 'energy', file(root, 'hwmon1', 'energy1_input')]);
    expect(channels.filter((c) => c.id.startsWith('hwmon:hwmon1:'))).toHaveLength(1);
    expect(channels.find((c) => c.id === 'hwmon:hwmon3:power1')!.detail).toBe(file(root, 'hwmon3', 'power1_input'));
  });

  it('falls back to _average when _input cannot be read (e.g. EOPNOTSUPP on a suspended GPU)', async () => {
    const root = tree();
    fs.mkdirSync(file(root, 'hwmon3', 'power1_input')); // reads as EISDIR: not a permission problem
    const channels = (await discoverHwmon(options(root))).source!.channels;
    expect(channels.find((c) => c.id === 'hwmon:hwmon3:power1')!.detail).toBe(file(root, 'hwmon3', 'power1_average'));
  });

  it('counts one sensor per GPU: "card" when labelled (xe: pkg is inside card), else the first', async () => {
    const root = tree();
    const dir = path.dirname(file(root, 'hwmon4', 'name'));
    fs.mkdirSync(dir);
    fs.writeFileSync(file(root, 'hwmon4', 'name'), 'xe\n');
    fs.writeFileSync(file(root, 'hwmon4', 'energy1_input'), '7061220141\n');
    fs.writeFileSync(file(root, 'hwmon4', 'energy1_label'), 'pkg\n');
    fs.writeFileSync(file(root, 'hwmon4', 'energy2_input'), '9338710552\n');
    fs.writeFileSync(file(root, 'hwmon4', 'energy2_label'), 'card\n');
    fs.writeFileSync(file(root, 'hwmon1', 'power2_average'), '12000000\n'); // amdgpu APU: fastPPT beside PPT
    const channels = (await discoverHwmon(options(root))).source!.channels;
    const pick = (prefix: string) => channels.filter((c) => c.id.startsWith(prefix)).map((c) => [c.label, c.inTotal]);
    expect(pick('hwmon:hwmon4:')).toEqual([
      ['xe pkg', false],
      ['xe card', true],
    ]);
    expect(pick('hwmon:hwmon1:')).toEqual([
      ['amdgpu PPT', true],
      ['amdgpu power2', false],
    ]);
  });

  it('tells two identical devices apart by their hwmon directory', async () => {
    const root = tree();
    fs.cpSync(path.dirname(file(root, 'hwmon1', 'name')), path.dirname(file(root, 'hwmon5', 'name')), { recursive: true });
    const labels = (await discoverHwmon(options(root))).source!.channels.map((c) => c.label);
    expect(labels).toContain('amdgpu PPT (hwmon1)');
    expect(labels).toContain('amdgpu PPT (hwmon5)');
  });

  it('reports an unreadable sensor with the file and the fix, never throws', async () => {
    const root = tree();
    const socket = file(root, 'hwmon2', 'energy5_input');
    fs.chmodSync(socket, 0o000);
    const found = await discoverHwmon(options(root));
    const ids = found.source!.channels.map((c) => c.id);
    if (RUNNING_AS_ROOT) {
      expect(ids).toContain('hwmon:hwmon2:energy5');
      expect(found.warnings).toBeUndefined();
    } else {
      expect(ids).not.toContain('hwmon:hwmon2:energy5');
      expect(found.warnings).toEqual([expect.stringContaining(`hwmon: cannot read ${socket} (EACCES): readable by root only`)]);
      expect(found.warnings![0]).toContain(`sudo chmod a+r ${socket}`);
    }
  });

  it('warns during the run when a sensor goes away or stops being readable', async () => {
    const root = tree();
    const { source } = await discoverHwmon(options(root));
    const sink = new RecordingSink();
    fs.rmSync(file(root, 'hwmon3', 'power1_average'));
    fs.chmodSync(file(root, 'hwmon1', 'power1_average'), 0o000);
    expect(() => source!.poll!(sink)).not.toThrow();
    expect(sink.warnings).toContain(`hwmon: cannot read ${file(root, 'hwmon3', 'power1_average')} (ENOENT); readings skipped`);
    expect(sink.values('hwmon:hwmon3:power1')).toEqual([]);
    expect(sink.values('hwmon:hwmon2:energy5')).toHaveLength(1);
    if (RUNNING_AS_ROOT) {
      expect(sink.values('hwmon:hwmon1:power1')).toEqual([33]);
      expect(sink.warnings).toHaveLength(1);
    } else {
      expect(sink.values('hwmon:hwmon1:power1')).toEqual([]);
      expect(sink.warnings).toHaveLength(2);
      expect(sink.warnings.some((w) => w.includes('(EACCES)'))).toBe(true);
    }
  });

  it('is not available when no device has a power or energy sensor, or none is readable', async () => {
    const root = tree();
    for (const d of ['hwmon1', 'hwmon2', 'hwmon3']) fs.rmSync(path.dirname(file(root, d, 'name')), { recursive: true });
    expect(await discoverHwmon(options(root))).toEqual({
      source: null,
      unavailable: `hwmon: no power or energy sensor under ${path.join(root, 'sys', 'class', 'hwmon')}`,
    });

    const locked = tree();
    for (const [d, f] of [['hwmon1', 'power1_average'], ['hwmon3', 'power1_average'], ...[1, 2, 3, 4, 5].map((k) => ['hwmon2', `energy${k}_input`])] as const) {
      fs.chmodSync(file(locked, d, f), 0o000);
    }
    const found = await discoverHwmon(options(locked));
    if (RUNNING_AS_ROOT) {
      expect(found.source!.channels).toHaveLength(7);
    } else {
      expect(found.source).toBeNull();
      expect(found.unavailable).toMatch(/^hwmon: .* not readable \(permission denied\); run as root/);
      expect(found.warnings).toHaveLength(7);
    }
  });

  it('is not available when /sys/class/hwmon is missing, and "not Linux" elsewhere', async () => {
    const root = tree('nvidia-smi'); // any directory without sys/class/hwmon
    expect(await discoverHwmon(options(root))).toEqual({ source: null, unavailable: `hwmon: ${path.join(root, 'sys', 'class', 'hwmon')} is not present` });
    expect(await discoverHwmon(options(root, 'darwin'))).toEqual({ source: null, unavailable: 'hwmon: not Linux' });
  });

  it('maps drivers to kinds', () => {
    expect(['amdgpu', 'nouveau', 'radeon', 'i915', 'xe'].map(hwmonKind)).toEqual(['gpu', 'gpu', 'gpu', 'gpu', 'gpu']);
    expect(['amd_energy', 'zenpower', 'k10temp', 'fam15h_power', 'coretemp'].map(hwmonKind)).toEqual(['cpu', 'cpu', 'cpu', 'cpu', 'cpu']);
    expect(['power_meter', 'nvme', 'ina3221'].map(hwmonKind)).toEqual(['system', 'system', 'system']);
  });
});
