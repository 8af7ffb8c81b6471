/** The profiler capability's part of the API contract (runs anywhere): `profile.start`, a model profiled as a job. */
import { z } from 'zod';
import type { JobInfo } from './types.js';
import { lazyMethods, lazySchema } from './lazy-schema.js';

export const profileSourceSchema = lazySchema(() => z.union([
  /** A path on disk: accepted from the CLI door only; a page uploads the file and passes { upload }. */
  z.object({ file: z.string().min(1).max(4096) }).strict(),
  z.object({ upload: z.string().min(1).max(64) }).strict(),
  z.object({ zoo: z.string().min(1).max(64), options: z.record(z.string(), z.union([z.number().finite(), z.string().max(64)])).optional() }).strict(),
]));

export const profileMethods = lazyMethods({
  'profile.start': () => z
    .object({
      source: profileSourceSchema,
      /** Bindings of symbolic dimensions, e.g. { batch: 1, sequence: 128 }. */
      dims: z.record(z.string().min(1), z.number().int().min(1).max(2 ** 31)).optional(),
      /**
       * Also run the model with ONNX Runtime and measure per-op time. The per-op timeline (a Chrome
       * trace) comes back in the job's result as `trace`; the API writes no files (the page
       * downloads it, the CLI writes it to the file its user named with --trace).
       */
      run: z.boolean().optional(),
      threads: z.number().int().min(1).max(1024).optional(),
      /** Quantize the actual weights (int8/int4, per-tensor/per-channel, sym/asym): SQNR and sizes. */
      quantize: z.boolean().optional(),
      /** Prune the actual weights by magnitude (global or layer-wise, at a sparsity) or 2:4. */
      prune: z
        .object({ method: z.enum(['global', 'layerwise', '2:4']), sparsity: z.number().min(0).max(1).optional() })
        .strict()
        .optional(),
      /** Measure the fraction of zeros after each ReLU-family op in a real run. */
      activationSparsity: z.boolean().optional(),
      /** Store the profile as a run (default true); false for scratch work such as matching FLOPs. */
      store: z.boolean().optional(),
      /** A what-if's measured profile: the stored run it was asked from, kept in the what-if run's params (History links them). */
      parentRunId: z.number().int().min(1).optional(),
    })
    .strict(),
});

export type ProfileStartRequest = z.output<(typeof profileMethods)['profile.start']>;
export type ProfileSource = ProfileStartRequest['source'];

export interface ProfileResults {
  'profile.start': JobInfo;
}
