/**
 * From a plan request (plain JSON: fit by id, devices by name) to the planner's input (runs
 * anywhere): the backend and the Planner page resolve requests the same way, so a plan saved
 * from the page and one printed by the CLI are computed identically.
 */
import type { PlanRequest } from '../api/planner.js';
import { PlanInputError, resolveCatalogDevice, type Budget, type PlanDevice } from './budget.js';
import { BUILTIN_FITS, isBuiltinFit } from './fits.js';
import type { PlanInput } from './plan.js';
import type { Fit } from './types.js';

export interface RequestContext {
  /** Stored custom fits (id custom:<run id>). */
  customFits: readonly Fit[];
  /** What "this" means: this machine's device, or null with the reason. */
  thisMachine: { device: PlanDevice | null; note: string };
}

export const THIS_MACHINE = 'this';

export function resolveFit(id: string, custom: readonly Fit[]): Fit {
  if (isBuiltinFit(id)) return BUILTIN_FITS[id];
  const found = custom.find((f) => f.id === id);
  if (found) return found;
  const known = [...Object.keys(BUILTIN_FITS), ...custom.map((f) => f.id)].join(', ');
  throw new PlanInputError('fit', `unknown fit "${id}" (known: ${known})`);
}

export function resolveDevice(name: string, ctx: RequestContext): PlanDevice {
  if (name.trim().toLowerCase() === THIS_MACHINE) {
    if (!ctx.thisMachine.device) throw new PlanInputError('device', `no peak is known for this machine: ${ctx.thisMachine.note}`);
    return ctx.thisMachine.device;
  }
  return resolveCatalogDevice(name);
}

export function planInputFromRequest(req: PlanRequest, ctx: RequestContext): PlanInput {
  const fit = resolveFit(req.fit, ctx.customFits);
  let budget: Budget | undefined;
  const b = req.budget;
  if (b?.kind === 'flops') budget = { kind: 'flops', flops: b.flops };
  else if (b?.kind === 'device-hours') {
    budget = { kind: 'device-hours', device: resolveDevice(b.device, ctx), hours: b.hours, ...(b.count !== undefined ? { count: b.count } : {}), ...(b.mfu !== undefined ? { mfu: b.mfu } : {}) };
  } else if (b?.kind === 'money') {
    budget = { kind: 'money', device: resolveDevice(b.device, ctx), usd: b.usd, usdPerHour: b.usdPerHour, ...(b.count !== undefined ? { count: b.count } : {}), ...(b.mfu !== undefined ? { mfu: b.mfu } : {}) };
  }
  return {
    fit,
    ...(budget ? { budget } : {}),
    ...(req.params !== undefined ? { params: req.params } : {}),
    ...(req.inferenceTokens !== undefined ? { inferenceTokens: req.inferenceTokens } : {}),
    ...(req.uniqueTokens !== undefined ? { uniqueTokens: req.uniqueTokens } : {}),
    ...(req.vocab !== undefined ? { vocab: req.vocab } : {}),
    ...(req.context !== undefined ? { context: req.context } : {}),
    ...(req.device !== undefined ? { device: resolveDevice(req.device, ctx) } : {}),
    ...(req.deviceCount !== undefined ? { deviceCount: req.deviceCount } : {}),
    ...(req.mfu !== undefined ? { mfu: req.mfu } : {}),
    ...(req.pue !== undefined ? { pue: req.pue } : {}),
    ...(req.gridGPerKwh !== undefined ? { gridGPerKwh: req.gridGPerKwh } : {}),
  };
}
