import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { createBackend } from './backend.js';

describe('dispatch', () => {
  const backend = createBackend({ dbPath: path.join(tempDir(), 'd.db'), host: 'cli', detect: async () => sampleReport() });

  it('names an unknown method', async () => {
    const env = await backend.dispatch('nope.nothing', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(!env.ok && env.error.message).toContain('"nope.nothing"');
  });

  it('rejects an invalid request naming the field', async () => {
    const env = await backend.dispatch('runs.get', { id: -3 });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('INVALID_REQUEST');
      expect(env.error.issues?.[0]).toMatch(/^id: /);
    }
    const extra = await backend.dispatch('runs.list', { kind: 'bench', colour: 'red' });
    expect(!extra.ok && extra.error.message).toMatch(/colour/);
    const wrongKind = await backend.dispatch('runs.list', { kind: 'sandwich' });
    expect(!wrongKind.ok && wrongKind.error.issues?.[0]).toMatch(/^kind: /);
  });

  it('turns a handler failure into an envelope, never a throw', async () => {
    const env = await backend.dispatch('runs.get', { id: 999 });
    expect(env).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('saves a hardware report as a run', async () => {
    const env = await backend.dispatch('hardware.detect', { save: true });
    expect(env.ok).toBe(true);
    const runId = env.ok ? (env.value as { runId: number }).runId : 0;
    const run = await backend.dispatch('runs.get', { id: runId });
    expect(run).toMatchObject({ ok: true, value: { kind: 'hardware', machineId: 'test-machine-0001' } });
  });
});
