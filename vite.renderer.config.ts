/**
 * Vite build for the renderer (the React UI), used by `npm run build:renderer` for the serve door
 * and e2e tests. `rendererConfig` holds the pieces electron.vite.config.ts reuses for the app.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { DEV_CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from './src-shared/api/csp';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Writes the app's one CSP (src-shared/api/csp.ts) into index.html; the dev server gets the relaxed dev policy. */
export function cspPlugin(): Plugin {
  let policy = META_CONTENT_SECURITY_POLICY;
  return {
    name: 'flopscope-csp',
    configResolved(config) {
      if (config.command === 'serve') policy = DEV_CONTENT_SECURITY_POLICY;
    },
    transformIndexHtml(html) {
      if (!html.includes('%FLOPSCOPE_CSP%')) throw new Error('index.html lost its %FLOPSCOPE_CSP% placeholder');
      return html.replace('%FLOPSCOPE_CSP%', policy);
    },
  };
}

export const rendererConfig = {
  root: path.join(here, 'src-renderer'),
  plugins: [react(), cspPlugin()],
  build: {
    // Relative to root: <repo>/out/renderer, where the serve door and Electron look for it.
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
  },
} satisfies Pick<UserConfig, 'root' | 'plugins' | 'build'>;

export default defineConfig({
  ...rendererConfig,
  // Relative asset URLs: the same build loads from http://127.0.0.1:PORT/ and from file:// in Electron.
  base: './',
});
