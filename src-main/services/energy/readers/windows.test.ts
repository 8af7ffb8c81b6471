import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyFixtureTree, FIXTURES, RecordingSink, removeTree, writeStandIn } from '../fixtures/helpers.js';
import type { DiscoverOptions } from '../source.js';
import { classifyEnergyMeterInstance, discoverWindowsEnergyMeter, parseTypeperfCsv, parseTypeperfLine, typeperfLineReader } from './windows.js';

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'typeperf', name), 'utf8');
const options = (typeperf: string, platform: NodeJS.Platform = 'win32', intervalMs = 100): DiscoverOptions => ({
  sysRoot: '/',
  platform,
  intervalMs,
  commands: { nvidiaSmi: 'nvidia-smi', powermetrics: 'powermetrics', typeperf },
});

describe('windows energy meter reader', () => {
  it('parses captured typeperf CSV: instances from the header, mW per row, blanks as null', () => {
    const { instances, rows } = parseTypeperfCsv(fixture('energy-meter.csv'));
    expect(instances).toEqual(['RAPL_Package0_PKG', 'RAPL_Package0_PP0', 'RAPL_Package0_PP1', 'RAPL_Package0_DRAM', '_Total']);
    expect(rows).toEqual([
      { time: '04/15/2024 14:03:12.418', values: [4731, 2210, 38, 612, 7591] },
      { time: '04/15/2024 14:03:13.421', values: [15208, 11874, 41, 905, 28028] },
      { time: '04/15/2024 14:03:14.426', values: [null, 12011, 40, 918, 28235] },
    ]);
    expect(parseTypeperfCsv(fixture('no-counters.txt'))).toEqual({ instances: [], rows: [] });
  });

  it('ignores typeperf’s chatter and other counters', () => {
    expect(parseTypeperfLine('Exiting, please wait...')).toEqual({ type: 'other' });
    expect(parseTypeperfLine('')).toEqual({ type: 'other' });
    expect(parseTypeperfLine('"(PDH-CSV 4.0)","\\\\PC\\Processor(_Total)\\% Processor Time"')).toEqual({ type: 'header', instances: [null] });
  });

  it('classifies the RAPL planes', () => {
    expect(classifyEnergyMeterInstance('RAPL_Package0_PKG')).toEqual({ kind: 'cpu', inTotal: true, label: 'package-0' });
    expect(classifyEnergyMeterInstance('RAPL_Package0_PP0')).toEqual({ kind: 'cpu', inTotal: false, label: 'package-0 core' });
    expect(classifyEnergyMeterInstance('RAPL_Package0_PP1')).toEqual({ kind: 'gpu', inTotal: false, label: 'package-0 graphics' });
    expect(classifyEnergyMeterInstance('RAPL_Package1_DRAM')).toEqual({ kind: 'dram', inTotal: true, label: 'package-1 dram' });
    expect(classifyEnergyMeterInstance('RAPL_Package0_PSYS')).toEqual({ kind: 'system', inTotal: false, label: 'psys' });
    expect(classifyEnergyMeterInstance('OEM_SoC')).toEqual({ kind: 'system', inTotal: false, label: 'OEM_SoC' });
    expect(classifyEnergyMeterInstance('_Total')).toBeNull();
  });

  it('streams rows as watts, mapping columns by the header', () => {
    const sink = new RecordingSink();
    const read = typeperfLineReader(new Set(['windows-energy-meter:RAPL_Package0_PKG', 'windows-energy-meter:RAPL_Package0_DRAM']), sink);
    for (const line of fixture('energy-meter.csv').split('\n')) read(line);
    expect(sink.values('windows-energy-meter:RAPL_Package0_PKG')).toEqual([4.731, 15.208]);
    expect(sink.values('windows-energy-meter:RAPL_Package0_DRAM')).toEqual([0.612, 0.905, 0.918]);
    expect(sink.samples).toHaveLength(5);
  });

  it('answers "not Windows" at once elsewhere, running nothing', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(await discoverWindowsEnergyMeter(options('/definitely/not/typeperf', platform))).toEqual({
        source: null,
        unavailable: 'windows energy meter: not Windows',
      });
    }
  });
});

// Stand-ins for typeperf are small sh scripts: POSIX only (platform 'win32' is passed in).
describe.skipIf(process.platform === 'win32')('windows energy meter reader (stand-in typeperf)', () => {
  let dir = '';
  const script = (name: string, body: string) => writeStandIn(dir, name, body);
  beforeAll(() => {
    dir = copyFixtureTree('typeperf');
  });
  afterAll(() => removeTree(dir));

  it('is not available when the machine has no Energy Meter counters', async () => {
    const none = script('typeperf-none', `cat "${path.join(dir, 'no-counters.txt')}"\nexit 1`);
    expect(await discoverWindowsEnergyMeter(options(none))).toEqual({
      source: null,
      unavailable: 'windows energy meter: no Energy Meter counters on this machine',
    });
  });

  it('discovers the instances with one sample, then streams until stopped', async () => {
    const csv = path.join(dir, 'energy-meter.csv');
    const fake = script('typeperf', `cat "${csv}"\ncase " $* " in *" -sc 1 "*) exit 0;; esac\nexec sleep 30`);
    const found = await discoverWindowsEnergyMeter(options(fake));
    expect(found.source!.id).toBe('windows-energy-meter');
    expect(found.source!.channels.map((c) => [c.id, c.label, c.kind, c.inTotal, c.mode])).toEqual([
      ['windows-energy-meter:RAPL_Package0_PKG', 'package-0', 'cpu', true, 'power'],
      ['windows-energy-meter:RAPL_Package0_PP0', 'package-0 core', 'cpu', false, 'power'],
      ['windows-energy-meter:RAPL_Package0_PP1', 'package-0 graphics', 'gpu', false, 'power'],
      ['windows-energy-meter:RAPL_Package0_DRAM', 'package-0 dram', 'dram', true, 'power'],
    ]);
    const sink = new RecordingSink();
    found.source!.start!(sink);
    await vi.waitFor(() => expect(sink.values('windows-energy-meter:RAPL_Package0_DRAM')).toHaveLength(3), { timeout: 10_000, interval: 20 });
    await found.source!.stop(); // kills the `sleep` the stand-in became
    expect(sink.values('windows-energy-meter:RAPL_Package0_PP0')).toEqual([2.21, 11.874, 12.011]);
    expect(sink.warnings).toEqual([]);
  });
});
