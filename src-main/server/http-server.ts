/**
 * The loopback HTTP door (Node side) behind `flopscope serve`: serves the built renderer and the
 * API on 127.0.0.1. Every API call needs the per-launch token (401 without it); a request whose
 * Host or Origin is not this server's loopback address gets 403, which stops DNS-rebinding and
 * cross-site pages from reaching the API. Job events stream as Server-Sent Events.
 *
 * Edges (docs/security.md, "API and server"): calls dispatch through the 'http' door, so no request
 * names a path on disk; a JSON body over MAX_JSON_BODY is read to its end and answered 413 with
 * the limit (files go through the streaming POST /api/upload); a malformed percent-encoding is a
 * 400; static files are served only when they are regular files whose real path (symlinks
 * resolved) lies inside the UI folder. At start the upload folders of dead servers are swept.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { ApiError, Envelope, JobEvent } from '../../src-shared/api/types.js';
import type { Backend } from '../core/backend.js';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/api/csp.js';

export interface ServerOptions {
  backend: Backend;
  /** Folder with the built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: carries the token for the page to pick up. */
  launchUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The largest JSON request body: above the largest request the contract accepts (fits.create's
 * CSV, 5 M characters). Files (models, bundles) never travel as JSON: POST /api/upload streams them.
 */
export const MAX_JSON_BODY = 16 * 2 ** 20;
/**
 * How much of an oversized body is read and discarded so that the client sees the 413 rather
 * than a reset; past this the connection is closed.
 */
const MAX_DRAIN = 1024 * 2 ** 20;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const STATUS_BY_CODE: Partial<Record<ApiError['code'], number>> = {
  UNKNOWN_METHOD: 404,
  NOT_FOUND: 404,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  // The server's own database cannot be used (another program's file, corrupt, too new, read-only):
  // the request was fine, the service is not available until the user picks or fixes the file.
  DB_FOREIGN: 503,
  DB_CORRUPT: 503,
  DB_TOO_NEW: 503,
  DB_UNWRITABLE: 503,
  INTERNAL: 500,
};

/**
 * The app's own files from the UI folder (serve mode): `serveStatic(relative, head, res)` answers
 * a GET or HEAD with the file, index.html for the app's routes, 404 for what may not be served.
 */
