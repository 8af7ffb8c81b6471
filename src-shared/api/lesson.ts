/** The lessons capability's part of the API contract (runs anywhere): the gradient-descent lesson's measured kernels. */
import { z } from 'zod';
import type { JobInfo } from './types.js';
import { lazyMethods } from './lazy-schema.js';

export const lessonMethods = lazyMethods({
  /** Time the gradient-descent lesson's kernels (X is n × d, fp32) through ONNX Runtime; stored as a 'lesson' run. */
  'lesson.linreg.start': () => z
    .object({
      n: z.number().int().min(2).max(10_000_000),
      d: z.number().int().min(1).max(8192),
      threads: z.number().int().min(1).max(1024).optional(),
    })
    .strict()
    .refine((r) => r.n * r.d <= 2 ** 28, { error: 'n × d must be at most 2^28 elements (1 GiB of fp32)', path: ['n'] }),
});

export interface LessonResults {
  'lesson.linreg.start': JobInfo;
}

export type LinregStartRequest = z.output<(typeof lessonMethods)['lesson.linreg.start']>;
