/**
 * The one Content-Security-Policy for the renderer, used by the serve door's header and the
 * Electron session. Scripts and styles come only from the app itself; no inline script, no eval,
 * no remote connections; the API is same-origin (serve) or IPC (Electron).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Directives a <meta> policy cannot carry (browsers ignore them there; Chromium logs an error). */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The policy for index.html's meta tag: the same rules less the header-only directives. */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !HEADER_ONLY.has(d.split(' ')[0]!))
  .join('; ');

/**
 * Development only (Vite's dev server under `npm start`): React Refresh needs an inline preamble
 * and HMR a websocket. Never used by a build.
 */
export const DEV_CONTENT_SECURITY_POLICY = META_CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
  "connect-src 'self'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
);
