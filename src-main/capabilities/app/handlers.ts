/** `app.info` (Node side): name, version, host and the versions of the runtime underneath. */
import type { appMethods } from '../../../src-shared/api/app.js';
import type { CapabilityHandlers } from '../context.js';

export const appHandlers: CapabilityHandlers<keyof typeof appMethods> = {
  'app.info': (_req, ctx) => ({
    name: 'FLOPscope',
    version: ctx.appVersion,
    host: ctx.host,
    dbPath: ctx.dbPath,
    versions: {
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      sqlite: ctx.sqliteVersion(),
    },
  }),
};
