/** The energy capability's part of the API contract (runs anywhere): the power sensors a run would read. */
import type { PowerSourcesReport } from '../energy/types.js';
import { empty } from './common.js';
import { lazyMethods } from './lazy-schema.js';

export const energyMethods = lazyMethods({
  /** The power sensors a run would read on this machine, and why the others are not available. */
  'energy.sources': () => empty,
});

export interface EnergyResults {
  'energy.sources': PowerSourcesReport;
}
