/**
 * React plumbing for the API (renderer): the chosen client in a context, and `toApiError`, which
 * turns whatever a call rejected with into `{code, message}`. Errors that crossed Electron IPC
 * arrive as plain objects, not ApiFailure instances, so this reads fields rather than classes.
 */
import { createContext, useContext } from 'react';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import type { ApiError, ErrorCode } from '../../src-shared/api/types.js';

export const ClientContext = createContext<FlopscopeClient | null>(null);

export function useClient(): FlopscopeClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientContext.Provider>');
  return client;
}

export function toApiError(e: unknown): ApiError {
  if (e && typeof e === 'object') {
    const { code, message, issues } = e as { code?: unknown; message?: unknown; issues?: unknown };
    if (typeof code === 'string' && typeof message === 'string') {
      return Array.isArray(issues) ? { code: code as ErrorCode, message, issues: issues.map(String) } : { code: code as ErrorCode, message };
    }
    if (typeof message === 'string') return { code: 'INTERNAL', message };
  }
  return { code: 'INTERNAL', message: String(e) };
}
