/**
 * Finds a headless Chromium for everything outside the Electron app that drives a browser: PDF
 * export in the CLI and `flopscope serve` (services/reports/write-report.ts), the e2e suite, the
 * WebGPU-in-Chromium test, and SwiftShader's Vulkan driver for the Dawn test. One place, one order:
 *
 *  1. `CHROMIUM_PATH`, when set (and then nothing else: a wrong path is an error, not a fallback);
 *  2. a system Chromium or Chrome on PATH: chromium, chromium-browser, google-chrome-stable,
 *     google-chrome;
 *  3. the npm package @sparticuz/chromium (a dependency, so always there after `npm install`): a
 *     brotli-compressed Linux x64 headless Chromium with SwiftShader, NSS and a few fonts, unpacked
 *     once per version into the temp folder. Off when `FLOPSCOPE_CHROMIUM_NPM=0` (or `npm: false`).
 *
 * The failure names every place it looked. No Electron import: the app prints with its own
 * webContents and never calls this.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';

export type ChromiumSource = 'CHROMIUM_PATH' | 'PATH' | 'npm';

export interface ChromiumInstall {
  executablePath: string;
  source: ChromiumSource;
  /** Where it came from, in one line (for logs and test output). */
  description: string;
  /** Environment variables this build needs on top of the caller's (empty for a system Chromium). */
  env: Record<string, string>;
  /** Folder with SwiftShader's Vulkan driver (vk_swiftshader_icd.json beside libvulkan.so.1), or null. */
  swiftShaderDir: string | null;
}

export interface ResolveChromiumOptions {
  /** Environment to read CHROMIUM_PATH, PATH and FLOPSCOPE_CHROMIUM_NPM from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Whether to fall back to @sparticuz/chromium (default: unless FLOPSCOPE_CHROMIUM_NPM=0). */
  npm?: boolean;
  /** Folder the npm Chromium is unpacked under (default: the OS temp folder). */
  cacheDir?: string;
}

/** The program names looked up on PATH, in order. */
export const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'] as const;
export const NPM_PACKAGE = '@sparticuz/chromium';

export class ChromiumNotFoundError extends Error {
  /** One entry per place looked at, with what was (not) there. */
  readonly looked: string[];
  constructor(message: string, looked: string[]) {
    super(message);
    this.name = 'ChromiumNotFoundError';
    this.looked = looked;
  }
}

const SWIFTSHADER_FILES = ['vk_swiftshader_icd.json', 'libvulkan.so.1'];

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasSwiftShader(dir: string): boolean {
  return SWIFTSHADER_FILES.every((f) => fs.existsSync(path.join(dir, f)));
}

/**
 * SwiftShader's Vulkan driver beside a system Chromium: in the folder of the real binary (Chrome's
 * /opt/google/chrome), or /usr/lib/<name> for a launcher script (Debian's /usr/bin/chromium runs
 * /usr/lib/chromium/chromium).
 */
export function swiftShaderBeside(executablePath: string): string | null {
  let real = executablePath;
  try {
    real = fs.realpathSync(executablePath);
  } catch {
    // keep the path as given
  }
  const candidates = [path.dirname(real), path.join('/usr/lib', path.basename(real)), path.join('/usr/lib', path.basename(executablePath))];
  return candidates.find((dir) => hasSwiftShader(dir)) ?? null;
}

/** The first PATH_NAMES entry found on PATH (each name over the whole PATH before the next name). */
export function findOnPath(pathVar: string | undefined, names: readonly string[] = PATH_NAMES): string | null {
  const dirs = (pathVar ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of names) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const file = path.join(dir, name + ext);
        if (isExecutableFile(file)) return file;
      }
    }
  }
  return null;
}

function npmPackageDir(): string | null {
  try {
    // The package exports only ".", so resolve its CommonJS entry (build/cjs/index.cjs) and walk up.
    const entry = createRequire(import.meta.url).resolve(NPM_PACKAGE);
    return path.resolve(path.dirname(entry), '..', '..');
  } catch {
    return null;
  }
}

