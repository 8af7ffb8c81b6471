/**
 * Electron main process: a thin shell. It opens the shared backend on the user's database, hands
 * the window a sandboxed preload bridge, routes IPC into dispatch(), and denies everything a page
 * should not do (new windows, navigation away, permissions). All logic lives behind the API.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/api/csp.js';
import { createBackend, type Backend } from '../core/backend.js';
import { resolveDbPath } from '../core/paths.js';
import { CHANNELS } from './channels.js';
import { isAppUrl, secureWebPreferences } from './window-options.js';
import { setPdfPrinter } from '../services/reports/write-report.js';

/**
 * PDF reports in the app: print the self-contained report HTML (no scripts, no requests: its own
 * CSP says so) in a hidden, sandboxed window with Electron's printToPDF, instead of the headless
 * Chromium the CLI uses.
 */
setPdfPrinter(async (html) => {
  const win = new BrowserWindow({ show: false, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, javascript: false } });
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return new Uint8Array(await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' }));
  } finally {
    win.destroy();
  }
});

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;

app.setName('FLOPscope');
// WebGPU is on by default in Chromium on Windows, macOS and ChromeOS but still behind this
// switch on Linux; the Benchmarks page runs its WGSL kernels through navigator.gpu.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

function dbArg(): string | undefined {
  const flag = process.argv.find((a) => a.startsWith('--db='));
  return flag ? flag.slice('--db='.length) : undefined;
}

let backend: Backend;

function fromOurWindow(sender: WebContents): boolean {
  return isAppUrl(sender.getURL(), devServerUrl);
}

function registerIpc(): void {
  const subscriptions = new Map<string, () => void>();
  ipcMain.handle(CHANNELS.call, (event, method: unknown, request: unknown) => {
    if (!fromOurWindow(event.sender)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from a foreign page.' } };
    return backend.dispatch(method, request);
  });
  ipcMain.handle(CHANNELS.upload, async (event, name: unknown, data: unknown) => {
    if (!fromOurWindow(event.sender)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from a foreign page.' } };
    if (typeof name !== 'string' || !(data instanceof ArrayBuffer || ArrayBuffer.isView(data))) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'upload takes a file name and its bytes.' } };
    }
    return backend.dispatchUpload(name, Buffer.from(data instanceof ArrayBuffer ? data : (data as Uint8Array).buffer));
  });
  ipcMain.on(CHANNELS.subscribe, (event, sub: number, jobId: string) => {
    if (!fromOurWindow(event.sender)) return;
    const key = `${event.sender.id}:${sub}`;
    try {
      subscriptions.set(
        key,
        backend.jobs.subscribe(jobId, (jobEvent) => {
          if (!event.sender.isDestroyed()) event.sender.send(CHANNELS.jobEvent, sub, jobEvent);
        }),
      );
    } catch (e) {
      event.sender.send(CHANNELS.jobEvent, sub, { seq: 1, jobId, at: Date.now(), type: 'error', error: { code: 'NOT_FOUND', message: (e as Error).message } });
    }
  });
  ipcMain.on(CHANNELS.unsubscribe, (event, sub: number) => {
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
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; the app never opens a second window.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(path.join(here, '../renderer/index.html'));
}

void app.whenReady().then(() => {
  // The packaged app has better-sqlite3 rebuilt for Electron; from a source checkout
  // `npm start` builds an Electron-ABI copy beside the Node one (scripts/start.js).
  const nativeBinding = app.isPackaged ? undefined : process.env.FLOPSCOPE_SQLITE_BINDING;
  backend = createBackend({ dbPath: resolveDbPath(dbArg()), host: 'electron', ...(nativeBinding ? { nativeBinding } : {}) });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  if (!devServerUrl) {
    // The page's meta tag carries the same policy; the header covers every response as well.
    // (The dev server needs Vite's inline HMR preamble, so development relies on the relaxed dev meta.)
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
  }
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
