/**
 * The planner's part of the API contract (runs anywhere): a plan request as plain JSON (devices
 * by name, fits by id) and the fit list the page and the CLI show. The maths is in
 * src-shared/planner; the backend resolves "this" (this machine) and stored custom fits.
 */
import { z } from 'zod';
import type { FittedLaw } from '../planner/fit-law.js';
import type { PlanDevice } from '../planner/budget.js';
import type { WattsSource } from '../planner/energy.js';
import type { PlanResult } from '../planner/plan.js';
import type { Fit } from '../planner/types.js';
import { empty } from './common.js';
import { lazyMethods, lazySchema } from './lazy-schema.js';

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15 };

/**
 * Reads a quantity such as 5.76e23, 7e9, 7B or 1.5T (suffixes K, M, B/G, T, P, any case); null
 * when it is not a number. Sign and size are judged by the planner, which names the field. Use
 * `quantityTextSchema` for the value with an error; this is its parser (the Planner page reads its
 * form with it).
 */
export function parseQuantity(text: string): number | null {
  const m = /^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([kmbgtp]?)\s*$/i.exec(text);
  if (!m) return null;
  return Number(m[1]) * (m[2] ? SUFFIX[m[2].toLowerCase()]! : 1);
}

function quantityFromText(text: string, ctx: z.RefinementCtx): number {
  const q = parseQuantity(text);
  if (q !== null) return q;
  ctx.addIssue({ code: 'custom', message: `must be a number such as 1e23, 7e9 or 7B, got ${JSON.stringify(text)}` });
  return z.NEVER;
}

/** A quantity as a person writes it (7B, 1.4T, 5.76e23) parsed into its number, or one issue; the CLI parses its flags with it. */
export const quantityTextSchema = lazySchema(() => z.string().transform(quantityFromText));

/**
 * Numbers are checked by the planner itself (PlanInputError names the field), not here. The wire
 * takes numbers only (text such as "1e22" is refused naming the field); quantity text is the
 * CLI's and the page's to parse, with quantityTextSchema / parseQuantity above.
 */
const num = lazySchema(() => z.number({ error: 'expected a number' }));
const deviceName = lazySchema(() => z.string().min(1).max(200));

export const budgetSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flops'), flops: num }).strict(),
  z.object({ kind: z.literal('device-hours'), device: deviceName, hours: num, count: num.optional(), mfu: num.optional() }).strict(),
  z.object({ kind: z.literal('money'), device: deviceName, usd: num, usdPerHour: num, count: num.optional(), mfu: num.optional() }).strict(),
]));

export const planRequestSchema = lazySchema(() => z
  .object({
    /** A built-in fit id (chinchilla-1|2|3, epoch, kaplan) or custom:<run id>. */
    fit: z.string().min(1).max(80),
    budget: budgetSchema.optional(),
    params: num.optional(),
    inferenceTokens: num.optional(),
    uniqueTokens: num.optional(),
    vocab: num.optional(),
    context: num.optional(),
    /** Time a FLOPs budget on this device ("this" = this machine). */
    device: deviceName.optional(),
    deviceCount: num.optional(),
    mfu: num.optional(),
    /** Power usage effectiveness of the site, 1–3 (default 1.56, Uptime Institute 2024; see planner/energy.ts). */
    pue: num.optional(),
    /** Grid carbon intensity in gCO₂/kWh, 0–2000 (default 481, Ember 2024 world average for 2023). */
    gridGPerKwh: num.optional(),
  })
  .strict());

export type PlanRequest = z.input<typeof planRequestSchema>;
export type BudgetRequest = z.input<typeof budgetSchema>;

/** A fit as listed: built-in or stored (then with its run id and fit report). */
export interface FitInfo extends Fit {
  builtin: boolean;
  runId?: number;
  createdAt?: string;
  fitted?: FittedLaw;
}

export interface SavedPlan {
  runId: number;
  plan: PlanResult;
}

export interface ThisMachineDevice {
  /** With `power` set when it is known (the plan's energy uses it). */
  device: PlanDevice | null;
  /** Why no device, or where the peak comes from. */
  note: string;
  /**
   * This machine's power for plans: the average total watts during the GEMM phase of the newest
   * benchmark run that recorded energy (`measured`, or `estimated` when that run estimated it), or
   * the catalog TDP of a detected catalog GPU; null with `powerNote` saying why when unknown.
   */
  power?: { watts: number; source: WattsSource; runId?: number; basis: string } | null;
  /** Why `power` is null, or where it comes from. */
  powerNote?: string;
  /** This CPU's measured fp32 roofline (newest benchmark run), for the gradient-descent lesson. */
  roofline?: { peakGflops: number; bandwidthGBs: number };
}

/** The most runs `fits.create` fits in the backend (the fit is synchronous; 200 runs take < 2 s). */
export const MAX_FIT_RUNS = 5000;
/** The largest CSV text accepted (bytes of UTF-16 text, roughly). */
export const MAX_FIT_CSV_CHARS = 5_000_000;

export const plannerMethods = lazyMethods({
  /** Compute a plan without storing it (the page computes locally; the CLI and scripts use this). */
  'plan.compute': () => planRequestSchema,
  /** Compute and store a plan as a 'plan' run. */
  'plan.save': () => planRequestSchema,
  'fits.list': () => empty,
  /** Fit L(N, D) = E + A/N^α + B/D^β to a CSV of the user's runs and store it as a 'fit' run. */
  'fits.create': () => z
    .object({
      name: z.string().trim().min(1, { error: 'give the fit a name' }).max(100),
      csv: z.string().max(MAX_FIT_CSV_CHARS, { error: `the CSV is too large (at most ${MAX_FIT_CSV_CHARS} characters)` }),
      bootstrap: z.number().int().min(0).max(2000).optional(),
    })
    .strict(),
  /** The device "this" stands for in plans: a detected catalog GPU, else this CPU's measured or theoretical peak. */
  'planner.thisMachine': () => empty,
});

export interface PlannerResults {
  'plan.compute': PlanResult;
  'plan.save': SavedPlan;
  'fits.list': FitInfo[];
  'fits.create': FitInfo;
  'planner.thisMachine': ThisMachineDevice;
}
