/**
 * Turning a budget into training FLOPs (runs anywhere): FLOPs as given, device-hours on a device
 * at a model FLOPs utilisation (MFU), or money at a price per device-hour. Every bad input
 * throws a PlanInputError naming the field, so no NaN ever reaches a screen.
 *
 * C = devices × hours × 3600 × peak × MFU. Default MFU 0.40: large dense runs report 0.30–0.46
 * (Chowdhery et al. 2022, PaLM, Table 3: GPT-3 21.3%, Gopher 32.5%, Megatron-Turing NLG 30.2%,
 * PaLM 46.2%); 0.40 is a well-tuned bf16 run, stated on screen and changeable.
 */
import { findGpu, GPU_CATALOG, type GpuCatalogEntry } from '../hardware/gpu-catalog.js';
import type { DevicePower } from './energy.js';

export const DEFAULT_MFU = 0.4;
/** Above any plausible budget (the largest runs so far are ~5e26 FLOPs): likely a typo. */
export const MAX_COMPUTE_FLOPS = 1e32;
export const MIN_COMPUTE_FLOPS = 1e9;

import { PlanInputError } from './plan-input-error.js';

export { PlanInputError };

/** A device to plan on: a catalog GPU or this machine, with the peak used for the budget. */
export interface PlanDevice {
  name: string;
  /** Dense peak in FLOP/s for the training dtype. */
  peakFlops: number;
  dtype: string;
  memGB: number | null;
  source: string;
  /** Power of one device while training, for the plan's energy (energy.ts); absent = not known. */
  power?: DevicePower;
}

export type Budget =
  | { kind: 'flops'; flops: number }
  | { kind: 'device-hours'; device: PlanDevice; hours: number; count?: number; mfu?: number }
  | { kind: 'money'; device: PlanDevice; usd: number; usdPerHour: number; count?: number; mfu?: number };

export interface ResolvedBudget {
  computeFlops: number;
  /** Present when the budget names a device: wall-clock time and the devices it runs on. */
  time?: { seconds: number; devices: number };
  costUsd?: number;
  device?: PlanDevice;
  mfu?: number;
  deviceHours?: number;
}

export function requirePositive(field: string, value: unknown, what = 'a positive number'): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new PlanInputError(field, `must be ${what} (got ${describe(value)})`);
  if (!Number.isFinite(value)) throw new PlanInputError(field, `must be finite (got ${value})`);
  if (value <= 0) throw new PlanInputError(field, `must be greater than 0 (got ${value})`);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

export function checkCompute(field: string, flops: unknown): number {
  const c = requirePositive(field, flops, 'a number of FLOPs');
  if (c > MAX_COMPUTE_FLOPS) throw new PlanInputError(field, `${c.toExponential(2)} FLOPs is beyond any plausible training budget (at most ${MAX_COMPUTE_FLOPS.toExponential(0)})`);
  if (c < MIN_COMPUTE_FLOPS) throw new PlanInputError(field, `${c.toExponential(2)} FLOPs is too small to train a language model (at least ${MIN_COMPUTE_FLOPS.toExponential(0)})`);
  return c;
}

function checkCount(count: unknown): number {
  if (count === undefined) return 1;
  const n = requirePositive('count', count, 'a whole number of devices');
  if (!Number.isInteger(n)) throw new PlanInputError('count', `must be a whole number of devices (got ${n})`);
  if (n > 10_000_000) throw new PlanInputError('count', `${n} devices is beyond any cluster (at most 10,000,000)`);
  return n;
}

function checkMfu(mfu: unknown): number {
  if (mfu === undefined) return DEFAULT_MFU;
  const u = requirePositive('mfu', mfu, 'a fraction between 0 and 1');
  if (u > 1) throw new PlanInputError('mfu', `is a fraction of peak and cannot exceed 1 (got ${u}); did you mean ${u / 100}?`);
  return u;
}

