import { describe, expect, it } from 'vitest';
import type { DiscoverOptions } from '../source.js';
import { ALL_DISCOVERERS, discoverHwmon, discoverNvidiaSmi, discoverPowercap, discoverPowermetrics, discoverWindowsEnergyMeter } from './index.js';

describe('power readers', () => {
  it('are asked in order: powercap, hwmon, nvidia-smi, powermetrics, windows', () => {
    expect(ALL_DISCOVERERS).toEqual([discoverPowercap, discoverHwmon, discoverNvidiaSmi, discoverPowermetrics, discoverWindowsEnergyMeter]);
  });

  it('on this machine, as it is: each finds a source with channels or says in one line why not, and none throws', async () => {
    // Real root, real commands, real platform. The CI/dev VM has no powercap, hwmon or nvidia-smi,
    // so every reader answers 'not available'; a machine that has them finds them instead.
    const options: DiscoverOptions = {
      sysRoot: '/',
      platform: process.platform,
      intervalMs: 100,
      commands: { nvidiaSmi: 'nvidia-smi', powermetrics: 'powermetrics', typeperf: 'typeperf' },
    };
    const results = await Promise.all(ALL_DISCOVERERS.map((discover) => discover(options)));
    expect(results).toHaveLength(5);
    const prefixes = ['powercap: ', 'hwmon: ', 'nvidia-smi: ', 'powermetrics: ', 'windows energy meter: '];
    results.forEach((found, i) => {
      if (found.source) {
        expect(found.source.channels.length).toBeGreaterThan(0);
        for (const c of found.source.channels) expect(c.source).toBe(found.source.id);
      } else {
        expect(found.unavailable).toMatch(new RegExp(`^${prefixes[i]}\\S`));
        expect(found.unavailable).not.toContain('\n');
      }
      for (const w of found.warnings ?? []) expect(w).toMatch(/^\S/);
    });
    await Promise.all(results.map((found) => found.source?.stop()));
  });
});
