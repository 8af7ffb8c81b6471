// electron-vite build of the desktop app: main process, sandboxed preload (CommonJS, since
// sandboxed preloads cannot be ES modules) and the renderer, which reuses the same Vite settings
// as the headless build in vite.renderer.config.ts so both hosts serve identical UI.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';
// Every `*.worker.ts` under src-main, found the way the CLI build finds them (a new worker needs no line here).
import { workerEntries } from './scripts/worker-entries.js';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        // Worker entries are bundled beside the main bundle, and shared chunks stay in the same
        // folder, because the code finds a worker as the sibling of the module that starts it.
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          ...workerEntries(),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