// The package's own unpacker, run in a child whose TMPDIR is a fresh staging folder (it always
// unpacks into os.tmpdir()). Chromium, its fonts and SwiftShader come from executablePath();
// al2023.tar.br (NSS, expat) it only unpacks on AWS, so that is inflated here too: Debian images
// without libnss3 need it.
const UNPACK_SCRIPT = `
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const pkg = process.argv[1];
const esm = (f) => import(pathToFileURL(path.join(pkg, 'build', 'esm', f)).href);
const { default: Chromium } = await esm('index.js');
const { inflate } = await esm('lambdafs.js');
const exe = await Chromium.executablePath();
await inflate(path.join(pkg, 'bin', 'al2023.tar.br'));
process.stdout.write(exe);
`;

/** What a complete unpacked folder holds. */
const UNPACKED_FILES = ['chromium', 'fonts', path.join('al2023', 'lib', 'libnss3.so'), ...SWIFTSHADER_FILES];

function complete(dir: string): boolean {
  return UNPACKED_FILES.every((f) => fs.existsSync(path.join(dir, f)));
}

function runUnpacker(pkgDir: string, staging: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', UNPACK_SCRIPT, pkgDir], {
      env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`unpacking failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/**
 * Unpacks the npm Chromium once per package version, user and architecture: into a staging folder,
 * then renamed into place, so concurrent test workers never see half a binary.
 */
async function unpackNpmChromium(pkgDir: string, cacheDir: string): Promise<string> {
  const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const uid = process.getuid?.() ?? 0;
  const target = path.join(cacheDir, `flopscope-chromium-${version}-${process.arch}-${uid}`);
  const ours = (dir: string) => process.getuid === undefined || fs.statSync(dir).uid === process.getuid();
  if (fs.existsSync(target) && complete(target) && ours(target)) return target;
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(`${target}.staging-`);
  try {
    await runUnpacker(pkgDir, staging);
    if (!complete(staging)) throw new Error(`unpacking left an incomplete folder (${UNPACKED_FILES.filter((f) => !fs.existsSync(path.join(staging, f))).join(', ')} missing)`);
    // Fonts: the bundled ones in addition to the system's (a bare Debian image has none).
    fs.writeFileSync(
      path.join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${path.join(target, 'fonts', 'fonts')}</dir>\n  <cachedir>${path.join(target, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    if (fs.existsSync(target) && !(complete(target) && ours(target))) fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.renameSync(staging, target);
    } catch (e) {
      // Another process got there first with a complete copy: use it.
      if (!(fs.existsSync(target) && complete(target))) throw e;
    }
    return target;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The unpacked folder per cache folder: one unpack per process. */
const unpacked = new Map<string, Promise<string>>();

/** True when `chromium --version` runs (false when the loader misses a library such as libnss3). */
function runs(executablePath: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync(executablePath, ['--version'], { env, timeout: 30_000, encoding: 'utf8' });
  return r.status === 0 && /chrom/i.test(r.stdout);
}

const libsChecked = new Map<string, Record<string, string>>();

async function npmChromium(pkgDir: string, options: ResolveChromiumOptions, env: NodeJS.ProcessEnv): Promise<ChromiumInstall> {
  const cacheDir = options.cacheDir ?? os.tmpdir();
  let pending = unpacked.get(cacheDir);
  if (!pending) {
    pending = unpackNpmChromium(pkgDir, cacheDir);
    unpacked.set(cacheDir, pending);
    pending.catch(() => unpacked.delete(cacheDir));
  }
  const dir = await pending;
  const executablePath = path.join(dir, 'chromium');
  let extra = libsChecked.get(dir);
  if (!extra) {
    extra = { FONTCONFIG_FILE: path.join(dir, 'fonts.conf') };
    // The system's NSS when it has one; the bundled copy (Amazon Linux 2023's) otherwise.
    if (!runs(executablePath, { ...env, ...extra })) {
      const lib = path.join(dir, 'al2023', 'lib');
      extra.LD_LIBRARY_PATH = [lib, env.LD_LIBRARY_PATH].filter(Boolean).join(path.delimiter);
      if (!runs(executablePath, { ...env, ...extra })) {
        const r = spawnSync(executablePath, ['--version'], { env: { ...env, ...extra }, timeout: 30_000, encoding: 'utf8' });
        throw new Error(`${executablePath} does not run here: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]}`);
      }
    }
    libsChecked.set(dir, extra);
  }
  const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { executablePath, source: 'npm', description: `${NPM_PACKAGE} ${version}, unpacked in ${dir}`, env: { ...extra }, swiftShaderDir: dir };
}

/** Finds a Chromium (see the file comment for the order); throws ChromiumNotFoundError naming every place looked at. */
export async function resolveChromium(options: ResolveChromiumOptions = {}): Promise<ChromiumInstall> {
  const env = options.env ?? process.env;
  const looked: string[] = [];

  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (isExecutableFile(explicit)) {
      return { executablePath: explicit, source: 'CHROMIUM_PATH', description: `CHROMIUM_PATH=${explicit}`, env: {}, swiftShaderDir: swiftShaderBeside(explicit) };
    }
    const what = fs.existsSync(explicit) ? 'is not an executable file' : 'does not exist';
    throw new ChromiumNotFoundError(`CHROMIUM_PATH is set to "${explicit}", which ${what}: point it at a Chromium or Chrome executable, or unset it to use one on PATH or the npm package ${NPM_PACKAGE}.`, [`CHROMIUM_PATH=${explicit}: ${what}`]);
  }
  looked.push('CHROMIUM_PATH: not set');

  const onPath = findOnPath(env.PATH);
  if (onPath) {
    return { executablePath: onPath, source: 'PATH', description: `${onPath} (on PATH)`, env: {}, swiftShaderDir: swiftShaderBeside(onPath) };
  }
  looked.push(`PATH (${env.PATH || 'empty'}): no ${PATH_NAMES.join(', ')}`);

  const useNpm = options.npm ?? env.FLOPSCOPE_CHROMIUM_NPM !== '0';
  const pkgDir = npmPackageDir();
  if (!useNpm) {
    looked.push(`${NPM_PACKAGE}: not used (${options.npm === false ? 'npm: false' : 'FLOPSCOPE_CHROMIUM_NPM=0'})`);
  } else if (!pkgDir) {
    looked.push(`${NPM_PACKAGE}: not installed (run npm install)`);
  } else if (process.platform !== 'linux' || process.arch !== 'x64') {
    looked.push(`${NPM_PACKAGE}: ships a Linux x64 build only, this is ${process.platform} ${process.arch}`);
  } else {
    try {
      return await npmChromium(pkgDir, options, env);
    } catch (e) {
      looked.push(`${NPM_PACKAGE}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new ChromiumNotFoundError(`No Chromium found. Looked at: ${looked.join('; ')}. Install Chromium or Chrome, or set CHROMIUM_PATH.`, looked);
}

