/**
 * The app:// protocol the window loads from instead of file:// (no Electron import: main.ts
 * registers the scheme and hands requests to serveAppRequest). Only regular files whose real path
 * (symlinks resolved) lies inside the renderer output folder are served; every response, errors
 * included, carries the app's Content-Security-Policy header.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/api/csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'flopscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * protocol.registerSchemesAsPrivileged privileges: a standard scheme (real origin, relative URLs,
 * `'self'` in the CSP means app://flopscope), secure (a secure context, as WebGPU needs), fetch()
 * allowed for same-origin module loading. Deliberately not corsEnabled (it would let other origins
 * read our responses), not bypassCSP, no service workers, no extensions.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
  codeCache: true,
  allowExtensions: false,
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

export type AppPathResult = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/** Inside (or equal to) root, for two already-resolved absolute paths. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Maps an app:// URL to a file under rootDir, or refuses it. Refused: another scheme or host,
 * credentials or a port, undecodable escapes, NUL, backslashes, drive letters, `.`/`..` segments
 * (including %2e%2e and %2f spellings that decode to them), anything that is not a regular file
 * (directories, sockets, devices), and anything whose realpath leaves the realpath of rootDir
 * (a symlink out of the folder). `/` is index.html. Query and fragment are ignored.
 */
export async function resolveAppPath(url: string, rootDir: string): Promise<AppPathResult> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password || u.port) {
    return { ok: false, status: 403, reason: 'not the app origin' };
  }
  const segments: string[] = [];
  for (const raw of u.pathname.split('/').slice(1)) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'bad escape' };
    }
    if (seg === '') continue;
    if (seg === '.' || seg === '..' || /[\\/\0:]/.test(seg)) return { ok: false, status: 403, reason: `refused path segment ${JSON.stringify(seg)}` };
    segments.push(seg);
  }
  if (segments.length === 0) segments.push('index.html');
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await fs.realpath(rootDir);
    realFile = await fs.realpath(path.join(realRoot, ...segments));
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (!isInside(realRoot, realFile)) return { ok: false, status: 403, reason: 'outside the renderer folder' };
  try {
    if (!(await fs.stat(realFile)).isFile()) return { ok: false, status: 404, reason: 'not a regular file' };
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  return { ok: true, file: realFile };
}

/** protocol.handle's handler: GET/HEAD of a resolved file, or an empty error response; CSP on both. */
export async function serveAppRequest(request: { url: string; method: string }, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { ...appResponseHeaders('text/plain; charset=utf-8'), Allow: 'GET, HEAD' } });
  }
  const resolved = await resolveAppPath(request.url, rootDir);
  if (!resolved.ok) return new Response(null, { status: resolved.status, headers: appResponseHeaders('text/plain; charset=utf-8') });
  const body = request.method === 'HEAD' ? null : new Uint8Array(await fs.readFile(resolved.file));
  return new Response(body, { status: 200, headers: appResponseHeaders(contentTypeFor(resolved.file)) });
}
