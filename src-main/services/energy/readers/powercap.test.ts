import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureTrees, RecordingSink, RUNNING_AS_ROOT, sysfsOptions } from '../fixtures/helpers.js';
import { classifyPowercapZone, discoverPowercap } from './powercap.js';

const options = sysfsOptions;
const { tree, cleanup } = fixtureTrees();
const zoneFile = (root: string, zone: string, file = 'energy_uj') => path.join(root, 'sys', 'class', 'powercap', zone, file);

afterEach(cleanup);

// The fixture trees hold ':' in file names, which Windows cannot create.
describe.skipIf(process.platform === 'win32')('powercap reader (recorded trees)', () => {
  it('finds Intel packages and sub-zones, skipping the control type and the MMIO repeat of package-0', async () => {
    const root = tree('powercap-intel');
    const found = await discoverPowercap(options(root));
    expect(found.unavailable).toBeUndefined();
    expect(found.warnings).toBeUndefined();
    const channels = found.source!.channels;
    expect(found.source!.id).toBe('powercap');
    expect(channels.map((c) => [c.id, c.label, c.kind, c.inTotal])).toEqual([
      ['powercap:intel-rapl:0', 'package-0', 'cpu', true],
      ['powercap:intel-rapl:0:0', 'package-0 core', 'cpu', false],
      ['powercap:intel-rapl:0:1', 'package-0 uncore', 'cpu', false],
      ['powercap:intel-rapl:0:2', 'package-0 dram', 'dram', true],
      ['powercap:intel-rapl:1', 'package-1', 'cpu', true],
    ]);
    for (const c of channels) {
      expect(c.source).toBe('powercap');
      expect(c.mode).toBe('energy');
      expect(c.detail).toBe(zoneFile(root, c.id.slice('powercap:'.length)));
    }
    expect(channels.find((c) => c.kind === 'dram')!.wrapJoules).toBe(65712.999613);
    expect(channels[0]!.wrapJoules).toBe(262143.32885);
  });

  it('reads AMD packages (Zen: the same intel-rapl naming) with their 32-bit wrap range', async () => {
    const found = await discoverPowercap(options(tree('powercap-amd')));
    expect(found.source!.channels.map((c) => [c.label, c.kind, c.inTotal, c.wrapJoules])).toEqual([
      ['package-0', 'cpu', true, 65712.999613],
      ['package-1', 'cpu', true, 65712.999613],
    ]);
  });

  it('keeps psys out of the total and skips the MMIO repeat on a laptop', async () => {
    const found = await discoverPowercap(options(tree('powercap-laptop')));
    expect(found.source!.channels.map((c) => [c.id, c.label, c.kind, c.inTotal])).toEqual([
      ['powercap:intel-rapl:0', 'package-0', 'cpu', true],
      ['powercap:intel-rapl:0:0', 'package-0 core', 'cpu', false],
      ['powercap:intel-rapl:0:1', 'package-0 uncore', 'cpu', false],
      ['powercap:intel-rapl:1', 'psys', 'system', false],
    ]);
  });

  it('keeps an MMIO zone that repeats no package', async () => {
    const root = tree('powercap-laptop');
    fs.writeFileSync(zoneFile(root, 'intel-rapl-mmio:0', 'name'), 'package-1\n');
    const found = await discoverPowercap(options(root));
    expect(found.source!.channels.map((c) => c.id)).toContain('powercap:intel-rapl-mmio:0');
  });

  it('polls raw joules, including a counter that wraps (the wrap maths is the integrator’s)', async () => {
    const root = tree('powercap-intel');
    const { source } = await discoverPowercap(options(root));
    const sink = new RecordingSink();
    source!.poll!(sink);
    expect(sink.values('powercap:intel-rapl:0')).toEqual([84326.717652]);
    expect(sink.values('powercap:intel-rapl:0:2')).toEqual([14937.420163]);

    // package-0 climbs to just under its range, then wraps past it to a small value.
    fs.writeFileSync(zoneFile(root, 'intel-rapl:0'), '262143000000\n');
    source!.poll!(sink);
    fs.writeFileSync(zoneFile(root, 'intel-rapl:0'), '1250000\n');
    source!.poll!(sink);
    expect(sink.values('powercap:intel-rapl:0')).toEqual([84326.717652, 262143, 1.25]);
    expect(source!.channels[0]!.wrapJoules).toBe(262143.32885);
    expect(sink.warnings).toEqual([]);
    // Every channel every poll, stamped with the sink's clock.
    expect(sink.samples).toHaveLength(3 * 5);
    const ts = sink.samples.map((s) => s.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    await source!.stop();
  });

  it('turns a counter that cannot be read during the run into a warning and skips that reading', async () => {
    const root = tree('powercap-amd');
    const { source } = await discoverPowercap(options(root));
    const sink = new RecordingSink();
    fs.rmSync(zoneFile(root, 'intel-rapl:1'));
    fs.writeFileSync(zoneFile(root, 'intel-rapl:0'), 'garbage\n');
    expect(() => source!.poll!(sink)).not.toThrow();
    expect(sink.samples).toEqual([]);
    expect(sink.warnings).toEqual([
      `powercap: ${zoneFile(root, 'intel-rapl:0')} did not read as an integer; readings skipped`,
      `powercap: cannot read ${zoneFile(root, 'intel-rapl:1')} (ENOENT); readings skipped`,
    ]);
  });

  it('reports a zone whose counter is unreadable (EACCES) with the file and the fix, and keeps the rest', async () => {
    const root = tree('powercap-intel');
    const dram = zoneFile(root, 'intel-rapl:0:2');
    fs.chmodSync(dram, 0o000);
    const found = await discoverPowercap(options(root));
    const ids = found.source!.channels.map((c) => c.id);
    if (RUNNING_AS_ROOT) {
      // Root reads mode-000 files: the zone is simply there.
      expect(ids).toContain('powercap:intel-rapl:0:2');
      expect(found.warnings).toBeUndefined();
    } else {
      expect(ids).not.toContain('powercap:intel-rapl:0:2');
      expect(ids).toHaveLength(4);
      expect(found.warnings).toHaveLength(1);
      expect(found.warnings![0]).toContain(`cannot read ${dram} (EACCES)`);
      expect(found.warnings![0]).toContain('CVE-2020-8694');
      expect(found.warnings![0]).toContain('sudo chmod a+r');
    }
  });

  it('warns, not throws, when a counter becomes unreadable between polls', async () => {
    const root = tree('powercap-amd');
    const { source } = await discoverPowercap(options(root));
    const sink = new RecordingSink();
    fs.chmodSync(zoneFile(root, 'intel-rapl:0'), 0o000);
    expect(() => source!.poll!(sink)).not.toThrow();
    if (RUNNING_AS_ROOT) {
      expect(sink.samples.map((s) => s.channel)).toEqual(['powercap:intel-rapl:0', 'powercap:intel-rapl:1']);
      expect(sink.warnings).toEqual([]);
    } else {
      expect(sink.samples.map((s) => s.channel)).toEqual(['powercap:intel-rapl:1']);
      expect(sink.warnings).toHaveLength(1);
      expect(sink.warnings[0]).toContain(`cannot read ${zoneFile(root, 'intel-rapl:0')} (EACCES)`);
    }
  });

  it('is not available, with the permission fix, when no counter is readable', async () => {
    const root = tree('powercap-amd');
    for (const zone of ['intel-rapl:0', 'intel-rapl:1']) fs.chmodSync(zoneFile(root, zone), 0o000);
    const found = await discoverPowercap(options(root));
    if (RUNNING_AS_ROOT) {
      expect(found.source!.channels).toHaveLength(2);
    } else {
      expect(found.source).toBeNull();
      expect(found.unavailable).toMatch(/^powercap: .*energy_uj is not readable \(permission denied\).*root.*sudo chmod a\+r/);
    }
  });

  it('says why a zone with an odd counter is skipped (not a permission problem)', async () => {
    const root = tree('powercap-amd');
    fs.rmSync(zoneFile(root, 'intel-rapl:1'));
    fs.mkdirSync(zoneFile(root, 'intel-rapl:1')); // reading a directory: EISDIR
    fs.writeFileSync(zoneFile(root, 'intel-rapl:0'), 'n/a\n');
    const found = await discoverPowercap(options(root));
    expect(found.source).toBeNull();
    expect(found.unavailable).toBe(`powercap: no readable RAPL energy counter under ${path.join(root, 'sys', 'class', 'powercap')}`);
    expect(found.warnings).toEqual([
      `powercap: ${zoneFile(root, 'intel-rapl:0')} does not read as an integer; zone skipped`,
      `powercap: cannot read ${zoneFile(root, 'intel-rapl:1')} (EISDIR); zone skipped`,
    ]);
  });

  it('is not available when the tree is missing or holds no RAPL zone', async () => {
    const root = tree('hwmon'); // a sysfs tree without /sys/class/powercap
    expect(await discoverPowercap(options(root))).toEqual({
      source: null,
      unavailable: `powercap: ${path.join(root, 'sys', 'class', 'powercap')} is not present`,
    });
    fs.mkdirSync(path.join(root, 'sys', 'class', 'powercap', 'dtpm'), { recursive: true });
    expect((await discoverPowercap(options(root))).unavailable).toMatch(/^powercap: no RAPL zones under /);
  });
});

describe('powercap reader', () => {
  it('answers "not Linux" at once elsewhere, without touching the filesystem', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(await discoverPowercap(options('/definitely/not/here', platform))).toEqual({ source: null, unavailable: 'powercap: not Linux' });
    }
  });

  it('classifies zones by name', () => {
    expect(classifyPowercapZone('package-0-die-1', null)).toEqual({ kind: 'cpu', inTotal: true, label: 'package-0-die-1' });
    expect(classifyPowercapZone('dram', null)).toEqual({ kind: 'dram', inTotal: true, label: 'dram' });
    expect(classifyPowercapZone('psys', null)).toEqual({ kind: 'system', inTotal: false, label: 'psys' });
    expect(classifyPowercapZone('mystery', 'package-0')).toEqual({ kind: 'cpu', inTotal: false, label: 'package-0 mystery' });
    expect(classifyPowercapZone('mystery', null)).toEqual({ kind: 'system', inTotal: false, label: 'mystery' });
  });
});
