/**
 * Hostile input at the API's edges (issue 14), against the real backend and the real loopback
 * server: the API takes no output paths and reads no path a page names (profile.start's and
 * runs.import's { file }); JSON bodies over the limit get a 413 the client can read (not a reset);
 * bundles import through the streaming upload; malformed URLs are 400; symlinks in the UI folder are not followed out of it; upload
 * folders of dead servers are swept at start.
 */
import { spawnSync } from 'node:child_process';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src-shared/api/http-client.js';
import type { ApiFailure } from '../../src-shared/api/errors.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { importBundleFile } from '../../src-shared/api/import-bundle.js';
import { runCli } from '../cli/main.js';
import { createBackend, createInProcessClient, type Backend } from '../core/backend.js';
import { exportZooModel } from '../services/zoo/zoo.js';
import { writeBundleFile } from '../services/history/bundles.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { startServer, type RunningServer } from './http-server.js';

/** Raw request, so tests can send any path and body. */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
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

async function settleJobs(backend: Backend): Promise<void> {
  for (const job of backend.jobs.list()) await backend.jobs.wait(job.id);
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('hostile input at the serve door', () => {
  let backend: Backend;
  let server: RunningServer;
  let staticDir: string;
  let outside: string;
  const auth = () => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>FLOPscope</title>');
    fs.writeFileSync(path.join(staticDir, 'app.js'), 'console.log("inside")');
    outside = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(outside, 'outside the UI folder');
    fs.symlinkSync(outside, path.join(staticDir, 'link-secret'));
    fs.symlinkSync('/etc/passwd', path.join(staticDir, 'link-passwd'));
    fs.symlinkSync(path.dirname(outside), path.join(staticDir, 'linked-dir'));
    fs.symlinkSync(path.join(staticDir, 'app.js'), path.join(staticDir, 'alias.js'));
    backend = createBackend({ dbPath: path.join(tempDir(), 'h.db'), host: 'serve', detect: async () => sampleReport() });
    server = await startServer({ backend, staticDir });
  });
  afterAll(async () => {
    await server.close();
    await backend.close();
  });

  describe('only the user picks paths (1)', () => {
    it('refuses profile.start with a trace path over HTTP and leaves the named file alone', async () => {
      const victim = path.join(tempDir(), 'victim.txt');
      fs.writeFileSync(victim, 'precious', { mode: 0o600 });
      fs.chmodSync(victim, 0o600);
      const body = JSON.stringify({ source: { zoo: 'mlp' }, dims: { batch: 1 }, run: true, trace: victim, store: false });
      const r = await request(server.port, { method: 'POST', path: '/api/profile.start', headers: auth(), body });
      await settleJobs(backend);
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
      expect(modeOf(victim)).toBe(0o600);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(JSON.parse(r.body).error.message).toMatch(/trace/);
    });

    it('refuses the same request through the IPC door (backend.dispatch as the Electron main process calls it)', async () => {
      const victim = path.join(tempDir(), 'victim.txt');
      fs.writeFileSync(victim, 'precious', { mode: 0o600 });
      fs.chmodSync(victim, 0o600);
      const req = { source: { zoo: 'mlp' }, dims: { batch: 1 }, run: true, trace: victim, store: false };
      const plain = await backend.dispatch('profile.start', req);
      const ipc = await backend.dispatch('profile.start', req, 'ipc');
      await settleJobs(backend);
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
      expect(modeOf(victim)).toBe(0o600);
      expect(plain).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(ipc).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    });

    it('refuses source.file from pages (HTTP and IPC) with an error that says to upload', async () => {
      const model = path.join(tempDir(), 'm.onnx');
      await exportZooModel('mlp', {}, model);
      const r = await request(server.port, { method: 'POST', path: '/api/profile.start', headers: auth(), body: JSON.stringify({ source: { file: model }, dims: { batch: 1 }, store: false }) });
      await settleJobs(backend);
      expect(r.status).toBe(403);
      const error = JSON.parse(r.body).error as { code: string; message: string };
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(/upload/);
      for (const env of [await backend.dispatch('profile.start', { source: { file: model }, store: false }), await backend.dispatch('profile.start', { source: { file: '/etc/passwd' } }, 'ipc')]) {
        expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(backend.jobs.list().some((j) => j.kind === 'profile.m.onnx' || j.kind === 'profile.passwd')).toBe(false);
    });

    it('refuses runs.import { file } from pages (HTTP and IPC) with an error that says to upload; the CLI door imports the file', async () => {
      const bundleFile = path.join(tempDir(), 'b.json');
      const source = createBackend({ dbPath: path.join(tempDir(), 'source.db'), host: 'cli', detect: async () => sampleReport() });
      try {
        const c = createInProcessClient(source);
        const { runId } = await c.call('plan.save', { fit: 'chinchilla-3', budget: { kind: 'flops', flops: 1e21 } });
        await writeBundleFile(bundleFile, await c.call('runs.export', { ids: [runId] }));
      } finally {
        await source.close();
      }
      const count = async () => ((await backend.dispatch('runs.list', {}, 'cli')) as { value: unknown[] }).value.length;
      const before = await count();
      const r = await request(server.port, { method: 'POST', path: '/api/runs.import', headers: auth(), body: JSON.stringify({ file: bundleFile }) });
      expect(r.status).toBe(403);
      const error = JSON.parse(r.body).error as { code: string; message: string; issues: string[] };
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(/^file: .*upload/);
      expect(error.issues).toEqual(['file: only the command line may name a path']);
      for (const env of [await backend.dispatch('runs.import', { file: bundleFile }), await backend.dispatch('runs.import', { file: '/etc/passwd' }, 'ipc')]) {
        expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(await count()).toBe(before);

      const cliBackend = createBackend({ dbPath: path.join(tempDir(), 'import.db'), host: 'cli', detect: async () => sampleReport() });
      try {
        const client = createInProcessClient(cliBackend);
        expect(await client.call('runs.import', { file: bundleFile })).toMatchObject({ imported: 1, skipped: 0 });
        expect(await client.call('runs.import', { file: bundleFile })).toMatchObject({ imported: 0, skipped: 1 });
        expect(await client.call('runs.list', {})).toHaveLength(1);
      } finally {
        await cliBackend.close();
      }
    });

    it('still profiles a file the CLI names, and the trace comes back in the job result', async () => {
      const model = path.join(tempDir(), 'm.onnx');
      await exportZooModel('mlp', {}, model);
      const cliBackend = createBackend({ dbPath: path.join(tempDir(), 'cli.db'), host: 'cli', detect: async () => sampleReport() });
      try {
        const client = createInProcessClient(cliBackend);
        const job = await client.call('profile.start', { source: { file: model }, dims: { batch: 2 }, run: true, threads: 1, store: false });
        const end = await cliBackend.jobs.wait(job.id);
        expect(end.type, JSON.stringify(end)).toBe('result');
        const trace = (end as { result: ProfileResult }).result.trace as { traceEvents: { name: string }[] } | undefined;
        expect(trace?.traceEvents.some((e) => e.name === 'head')).toBe(true);
      } finally {
        await cliBackend.close();
      }
    });

    it('flopscope profile --run --trace writes the trace atomically and keeps the file\'s mode', async () => {
      const dir = tempDir();
      const trace = path.join(dir, 'out.json');
      fs.writeFileSync(trace, 'old', { mode: 0o600 });
      fs.chmodSync(trace, 0o600);
      let stderr = '';
      const code = await runCli(['--db', path.join(dir, 'c.db'), 'profile', 'zoo:mlp', '--dim', 'batch=1', '--run', '--threads', '1', '--trace', trace, '--json'], { stdout: () => {}, stderr: (t) => (stderr += t) });
      expect(code, stderr).toBe(0);
      const written = JSON.parse(fs.readFileSync(trace, 'utf8')) as { traceEvents: { name: string }[] };
      expect(written.traceEvents.some((e) => e.name === 'head')).toBe(true);
      expect(modeOf(trace)).toBe(0o600);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });

  describe('request bodies (2)', () => {
    it('answers a 50 MB JSON body with a 413 naming the limit, which fetch can read', async () => {
      const big = JSON.stringify({ bundle: 'x'.repeat(50 * 2 ** 20) });
      const response = await fetch(`${server.url}api/runs.import`, { method: 'POST', headers: auth(), body: big });
      expect(response.status).toBe(413);
      const envelope = (await response.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(envelope.error.message).toMatch(/16 MiB/);
      // The connection is still usable afterwards.
      expect((await fetch(`${server.url}api/app.info`, { method: 'POST', headers: auth(), body: '{}' })).status).toBe(200);
    });

    it('reads a 2 MB JSON body instead of resetting the connection', async () => {
      const response = await fetch(`${server.url}api/runs.import`, { method: 'POST', headers: auth(), body: JSON.stringify({ bundle: 'x'.repeat(2 * 2 ** 20) }) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
    });

    it('imports a 1.1 MB bundle through the HTTP client as History does: upload, then runs.import with the upload id', async () => {
      const source = createBackend({ dbPath: path.join(tempDir(), 'src.db'), host: 'cli', detect: async () => sampleReport('other-machine-0002', 'elsewhere') });
      let text: string;
      try {
        const big = Array.from({ length: 80_000 }, (_, i) => i * 1.5);
        // A valid result (imports check each kind's schema) carrying a large extra member.
        for (let i = 0; i < 2; i++) source.runs().insert({ kind: 'hardware', machine: sampleReport('other-machine-0002', 'elsewhere'), appVersion: 'test', params: { i }, result: { ...sampleReport('other-machine-0002', 'elsewhere'), samples: big } });
        text = JSON.stringify(await createInProcessClient(source).call('runs.export', {}));
      } finally {
        await source.close();
      }
      expect(text.length).toBeGreaterThan(1.1e6);
      const client = createHttpClient({ baseUrl: server.url, token: server.token });
      const file = new File([text], 'cluster.json', { type: 'application/json' });
      const result = await importBundleFile(client, file);
      expect(result).toMatchObject({ imported: 2, skipped: 0 });
      // The same file again: nothing new; and the inline form of the call works at this size too.
      expect(await importBundleFile(client, file)).toMatchObject({ imported: 0, skipped: 2 });
      expect(await client.call('runs.import', { bundle: text })).toMatchObject({ imported: 0, skipped: 2 });
    });

    it('says which upload is missing when runs.import names an unknown upload id', async () => {
      const client = createHttpClient({ baseUrl: server.url, token: server.token });
      const failure = await client.call('runs.import', { upload: 'nope' }).then(
        () => null,
        (e: unknown) => e as ApiFailure,
      );
      expect(failure?.code).toBe('NOT_FOUND');
    });
  });

  describe('URLs (3)', () => {
    it('answers a malformed percent-encoding with 400 and a message, not 500', async () => {
      for (const p of ['/api/%E0%A4%A', '/api/jobs/%E0%A4%A/events']) {
        const r = await request(server.port, { method: p.endsWith('events') ? 'GET' : 'POST', path: p, headers: auth(), body: p.endsWith('events') ? undefined : '{}' });
        expect(r.status, p).toBe(400);
        expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
        expect(JSON.parse(r.body).error.message).toMatch(/percent-encoding|malformed/i);
      }
    });
  });

  describe('static files (4)', () => {
    it('does not follow a symlink out of the UI folder', async () => {
      for (const p of ['/link-passwd', '/link-secret', '/linked-dir/secret.txt']) {
        const r = await request(server.port, { path: p });
        expect(r.body, p).not.toContain('outside the UI folder');
        expect(r.body, p).not.toMatch(/root:/);
        expect(r.status, p).toBe(404);
      }
    });

    it('serves regular files inside it, including through a link that stays inside', async () => {
      expect((await request(server.port, { path: '/app.js' })).body).toContain('inside');
      expect((await request(server.port, { path: '/alias.js' })).body).toContain('inside');
      const spa = await request(server.port, { path: '/models' });
      expect(spa.status).toBe(200);
      expect(spa.body).toContain('<title>FLOPscope</title>');
    });
  });
});

describe('upload folders of dead servers (5)', () => {
  let live: ChildProcess;
  afterAll(() => {
    live?.kill();
  });

  it('are swept when a server starts; a live server\'s folder is left alone', async () => {
    const root = tempDir();
    // A pid that no longer exists: a child that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const dead = path.join(root, `flopscope-uploads-${deadPid}-abc123`);
    const alive = path.join(root, `flopscope-uploads-${live.pid}-def456`);
    const other = path.join(root, 'something-else');
    for (const d of [dead, alive, other]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'x-model.onnx'), 'bytes');
    }
    const backend = createBackend({ dbPath: path.join(tempDir(), 'u.db'), host: 'serve', detect: async () => sampleReport(), uploadsRoot: root });
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const server = await startServer({ backend, staticDir });
    try {
      expect(fs.existsSync(dead)).toBe(false);
      expect(fs.existsSync(alive)).toBe(true);
      expect(fs.existsSync(other)).toBe(true);
      // This server's own folder carries its pid, so the next server can tell whether it is alive.
      const up = await backend.uploads.receive('m.onnx', new Uint8Array([1, 2, 3]));
      const own = path.dirname(backend.uploads.get(up.uploadId).file);
      expect(path.dirname(own)).toBe(root);
      expect(path.basename(own)).toMatch(new RegExp(`^flopscope-uploads-${process.pid}-`));
    } finally {
      await server.close();
      await backend.close();
    }
  });
});
