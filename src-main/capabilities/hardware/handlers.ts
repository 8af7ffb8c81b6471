/** `hardware.detect` and `machines.list` (Node side): this machine's report (optionally stored) and the machines the store knows. */
import type { hardwareMethods } from '../../../src-shared/api/hardware.js';
import type { CapabilityHandlers } from '../context.js';

export const hardwareHandlers: CapabilityHandlers<keyof typeof hardwareMethods> = {
  'hardware.detect': async (req, ctx) => {
    const report = await ctx.hardware(req.refresh ?? false);
    let runId: number | null = null;
    if (req.save) runId = ctx.runs().insert({ kind: 'hardware', machine: report, appVersion: ctx.appVersion, params: {}, result: report });
    return { ...report, runId };
  },
  'machines.list': (_req, ctx) => ctx.machines().list(),
};
