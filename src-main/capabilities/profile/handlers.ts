/** `profile.start` (Node side): a model profiled as a job; only the CLI door may name a file on disk. */
import type { profileMethods } from '../../../src-shared/api/profile.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { startProfileJob } from '../../suites/profile-suite.js';
import type { CapabilityHandlers } from '../context.js';

export const profileHandlers: CapabilityHandlers<keyof typeof profileMethods> = {
  'profile.start': (req, ctx) => {
    if ('file' in req.source && ctx.door !== 'cli') {
      throw new ApiFailure(
        'FORBIDDEN',
        'source.file: a page cannot name a file on disk; upload the model (POST /api/upload, or the window\'s upload) and pass { source: { upload: <id> } }.',
        ['source.file: only the command line may name a path'],
      );
    }
    return startProfileJob(ctx, req);
  },
};
