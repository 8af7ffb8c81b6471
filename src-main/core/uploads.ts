/**
 * Files handed over by a page (Node side): models for `profile.start({ source: { upload: id } })`
 * and bundles for `runs.import({ upload: id })`. Serve mode streams them over HTTP, the Electron
 * window passes their bytes over IPC. Either way they are written to a private temp folder
 * (never held whole in memory on the HTTP path), registered under a random id, and removed when
 * the backend closes.
 *
 * The folder is named flopscope-uploads-<pid>-XXXXXX after the process that owns it, so a
 * server that was killed (kill -9, a crash) leaves a folder the next one can recognise: at start
 * (sweepStale) every such folder of this user whose pid is no longer running is removed; a live
 * process's folder is never touched. A pid the OS has since reused only delays the sweep.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiFailure } from '../../src-shared/api/errors.js';

/** 16 GiB covers the large exported LLMs. */
export const MAX_UPLOAD_BYTES = 16 * 2 ** 30;

export interface UploadInfo {
  uploadId: string;
  name: string;
  bytes: number;
}

/** Upload folders: `flopscope-uploads-<owner pid>-<6 random characters from mkdtemp>`. */
const FOLDER = /^flopscope-uploads-(\d+)-[A-Za-z0-9]{6}$/;

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Uploads {
  private readonly files = new Map<string, { file: string; name: string }>();
  private dir: string | null = null;
  private dirReady: Promise<string> | null = null;
  private readonly root: string;
  private swept: Promise<string[]> | null = null;

  constructor(options: { root?: string } = {}) {
    this.root = options.root ?? os.tmpdir();
  }

  /**
   * Removes the upload folders of processes that are gone (this user's only); resolves with the
   * folders removed. Runs once per instance: the server awaits it at start, the first upload
   * triggers it otherwise (the Electron window).
   */
  sweepStale(isAlive: (pid: number) => boolean = processAlive): Promise<string[]> {
    this.swept ??= (async () => {
      const removed: string[] = [];
      const entries = await fs.promises.readdir(this.root, { withFileTypes: true }).catch(() => []);
      const uid = process.getuid?.();
      for (const entry of entries) {
        const m = FOLDER.exec(entry.name);
        // readdir's entries are lstat-like: a symlink named like a folder is not followed.
        if (!m || !entry.isDirectory()) continue;
        const pid = Number(m[1]);
        if (pid === process.pid || isAlive(pid)) continue;
        const folder = path.join(this.root, entry.name);
        try {
          if (uid !== undefined && (await fs.promises.lstat(folder)).uid !== uid) continue;
          await fs.promises.rm(folder, { recursive: true, force: true });
          removed.push(folder);
        } catch {
          // Another server swept it first, or it is not ours to remove.
        }
      }
      return removed;
    })();
    return this.swept;
  }

  /** Writes `data` to a fresh temp file; a failed or oversized upload leaves no file behind. */
  async receive(name: string, data: Readable | Uint8Array, limit = MAX_UPLOAD_BYTES): Promise<UploadInfo> {
    const safeName = path.basename(name).replace(/[^\w.-]+/g, '_').slice(0, 200) || 'model.onnx';
    this.dirReady ??= this.sweepStale()
      .then(async () => (this.dir = await fs.promises.mkdtemp(path.join(this.root, `flopscope-uploads-${process.pid}-`))))
      .catch((e: unknown) => {
        this.dirReady = null;
        throw new ApiFailure('INTERNAL', `Cannot make a folder for uploads in ${this.root}: ${(e as Error).message}`);
      });
    const dir = await this.dirReady;
    const id = randomBytes(12).toString('base64url');
    const file = path.join(dir, `${id}-${safeName}`);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) done(new ApiFailure('INVALID_REQUEST', `The upload ${safeName} is larger than ${limit / 2 ** 30} GiB.`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(data instanceof Uint8Array ? Readable.from([data]) : data, counter, fs.createWriteStream(file, { mode: 0o600 }));
    } catch (e) {
      await fs.promises.rm(file, { force: true });
      throw e instanceof ApiFailure ? e : new ApiFailure('INVALID_REQUEST', `Upload of ${safeName} failed: ${(e as Error).message}`);
    }
    this.files.set(id, { file, name: safeName });
    return { uploadId: id, name: safeName, bytes };
  }

  get(id: string): { file: string; name: string } {
    const hit = this.files.get(id);
    if (!hit) throw new ApiFailure('NOT_FOUND', `No uploaded file with id ${id} (uploads last until the server stops); upload it again.`);
    return hit;
  }

  /**
   * Hands an uploaded file (a bundle) to `use`, which reads it as it likes (runs.import streams
   * it), and then removes it, whatever `use` did: an import consumes its upload.
   */
  async consume<T>(id: string, use: (file: string, name: string) => Promise<T>): Promise<T> {
    const { file, name } = this.get(id);
    this.files.delete(id);
    try {
      return await use(file, name);
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.dirReady = null;
    this.files.clear();
  }
}
