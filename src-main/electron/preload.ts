/**
 * Preload (runs sandboxed, before the page). Exposes exactly one narrow object,
 * `window.flopscope`, with two functions on fixed channels — never ipcRenderer itself, so page
 * code cannot send arbitrary IPC.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { FlopscopeBridge } from '../../src-shared/api/ipc-client.js';
import type { Envelope, JobEvent } from '../../src-shared/api/types.js';
import { CHANNELS } from './channels.js';

let nextSubscription = 1;

const bridge: FlopscopeBridge = {
  invoke: (method, request) => ipcRenderer.invoke(CHANNELS.call, String(method), request) as Promise<Envelope<unknown>>,
  upload: (name, data) => ipcRenderer.invoke(CHANNELS.upload, String(name), data) as ReturnType<FlopscopeBridge['upload']>,
  subscribe(jobId, onEvent) {
    const subscription = nextSubscription++;
    const listener = (_event: IpcRendererEvent, sub: number, jobEvent: JobEvent) => {
      if (sub === subscription) onEvent(jobEvent);
    };
    ipcRenderer.on(CHANNELS.jobEvent, listener);
    ipcRenderer.send(CHANNELS.subscribe, subscription, String(jobId));
    return () => {
      ipcRenderer.removeListener(CHANNELS.jobEvent, listener);
      ipcRenderer.send(CHANNELS.unsubscribe, subscription);
    };
  },
};

contextBridge.exposeInMainWorld('flopscope', bridge);
