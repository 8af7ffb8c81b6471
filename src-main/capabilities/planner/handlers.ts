/** The planner (Node side): plans (computed or stored), fits (listed or created) and the device "this" stands for. */
import type { PlanRequest, plannerMethods } from '../../../src-shared/api/planner.js';
import { computePlan, createFit, listFits, thisMachineDevice } from '../../services/planner/planner-service.js';
import type { BackendContext, CapabilityHandlers } from '../context.js';

/** Stored fits and "this machine" only when the request needs them (no DB or probe otherwise). */
async function planContext(req: PlanRequest, ctx: BackendContext) {
  const budgetDevice = req.budget && 'device' in req.budget ? req.budget.device : undefined;
  const needsThis = [req.device, budgetDevice].some((d) => d?.trim().toLowerCase() === 'this');
  const thisMachine = needsThis ? thisMachineDevice(await ctx.hardware(), ctx.runs()) : { device: null, note: 'not needed' };
  return { customFits: req.fit.startsWith('custom:') ? listFits(ctx.runs()) : [], thisMachine };
}

export const plannerHandlers: CapabilityHandlers<keyof typeof plannerMethods> = {
  'plan.compute': async (req, ctx) => computePlan(req, await planContext(req, ctx)),
  'plan.save': async (req, ctx) => {
    const plan = computePlan(req, await planContext(req, ctx));
    const runId = ctx.runs().insert({ kind: 'plan', machine: await ctx.hardware(), appVersion: ctx.appVersion, params: req, result: plan });
    return { runId, plan };
  },
  'fits.list': (_req, ctx) => listFits(ctx.runs()),
  'fits.create': async (req, ctx) => createFit(ctx.runs(), await ctx.hardware(), ctx.appVersion, req.name, req.csv, req.bootstrap),
  'planner.thisMachine': async (_req, ctx) => thisMachineDevice(await ctx.hardware(), ctx.runs()),
};
