/**
 * The renderer's client under Electron. The preload exposes only `window.flopscope`, a bridge of
 * two functions that return plain data (envelopes and events): Error objects lose their fields
 * when they cross contextBridge, so the envelope is unwrapped here, on the page's side.
 */
import type { FlopscopeClient, Method, RequestOf, ResultOf } from './contract.js';
import { ApiFailure } from './errors.js';
import type { Envelope, JobEvent } from './types.js';

export interface FlopscopeBridge {
  invoke(method: string, request: unknown): Promise<Envelope<unknown>>;
  subscribe(jobId: string, onEvent: (event: JobEvent) => void): () => void;
  /** Hands a model file's bytes to the main process, which writes it to a private temp file. */
  upload(name: string, data: ArrayBuffer): Promise<Envelope<{ uploadId: string; name: string; bytes: number }>>;
}

export function createIpcClient(bridge: FlopscopeBridge): FlopscopeClient {
  return {
    async call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResultOf<M>> {
      const envelope = await bridge.invoke(method, request ?? {});
      if (!envelope.ok) throw ApiFailure.from(envelope.error);
      return envelope.value as ResultOf<M>;
    },
    subscribe: (jobId, onEvent) => bridge.subscribe(jobId, onEvent),
    async upload(file) {
      const envelope = await bridge.upload(file.name ?? 'model.onnx', await file.arrayBuffer());
      if (!envelope.ok) throw ApiFailure.from(envelope.error);
      return envelope.value;
    },
  };
}
