// Vite's client types: `?raw` imports (index-html.test.ts) and CSS side-effect imports.
/// <reference types="vite/client" />
