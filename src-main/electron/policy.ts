/**
 * Every security decision of the Electron shell, as pure functions (no Electron import, so they
 * are unit-tested on machines that cannot run Electron): which URLs are the app, where a window
 * may navigate, which IPC senders are trusted, which links open in the user's browser, and which
 * web permissions a page gets. main.ts only wires these into Electron's events.
 */
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-protocol.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The Vite dev server URL (electron-vite sets ELECTRON_RENDERER_URL under `npm start`), honoured
 * only by an unpackaged app and only as a plain-http loopback URL. A packaged app always loads
 * its own bundled files, whatever the environment says.
 */
export function devRendererUrl(env: Record<string, string | undefined>, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const raw = env.ELECTRON_RENDERER_URL;
  if (!raw) return undefined;
  const u = parse(raw);
  if (!u || u.protocol !== 'http:' || !LOOPBACK_HOSTS.has(u.hostname) || u.username || u.password) return undefined;
  return u.href;
}

/** The app's entry page: the dev server in development, app://flopscope/index.html otherwise. */
export function appEntryUrl(devUrl: string | undefined): string {
  return devUrl ?? `${APP_ORIGIN}/index.html`;
}

/**
 * Whether a URL is one of the app's own pages: exactly app://flopscope (no user, password or
 * port), or the dev server's origin when there is one (unpackaged only, see devRendererUrl).
 * Nothing else: no file: URL, no other host of the app scheme, no remote page.
 */
export function isAppUrl(url: string, devUrl: string | undefined): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST && !u.username && !u.password && !u.port;
  if (!devUrl) return false;
  const dev = parse(devUrl);
  return dev !== null && u.origin === dev.origin;
}

/**
 * Documentation hosts the app cites (src-shared/planner/interconnects.ts's sources; the
 * policy.test.ts scan keeps this list in step with every https:// link in src-renderer and
 * src-shared). Exact host names: no subdomain wildcard.
 */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set([
  'pcisig.com',
  'images.nvidia.com',
  'resources.nvidia.com',
  'www.nvidia.com',
  'www.infinibandta.org',
]);

/**
 * The URL to hand to the user's browser, or null: https only, on the default port, without
 * credentials, to an allowlisted host. Returns the parsed (normalised) href, never the raw input.
 */
export function externalLinkTarget(url: string): string | null {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port) return null;
  return EXTERNAL_LINK_HOSTS.has(u.hostname) ? u.href : null;
}

/** The confirmation shown before a link leaves the app (dialog.showMessageBox options). */
export function externalLinkPrompt(target: string) {
  return {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    title: 'Open link',
    message: `Open ${new URL(target).hostname} in your browser?`,
    detail: target,
  };
}

/** 'app': the main window (its own pages only). 'print': the hidden PDF window (nothing at all). */
export type WindowRole = 'app' | 'print';

export type NavigationDecision = { action: 'allow' } | { action: 'deny'; external: string | null };

/**
 * will-navigate / will-frame-navigate: the main window may move between its own pages; a link
 * elsewhere is stopped and, when it is an allowlisted documentation link, offered to the user's
 * browser (after confirmation). The print window never navigates.
 */
export function navigationDecision(url: string, role: WindowRole, devUrl: string | undefined): NavigationDecision {
  if (role === 'app' && isAppUrl(url, devUrl)) return { action: 'allow' };
  return { action: 'deny', external: role === 'app' ? externalLinkTarget(url) : null };
}

/** will-redirect: only to the app itself, and never handed to the browser (a server chose it, not the user). */
export function redirectAllowed(url: string, role: WindowRole, devUrl: string | undefined): boolean {
  return role === 'app' && isAppUrl(url, devUrl);
}

/** setWindowOpenHandler: no window ever opens; an allowlisted link from the main window may go to the browser. */
export function windowOpenDecision(url: string, role: WindowRole): { action: 'deny'; external: string | null } {
  return { action: 'deny', external: role === 'app' ? externalLinkTarget(url) : null };
}

/** A frame, identified the way Electron does (webContents id, renderer process id, routing id). */
export interface FrameIdentity {
  webContentsId: number;
  processId: number;
  routingId: number;
}

/** What main.ts reads from event.senderFrame (null when the frame is gone). */
export interface SenderFrame extends FrameIdentity {
  url: string;
  /** senderFrame.parent === null. */
  isMainFrame: boolean;
}

/**
 * IPC sender check, for every channel: the message must come from a live frame that is the main
 * frame of one of our app windows (not an iframe inside it, not another window, not the print
 * window) and that frame must be showing the app (app://flopscope, or the dev server).
 */
export function isTrustedSender(sender: SenderFrame | null, ourMainFrames: readonly FrameIdentity[], devUrl: string | undefined): boolean {
  if (!sender || !sender.isMainFrame) return false;
  const ours = ourMainFrames.some((f) => f.webContentsId === sender.webContentsId && f.processId === sender.processId && f.routingId === sender.routingId);
  return ours && isAppUrl(sender.url, devUrl);
}

/**
 * Web permissions the app needs: none (no camera, microphone, notifications, geolocation,
 * clipboard, MIDI, HID/USB/serial, fullscreen, ...; WebGPU is not permission-gated). Both the
 * request and the check handler answer from this set, and then only for the app's own origin.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

export function permissionAllowed(permission: string, requestingUrl: string | undefined, devUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl, devUrl);
}
