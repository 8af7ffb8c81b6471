/**
 * Atomic file writes for outputs the user names (CLI; never a path from a request): a temp file
 * in the target's folder, synced, then renamed over the target, so a reader (Perfetto, a second
 * CLI) never sees a half-written trace and a failure leaves no file behind. A file that already
 * exists keeps its permission bits (a 0600 file stays 0600); a new one gets 0644 less the umask.
 * Failures are ApiFailure ('INVALID_REQUEST') naming the path and the reason, as the zoo's
 * exporter reports them.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from '../../src-shared/api/errors.js';

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
  // The destination's permission bits, when it is an existing file (rename replaces a symlink itself).
  const existing = await stat(file).catch(() => null);
  const mode = existing?.isFile() ? existing.mode & 0o7777 : null;
  let handle;
  try {
    handle = await open(temp, 'wx');
  } catch (e) {
    throw fail(e);
  }
  try {
    // Before any byte is written, so a 0600 file's new content is never readable by others.
    if (mode !== null) await handle.chmod(mode);
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
