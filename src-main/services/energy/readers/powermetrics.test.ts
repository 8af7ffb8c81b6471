import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyFixtureTree, FIXTURES, RecordingSink, removeTree, writeStandIn } from '../fixtures/helpers.js';
import type { DiscoverOptions } from '../source.js';
import { discoverPowermetrics, parsePowermetricsLine, parsePowermetricsText } from './powermetrics.js';

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'powermetrics', name), 'utf8');
const options = (powermetrics: string, platform: NodeJS.Platform = 'darwin'): DiscoverOptions => ({
  sysRoot: '/',
  platform,
  intervalMs: 50,
  commands: { nvidiaSmi: 'nvidia-smi', powermetrics, typeperf: 'typeperf' },
});

describe('powermetrics reader', () => {
  it('reads CPU, GPU and ANE power (mW → W) from a captured Apple-silicon output, once per sample', () => {
    // 'Combined Power' is the sum, not a channel; the GPU section repeats 'GPU Power' for the same window.
    expect(parsePowermetricsText(fixture('apple-m2.txt'))).toEqual([
      { rail: 'cpu', watts: 12.876 },
      { rail: 'gpu', watts: 0.058 },
      { rail: 'ane', watts: 0 },
      { rail: 'cpu', watts: 13.104 },
      { rail: 'gpu', watts: 1.412 },
      { rail: 'ane', watts: 0.236 },
    ]);
  });

  it('reads the package power of an Intel Mac as the CPU (in W)', () => {
    expect(parsePowermetricsText(fixture('intel-mac.txt'))).toEqual([{ rail: 'cpu', watts: 18.43 }]);
  });

  it('parses single lines', () => {
    expect(parsePowermetricsLine('CPU Power: 1234 mW')).toEqual({ type: 'reading', rail: 'cpu', watts: 1.234 });
    expect(parsePowermetricsLine('Combined Power (CPU + GPU + ANE): 1290 mW')).toEqual({ type: 'other' });
    expect(parsePowermetricsLine('GPU HW active frequency: 444 MHz')).toEqual({ type: 'other' });
    expect(parsePowermetricsLine('*** Sampled system activity (Mon Apr 15 14:03:12 2024 +0200) (1004.82ms elapsed) ***')).toEqual({ type: 'sample-start' });
  });

  it('answers "not macOS" at once elsewhere, running nothing', async () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(await discoverPowermetrics(options('/definitely/not/powermetrics', platform))).toEqual({ source: null, unavailable: 'powermetrics: not macOS' });
    }
  });
});

// Stand-ins for powermetrics are small sh scripts: POSIX only.
describe.skipIf(process.platform === 'win32')('powermetrics reader (stand-in executables)', () => {
  let dir = '';
  const script = (name: string, body: string) => writeStandIn(dir, name, body);
  beforeAll(() => {
    dir = copyFixtureTree('powermetrics');
  });
  afterAll(() => removeTree(dir));

  it('is not available, and says why, without root', async () => {
    const notRoot = script('not-root', `cat "${path.join(dir, 'not-root.txt')}" >&2\nexit 1`);
    expect(await discoverPowermetrics(options(notRoot))).toEqual({ source: null, unavailable: 'powermetrics: needs root (run with sudo) — not permitted' });
  });

  it('is not available when the executable is missing', async () => {
    const missing = path.join(dir, 'no-such-powermetrics');
    expect(await discoverPowermetrics(options(missing))).toEqual({ source: null, unavailable: `powermetrics: ${missing} not found` });
  });

  it('discovers the rails of one sample, then streams them until stopped', async () => {
    const sample = path.join(dir, 'apple-m2.txt');
    const fake = script(
      'powermetrics',
      `case " $* " in *" -n 1 "*) cat "${sample}"; exit 0;; esac\nwhile :; do cat "${sample}"; sleep 0.05; done`,
    );
    const found = await discoverPowermetrics(options(fake));
    expect(found.source!.channels.map((c) => [c.id, c.label, c.kind, c.mode, c.inTotal, c.source])).toEqual([
      ['powermetrics:cpu', 'CPU', 'cpu', 'power', true, 'powermetrics'],
      ['powermetrics:gpu', 'GPU', 'gpu', 'power', true, 'powermetrics'],
      ['powermetrics:ane', 'ANE (Neural Engine)', 'soc', 'power', true, 'powermetrics'],
    ]);
    const sink = new RecordingSink();
    found.source!.start!(sink);
    await vi.waitFor(() => expect(sink.values('powermetrics:ane').length).toBeGreaterThanOrEqual(4), { timeout: 10_000, interval: 20 });
    await found.source!.stop();
    expect(sink.values('powermetrics:cpu').slice(0, 4)).toEqual([12.876, 13.104, 12.876, 13.104]);
    expect(sink.values('powermetrics:gpu').slice(0, 4)).toEqual([0.058, 1.412, 0.058, 1.412]);
    expect(sink.warnings).toEqual([]);
    const count = sink.samples.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(sink.samples.length).toBe(count);
  });
});
