import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backend.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { currentCacheKey, readCachedReport, writeCachedReport } from './report-cache.js';

describe('hardware report cache', () => {
  it('keys the cache on what the OS says about this boot and machine', async () => {
    const key = await currentCacheKey('9.9.9');
    expect(key.hostname).toBe(os.hostname());
    expect(key.cpus).toBe(os.cpus().length);
    expect(key.totalmem).toBe(os.totalmem());
    expect(key.appVersion).toBe('9.9.9');
    if (process.platform === 'linux') expect(key.boot).toBe(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  });

  it('returns the kept report only under the same key and shape', async () => {
    const file = path.join(tempDir(), 'hardware-cache.json');
    const key = await currentCacheKey('1.0.0');
    expect(await readCachedReport(file, key)).toBeNull();
    await writeCachedReport(file, key, sampleReport('m-1'));
    expect((await readCachedReport(file, key))?.machine.id).toBe('m-1');
    // Another boot, another version, another memory size: each is a miss.
    expect(await readCachedReport(file, { ...key, boot: 'another-boot' })).toBeNull();
    expect(await readCachedReport(file, { ...key, appVersion: '1.0.1' })).toBeNull();
    expect(await readCachedReport(file, { ...key, totalmem: key.totalmem + 1 })).toBeNull();
    // A file that is not JSON, or whose report lost its shape, is ignored, not an error.
    fs.writeFileSync(file, '{"key":');
    expect(await readCachedReport(file, key)).toBeNull();
    fs.writeFileSync(file, JSON.stringify({ key, report: { machine: { id: 'm-1' } } }));
    expect(await readCachedReport(file, key)).toBeNull();
  });

  it('a cache that cannot be written is not an error', async () => {
    const key = await currentCacheKey('1.0.0');
    const file = path.join(tempDir(), 'no-such-folder', 'deeper', 'hardware-cache.json');
    await expect(writeCachedReport(file, key, sampleReport())).resolves.toBeUndefined();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a later backend on the same database reuses the report; refresh probes again and replaces it', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'f.db');
    let probes = 0;
    const detect = async () => sampleReport(`probe-${++probes}`);
    const first = createBackend({ dbPath, host: 'cli', detect, hardwareCache: true });
    expect((await first.hardware()).machine.id).toBe('probe-1');
    await first.close();
    expect(fs.existsSync(path.join(dir, 'hardware-cache.json'))).toBe(true);

    const second = createBackend({ dbPath, host: 'cli', detect, hardwareCache: true });
    expect((await second.hardware()).machine.id).toBe('probe-1');
    expect(probes).toBe(1);
    expect((await second.hardware(true)).machine.id).toBe('probe-2');
    await second.close();

    const third = createBackend({ dbPath, host: 'cli', detect, hardwareCache: true });
    expect((await third.hardware()).machine.id).toBe('probe-2');
    await third.close();

    // An injected probe is not cached unless asked.
    const otherDir = tempDir();
    const uncached = createBackend({ dbPath: path.join(otherDir, 'g.db'), host: 'cli', detect });
    await uncached.hardware();
    await uncached.close();
    expect(probes).toBe(3);
    expect(fs.existsSync(path.join(otherDir, 'hardware-cache.json'))).toBe(false);
  });
});