function checkDevice(device: PlanDevice | undefined): PlanDevice {
  if (!device) throw new PlanInputError('device', 'a device is needed for this budget');
  requirePositive('device peak', device.peakFlops, 'a peak in FLOP/s');
  return device;
}

export function resolveBudget(budget: Budget): ResolvedBudget {
  if (budget.kind === 'flops') return { computeFlops: checkCompute('compute', budget.flops) };
  const device = checkDevice(budget.device);
  const count = checkCount(budget.count);
  const mfu = checkMfu(budget.mfu);
  let deviceHours: number;
  let costUsd: number | undefined;
  if (budget.kind === 'device-hours') {
    const hours = requirePositive('hours', budget.hours, 'a number of hours');
    if (hours > 1e7) throw new PlanInputError('hours', `${hours} hours is over a thousand years (at most 1e7)`);
    deviceHours = hours * count;
  } else {
    const usd = requirePositive('budget-usd', budget.usd, 'an amount of money');
    const price = requirePositive('usd-per-hour', budget.usdPerHour, 'a price per device-hour');
    deviceHours = usd / price;
    costUsd = usd;
  }
  const computeFlops = deviceHours * 3600 * device.peakFlops * mfu;
  checkCompute(budget.kind === 'money' ? 'budget-usd' : 'hours', computeFlops);
  return { computeFlops, time: { seconds: (deviceHours / count) * 3600, devices: count }, costUsd, device, mfu, deviceHours };
}

/** Time and devices for a FLOPs budget on a device (when the budget itself was FLOPs). */
export function timeOnDevice(computeFlops: number, device: PlanDevice, count = 1, mfu = DEFAULT_MFU): { seconds: number; devices: number } {
  return { seconds: computeFlops / (count * device.peakFlops * mfu), devices: count };
}

/** The training dtypes tried, best first: bf16, then fp16, then fp32 (older GPUs). */
const DTYPE_ORDER = ['bf16', 'fp16', 'fp32'] as const;

export function catalogDevice(entry: GpuCatalogEntry): PlanDevice {
  for (const dtype of DTYPE_ORDER) {
    const tflops = entry[dtype];
    if (tflops) return { name: entry.name, peakFlops: tflops * 1e12, dtype, memGB: entry.memGB, source: entry.source, power: catalogPower(entry) };
  }
  throw new PlanInputError('device', `${entry.name} has no bf16, fp16 or fp32 peak in the catalog`);
}

/** The catalog's board power (TDP) as the device's training power: an upper bound on the draw. */
export function catalogPower(entry: GpuCatalogEntry): DevicePower {
  if (entry.tdpW === null || !(entry.tdpW > 0)) return { watts: null, reason: `no TDP in the catalog for ${entry.name}` };
  return { watts: entry.tdpW, source: 'catalog TDP', basis: `${entry.name} board power at TDP, ${entry.tdpW} W, from the GPU catalog (see the device's source)` };
}

/** A catalog GPU by name ("H100 SXM", "a100"…), or a PlanInputError naming the field. */
export function resolveCatalogDevice(name: string): PlanDevice {
  const trimmed = name.trim();
  if (!trimmed) throw new PlanInputError('device', 'give a device name');
  const exact = GPU_CATALOG.find((e) => e.name.toLowerCase() === trimmed.toLowerCase());
  const entry = exact ?? findGpu(trimmed);
  if (!entry) {
    const words = trimmed.toLowerCase().split(/[\s_-]+/).filter(Boolean);
    const close = GPU_CATALOG.filter((e) => words.every((w) => e.name.toLowerCase().includes(w))).map((e) => `"${e.name}"`);
    if (close.length > 1) throw new PlanInputError('device', `"${trimmed}" matches several catalog devices: ${close.join(', ')}; name one`);
  }
  if (!entry) throw new PlanInputError('device', `unknown device "${trimmed}" (not in the GPU catalog; try a name such as "H100 SXM" or "A100 80GB", or "this" for this machine)`);
  return catalogDevice(entry);
}
