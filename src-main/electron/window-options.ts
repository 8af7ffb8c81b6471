/**
 * The BrowserWindow settings (pure data, testable without Electron): every renderer is isolated,
 * sandboxed and has no Node integration, with web security on; the app window reaches the backend
 * only through the preload bridge, the print window has no preload and no JavaScript at all.
 */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } as const;
}

/**
 * The hidden window that prints a report to PDF (webContents.printToPDF): the same isolation, no
 * preload, JavaScript off (the report HTML is self-contained and needs none).
 */
export function printWebPreferences() {
  const { preload: _preload, ...rest } = secureWebPreferences('');
  return { ...rest, javascript: false, images: true } as const;
}
