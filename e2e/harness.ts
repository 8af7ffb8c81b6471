/**
 * End-to-end harness (Node side): a real backend on a throwaway database, the loopback HTTP door
 * serving the built renderer, and headless Chromium (CHROMIUM_PATH, a system one on PATH, or the npm
 * package: src-main/services/browser/chromium.ts) driven by playwright-core. Each harness owns its
 * temp folder and cleans it up in close().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createBackend, type Backend } from '../src-main/core/backend.js';
import { startServer, type RunningServer } from '../src-main/server/http-server.js';
import { launchChromium, type ChromiumInstall } from '../src-main/services/browser/chromium.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STATIC_DIR = path.join(repoRoot, 'out', 'renderer');

export interface Harness {
  dir: string;
  dbPath: string;
  backend: Backend;
  server: RunningServer;
  browser: Browser;
  /** Which Chromium runs the pages, and where it came from. */
  chromium: ChromiumInstall;
  /** A fresh 1280×900 light-scheme page whose console errors, page errors and CSP violations are collected in `problems`; closed with the harness. */
  newPage(): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra Chromium command-line flags, after the defaults (e.g. to give WebGPU a software adapter). */
  chromiumArgs?: readonly string[];
}

/**
 * Chromium flags that give the page a WebGPU adapter without a GPU: SwiftShader, Chromium's own
 * CPU implementation of Vulkan. Headless Chromium with --disable-gpu otherwise has none.
 */
export const SOFTWARE_WEBGPU_ARGS: readonly string[] = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'];

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (!fs.existsSync(path.join(STATIC_DIR, 'index.html'))) {
    throw new Error(`${path.relative(repoRoot, STATIC_DIR)}/index.html is missing: run npm run build:renderer first.`);
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-e2e-'));
  const dbPath = path.join(dir, 'flopscope.db');
  const backend = createBackend({ dbPath, host: 'serve' });
  let server: RunningServer | null = null;
  try {
    server = await startServer({ backend, staticDir: STATIC_DIR });
    const { browser, chromium } = await launchChromium([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.chromiumArgs ?? []),
    ]);
    const running = server;
    const contexts: BrowserContext[] = [];
    return {
      dir,
      dbPath,
      backend,
      server: running,
      browser,
      chromium,
      async newPage() {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        contexts.push(context);
        const page = await context.newPage();
        return { page, problems: await watchPageProblems(page) };
      },
      async close() {
        for (const c of contexts) await c.close().catch(() => {});
        await browser.close().catch(() => {});
        await running.close();
        await backend.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await server?.close();
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Collects everything that should never happen on a healthy page: console errors, uncaught
 * exceptions and CSP violations. Chromium logs violations to the console as errors already; the
 * listener (injected through the DevTools protocol, so the CSP does not block it) makes them
 * explicit with the directive and the blocked resource.
 */
export async function watchPageProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  return problems;
}
