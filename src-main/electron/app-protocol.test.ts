/**
 * app:// path resolution and responses (app-protocol.ts) against a real folder with symlinks:
 * traversal in every spelling, a symlink out of the folder, non-files and foreign origins are
 * refused, and every response carries the CSP header.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/api/csp.js';
import { APP_SCHEME_PRIVILEGES, contentTypeFor, isInside, resolveAppPath, serveAppRequest } from './app-protocol.js';

let tmp: string;
let root: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-app-protocol-')));
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'my file.css'), 'body{}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'the user’s secret');
  fs.mkdirSync(path.join(tmp, 'outside'));
  fs.writeFileSync(path.join(tmp, 'outside', 'x.js'), 'evil()');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
  fs.symlinkSync(path.join(tmp, 'outside'), path.join(root, 'linked-dir'));
  fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'alias.html')); // a link that stays inside
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const refused = async (url: string) => {
  const r = await resolveAppPath(url, root);
  return r.ok ? null : r.status;
};

describe('app:// path resolution', () => {
  it('serves regular files inside the renderer folder; / is index.html', async () => {
    expect(await resolveAppPath('app://flopscope/', root)).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(await resolveAppPath('app://flopscope/index.html?x=1#/hardware', root)).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(await resolveAppPath('app://flopscope/assets/index-abc.js', root)).toEqual({ ok: true, file: path.join(root, 'assets', 'index-abc.js') });
    expect(await resolveAppPath('app://flopscope/assets/my%20file.css', root)).toEqual({ ok: true, file: path.join(root, 'assets', 'my file.css') });
    expect(await resolveAppPath('app://flopscope/alias.html', root)).toEqual({ ok: true, file: path.join(root, 'index.html') });
  });

  it('refuses traversal in every spelling', async () => {
    // WHATWG parsing already folds literal and %2e%2e dot segments, so these land on a missing file.
    expect(await refused('app://flopscope/../../etc/passwd')).toBe(404);
    expect(await refused('app://flopscope/%2e%2e/%2e%2e/secret.txt')).toBe(404);
    expect(await refused('app://flopscope/assets/../../secret.txt')).toBe(404);
    // Escapes that decode to a separator or a dot segment are refused outright.
    expect(await refused('app://flopscope/..%2fsecret.txt')).toBe(403);
    expect(await refused('app://flopscope/%2e%2e%2fsecret.txt')).toBe(403);
    expect(await refused('app://flopscope/assets/..%2F..%2Fsecret.txt')).toBe(403);
    expect(await refused('app://flopscope/..%5csecret.txt')).toBe(403);
    expect(await refused('app://flopscope/C:%5cWindows%5cwin.ini')).toBe(403);
    expect(await refused('app://flopscope/index.html%00.js')).toBe(403);
    expect(await refused('app://flopscope/%E0%A4%A')).toBe(400);
  });

  it('refuses a symlink out of the folder, to a file or through a directory', async () => {
    expect(fs.readFileSync(path.join(root, 'assets', 'leak.txt'), 'utf8')).toContain('secret'); // the link works on disk
    expect(await refused('app://flopscope/assets/leak.txt')).toBe(403);
    expect(await refused('app://flopscope/linked-dir/x.js')).toBe(403);
  });

  it('refuses directories, missing files and foreign origins', async () => {
    expect(await refused('app://flopscope/assets')).toBe(404);
    expect(await refused('app://flopscope/assets/')).toBe(404);
    expect(await refused('app://flopscope/missing.js')).toBe(404);
    expect(await refused('app://evil/index.html')).toBe(403);
    expect(await refused('app://flopscope:81/index.html')).toBe(403);
    expect(await refused('app://u:p@flopscope/index.html')).toBe(403);
    expect(await refused('file:///etc/passwd')).toBe(403);
    expect(await refused(`file://${path.join(root, 'index.html')}`)).toBe(403);
    expect(await refused('https://evil.example/index.html')).toBe(403);
    expect(await refused('not a url')).toBe(400);
    expect((await resolveAppPath('app://flopscope/index.html', path.join(tmp, 'no-such-folder'))).ok).toBe(false);
  });

  it('checks containment on resolved paths', () => {
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/etc/passwd')).toBe(false);
  });
});

describe('app:// responses', () => {
  it('serves a file with its type, nosniff and the CSP header', async () => {
    const res = await serveAppRequest({ url: 'app://flopscope/index.html', method: 'GET' }, root);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>app</title>');
    const js = await serveAppRequest({ url: 'app://flopscope/assets/index-abc.js', method: 'GET' }, root);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('puts the CSP header on refusals too, with no body', async () => {
    for (const [url, method, status] of [
      ['app://flopscope/assets/leak.txt', 'GET', 403],
      ['app://flopscope/missing.js', 'GET', 404],
      ['app://flopscope/index.html', 'POST', 405],
    ] as const) {
      const res = await serveAppRequest({ url, method }, root);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text(), url).toBe('');
    }
  });

  it('answers HEAD without a body', async () => {
    const res = await serveAppRequest({ url: 'app://flopscope/index.html', method: 'HEAD' }, root);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('types unknown files as octet-stream', () => {
    expect(contentTypeFor('x.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('x.WASM')).toBe('application/wasm');
    expect(contentTypeFor('x.exe')).toBe('application/octet-stream');
  });

  it('registers a standard, secure scheme that other origins cannot read and the CSP still binds', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false, allowExtensions: false });
  });
});
