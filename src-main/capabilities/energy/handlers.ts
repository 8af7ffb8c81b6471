/** `energy.sources` (Node side): the power sensors a run would read here, found and released again. */
import type { energyMethods } from '../../../src-shared/api/energy.js';
import { discoverPower } from '../../services/energy/sampler.js';
import type { CapabilityHandlers } from '../context.js';

export const energyHandlers: CapabilityHandlers<keyof typeof energyMethods> = {
  'energy.sources': async (_req, ctx) => {
    const found = await discoverPower({ hardware: await ctx.hardware() });
    await Promise.all(found.sources.map((s) => s.stop().catch(() => undefined)));
    return { channels: found.channels, unavailable: found.unavailable, warnings: found.warnings, cpuMeasured: found.cpuMeasured, estimateBasis: found.basis.basis };
  },
};
