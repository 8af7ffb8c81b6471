/** `llm.models`, `llm.estimate` and `llm.measure` (Node side); only the CLI door may name a file on disk. */
import type { llmMethods, LlmSource } from '../../../src-shared/api/llm.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { estimateLlm, knownModels, startLlmMeasureJob } from '../../services/llm/llm-service.js';
import type { BackendContext, CapabilityHandlers } from '../context.js';

function checkDoor(source: LlmSource, ctx: BackendContext): void {
  if ('file' in source && ctx.door !== 'cli') {
    throw new ApiFailure(
      'FORBIDDEN',
      "source.file: a page cannot name a file on disk; upload it (POST /api/upload, or the window's upload) and pass { source: { upload: <id> } }.",
      ['source.file: only the command line may name a path'],
    );
  }
}

export const llmHandlers: CapabilityHandlers<keyof typeof llmMethods> = {
  'llm.models': () => knownModels(),
  'llm.estimate': async (req, ctx) => {
    checkDoor(req.source, ctx);
    return estimateLlm(ctx, req);
  },
  'llm.measure': (req, ctx) => {
    checkDoor(req.source, ctx);
    return startLlmMeasureJob(ctx, req);
  },
};
