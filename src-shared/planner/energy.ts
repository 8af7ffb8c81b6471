/**
 * A plan's energy and carbon (runs anywhere): training FLOPs → device-seconds → IT energy at the
 * device's power, × PUE for the facility (cooling, power conversion and the rest), × the grid's
 * carbon intensity for CO₂. Pure: the device's watts come in with the device (catalog TDP, or
 * this machine's power measured by a stored benchmark, resolved on the Node side). Bad input
 * throws PlanInputError naming the field. docs/planner.md, "Energy and carbon", has the sources.
 *
 *   device FLOP/J at MFU = (peak FLOP/s × MFU) ÷ device watts
 *   IT energy (J)        = training FLOPs ÷ FLOP/J = device-seconds × watts
 *   facility energy      = IT energy × PUE   (PUE = total facility energy ÷ IT energy, The Green
 *                          Grid's definition; the part above 1 is the idle/cooling overhead)
 *   CO₂ (kg)             = facility kWh × grid gCO₂/kWh ÷ 1000
 */
import { formatSI } from '../format/si.js';
import { PlanInputError } from './plan-input-error.js';

/**
 * Default PUE 1.56: the average annual PUE that operators reported for their largest data centre
 * in the Uptime Institute Global Data Center Survey 2024 (Uptime gives 1.58 for 2023 and a range
 * of 1.55–1.59 since 2020; the 2024 report says new large sites reach 1.3 or better).
 */
export const DEFAULT_PUE = 1.56;
export const PUE_SOURCE = 'Uptime Institute Global Data Center Survey 2024: average annual PUE 1.56 reported for respondents’ largest data centre (1.55–1.59 every year since 2020)';

/**
 * Default grid intensity 481 gCO₂/kWh: the world's electricity generation in 2023 (Ember, yearly
 * electricity data behind the Global Electricity Review 2024, as charted by Statista, July 2024).
 * The review's methodology counts life-cycle emissions (upstream methane, supply chain,
 * manufacturing; all gases as CO₂-equivalent over 100 years), so earlier editions' figures (436
 * g/kWh for 2022 in the 2023 review) are not directly comparable.
 */
export const DEFAULT_GRID_G_PER_KWH = 481;
export const GRID_SOURCE = 'Ember (2024), yearly electricity data / Global Electricity Review 2024: world electricity generation averaged 481 gCO₂e/kWh in 2023 (life-cycle)';
export const GRID_SOURCE_SHORT = 'Ember 2024 world average';

/**
 * 2023 grid intensities the user may type instead (gCO₂e/kWh, Ember data: Norway and India as
 * charted by Statista from Ember, July 2024; France, Germany and China from Our World in Data's
 * "Carbon intensity of electricity generation", Ember and Energy Institute).
 */
export const GRID_REFERENCE_POINTS: ReadonlyArray<{ where: string; gPerKwh: number }> = [
  { where: 'Norway', gPerKwh: 30 },
  { where: 'France', gPerKwh: 56 },
  { where: 'Germany', gPerKwh: 381 },
  { where: 'China', gPerKwh: 582 },
  { where: 'India', gPerKwh: 713 },
];

export const MIN_PUE = 1;
export const MAX_PUE = 3;
export const MAX_GRID_G_PER_KWH = 2000;

export type WattsSource = 'catalog TDP' | 'measured' | 'estimated';

/** A device's power while training, or why it is not known. */
export type DevicePower =
  | {
      watts: number;
      source: WattsSource;
      /** One line: where the figure comes from. */
      basis: string;
      /** The benchmark run that measured it ('measured' / 'estimated'). */
      runId?: number;
    }
  | { watts: null; reason: string };

export interface PlanEnergy {
  /** Facility energy: IT energy × PUE. */
  kwh: number;
  /** Energy drawn by the devices themselves. */
  itKwh: number;
  /** kwh − itKwh: cooling, power conversion and the rest of the site (PUE − 1). */
  overheadKwh: number;
  co2Kg: number;
  /** Power of one device. */
  deviceWatts: number;
  wattsSource: WattsSource;
  wattsBasis: string;
  wattsRunId?: number;
  /** All devices together: training FLOPs ÷ (peak × MFU). */
  deviceSeconds: number;
  /** Useful FLOPs per joule of one device at this MFU. */
  flopsPerJoule: number;
  pue: number;
  gridGPerKwh: number;
  /** One sentence saying how the figures were formed. */
  basis: string;
}

const J_PER_KWH = 3.6e6;

function finite(field: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new PlanInputError(field, `must be ${what} (got ${value === undefined ? 'nothing' : String(value)})`);
  if (!Number.isFinite(value)) throw new PlanInputError(field, `must be finite (got ${value})`);
  return value;
}

/** PUE from 1 (no overhead at all) to 3 (a very poor site); undefined → the default. */
export function checkPue(pue: unknown): number {
  if (pue === undefined) return DEFAULT_PUE;
  const p = finite('pue', pue, `a power usage effectiveness from ${MIN_PUE} to ${MAX_PUE}`);
  if (p < MIN_PUE) throw new PlanInputError('pue', `must be at least ${MIN_PUE} (got ${p}): PUE is total facility energy ÷ IT energy, so a site never uses less than its IT`);
  if (p > MAX_PUE) throw new PlanInputError('pue', `must be at most ${MAX_PUE} (got ${p}); surveyed sites average ${DEFAULT_PUE}`);
  return p;
}

