/**
 * Types of the built-in model zoo (Node main process / CLI). `ZooEntry` is plain JSON (what a
 * `zoo.list` API method or the Models page shows); a `ZooDefinition` adds the function that plans
 * the graph from validated options.
 */
import type { ZooGraph } from './graph.js';

export type { ZooEntry, ZooOption } from '../../../src-shared/api/zoo.js';
import type { ZooEntry } from '../../../src-shared/api/zoo.js';

export type ZooOptionValues = Record<string, number | string>;

/** Options after validation: every option present, numbers as numbers. */
export type ResolvedOptions = Record<string, number | string>;

/** What a family returns for one set of options. */
export interface ZooPlan {
  graph: ZooGraph;
  /** Default bindings for the symbolic dims of the inputs ("batch", "sequence"). */
  dims: Record<string, number>;
  /** Mixture-of-experts accounting (moe-transformer only). */
  moe?: MoeAccounting;
}

export interface MoeAccounting {
  experts: number;
  topK: number;
  /** Elements of all expert weights (every expert of every layer). */
  expertParams: number;
  /** Parameters a token actually uses: non-expert params + topK / experts × expert params. */
  activeParamsPerToken: number;
  /** Node-name pattern of per-expert nodes, e.g. "blocks.<layer>.moe.expert<e>.<fc1|act|fc2|gate>". */
  expertNodePattern: string;
}

export interface ZooDefinition extends ZooEntry {
  plan(options: ResolvedOptions): ZooPlan;
}
