// Unit tests for transport selection and token handling (fake window pieces, no DOM needed).
import { describe, expect, it, vi } from 'vitest';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { FlopscopeBridge } from '../../src-shared/api/ipc-client.js';
import { parseTokenFragment, pickClient, TOKEN_STORAGE_KEY, type ClientEnvironment } from './client.js';

function fakeEnv(hash: string, stored: string | null = null, bridge?: FlopscopeBridge) {
  const store = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
  const replaceState = vi.fn();
  const createHttp = vi.fn((opts: { baseUrl: string; token: string }) => ({ opts }) as unknown as FlopscopeClient);
  const env: ClientEnvironment = {
    bridge,
    location: { hash, origin: 'http://127.0.0.1:4321', pathname: '/', search: '' },
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    history: { replaceState, state: null },
    createHttp,
  };
  return { env, store, replaceState, createHttp };
}

describe('parseTokenFragment', () => {
  it('reads the token and keeps any route after it', () => {
    expect(parseTokenFragment('#token=abc')).toEqual({ token: 'abc', rest: '' });
    expect(parseTokenFragment('#token=a%2Bb&/history')).toEqual({ token: 'a+b', rest: '#/history' });
    expect(parseTokenFragment('#/hardware')).toEqual({ token: null, rest: '#/hardware' });
    expect(parseTokenFragment('#token=')).toEqual({ token: null, rest: '' });
  });
});

describe('pickClient', () => {
  it('prefers the Electron bridge and unwraps its envelopes', async () => {
    const invoke = vi.fn(async (method: string) =>
      method === 'app.info' ? { ok: true as const, value: { name: 'FLOPscope' } } : { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No run with id 9' } },
    );
    const bridge: FlopscopeBridge = { invoke, subscribe: vi.fn(() => () => {}), upload: vi.fn(async () => ({ ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'not in this test' } })) };
    const { env, replaceState } = fakeEnv('#token=abc', null, bridge);
    const choice = pickClient(env);
    expect(choice.kind).toBe('electron');
    if (choice.kind !== 'electron') return;
    expect(await choice.client.call('app.info', {})).toEqual({ name: 'FLOPscope' });
    const failure = await choice.client.call('runs.get', { id: 9 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).code).toBe('NOT_FOUND');
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('takes the token from the URL, stores it and strips it from the address bar', () => {
    const { env, store, replaceState, createHttp } = fakeEnv('#token=s3cret');
    expect(pickClient(env).kind).toBe('http');
    expect(createHttp).toHaveBeenCalledWith({ baseUrl: 'http://127.0.0.1:4321', token: 's3cret' });
    expect(store.get(TOKEN_STORAGE_KEY)).toBe('s3cret');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
  });

  it('falls back to the stored token on reload', () => {
    const { env, replaceState, createHttp } = fakeEnv('#/history', 'kept');
    expect(pickClient(env).kind).toBe('http');
    expect(createHttp).toHaveBeenCalledWith({ baseUrl: 'http://127.0.0.1:4321', token: 'kept' });
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('reports a missing token', () => {
    expect(pickClient(fakeEnv('').env)).toEqual({ kind: 'missing-token' });
  });
});