/** Grid intensity from 0 (all low-carbon) to 2000 gCO₂/kWh (above any grid); undefined → the default. */
export function checkGrid(g: unknown): number {
  if (g === undefined) return DEFAULT_GRID_G_PER_KWH;
  const v = finite('grid-g-per-kwh', g, `a grid intensity in gCO₂/kWh from 0 to ${MAX_GRID_G_PER_KWH}`);
  if (v < 0) throw new PlanInputError('grid-g-per-kwh', `cannot be negative (got ${v})`);
  if (v > MAX_GRID_G_PER_KWH) throw new PlanInputError('grid-g-per-kwh', `must be at most ${MAX_GRID_G_PER_KWH} gCO₂/kWh (got ${v}); coal-only generation is about 1000`);
  return v;
}

export interface EnergyInput {
  /** Training FLOPs of the run. */
  computeFlops: number;
  /** Dense peak of one device, FLOP/s. */
  peakFlops: number;
  mfu: number;
  watts: number;
  wattsSource: WattsSource;
  wattsBasis?: string;
  wattsRunId?: number;
  pue?: number;
  gridGPerKwh?: number;
}

export function planEnergy(input: EnergyInput): PlanEnergy {
  const pue = checkPue(input.pue);
  const gridGPerKwh = checkGrid(input.gridGPerKwh);
  const watts = finite('device watts', input.watts, 'a power in watts');
  if (watts <= 0) throw new PlanInputError('device watts', `must be greater than 0 (got ${watts})`);
  const flopsPerJoule = (input.peakFlops * input.mfu) / watts;
  const itJoules = input.computeFlops / flopsPerJoule;
  const deviceSeconds = input.computeFlops / (input.peakFlops * input.mfu);
  const itKwh = itJoules / J_PER_KWH;
  const kwh = itKwh * pue;
  const upper = input.wattsSource === 'catalog TDP' ? '; board power at TDP for the whole run is an upper bound, the draw at this MFU is usually below it' : '';
  return {
    kwh,
    itKwh,
    overheadKwh: kwh - itKwh,
    co2Kg: (kwh * gridGPerKwh) / 1000,
    deviceWatts: watts,
    wattsSource: input.wattsSource,
    wattsBasis: input.wattsBasis ?? input.wattsSource,
    ...(input.wattsRunId !== undefined ? { wattsRunId: input.wattsRunId } : {}),
    deviceSeconds,
    flopsPerJoule,
    pue,
    gridGPerKwh,
    basis: `Device energy = training FLOPs ÷ ${formatSI(flopsPerJoule, 'FLOP/J')} (peak × MFU ${input.mfu} ÷ ${fmtWatts(watts)}, ${input.wattsSource}${upper}); facility energy = that × PUE ${pue}; CO₂ = facility kWh × ${gridGPerKwh} g/kWh.`,
  };
}

function fmtWatts(w: number): string {
  return `${Number(w.toPrecision(3))} W`;
}

/** Energy for a plan's device, or null and why (no device, no TDP, no measured power). */
export function energyForDevice(
  computeFlops: number,
  device: { name: string; peakFlops: number; power?: DevicePower } | undefined,
  mfu: number | undefined,
  grid: { pue?: number; gridGPerKwh?: number },
): { energy: PlanEnergy } | { energy: null; reason: string } {
  if (!device || mfu === undefined) return { energy: null, reason: 'choose a device to estimate energy' };
  const power = device.power;
  if (!power) return { energy: null, reason: `no power figure is known for ${device.name}` };
  if (power.watts === null) return { energy: null, reason: power.reason };
  return {
    energy: planEnergy({
      computeFlops,
      peakFlops: device.peakFlops,
      mfu,
      watts: power.watts,
      wattsSource: power.source,
      wattsBasis: power.basis,
      ...(power.runId !== undefined ? { wattsRunId: power.runId } : {}),
      ...grid,
    }),
  };
}

const ENERGY_UNITS: Array<[number, string]> = [
  [1e9, 'TWh'],
  [1e6, 'GWh'],
  [1e3, 'MWh'],
  [1, 'kWh'],
];

/** 1.23e6 kWh → "1.23 GWh"; below 1 kWh in Wh. */
export function formatKwh(kwh: number): string {
  if (!Number.isFinite(kwh)) return '—';
  for (const [scale, unit] of ENERGY_UNITS) if (Math.abs(kwh) >= scale) return `${sig(kwh / scale)} ${unit}`;
  return `${sig(kwh * 1000)} Wh`;
}

const MASS_UNITS: Array<[number, string]> = [
  [1e9, 'Mt'],
  [1e6, 'kt'],
  [1e3, 't'],
  [1, 'kg'],
];

/** CO₂ mass: 5.9e5 kg → "590 t"; below 1 kg in g. */
export function formatCo2Kg(kg: number): string {
  if (!Number.isFinite(kg)) return '—';
  for (const [scale, unit] of MASS_UNITS) if (Math.abs(kg) >= scale) return `${sig(kg / scale)} ${unit}`;
  return `${sig(kg * 1000)} g`;
}

function sig(x: number): string {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}
