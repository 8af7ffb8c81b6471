/** The stored history (Node side): list, read, tag, delete and restore runs, export and import bundles. */
import path from 'node:path';
import type { runsMethods } from '../../../src-shared/api/runs.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { exportBundle, importBundle, importBundleFile } from '../../services/history/bundles.js';
import { RUN_KIND_ENTRIES } from '../../../src-shared/runs/kinds/index.js';
import type { CapabilityHandlers } from '../context.js';

/** How long a deleted run can be restored; older soft-deleted runs are purged on the next delete or restore. */
export const UNDO_WINDOW_MS = 10 * 60_000;

export const runsHandlers: CapabilityHandlers<keyof typeof runsMethods> = {
  'runs.list': (req, ctx) => ctx.runs().list(req),
  'runs.get': (req, ctx) => {
    const run = ctx.runs().get(req.id);
    if (!run) throw new ApiFailure('NOT_FOUND', `No run with id ${req.id}. List runs with \`flopscope runs list\`.`);
    return run;
  },
  'runs.delete': (req, ctx) => {
    const repo = ctx.runs();
    repo.purgeDeleted(UNDO_WINDOW_MS);
    if (!repo.softDelete(req.id)) throw new ApiFailure('NOT_FOUND', `No run with id ${req.id}; nothing was deleted.`);
    return { deleted: true, id: req.id, undoable: true };
  },
  'runs.restore': (req, ctx) => {
    const repo = ctx.runs();
    repo.purgeDeleted(UNDO_WINDOW_MS);
    if (!repo.restore(req.id)) {
      throw new ApiFailure('NOT_FOUND', `id: no deleted run with id ${req.id} to restore (a deleted run can be restored for ${UNDO_WINDOW_MS / 60_000} minutes).`, [`id: no deleted run with id ${req.id}`]);
    }
    return { restored: true, id: req.id };
  },
  'runs.update': (req, ctx) => {
    const repo = ctx.runs();
    const tx = ctx.db().transaction(() => {
      if (!repo.get(req.id)) throw new ApiFailure('NOT_FOUND', `id: no run with id ${req.id}; nothing was changed.`, [`id: no run with id ${req.id}`]);
      if (req.tags !== undefined) repo.setTags(req.id, req.tags);
      if (req.note !== undefined) repo.setNote(req.id, req.note);
      return repo.get(req.id)!;
    });
    return tx.immediate();
  },
  'runs.export': (req, ctx) => exportBundle(ctx.db(), req.ids, { appVersion: ctx.appVersion }),
  // A file or an upload is streamed (a bundle can be far larger than memory should hold); an inline bundle is already in memory.
  'runs.import': async (req, ctx) => {
    if ('file' in req) {
      if (ctx.door !== 'cli') {
        throw new ApiFailure(
          'FORBIDDEN',
          'file: a page cannot name a file on disk; upload the bundle (POST /api/upload, or the window\'s upload) and pass { upload: <id> }.',
          ['file: only the command line may name a path'],
        );
      }
      return importBundleFile(ctx.db(), path.resolve(req.file));
    }
    return 'upload' in req ? ctx.uploads.consume(req.upload, (file) => importBundleFile(ctx.db(), file)) : importBundle(ctx.db(), req.bundle);
  },
  'runs.kinds': () => RUN_KIND_ENTRIES.map((entry) => ({ kind: entry.name, label: entry.label, measured: entry.measured })),
};
