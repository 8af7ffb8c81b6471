/**
 * Model files handed over by a page (Node side): serve mode streams them over HTTP, the Electron
 * window passes their bytes over IPC. Either way they are written to a private temp folder
 * (never held whole in memory on the HTTP path), registered under a random id for
 * `profile.start({ source: { upload: id } })`, and removed when the backend closes.
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

export class Uploads {
  private readonly files = new Map<string, { file: string; name: string }>();
  private dir: string | null = null;

  /** Writes `data` to a fresh temp file; a failed or oversized upload leaves no file behind. */
  async receive(name: string, data: Readable | Uint8Array, limit = MAX_UPLOAD_BYTES): Promise<UploadInfo> {
    const safeName = path.basename(name).replace(/[^\w.-]+/g, '_').slice(0, 200) || 'model.onnx';
    this.dir ??= await fs.promises.mkdtemp(path.join(os.tmpdir(), 'flopscope-uploads-'));
    const id = randomBytes(12).toString('base64url');
    const file = path.join(this.dir, `${id}-${safeName}`);
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
    if (!hit) throw new ApiFailure('NOT_FOUND', `No uploaded model with id ${id}; upload it again.`);
    return hit;
  }

  dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.files.clear();
  }
}
