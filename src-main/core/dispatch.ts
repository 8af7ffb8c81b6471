/**
 * dispatch(): the only entry point to the backend, shared by all three doors. It checks that the
 * method exists, validates the request with the contract's zod schema, runs the handler and turns
 * any failure into `{ok:false, error:{code, message}}`, so nothing crosses a boundary as a raw throw.
 */
import type { z } from 'zod';
import { isMethod, requestSchemas, type Method, type ParsedRequestOf, type ResultOf } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { Envelope } from '../../src-shared/api/types.js';

export type Handlers = { [M in Method]: (request: ParsedRequestOf<M>) => Promise<ResultOf<M>> | ResultOf<M> };

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`);
}

export async function dispatch(handlers: Handlers, method: unknown, request: unknown): Promise<Envelope<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method ${JSON.stringify(method)}. Known methods: ${Object.keys(requestSchemas).join(', ')}.` } };
  }
  const parsed = requestSchemas[method].safeParse(request ?? {});
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `Invalid request for ${method}: ${issues.join('; ')}`, issues } };
  }
  try {
    const handler = handlers[method] as (r: unknown) => Promise<unknown> | unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    if (e instanceof ApiFailure) return { ok: false, error: e.toJSON() };
    return { ok: false, error: { code: 'INTERNAL', message: `${method} failed: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
