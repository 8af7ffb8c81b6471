/**
 * The HTTP client for `flopscope serve` (runs in the browser and in Node 20+: global fetch only).
 * Calls are POST /api/<method> with the per-launch token as a Bearer header; job events arrive
 * as Server-Sent Events from GET /api/jobs/<id>/events, read with fetch so the token stays in a
 * header (EventSource cannot set one), parsed by eventsource-parser.
 */
import { createParser } from 'eventsource-parser';
import type { FlopscopeClient, Method, RequestOf, ResultOf } from './contract.js';
import { ApiFailure } from './errors.js';
import type { Envelope, JobEvent } from './types.js';

export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export function createHttpClient({ baseUrl, token, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }: HttpClientOptions): FlopscopeClient {
  const root = baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${token}` };

  async function call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResultOf<M>> {
    let response: Response;
    try {
      response = await fetchImpl(`${root}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(request ?? {}),
      });
    } catch (e) {
      throw new ApiFailure('UNAVAILABLE', `Cannot reach the FLOPscope server at ${root}: ${(e as Error).message}`);
    }
    let envelope: Envelope<unknown>;
    try {
      envelope = (await response.json()) as Envelope<unknown>;
    } catch {
      throw new ApiFailure('INTERNAL', `The server answered ${response.status} without a JSON envelope.`);
    }
    if (!envelope.ok) throw ApiFailure.from(envelope.error);
    return envelope.value as ResultOf<M>;
  }

  function subscribe(jobId: string, onEvent: (event: JobEvent) => void): () => void {
    const controller = new AbortController();
    let lastSeq = 0;
    let terminal = false;
    const parser = createParser({
      onEvent(message) {
        const event = JSON.parse(message.data) as JobEvent;
        if (event.seq <= lastSeq) return; // replayed after a reconnect
        lastSeq = event.seq;
        if (event.type === 'result' || event.type === 'error' || event.type === 'cancelled') terminal = true;
        onEvent(event);
      },
    });
    const pump = async (): Promise<void> => {
      // Reconnect (replaying from lastSeq) until a terminal event arrives or the caller unsubscribes.
      for (let attempt = 0; !terminal && !controller.signal.aborted && attempt < 50; attempt++) {
        try {
          const response = await fetchImpl(`${root}/api/jobs/${encodeURIComponent(jobId)}/events?afterSeq=${lastSeq}`, {
            headers: { ...headers, accept: 'text/event-stream' },
            signal: controller.signal,
          });
          if (!response.ok || !response.body) {
            const body = (await response.json().catch(() => null)) as Envelope<unknown> | null;
            throw body && !body.ok ? ApiFailure.from(body.error) : new ApiFailure('INTERNAL', `Event stream failed with HTTP ${response.status}`);
          }
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parser.feed(decoder.decode(value, { stream: true }));
          }
        } catch (e) {
          if (controller.signal.aborted) return;
          if (e instanceof ApiFailure && e.code !== 'INTERNAL') {
            onEvent({ seq: lastSeq + 1, jobId, at: Date.now(), type: 'error', error: e.toJSON() });
            return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    };
    void pump();
    return () => controller.abort();
  }

  /** Streams a model file to the server (serve mode); the id goes into profile.start's source. */
  async function upload(file: Blob & { name?: string }): Promise<{ uploadId: string; name: string; bytes: number }> {
    const response = await fetchImpl(`${root}/api/upload?name=${encodeURIComponent(file.name ?? 'model.onnx')}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: file,
    });
    const envelope = (await response.json()) as Envelope<{ uploadId: string; name: string; bytes: number }>;
    if (!envelope.ok) throw ApiFailure.from(envelope.error);
    return envelope.value;
  }

  return { call, subscribe, upload };
}
