/** Security of the serve door: token, Host and Origin checks, headers, static files. */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/api/csp.js';
import { createBackend, type Backend } from '../core/backend.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { startServer, type RunningServer } from './http-server.js';

/** Raw request, so tests can send any Host header (fetch forbids setting it). */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('flopscope serve security', () => {
  let backend: Backend;
  let server: RunningServer;
  beforeAll(async () => {
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>FLOPscope</title>');
    fs.writeFileSync(path.join(path.dirname(staticDir), 'secret.txt'), 'outside the static root');
    backend = createBackend({ dbPath: path.join(tempDir(), 's.db'), host: 'serve', detect: async () => sampleReport() });
    server = await startServer({ backend, staticDir });
  });
  afterAll(async () => {
    await server.close();
    await backend.close();
  });

  const call = (headers: Record<string, string>) =>
    request(server.port, { method: 'POST', path: '/api/app.info', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

  it('binds to 127.0.0.1 and prints a launch URL carrying the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.launchUrl).toBe(`${server.url}#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 to an API call without the token or with a wrong one', async () => {
    const none = await call({});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await call({ authorization: `Bearer ${server.token}x` })).status).toBe(401);
    expect((await request(server.port, { path: `/api/jobs/x/events?token=${server.token}` })).status).toBe(401);
  });

  it('answers 200 with the token', async () => {
    const ok = await call({ authorization: `Bearer ${server.token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { name: 'FLOPscope' } });
  });

  it('answers 403 to a foreign Host (DNS rebinding) or a foreign Origin, even with the token', async () => {
    const auth = { authorization: `Bearer ${server.token}` };
    expect((await call({ ...auth, host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await call({ ...auth, host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await call({ ...auth, origin: 'http://evil.example' })).status).toBe(403);
    expect((await call({ ...auth, origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await request(server.port, { path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it('maps API errors to HTTP statuses and rejects bad bodies', async () => {
    const auth = { authorization: `Bearer ${server.token}` };
    const unknown = await request(server.port, { method: 'POST', path: '/api/no.such', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('UNKNOWN_METHOD');
    const invalid = await request(server.port, { method: 'POST', path: '/api/runs.get', headers: auth, body: '{"id":0}' });
    expect(invalid.status).toBe(400);
    const notJson = await request(server.port, { method: 'POST', path: '/api/runs.get', headers: auth, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/not valid JSON/);
    const get = await request(server.port, { path: '/api/app.info', headers: auth });
    expect(get.status).toBe(405);
  });

  it('streams an uploaded model to disk behind the token and registers it for profiling', async () => {
    const bytes = Buffer.from('fake model bytes '.repeat(1000));
    const denied = await request(server.port, { method: 'POST', path: '/api/upload?name=m.onnx', body: bytes.toString() });
    expect(denied.status).toBe(401);
    const ok = await request(server.port, { method: 'POST', path: '/api/upload?name=../../evil%20name.onnx', headers: { authorization: `Bearer ${server.token}` }, body: bytes.toString() });
    expect(ok.status).toBe(200);
    const value = JSON.parse(ok.body).value as { uploadId: string; name: string; bytes: number };
    expect(value).toMatchObject({ name: 'evil_name.onnx', bytes: bytes.length });
    const stored = backend.uploads.get(value.uploadId);
    expect(fs.readFileSync(stored.file).equals(bytes)).toBe(true);
    expect(path.basename(stored.file)).toMatch(/evil_name\.onnx$/);
    expect(() => backend.uploads.get('nope')).toThrow(/No uploaded file/);
  });

  it('serves the app with a strict CSP and never a file outside its folder', async () => {
    const page = await request(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>FLOPscope</title>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const escape = await request(server.port, { path: '/../secret.txt' });
    expect(escape.body).not.toContain('outside the static root');
    const encoded = await request(server.port, { path: '/%2e%2e/secret.txt' });
    expect(encoded.body).not.toContain('outside the static root');
  });
});

describe('flopscope serve on a database it cannot use', () => {
  it('answers 503 with DB_FOREIGN, not 500, and leaves the other program\'s file alone', async () => {
    const Database = (await import('better-sqlite3')).default;
    const dbPath = path.join(tempDir(), 'other.db');
    const other = new Database(dbPath);
    other.exec('create table customers(n)');
    other.close();
    const before = fs.readFileSync(dbPath);
    const backend = createBackend({ dbPath, host: 'serve', detect: async () => sampleReport() });
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>FLOPscope</title>');
    const server = await startServer({ backend, staticDir });
    try {
      const r = await request(server.port, { method: 'POST', path: '/api/runs.list', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: '{}' });
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'DB_FOREIGN' } });
      expect(JSON.parse(r.body).error.message).toContain('other.db');
    } finally {
      await server.close();
      await backend.close();
    }
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
  });
});
