// Vite's client types: `?raw` imports (index-html.test.ts) and CSS side-effect imports.
/// <reference types="vite/client" />

/** The charts' stylesheet, built from src-shared/charts/chart-styles.ts by vite.renderer.config.ts. */
declare module 'virtual:flopscope-chart-styles.css';
