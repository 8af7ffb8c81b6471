/**
 * Every capability of the backend (Node side), one line each: the methods its contract file
 * declares (src-shared/api/<capability>.ts) and how to load its handlers
 * (src-main/capabilities/<capability>/handlers.ts). The handlers are imported on a capability's
 * first call, not when the backend is made: `flopscope profile` never loads ONNX Runtime's
 * benchmark suites, the planner or the report renderer, and `flopscope --version` loads none
 * (bench/cli-startup.ts measures it).
 *
 * A method of the contract that no capability here declares does not compile (`Uncovered`
 * below), nor does a loader whose handlers miss one of its capability's methods.
 */
import type { Method, ParsedRequestOf, ResultOf } from '../../src-shared/api/contract.js';
import type { CallContext } from '../infra/door.js';
import { appMethods } from '../../src-shared/api/app.js';
import { hardwareMethods } from '../../src-shared/api/hardware.js';
import { energyMethods } from '../../src-shared/api/energy.js';
import { runsMethods } from '../../src-shared/api/runs.js';
import { reportsMethods } from '../../src-shared/api/reports.js';
import { benchMethods } from '../../src-shared/api/bench.js';
import { profileMethods } from '../../src-shared/api/profile.js';
import { zooMethods } from '../../src-shared/api/zoo.js';
import { plannerMethods } from '../../src-shared/api/planner.js';
import { lessonMethods } from '../../src-shared/api/lesson.js';
import { attentionMethods } from '../../src-shared/api/attention.js';
import { llmMethods } from '../../src-shared/api/llm.js';
import { jobsMethods } from '../../src-shared/api/jobs.js';
import type { BackendContext, CapabilityHandlers } from './context.js';

/** A method's handler as the backend binds it: takes the parsed request and the call's door, loads its capability first. */
export type BoundHandlers<M extends Method> = { [K in M]: (request: ParsedRequestOf<K>, call: CallContext) => Promise<ResultOf<K>> };

export interface Capability<M extends Method> {
  /** The methods this capability answers (its contract file's method table). */
  readonly methods: readonly M[];
  /**
   * Its handlers, each importing the capability's handlers module on the first call (once) and
   * calling the real handler with the context `contextFor` makes for that call.
   */
  bind(contextFor: (call: CallContext) => BackendContext): BoundHandlers<M>;
}

function capability<M extends Method>(table: Record<M, unknown>, load: () => Promise<CapabilityHandlers<M>>): Capability<M> {
  const methods = Object.keys(table) as M[];
  return {
    methods,
    bind(contextFor) {
      let loading: Promise<CapabilityHandlers<M>> | null = null;
      const bindOne = <K extends M>(method: K): BoundHandlers<M>[K] =>
        async (request: ParsedRequestOf<K>, call: CallContext) => (await (loading ??= load()))[method](request, contextFor(call));
      const bound = {} as BoundHandlers<M>;
      for (const method of methods) bound[method] = bindOne(method);
      return bound;
    },
  };
}

export const CAPABILITIES = [
  capability(appMethods, async () => (await import('./app/handlers.js')).appHandlers),
  capability(hardwareMethods, async () => (await import('./hardware/handlers.js')).hardwareHandlers),
  capability(energyMethods, async () => (await import('./energy/handlers.js')).energyHandlers),
  capability(runsMethods, async () => (await import('./runs/handlers.js')).runsHandlers),
  capability(reportsMethods, async () => (await import('./reports/handlers.js')).reportsHandlers),
  capability(benchMethods, async () => (await import('./bench/handlers.js')).benchHandlers),
  capability(profileMethods, async () => (await import('./profile/handlers.js')).profileHandlers),
  capability(zooMethods, async () => (await import('./zoo/handlers.js')).zooHandlers),
  capability(plannerMethods, async () => (await import('./planner/handlers.js')).plannerHandlers),
  capability(lessonMethods, async () => (await import('./lesson/handlers.js')).lessonHandlers),
  capability(attentionMethods, async () => (await import('./attention/handlers.js')).attentionHandlers),
  capability(llmMethods, async () => (await import('./llm/handlers.js')).llmHandlers),
  capability(jobsMethods, async () => (await import('./jobs/handlers.js')).jobsHandlers),
] as const;

type MethodsOf<C> = C extends Capability<infer M> ? M : never;
type Covered = MethodsOf<(typeof CAPABILITIES)[number]>;
/** The contract's methods that no capability declares: must stay `never`. */
type Uncovered = Exclude<Method, Covered>;
const everyMethodCovered: [Uncovered] extends [never] ? true : { uncovered: Uncovered } = true;
void everyMethodCovered;
