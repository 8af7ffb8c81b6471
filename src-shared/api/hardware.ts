/** The hardware capability's part of the API contract (runs anywhere): this machine's report and the machines the store knows. */
import { z } from 'zod';
import type { HardwareReport, Machine } from './types.js';
import { empty } from './common.js';
import { lazyMethods } from './lazy-schema.js';

export const hardwareMethods = lazyMethods({
  'hardware.detect': () => z
    .object({
      /** Re-probe instead of returning the report cached for this process. */
      refresh: z.boolean().optional(),
      /** Store the report as a 'hardware' run. */
      save: z.boolean().optional(),
    })
    .strict(),
  'machines.list': () => empty,
});

export interface HardwareResults {
  'hardware.detect': HardwareReport & { runId: number | null };
  'machines.list': Machine[];
}
