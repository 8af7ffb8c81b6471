// The Chromium resolver: CHROMIUM_PATH, then PATH (in PATH_NAMES order), then the npm package,
// each failure naming every place looked at; and the npm Chromium launched for real.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, findOnPath, launchChromium, resolveChromium, resolveSwiftShaderVulkan, swiftShaderBeside } from './chromium.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-chromium-test-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in executable (never run by these tests). */
function fakeExe(file: string, mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode });
  return file;
}

describe('resolveChromium without the npm fallback', () => {
  it('takes CHROMIUM_PATH first, over anything on PATH', async () => {
    const exe = fakeExe(path.join(dir, 'explicit', 'my-chrome'));
    const bin = path.join(dir, 'bin-a');
    fakeExe(path.join(bin, 'chromium'));
    const r = await resolveChromium({ env: { CHROMIUM_PATH: exe, PATH: bin }, npm: false });
    expect(r).toMatchObject({ executablePath: exe, source: 'CHROMIUM_PATH', env: {}, swiftShaderDir: null });
  });

  it('refuses a CHROMIUM_PATH that does not exist or is no executable, without falling back', async () => {
    const bin = path.join(dir, 'bin-b');
    fakeExe(path.join(bin, 'chromium'));
    const missing = path.join(dir, 'nothing-here');
    const err = await resolveChromium({ env: { CHROMIUM_PATH: missing, PATH: bin } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChromiumNotFoundError);
    expect((err as Error).message).toContain(`CHROMIUM_PATH is set to "${missing}", which does not exist`);
    const notExecutable = fakeExe(path.join(dir, 'plain-file'), 0o644);
    await expect(resolveChromium({ env: { CHROMIUM_PATH: notExecutable, PATH: bin } })).rejects.toThrow(/is not an executable file/);
    await expect(resolveChromium({ env: { CHROMIUM_PATH: dir, PATH: bin } })).rejects.toThrow(/is not an executable file/);
  });

  it('looks on PATH name by name: chromium, chromium-browser, google-chrome-stable, google-chrome', async () => {
    const first = path.join(dir, 'bin-c1');
    const second = path.join(dir, 'bin-c2');
    fakeExe(path.join(first, 'google-chrome'));
    fakeExe(path.join(second, 'chromium-browser'));
    fakeExe(path.join(first, 'chromium'), 0o644); // not executable: ignored
    const pathVar = [first, second].join(path.delimiter);
    expect(findOnPath(pathVar)).toBe(path.join(second, 'chromium-browser'));
    const r = await resolveChromium({ env: { PATH: pathVar, CHROMIUM_PATH: '' }, npm: false });
    expect(r).toMatchObject({ executablePath: path.join(second, 'chromium-browser'), source: 'PATH' });
    expect(findOnPath(first)).toBe(path.join(first, 'google-chrome'));
    expect(findOnPath('')).toBeNull();
  });

  it('names every place it looked when there is none', async () => {
    const empty = path.join(dir, 'bin-empty');
    fs.mkdirSync(empty);
    const err = (await resolveChromium({ env: { PATH: empty }, npm: false }).catch((e: unknown) => e)) as ChromiumNotFoundError;
    expect(err).toBeInstanceOf(ChromiumNotFoundError);
    expect(err.looked).toEqual([
      'CHROMIUM_PATH: not set',
      `PATH (${empty}): no chromium, chromium-browser, google-chrome-stable, google-chrome`,
      '@sparticuz/chromium: not used (npm: false)',
    ]);
    expect(err.message).toMatch(/^No Chromium found\. Looked at: CHROMIUM_PATH: not set; PATH .*; @sparticuz\/chromium: not used .*set CHROMIUM_PATH\.$/);
    // The same through the environment switch.
    await expect(resolveChromium({ env: { PATH: empty, FLOPSCOPE_CHROMIUM_NPM: '0' } })).rejects.toThrow('@sparticuz/chromium: not used (FLOPSCOPE_CHROMIUM_NPM=0)');
  });

  it('finds SwiftShader beside the real binary', () => {
    const install = path.join(dir, 'opt-chrome');
    const exe = fakeExe(path.join(install, 'chrome'));
    expect(swiftShaderBeside(exe)).toBeNull();
    fs.writeFileSync(path.join(install, 'vk_swiftshader_icd.json'), '{}');
    fs.writeFileSync(path.join(install, 'libvulkan.so.1'), '');
    const link = path.join(dir, 'bin-d', 'google-chrome');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(exe, link);
    expect(swiftShaderBeside(link)).toBe(install);
  });
});

// The fallback everyone gets after `npm install` (the npm package carries a Linux x64 build only).
const npmBuild = process.platform === 'linux' && process.arch === 'x64';

describe('the npm Chromium (@sparticuz/chromium)', () => {
  const noSystem = () => ({ env: { ...process.env, CHROMIUM_PATH: '', PATH: path.join(dir, 'no-bin') } });

  it(npmBuild ? 'unpacks once, with SwiftShader beside it, and launches' : 'says it has no build for this platform', async () => {
    if (!npmBuild) {
      await expect(resolveChromium(noSystem())).rejects.toThrow(/ships a Linux x64 build only/);
      return;
    }
    const r = await resolveChromium(noSystem());
    expect(r.source).toBe('npm');
    expect(r.description).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+, unpacked in /);
    expect(fs.statSync(r.executablePath).mode & 0o111).not.toBe(0);
    expect(r.swiftShaderDir).toBe(path.dirname(r.executablePath));
    expect(fs.existsSync(path.join(r.swiftShaderDir!, 'vk_swiftshader_icd.json'))).toBe(true);
    expect(fs.existsSync(r.env.FONTCONFIG_FILE!)).toBe(true);
    // A second resolve reuses the unpacked folder.
    expect((await resolveChromium(noSystem())).executablePath).toBe(r.executablePath);
    expect(await resolveSwiftShaderVulkan(noSystem())).toMatchObject({ dir: r.swiftShaderDir, icd: path.join(r.swiftShaderDir!, 'vk_swiftshader_icd.json') });

    const { browser, chromium } = await launchChromium(['--headless', '--no-sandbox', '--disable-gpu'], noSystem());
    try {
      expect(chromium.executablePath).toBe(r.executablePath);
      expect(browser.version()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const page = await browser.newPage();
      await page.setContent('<p style="font: 20px sans-serif">FLOPscope</p>');
      // Text lays out with a real font (a bare image has none of its own; the bundled ones fill in).
      const width = await page.locator('p').evaluate((p) => {
        const range = document.createRange();
        range.selectNodeContents(p);
        return range.getBoundingClientRect().width;
      });
      expect(width).toBeGreaterThan(50);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('unpacks into a given cache folder, once, when processes race for it', async () => {
    if (!npmBuild) return;
    const cacheDir = path.join(dir, 'cache');
    const script = `import { resolveChromium } from ${JSON.stringify(pathToFileURL(path.join(here, 'chromium.ts')).href)};
      const r = await resolveChromium({ env: { ...process.env, CHROMIUM_PATH: '', PATH: '' }, cacheDir: process.argv[1] });
      process.stdout.write(r.executablePath);`;
    const resolveInChild = () =>
      new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, cacheDir], { cwd: repoRoot, timeout: 90_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        );
      });
    const [a, b] = await Promise.all([resolveInChild(), resolveInChild()]);
    expect(a).toBe(b);
    expect(path.dirname(path.dirname(a))).toBe(cacheDir);
    // Only the finished folder is left: the loser's staging folder is gone.
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(path.dirname(a))]);
    expect(fs.readdirSync(path.dirname(a))).toEqual(expect.arrayContaining(['chromium', 'vk_swiftshader_icd.json', 'libvulkan.so.1', 'fonts.conf']));
  }, 120_000);
});
