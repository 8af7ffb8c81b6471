/**
 * Every platform power reader, in the order the sampler asks them: Linux sysfs first (powercap
 * RAPL counters, then hwmon sensors), then NVIDIA GPUs (any platform), then macOS powermetrics and
 * the Windows Energy Meter counters. A reader for another platform answers at once with
 * '<source>: not <platform>' and runs nothing.
 */
import type { Discoverer } from '../source.js';
import { discoverHwmon } from './hwmon.js';
import { discoverNvidiaSmi } from './nvidia-smi.js';
import { discoverPowercap } from './powercap.js';
import { discoverPowermetrics } from './powermetrics.js';
import { discoverWindowsEnergyMeter } from './windows.js';

export { discoverHwmon, discoverNvidiaSmi, discoverPowercap, discoverPowermetrics, discoverWindowsEnergyMeter };

export const ALL_DISCOVERERS: readonly Discoverer[] = [
  discoverPowercap,
  discoverHwmon,
  discoverNvidiaSmi,
  discoverPowermetrics,
  discoverWindowsEnergyMeter,
];
