import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyFixtureTree, FIXTURES, RecordingSink, removeTree } from '../fixtures/helpers.js';
import type { DiscoverOptions } from '../source.js';
import { LineSplitter } from './common.js';
import { discoverNvidiaSmi, nvidiaSmiLineHandler, parseNvidiaSmiLoopLine, parseNvidiaSmiQuery } from './nvidia-smi.js';

const options = (nvidiaSmi: string, intervalMs = 20): DiscoverOptions => ({
  sysRoot: '/',
  platform: process.platform,
  intervalMs,
  commands: { nvidiaSmi, powermetrics: 'powermetrics', typeperf: 'typeperf' },
});

const ENV_KEYS = ['FAKE_NVIDIA_SMI_QUERY', 'FAKE_NVIDIA_SMI_FAIL', 'FAKE_NVIDIA_SMI_ROUNDS', 'FAKE_NVIDIA_SMI_PIDFILE'];
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The stand-in is a `#!/usr/bin/env node` script: POSIX only.
describe.skipIf(process.platform === 'win32')('nvidia-smi reader (recorded output, real child process)', () => {
  let dir = '';
  let fake = '';
  beforeAll(() => {
    // A copy, made executable here, so the test does not depend on the checkout keeping the mode bit.
    dir = copyFixtureTree('nvidia-smi');
    fake = path.join(dir, 'fake-nvidia-smi');
    fs.chmodSync(fake, 0o755);
  });
  afterAll(() => removeTree(dir));
  afterEach(() => {
    for (const k of ENV_KEYS) delete process.env[k];
  });

  it('discovers one power channel per GPU from the query', async () => {
    const found = await discoverNvidiaSmi(options(fake));
    expect(found.unavailable).toBeUndefined();
    expect(found.warnings).toBeUndefined();
    expect(found.source!.id).toBe('nvidia-smi');
    expect(found.source!.channels).toEqual([
      {
        id: 'nvidia-smi:0',
        label: 'GPU 0 NVIDIA H100 80GB HBM3',
        kind: 'gpu',
        source: 'nvidia-smi',
        detail: 'nvidia-smi power.draw (board power, limit 700 W)',
        mode: 'power',
        inTotal: true,
      },
      {
        id: 'nvidia-smi:1',
        label: 'GPU 1 NVIDIA H100 80GB HBM3',
        kind: 'gpu',
        source: 'nvidia-smi',
        detail: 'nvidia-smi power.draw (board power, limit 700 W)',
        mode: 'power',
        inTotal: true,
      },
    ]);
  });

  it('gives a GPU whose power.draw is [N/A] a warning and no channel', async () => {
    process.env.FAKE_NVIDIA_SMI_QUERY = 'query-na.txt';
    const found = await discoverNvidiaSmi(options(fake));
    expect(found.source!.channels.map((c) => c.label)).toEqual(['GPU 0 NVIDIA GeForce RTX 3080']);
    expect(found.warnings).toEqual(['nvidia-smi: GPU 1 NVIDIA GeForce GTX 1050 Ti reports power.draw [N/A]; its power is not measured']);
  });

  it('is not available, with nvidia-smi’s own first line, when it fails (driver not loaded)', async () => {
    process.env.FAKE_NVIDIA_SMI_FAIL = '1';
    expect(await discoverNvidiaSmi(options(fake))).toEqual({
      source: null,
      unavailable: "nvidia-smi: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    });
  });

  it('streams readings from -lms, skips [N/A] with a warning, and kills the child on stop', async () => {
    const pidFile = path.join(dir, 'pid');
    process.env.FAKE_NVIDIA_SMI_PIDFILE = pidFile;
    const { source } = await discoverNvidiaSmi(options(fake, 20));
    const sink = new RecordingSink();
    source!.start!(sink);
    await vi.waitFor(() => expect(sink.values('nvidia-smi:1').length).toBeGreaterThanOrEqual(6), { timeout: 10_000, interval: 20 });
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    await source!.stop();
    expect(alive(pid)).toBe(false);

    // loop.txt, in order and from the top again: GPU 1's [N/A] round gives no reading.
    expect(sink.values('nvidia-smi:0').slice(0, 7)).toEqual([71.52, 152.87, 388.4, 612.33, 687.95, 694.21, 71.52]);
    expect(sink.values('nvidia-smi:1').slice(0, 6)).toEqual([70.04, 69.91, 241.16, 455.02, 603.87, 70.04]);
    expect(sink.warnings).toEqual(['nvidia-smi: GPU 1 reported power.draw [N/A]; those readings skipped']);
    // Stamped on arrival with the sink's clock, in order.
    const ts = sink.samples.map((s) => s.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(ts[0]).toBeGreaterThan(0);

    const count = sink.samples.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(sink.samples.length).toBe(count);
    await source!.stop(); // a second stop is harmless
  });

  it('warns when nvidia-smi exits by itself during the run, and stop still resolves', async () => {
    process.env.FAKE_NVIDIA_SMI_ROUNDS = '2';
    const { source } = await discoverNvidiaSmi(options(fake, 10));
    const sink = new RecordingSink();
    source!.start!(sink);
    await vi.waitFor(() => expect(sink.warnings.some((w) => w.includes('stopped by itself'))).toBe(true), { timeout: 10_000, interval: 20 });
    expect(sink.warnings).toContain('nvidia-smi: stopped by itself during the run (exit code 0); no readings after that');
    expect(sink.values('nvidia-smi:0')).toEqual([71.52, 152.87]);
    await source!.stop();
  });

  it('warns, not throws, when the executable is gone by the time sampling starts', async () => {
    const moved = path.join(dir, 'moved-nvidia-smi');
    fs.copyFileSync(fake, moved);
    fs.chmodSync(moved, 0o755);
    const { source } = await discoverNvidiaSmi(options(moved));
    fs.rmSync(moved);
    const sink = new RecordingSink();
    source!.start!(sink);
    await source!.stop();
    expect(sink.samples).toEqual([]);
    expect(sink.warnings).toEqual([`nvidia-smi: could not start ${moved} (ENOENT); no readings from it`]);
  });
});

describe('nvidia-smi reader', () => {
  it('is not available when the executable is missing', async () => {
    const missing = path.join(os.tmpdir(), 'flopscope-no-such-nvidia-smi');
    expect(await discoverNvidiaSmi(options(missing))).toEqual({ source: null, unavailable: `nvidia-smi: ${missing} not found` });

    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-empty-path-'));
    const savedPath = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      expect(await discoverNvidiaSmi(options('nvidia-smi'))).toEqual({ source: null, unavailable: 'nvidia-smi: not found on PATH' });
    } finally {
      process.env.PATH = savedPath;
      removeTree(emptyDir);
    }
  });

  it('parses the captured discovery output', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'nvidia-smi', 'query-na.txt'), 'utf8');
    expect(parseNvidiaSmiQuery(text + '\nNo devices were found\n')).toEqual({
      gpus: [
        { index: '0', name: 'NVIDIA GeForce RTX 3080', powerDraw: 24.51, powerDrawText: '24.51', powerLimit: 320 },
        { index: '1', name: 'NVIDIA GeForce GTX 1050 Ti', powerDraw: null, powerDrawText: '[N/A]', powerLimit: null },
      ],
      unparsed: ['No devices were found'],
    });
  });

  it('parses -lms lines', () => {
    expect(parseNvidiaSmiLoopLine('0, 71.38')).toEqual({ type: 'reading', index: '0', watts: 71.38 });
    expect(parseNvidiaSmiLoopLine('  3,612.5 \r')).toEqual({ type: 'reading', index: '3', watts: 612.5 });
    expect(parseNvidiaSmiLoopLine('1, [N/A]')).toEqual({ type: 'no-value', index: '1', text: '[N/A]' });
    expect(parseNvidiaSmiLoopLine('1, [Not Supported]')).toEqual({ type: 'no-value', index: '1', text: '[Not Supported]' });
    expect(parseNvidiaSmiLoopLine('   ')).toEqual({ type: 'blank' });
    expect(parseNvidiaSmiLoopLine('Failed to initialize NVML: Driver/library version mismatch')).toEqual({
      type: 'garbage',
      text: 'Failed to initialize NVML: Driver/library version mismatch',
    });
    expect(parseNvidiaSmiLoopLine('0, 71.38 W')).toEqual({ type: 'garbage', text: '0, 71.38 W' });
  });

  it('handles lines split across chunks, blank lines, unknown GPUs, and warns once for garbage', () => {
    const sink = new RecordingSink();
    const handle = nvidiaSmiLineHandler(new Map([['0', 'nvidia-smi:0']]), sink);
    const splitter = new LineSplitter();
    for (const chunk of ['0, 71', '.38\n\n1, 50.0\r\n0, [N/', 'A]\nga', 'rbage\nmore garbage\n0, 80.25']) {
      for (const line of splitter.push(chunk)) handle(line);
    }
    for (const line of splitter.flush()) handle(line);
    expect(sink.values('nvidia-smi:0')).toEqual([71.38, 80.25]);
    expect(sink.samples.map((s) => s.channel)).toEqual(['nvidia-smi:0', 'nvidia-smi:0']);
    expect(sink.warnings).toEqual([
      'nvidia-smi: GPU 0 reported power.draw [N/A]; those readings skipped',
      'nvidia-smi: ignored output that is not a power reading, e.g. "garbage"',
    ]);
  });
});
