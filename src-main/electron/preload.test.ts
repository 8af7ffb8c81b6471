/**
 * The preload exposes one narrow object and never ipcRenderer. Electron is replaced by a recorder
 * here (no window opens on a CI machine); the preload module itself is the real one.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from './channels.js';

const exposed = new Map<string, unknown>();
const ipcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: 'pong' })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer,
}));

describe('preload bridge', () => {
  beforeAll(async () => {
    await import('./preload.js');
  });

  it('exposes only window.flopscope with invoke, subscribe and upload', () => {
    expect([...exposed.keys()]).toEqual(['flopscope']);
    const bridge = exposed.get('flopscope') as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe', 'upload']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  it('never hands out ipcRenderer or its methods', async () => {
    const bridge = exposed.get('flopscope') as Record<string, (...a: unknown[]) => unknown>;
    const values = Object.values(bridge);
    expect(values).not.toContain(ipcRenderer);
    for (const fn of Object.values(ipcRenderer)) expect(values).not.toContain(fn);
    expect(await bridge.invoke!('app.info', {})).toEqual({ ok: true, value: 'pong' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(CHANNELS.call, 'app.info', {});
    for (const value of [bridge.invoke!('x', {}), bridge.subscribe!('job', () => {})]) {
      expect(value).not.toBe(ipcRenderer);
    }
  });

  it('subscribes on fixed channels and unsubscribes cleanly', () => {
    const bridge = exposed.get('flopscope') as { subscribe(id: string, cb: (e: unknown) => void): () => void };
    const seen: unknown[] = [];
    const off = bridge.subscribe('job-1', (e) => seen.push(e));
    const [channel, sub, jobId] = ipcRenderer.send.mock.calls.at(-1) as unknown as [string, number, string];
    expect([channel, jobId]).toEqual([CHANNELS.subscribe, 'job-1']);
    const listener = ipcRenderer.on.mock.calls.at(-1)![1] as (e: unknown, s: number, ev: unknown) => void;
    listener({}, sub, { seq: 1 });
    listener({}, sub + 1000, { seq: 2 }); // another subscription's event is not delivered here
    expect(seen).toEqual([{ seq: 1 }]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith(CHANNELS.jobEvent, listener);
    expect(ipcRenderer.send).toHaveBeenLastCalledWith(CHANNELS.unsubscribe, sub);
  });
});