function staticServer(staticRoot: string, realStaticRoot: string): (relative: string, head: boolean, res: http.ServerResponse) => Promise<void> {
  /**
   * A regular file whose real path lies inside the UI folder, or null. Symlinks are resolved
   * first, so a link inside the folder that points out of it is not served.
   */
  async function staticFile(relative: string): Promise<{ file: string; size: number } | null> {
    const candidate = path.resolve(staticRoot, '.' + path.posix.normalize('/' + relative));
    try {
      const real = await fs.promises.realpath(candidate);
      if (!real.startsWith(realStaticRoot + path.sep)) return null;
      const stat = await fs.promises.stat(real);
      return stat.isFile() ? { file: real, size: stat.size } : null;
    } catch {
      return null;
    }
  }

  async function serveStatic(relative: string, head: boolean, res: http.ServerResponse): Promise<void> {
    if (relative.includes('\0')) throw new MalformedUrl('The path holds a NUL character.');
    const candidate = path.resolve(staticRoot, '.' + path.posix.normalize('/' + relative));
    const inside = candidate.startsWith(staticRoot + path.sep);
    let found = inside ? await staticFile(relative) : null;
    if (!found && inside) {
      // Something is there but may not be served (a link out of the folder, a device, a FIFO): 404.
      // Nothing there, or a folder: the app's own routes (/models, /history…) get index.html.
      const there = await fs.promises.lstat(candidate).catch(() => null);
      const folder = there?.isDirectory() && (await fs.promises.realpath(candidate).catch(() => '')).startsWith(realStaticRoot + path.sep);
      if (there && !folder) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Not found.');
        return;
      }
    }
    found ??= await staticFile('index.html');
    if (!found) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The UI is not built (${staticRoot} has no index.html). Run \`npm run build:renderer\`.`);
      return;
    }
    const type = MIME[path.extname(found.file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': found.size, 'cache-control': found.file.endsWith('index.html') ? 'no-store' : 'max-age=300' });
    if (head) res.end();
    else fs.createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  }
  return serveStatic;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const staticRoot = path.resolve(options.staticDir);
  const realStaticRoot = await fs.promises.realpath(staticRoot).catch(() => staticRoot);
  const serveStatic = staticServer(staticRoot, realStaticRoot);
  let port = 0;
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (e instanceof MalformedUrl) {
        if (!res.headersSent) sendEnvelope(res, 400, { ok: false, error: { code: 'INVALID_REQUEST', message: e.message } });
        else res.destroy();
        return;
      }
      if (!res.headersSent) sendEnvelope(res, 500, { ok: false, error: { code: 'INTERNAL', message: (e as Error).message } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  function authorized(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    const bytes = Buffer.from(given);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    setSecurityHeaders(res);
    // Host and Origin first: a foreign page or a rebound DNS name gets nothing, not even 401.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return sendEnvelope(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: `Host ${JSON.stringify(req.headers.host ?? '')} is not allowed; use http://127.0.0.1:${port}/.` } });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      return sendEnvelope(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: `Origin ${JSON.stringify(origin)} may not call this server.` } });
    }
    if (url.pathname.startsWith('/api/')) {
      res.setHeader('cache-control', 'no-store');
      if (!authorized(req)) {
        return sendEnvelope(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token: use the URL that `flopscope serve` printed.' } });
      }
      if (url.pathname === '/api/upload' && req.method === 'POST') return receiveUpload(url.searchParams.get('name') ?? 'model.onnx', req, res);
      const events = /^\/api\/jobs\/([^/]+)\/events$/.exec(url.pathname);
      if (events && req.method === 'GET') return streamEvents(decodePath(events[1]!), Number(url.searchParams.get('afterSeq') ?? 0) || 0, req, res);
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return sendEnvelope(res, 405, { ok: false, error: { code: 'INVALID_REQUEST', message: 'API methods are called with POST and a JSON body.' } });
      }
      const method = decodePath(url.pathname.slice('/api/'.length));
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        return sendEnvelope(res, (e as { status?: number }).status ?? 400, { ok: false, error: { code: 'INVALID_REQUEST', message: (e as Error).message } });
      }
      const envelope = await options.backend.dispatch(method, body, 'http');
      return sendEnvelope(res, envelope.ok ? 200 : (STATUS_BY_CODE[envelope.error.code] ?? 500), envelope);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEnvelope(res, 405, { ok: false, error: { code: 'INVALID_REQUEST', message: 'Only GET serves the app.' } });
    return serveStatic(decodePath(url.pathname), req.method === 'HEAD', res);
  }

  function streamEvents(jobId: string, afterSeq: number, req: http.IncomingMessage, res: http.ServerResponse): void {
    let unsubscribe: () => void = () => {};
    const write = (event: JobEvent) => {
      res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      if (event.type === 'result' || event.type === 'error' || event.type === 'cancelled') {
        queueMicrotask(() => unsubscribe());
        res.end();
      }
    };
    try {
      options.backend.jobs.get(jobId);
    } catch (e) {
      return sendEnvelope(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: (e as Error).message } });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': flopscope job events\n\n');
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    unsubscribe = options.backend.jobs.subscribe(jobId, write, afterSeq);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    res.on('finish', () => clearInterval(heartbeat));
  }

  async function receiveUpload(name: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      // Streamed straight to disk by the backend's upload store (models can be many GB).
      return sendEnvelope(res, 200, { ok: true, value: await options.backend.uploads.receive(name, req) });
    } catch (e) {
      const error = e instanceof ApiFailure ? e.toJSON() : { code: 'INTERNAL' as const, message: (e as Error).message };
      return sendEnvelope(res, error.message.includes('larger than') ? 413 : 400, { ok: false, error });
    }
  }

  // Upload folders left by servers that were killed (their pid is gone); never a live one's.
  await options.backend.uploads.sweepStale();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    launchUrl: `${url}#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function setSecurityHeaders(res: http.ServerResponse): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

function sendEnvelope(res: http.ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = JSON.stringify(envelope);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A percent-encoding that does not decode (e.g. /api/%E0%A4%A): answered 400. */
class MalformedUrl extends Error {}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new MalformedUrl(`The URL path ${JSON.stringify(text.slice(0, 200))} has a malformed percent-encoding.`);
  }
}

/**
 * Reads a JSON body of at most MAX_JSON_BODY bytes. A larger one is read to its end and thrown
 * away (so the client, which is still sending, gets the 413 instead of a reset), then rejected
 * with status 413; past MAX_DRAIN the connection is dropped.
 */
function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BODY) {
        tooLarge = true;
        chunks.length = 0;
        if (size > MAX_JSON_BODY + MAX_DRAIN) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('close', () => {
      if (!ended) reject(Object.assign(new Error('The request body was cut off.'), { status: 400 }));
    });
    req.on('end', () => {
      ended = true;
      if (tooLarge) {
        const limit = `${MAX_JSON_BODY / 2 ** 20} MiB`;
        return reject(Object.assign(new Error(`The request body is larger than ${limit}, the limit for a JSON request. Files (models, bundles) go through POST /api/upload.`), { status: 413 }));
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(Object.assign(new Error('The request body is not valid JSON.'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}