/**
 * SwiftShader's Vulkan driver (for Dawn without a GPU): the resolved Chromium's copy, or the npm
 * package's when that Chromium has none beside it (a Chrome snap, a CHROMIUM_PATH build).
 */
export async function resolveSwiftShaderVulkan(options: ResolveChromiumOptions = {}): Promise<{ dir: string; icd: string; from: string }> {
  const chromium = await resolveChromium(options);
  let dir = chromium.swiftShaderDir;
  let from = chromium.description;
  if (!dir && chromium.source !== 'npm') {
    const env = options.env ?? process.env;
    const fallback = await resolveChromium({ ...options, env: { ...env, CHROMIUM_PATH: '', PATH: '' } }).catch((e: Error) => e);
    if (fallback instanceof Error) throw new ChromiumNotFoundError(`No SwiftShader Vulkan driver beside ${chromium.executablePath}, and ${fallback.message}`, [chromium.description]);
    dir = fallback.swiftShaderDir;
    from = fallback.description;
  }
  if (!dir) throw new ChromiumNotFoundError(`No SwiftShader Vulkan driver (${SWIFTSHADER_FILES.join(', ')}) beside ${chromium.executablePath}.`, [chromium.description]);
  return { dir, icd: path.join(dir, 'vk_swiftshader_icd.json'), from };
}

function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Launches the resolved Chromium through playwright-core with `args` (plus what the build needs). */
export async function launchChromium(args: readonly string[], options: ResolveChromiumOptions & { headless?: boolean } = {}): Promise<{ browser: Browser; chromium: ChromiumInstall }> {
  const chromium = await resolveChromium(options);
  const { chromium: playwright } = await import('playwright-core');
  try {
    const browser = await playwright.launch({
      executablePath: chromium.executablePath,
      args: [...args],
      ...(options.headless === undefined ? {} : { headless: options.headless }),
      ...(Object.keys(chromium.env).length > 0 ? { env: { ...definedEnv(options.env ?? process.env), ...chromium.env } } : {}),
    });
    return { browser, chromium };
  } catch (e) {
    throw new Error(`could not start ${chromium.description}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { cause: e });
  }
}
