/** The window settings every renderer gets (checklist items 2-4, 6, 8 and 12 of docs/security.md). */
import { describe, expect, it } from 'vitest';
import { printWebPreferences, secureWebPreferences } from './window-options.js';

const HARDENED = {
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
};

describe('window settings', () => {
  it('isolates and sandboxes the app window, without Node integration and with web security on', () => {
    const prefs = secureWebPreferences('/x/preload.cjs');
    expect(prefs).toMatchObject({ ...HARDENED, preload: '/x/preload.cjs' });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('gives the hidden PDF window the same isolation, no preload and no JavaScript', () => {
    const prefs = printWebPreferences();
    expect(prefs).toMatchObject({ ...HARDENED, javascript: false });
    expect(prefs).not.toHaveProperty('preload');
  });
});
