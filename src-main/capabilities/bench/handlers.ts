/** `bench.start` (Node side): the benchmark suite as a job. */
import type { benchMethods } from '../../../src-shared/api/bench.js';
import { startBenchJob } from '../../suites/bench-suite.js';
import type { CapabilityHandlers } from '../context.js';

export const benchHandlers: CapabilityHandlers<keyof typeof benchMethods> = {
  'bench.start': (req, ctx) => startBenchJob(ctx, req),
};
