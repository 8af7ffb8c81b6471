/**
 * Picks the API client at start-up (renderer). Under Electron the preload exposes
 * `window.flopscope`; in a browser opened by `flopscope serve` we talk HTTP to the page's own
 * origin with the per-launch token. The token arrives once in the URL fragment (`#token=…`,
 * never sent to the server in a request line or Referer), is kept in sessionStorage so reloads
 * work, and is removed from the address bar so it does not end up in screenshots or history.
 */
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import { createHttpClient } from '../../src-shared/api/http-client.js';
import { createIpcClient, type FlopscopeBridge } from '../../src-shared/api/ipc-client.js';

declare global {
  interface Window {
    /** Set by the Electron preload (src-main/electron/preload.ts); absent in serve mode. */
    flopscope?: FlopscopeBridge;
  }
}

export const TOKEN_STORAGE_KEY = 'flopscope.token';

export type ClientChoice =
  | { kind: 'electron'; client: FlopscopeClient }
  | { kind: 'http'; client: FlopscopeClient }
  | { kind: 'missing-token' };

/** What pickClient needs from the page; tests pass fakes. */
export interface ClientEnvironment {
  bridge: FlopscopeBridge | undefined;
  location: Pick<Location, 'hash' | 'origin' | 'pathname' | 'search'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  history: Pick<History, 'replaceState' | 'state'>;
  createHttp?: typeof createHttpClient;
}

/**
 * Splits a fragment like `#token=abc` or `#token=abc&/history` into the token and what remains.
 * The remainder keeps hash routes working: `#/history` after the token is stripped.
 */
export function parseTokenFragment(hash: string): { token: string | null; rest: string } {
  const match = /^#token=([^&]*)(?:&(.*))?$/.exec(hash);
  if (!match) return { token: null, rest: hash };
  let token: string | null;
  try {
    token = decodeURIComponent(match[1]!) || null;
  } catch {
    token = null;
  }
  const rest = match[2] ? `#${match[2].replace(/^#/, '')}` : '';
  return { token, rest };
}

export function pickClient(env: ClientEnvironment): ClientChoice {
  if (env.bridge) return { kind: 'electron', client: createIpcClient(env.bridge) };

  const { token: fromUrl, rest } = parseTokenFragment(env.location.hash);
  if (fromUrl !== null || env.location.hash.startsWith('#token=')) {
    // Strip the token from the address bar, keeping the path, query and any route after it.
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest}`);
  }
  let token = fromUrl;
  try {
    if (token) env.storage?.setItem(TOKEN_STORAGE_KEY, token);
    else token = env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    // Storage can be disabled; the token from the URL still works for this page load.
  }
  if (!token) return { kind: 'missing-token' };
  const create = env.createHttp ?? createHttpClient;
  return { kind: 'http', client: create({ baseUrl: env.location.origin, token }) };
}

/** pickClient against the real page. */
export function pickBrowserClient(): ClientChoice {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  return pickClient({ bridge: window.flopscope, location: window.location, storage, history: window.history });
}
