/**
 * One contract suite, run against both the in-process client (CLI door) and the HTTP client
 * (serve door), so the two transports cannot drift apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { createHttpClient } from '../../src-shared/api/http-client.js';
import { RUN_KINDS, type JobEvent } from '../../src-shared/api/types.js';
import { createBackend, createInProcessClient, type Backend } from '../core/backend.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { startServer, type RunningServer } from './http-server.js';

interface Door {
  name: string;
  setup(backend: Backend): Promise<{ client: FlopscopeClient; teardown(): Promise<void> }>;
}

const doors: Door[] = [
  { name: 'in-process', setup: async (backend) => ({ client: createInProcessClient(backend), teardown: async () => {} }) },
  {
    name: 'http',
    setup: async (backend) => {
      const staticDir = tempDir();
      fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
      const server: RunningServer = await startServer({ backend, staticDir });
      return { client: createHttpClient({ baseUrl: server.url, token: server.token }), teardown: () => server.close() };
    },
  },
];

async function rejection(p: Promise<unknown>): Promise<ApiFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    return e as ApiFailure;
  }
  throw new Error('expected a rejection');
}

describe.each(doors)('API contract through the $name client', (door) => {
  let backend: Backend;
  let client: FlopscopeClient;
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    backend = createBackend({ dbPath: path.join(tempDir(), 'c.db'), host: 'serve', detect: async () => sampleReport() });
    ({ client, teardown } = await door.setup(backend));
  });
  afterAll(async () => {
    await teardown();
    await backend.close();
  });

  it('app.info reports the versions and the database path', async () => {
    const info = await client.call('app.info', {});
    expect(info.name).toBe('FLOPscope');
    expect(info.versions.node).toBe(process.versions.node);
    expect(info.versions.sqlite).toMatch(/^3\.\d+/);
    expect(info.dbPath).toBe(backend.dbPath);
  });

  it('hardware.detect, save, list, get, delete', async () => {
    const report = await client.call('hardware.detect', { save: true });
    expect(report.cpu.model).toBe('Test CPU');
    expect(report.runId).toBeGreaterThan(0);
    const list = await client.call('runs.list', { kind: 'hardware' });
    expect(list.map((r) => r.id)).toContain(report.runId);
    const run = await client.call('runs.get', { id: report.runId! });
    expect(run.result).toMatchObject({ cpu: { model: 'Test CPU' } });
    expect(await client.call('runs.delete', { id: report.runId! })).toEqual({ deleted: true, id: report.runId, undoable: true });
    expect((await rejection(client.call('runs.get', { id: report.runId! }))).code).toBe('NOT_FOUND');
    expect((await client.call('machines.list', {}))[0]!.id).toBe('test-machine-0001');
  });

  it('runs.kinds lists every run kind the store knows, with its label and whether it is measured', async () => {
    const kinds = await client.call('runs.kinds', {});
    expect(kinds.map((k) => k.kind)).toEqual([...RUN_KINDS]);
    expect(kinds).toContainEqual({ kind: 'bench', label: 'benchmark', measured: true });
    expect(kinds).toContainEqual({ kind: 'hardware', label: 'hardware report', measured: false });
    for (const k of kinds) expect(k.label.length).toBeGreaterThan(0);
    const bad = await rejection(client.call('runs.kinds', { kind: 'bench' } as never));
    expect(bad.code).toBe('INVALID_REQUEST');
  });

  it('zoo.build returns a model\'s ONNX bytes as base64 pieces and writes nothing; a bad name or option is INVALID_REQUEST', async () => {
    const built = await client.call('zoo.build', { name: 'mlp', options: { width: '32' } });
    const bytes = Buffer.concat(built.content.map((piece) => Buffer.from(piece, 'base64')));
    expect(built).toMatchObject({ name: 'mlp', fileName: 'mlp.onnx', encoding: 'base64', fileBytes: bytes.length });
    expect(built.options.width).toBe(32);
    expect(built.params).toBeGreaterThan(0);
    expect(built.dims.batch).toBe(1);
    expect(bytes[0]).toBe(0x08); // ModelProto's first field: ir_version
    const again = await client.call('zoo.build', { name: 'mlp', options: { width: 32 } });
    expect(again.content).toEqual(built.content);
    const unknown = await rejection(client.call('zoo.build', { name: 'alexnet' }));
    expect(unknown.code).toBe('INVALID_REQUEST');
    expect(unknown.message).toMatch(/unknown zoo model "alexnet"/);
    const badOption = await rejection(client.call('zoo.build', { name: 'mlp', options: { width: 0 } }));
    expect(badOption.code).toBe('INVALID_REQUEST');
    expect(badOption.message).toMatch(/"width"/);
  });

  it('rejects invalid requests and unknown methods with codes', async () => {
    const bad = await rejection(client.call('runs.get', { id: 'seven' as unknown as number }));
    expect(bad.code).toBe('INVALID_REQUEST');
    expect(bad.issues?.[0]).toMatch(/^id: /);
    const unknown = await rejection(client.call('no.such' as 'app.info', {}));
    expect(unknown.code).toBe('UNKNOWN_METHOD');
  });

  it('streams a job from the start to exactly one terminal event, and cancels', async () => {
    const job = backend.jobs.start({
      kind: 'test',
      run: async (ctx) => {
        for (let i = 1; i <= 3; i++) {
          await new Promise((r) => setTimeout(r, 10));
          ctx.progress('p', i, 3);
        }
        return 'done';
      },
    });
    const events = await new Promise<JobEvent[]>((resolve) => {
      const seen: JobEvent[] = [];
      client.subscribe(job.id, (e) => {
        seen.push(e);
        if (e.type === 'result') resolve(seen);
      });
    });
    expect(events.map((e) => e.type)).toEqual(['queued', 'progress', 'progress', 'progress', 'result']);

    const endless = backend.jobs.start({
      kind: 'test',
      run: async (ctx) => {
        while (!ctx.signal.aborted) await new Promise((r) => setTimeout(r, 5));
        ctx.throwIfCancelled();
      },
    });
    const final = new Promise<JobEvent>((resolve) => client.subscribe(endless.id, (e) => e.type === 'cancelled' && resolve(e)));
    expect(await client.call('jobs.cancel', { id: endless.id })).toEqual({ cancelled: true, state: 'cancelled' });
    expect((await final).type).toBe('cancelled');
    const { events: all } = await client.call('jobs.events', { id: endless.id });
    expect(all.filter((e) => ['result', 'error', 'cancelled'].includes(e.type))).toHaveLength(1);
  });
});
