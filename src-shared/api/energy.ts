/** The energy capability's part of the API contract (runs anywhere): the power sensors a run would read. */
import type { PowerSourcesReport } from '../energy/types.js';
import { empty } from './common.js';

export const energyMethods = {
  /** The power sensors a run would read on this machine, and why the others are not available. */
  'energy.sources': empty,
} as const;

export interface EnergyResults {
  'energy.sources': PowerSourcesReport;
}
