/** What the measured kinds' History figures share (runs anywhere): the run's energy and its source text. */
import { energySourceText, readEnergy } from '../../energy/format.js';
import type { EnergyReport } from '../../energy/types.js';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The result's energy (null when it has none) and its hover text: source and, for an estimate, the basis. */
export function energyOf(result: Record<string, unknown>): { energy: EnergyReport | null; source: string } {
  const energy = readEnergy(result.energy);
  const source = energy ? [energySourceText(energy), energy.estimated && energy.estimateBasis ? `basis: ${energy.estimateBasis}` : null].filter(Boolean).join(' — ') : '';
  return { energy, source };
}
