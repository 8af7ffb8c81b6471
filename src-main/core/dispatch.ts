/**
 * dispatch(): the only entry point to the backend, shared by all three doors. It checks that the
 * method exists, validates the request with the contract's zod schema, runs the handler and turns
 * any failure into `{ok:false, error:{code, message}}` (a FieldError, bad input naming its field,
 * becomes INVALID_REQUEST here, the one place that maps it), so nothing crosses a boundary as a raw throw.
 * Each call says which door it came through: only the CLI's own arguments may name a file on
 * disk; a page (HTTP or IPC) hands files over as uploads (docs/security.md, "API and server").
 */
import type { z } from 'zod';
import { isMethod, requestSchemas, type Method, type ParsedRequestOf, type ResultOf } from '../../src-shared/api/contract.js';
import { ApiFailure, fieldFailure } from '../../src-shared/api/errors.js';
import { FieldError } from '../../src-shared/errors/field-error.js';
import type { Envelope } from '../../src-shared/api/types.js';
import type { CallContext } from '../infra/door.js';

/** Which door a call came through (src-main/infra/door.ts). */
export type { CallContext, Door } from '../infra/door.js';

export type Handlers = { [M in Method]: (request: ParsedRequestOf<M>, context: CallContext) => Promise<ResultOf<M>> | ResultOf<M> };

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`);
}

export async function dispatch(handlers: Handlers, method: unknown, request: unknown, context: CallContext): Promise<Envelope<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method ${JSON.stringify(method)}. Known methods: ${Object.keys(requestSchemas).join(', ')}.` } };
  }
  let parsed;
  try {
    parsed = requestSchemas[method].safeParse(request ?? {});
  } catch (e) {
    // A schema that parses a mini-language at the door (the attention variants) throws a FieldError.
    if (e instanceof FieldError) return { ok: false, error: fieldFailure(e).toJSON() };
    throw e;
  }
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `Invalid request for ${method}: ${issues.join('; ')}`, issues } };
  }
  try {
    const handler = handlers[method] as (r: unknown, c: CallContext) => Promise<unknown> | unknown;
    return { ok: true, value: await handler(parsed.data, context) };
  } catch (e) {
    if (e instanceof ApiFailure) return { ok: false, error: e.toJSON() };
    if (e instanceof FieldError) return { ok: false, error: fieldFailure(e).toJSON() };
    return { ok: false, error: { code: 'INTERNAL', message: `${method} failed: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
