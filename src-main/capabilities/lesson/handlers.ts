/** `lesson.linreg.start` (Node side): the gradient-descent lesson's kernels timed as a job. */
import type { lessonMethods } from '../../../src-shared/api/lesson.js';
import { startLinregJob } from '../../suites/linreg-suite.js';
import type { CapabilityHandlers } from '../context.js';

export const lessonHandlers: CapabilityHandlers<keyof typeof lessonMethods> = {
  'lesson.linreg.start': (req, ctx) => startLinregJob(ctx, req),
};
