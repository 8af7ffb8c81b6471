/** The efficient-transformer lab (Node side): the predicted sweep, and the measured one as a job. */
import type { attentionMethods } from '../../../src-shared/api/attention.js';
import { runAttentionSweep, startAttentionMeasureJob } from '../../services/attention/attention-service.js';
import type { CapabilityHandlers } from '../context.js';

export const attentionHandlers: CapabilityHandlers<keyof typeof attentionMethods> = {
  'attention.sweep': async (req, ctx) => runAttentionSweep(req, await ctx.hardware(), ctx.runs(), ctx.appVersion),
  'attention.measure': (req, ctx) => startAttentionMeasureJob(ctx, req),
};
