/**
 * The loopback HTTP door (Node side) behind `flopscope serve`: serves the built renderer and the
 * API on 127.0.0.1. Every API call needs the per-launch token (401 without it); a request whose
 * Host or Origin is not this server's loopback address gets 403, which stops DNS-rebinding and
 * cross-site pages from reaching the API. Job events stream as Server-Sent Events.
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

const MAX_BODY = 1024 * 1024;
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
  INTERNAL: 500,
};

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const staticRoot = path.resolve(options.staticDir);
  let port = 0;
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
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
      if (events && req.method === 'GET') return streamEvents(decodeURIComponent(events[1]!), Number(url.searchParams.get('afterSeq') ?? 0) || 0, req, res);
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return sendEnvelope(res, 405, { ok: false, error: { code: 'INVALID_REQUEST', message: 'API methods are called with POST and a JSON body.' } });
      }
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        return sendEnvelope(res, (e as { status?: number }).status ?? 400, { ok: false, error: { code: 'INVALID_REQUEST', message: (e as Error).message } });
      }
      const envelope = await options.backend.dispatch(method, body);
      return sendEnvelope(res, envelope.ok ? 200 : (STATUS_BY_CODE[envelope.error.code] ?? 500), envelope);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEnvelope(res, 405, { ok: false, error: { code: 'INVALID_REQUEST', message: 'Only GET serves the app.' } });
    return serveStatic(url.pathname, res);
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

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      relative = '/';
    }
    let file = path.resolve(staticRoot, '.' + path.posix.normalize(relative));
    if (!file.startsWith(staticRoot + path.sep) && file !== staticRoot) file = path.join(staticRoot, 'index.html');
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(staticRoot, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The UI is not built (${staticRoot} has no index.html). Run \`npm run build:renderer\`.`);
      return;
    }
    const type = MIME[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=300' });
    fs.createReadStream(file).pipe(res);
  }

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

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error(`Request body over ${MAX_BODY} bytes`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
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
