/**
 * Atomic file writes for profiler outputs (Node main process / CLI): a temp file in the target's
 * folder, synced, then renamed over the target, so a reader (Perfetto, a second CLI) never sees a
 * half-written trace and a failure leaves no file behind. Failures are ApiFailure
 * ('INVALID_REQUEST') naming the path and the reason, as the zoo's exporter reports them.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from '../../../src-shared/api/errors.js';

export async function writeFileAtomic(target: string, data: string | Uint8Array, what = 'the file'): Promise<string> {
  const file = path.resolve(target);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fail = (e: unknown): ApiFailure => {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'its folder does not exist'
      : err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS' ? 'permission denied'
        : err.code === 'EISDIR' ? 'it is a folder'
          : err.code === 'ENOSPC' ? 'the disk is full'
            : (err.message ?? String(e));
    return new ApiFailure('INVALID_REQUEST', `cannot write ${what} to "${file}": ${why}`, [`${what}: ${why}`]);
  };
  let handle;
  try {
    handle = await open(temp, 'wx');
  } catch (e) {
    throw fail(e);
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw fail(e);
  }
  return file;
}
