/**
 * Electron main process: a thin shell. It opens the shared backend on the user's database, serves
 * the renderer from app://flopscope, hands the window a sandboxed preload bridge, routes IPC from
 * trusted frames into dispatch(), and denies everything a page should not do (new windows,
 * navigation away, redirects, permissions). Every decision is a pure function in policy.ts or
 * app-protocol.ts; docs/security.md explains the threat model and the checklist.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { createBackend, type Backend } from '../core/backend.js';
import { resolveDbPath } from '../infra/paths.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol.js';
import { CHANNELS } from './channels.js';
import {
  appEntryUrl,
  devRendererUrl,
  externalLinkPrompt,
  isTrustedSender,
  navigationDecision,
  permissionAllowed,
  redirectAllowed,
  windowOpenDecision,
  type FrameIdentity,
  type SenderFrame,
  type WindowRole,
} from './policy.js';
import { printWebPreferences, secureWebPreferences } from './window-options.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../renderer');
/** Only an unpackaged app honours ELECTRON_RENDERER_URL, and only a loopback http URL. */
const devUrl = devRendererUrl(process.env, app.isPackaged);

// Before 'ready': app:// is a standard, secure scheme (see APP_SCHEME_PRIVILEGES).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

app.setName('FLOPscope');
// WebGPU is on by default in Chromium on Windows, macOS and ChromeOS but still behind this
// switch on Linux; the Benchmarks page runs its WGSL kernels through navigator.gpu.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

/** The webContents ids of app windows (role 'app'); every other webContents is treated as 'print'. */
const appContents = new Set<number>();
const roleOf = (contents: WebContents): WindowRole => (appContents.has(contents.id) ? 'app' : 'print');

/** Asks before an allowlisted documentation link leaves the app for the user's browser. */
async function offerExternal(contents: WebContents, target: string | null): Promise<void> {
  if (!target) return;
  const owner = BrowserWindow.fromWebContents(contents);
  const options = externalLinkPrompt(target);
  const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
  if (response === 0) await shell.openExternal(target);
}

/** Navigation, redirect, new-window and webview policy on every webContents the app creates. */
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    const decision = navigationDecision(url, roleOf(contents), devUrl);
    if (decision.action === 'allow') return;
    event.preventDefault();
    void offerExternal(contents, decision.external);
  });
  contents.on('will-frame-navigate', (event) => {
    // Subframes (the CSP already limits them to 'self') may only show the app, with no external
    // offer. The main frame is left to will-navigate, which Electron emits next.
    if (event.isMainFrame) return;
    if (navigationDecision(event.url, roleOf(contents), devUrl).action !== 'allow') event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!redirectAllowed(url, roleOf(contents), devUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void offerExternal(contents, windowOpenDecision(url, roleOf(contents)).external);
    return { action: 'deny' };
  });
});

/**
 * PDF reports in the app: print the self-contained report HTML (no scripts, no requests: its own
 * CSP says so) in a hidden, sandboxed window without JavaScript, with Electron's printToPDF,
 * instead of the headless Chromium the CLI uses. Its webContents has the 'print' role: it can
 * navigate nowhere, open nothing and send no trusted IPC.
 */
async function printPdf(html: string): Promise<Uint8Array> {
  const win = new BrowserWindow({ show: false, webPreferences: printWebPreferences() });
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return new Uint8Array(await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' }));
  } finally {
    win.destroy();
  }
}

function dbArg(): string | undefined {
  const flag = process.argv.find((a) => a.startsWith('--db='));
  return flag ? flag.slice('--db='.length) : undefined;
}

let backend: Backend;

function ourMainFrames(): FrameIdentity[] {
  return BrowserWindow.getAllWindows()
    .filter((w) => !w.isDestroyed() && appContents.has(w.webContents.id))
    .map((w) => ({ webContentsId: w.webContents.id, processId: w.webContents.mainFrame.processId, routingId: w.webContents.mainFrame.routingId }));
}

/** senderFrame as plain data; null when the frame has gone (navigated away, destroyed). */
function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): SenderFrame | null {
  try {
    const frame = event.senderFrame;
    if (!frame || frame.detached) return null;
    return { webContentsId: event.sender.id, processId: frame.processId, routingId: frame.routingId, url: frame.url, isMainFrame: frame.parent === null };
  } catch {
    return null;
  }
}

const trusted = (event: IpcMainEvent | IpcMainInvokeEvent) => isTrustedSender(senderOf(event), ourMainFrames(), devUrl);
const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from a foreign frame.' } } as const;

function registerIpc(): void {
  const subscriptions = new Map<string, () => void>();
  ipcMain.handle(CHANNELS.call, (event, method: unknown, request: unknown) => {
    if (!trusted(event)) return FORBIDDEN;
    return backend.dispatch(method, request, 'ipc');
  });
  ipcMain.handle(CHANNELS.upload, async (event, name: unknown, data: unknown) => {
    if (!trusted(event)) return FORBIDDEN;
    if (typeof name !== 'string' || !(data instanceof ArrayBuffer || ArrayBuffer.isView(data))) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'upload takes a file name and its bytes.' } };
    }
    const bytes = data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return backend.dispatchUpload(name, bytes);
  });
  ipcMain.on(CHANNELS.subscribe, (event, sub: unknown, jobId: unknown) => {
    if (!trusted(event) || typeof sub !== 'number' || typeof jobId !== 'string') return;
    const sender = event.sender;
    const key = `${sender.id}:${sub}`;
    subscriptions.get(key)?.();
    try {
      subscriptions.set(
        key,
        backend.jobs.subscribe(jobId, (jobEvent) => {
          if (!sender.isDestroyed()) sender.send(CHANNELS.jobEvent, sub, jobEvent);
        }),
      );
      sender.once('destroyed', () => {
        subscriptions.get(key)?.();
        subscriptions.delete(key);
      });
    } catch (e) {
      sender.send(CHANNELS.jobEvent, sub, { seq: 1, jobId, at: Date.now(), type: 'error', error: { code: 'NOT_FOUND', message: (e as Error).message } });
    }
  });
  ipcMain.on(CHANNELS.unsubscribe, (event, sub: unknown) => {
    if (!trusted(event) || typeof sub !== 'number') return;
    const key = `${event.sender.id}:${sub}`;
    subscriptions.get(key)?.();
    subscriptions.delete(key);
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    title: 'FLOPscope',
    show: false,
    webPreferences: secureWebPreferences(path.join(here, '../preload/index.cjs')),
  });
  const id = win.webContents.id;
  appContents.add(id);
  win.on('closed', () => appContents.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appEntryUrl(devUrl));
}

void app.whenReady().then(() => {
  // The packaged app has better-sqlite3 rebuilt for Electron; from a source checkout
  // `npm start` builds an Electron-ABI copy beside the Node one (scripts/start.js).
  const nativeBinding = app.isPackaged ? undefined : process.env.FLOPSCOPE_SQLITE_BINDING;
  backend = createBackend({ dbPath: resolveDbPath(dbArg()), host: 'electron', printPdf, ...(nativeBinding ? { nativeBinding } : {}) });
  const ses = session.defaultSession;
  // The renderer, from the electron-vite output folder only, with the CSP header on every response.
  // (The dev server needs Vite's inline HMR preamble; development relies on the relaxed dev meta.)
  ses.protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererRoot));
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl, devUrl)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, devUrl));
  ses.setDevicePermissionHandler(() => false);
  registerIpc();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void backend?.close();
});
