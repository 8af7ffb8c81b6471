#!/usr/bin/env -S npx tsx
/**
 * Offline check of the installable-package configuration (electron-builder.yml), run by
 * scripts/packaging.test.ts and usable by hand: `npx tsx scripts/check-packaging.ts [--build]`.
 *
 * 1. Parses electron-builder.yml and validates it against electron-builder's own JSON schema
 *    (node_modules/app-builder-lib/scheme.json, with ajv), then checks the settings the app
 *    depends on (asar + unpacked natives, native rebuild for Electron, output folder, targets).
 * 2. Makes sure the electron-vite output exists (runs `electron-vite build` first with --build /
 *    { build: true } when out/ is missing).
 * 3. On Linux, packages the app for real with electron-builder (`--linux dir`) into a temporary
 *    folder, against a stand-in Electron distribution (the real one cannot be downloaded offline)
 *    and without the native rebuild (it needs Electron's headers), then reads app.asar and
 *    app.asar.unpacked back and asserts what ships where. The stand-in Electron executable carries
 *    Electron 45's fuse wire, so the afterPack hook (scripts/after-pack.mjs) flips it as it would the
 *    real binary; the wire is read back from the packaged executable and checked against
 *    scripts/electron-fuses.ts. Elsewhere step 3 is skipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { getCurrentFuseWire } from '@electron/fuses';
import { workerEntries } from './worker-entries.js';
import { ELECTRON_45_DEFAULT_WIRE, FUSE_SENTINEL, fuseWireErrors, wireString, type FuseWire } from './electron-fuses';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Json = Record<string, unknown>;
interface AjvValidate {
  (data: unknown): boolean;
  errors?: { dataPath?: string; instancePath?: string; message?: string }[] | null;
}

/** The main-process workers electron-vite emits (electron.vite.config.ts rollupOptions.input). */
export const WORKERS = Object.keys(workerEntries()).map((name) => `${name}.js`);

export interface PackagingReport {
  errors: string[];
  /** Files inside app.asar (relative, forward slashes); empty when packaging was skipped. */
  packed: string[];
  /** Files in app.asar.unpacked (relative, forward slashes); empty when packaging was skipped. */
  unpacked: string[];
  packagedForReal: boolean;
  /** The fuse wire of the stand-in Electron binary before packaging and of the packaged one after (null when skipped). */
  fuses: { before: FuseWire; after: FuseWire; wireBefore: string; wireAfter: string } | null;
  config: Json;
}

export function loadConfig(root = ROOT): Json {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Json;
}

/** Schema errors from electron-builder's own configuration schema. */
export function schemaErrors(config: Json): string[] {
  const Ajv = require('ajv') as new (opts: object) => { compile(schema: object): AjvValidate };
  const schema = require('app-builder-lib/scheme.json') as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => `schema: ${e.dataPath ?? e.instancePath ?? ''} ${e.message ?? ''}`.trim());
}

function asList(v: unknown): string[] {
  if (v == null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
}

function targetNames(platform: unknown): string[] {
  const t = (platform as Json | undefined)?.target;
  return (Array.isArray(t) ? t : [t]).filter(Boolean).map((x) => (typeof x === 'string' ? x : String((x as Json).target)));
}

/** The settings FLOPscope relies on, beyond what the schema can say. */
export function settingErrors(config: Json): string[] {
  const errors: string[] = [];
  const need = (ok: boolean, message: string) => {
    if (!ok) errors.push(message);
  };
  need(config.productName === 'FLOPscope', 'productName must be FLOPscope');
  need(typeof config.appId === 'string' && /^[a-z0-9.-]+$/i.test(config.appId), 'appId must be a reverse-DNS id');
  need((config.directories as Json | undefined)?.output === 'dist', 'directories.output must be dist (the workflow uploads dist/*)');
  need(config.asar === true, 'asar must be true');
  const unpack = asList(config.asarUnpack);
  for (const p of ['**/*.node', 'node_modules/onnxruntime-node/bin/**', 'node_modules/better-sqlite3/build/Release/**']) {
    need(unpack.includes(p), `asarUnpack must include ${p}`);
  }
  need(config.npmRebuild === true, 'npmRebuild must be true (better-sqlite3 must be rebuilt for Electron)');
  need(config.buildDependenciesFromSource === false, 'buildDependenciesFromSource must be false (prefer prebuilt binaries)');
  need(config.publish === null, 'publish must be null (the release workflow uploads the artifacts)');
  const files = asList(config.files);
  need(files.includes('out/**/*') && files.includes('package.json'), 'files must include out/**/* and package.json');
  need((config.extraMetadata as Json | undefined)?.main === 'out/main/index.js', 'extraMetadata.main must be out/main/index.js');
  const resources = (config.directories as Json | undefined)?.buildResources;
  need(resources === 'resources', 'directories.buildResources must be resources (the design card\'s folder for the icon and installer assets)');
  if (typeof resources === 'string') errors.push(...iconErrors(path.join(ROOT, resources, 'icon.png')));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Json;
  need(pkg.main === 'out/main/index.js', 'package.json main must be out/main/index.js');
  need(JSON.stringify(targetNames(config.linux).sort()) === JSON.stringify(['AppImage', 'deb']), 'linux targets must be AppImage and deb');
  need(targetNames(config.mac).includes('dmg'), 'mac target must be dmg');
  need(targetNames(config.win).includes('nsis'), 'win target must be nsis');
  need((config.mac as Json | undefined)?.hardenedRuntime === true, 'mac.hardenedRuntime must be true');
  need(typeof (config.linux as Json | undefined)?.maintainer === 'string', 'linux.maintainer must be set (deb needs it)');
  need(config.afterPack === './scripts/after-pack.mjs', 'afterPack must be ./scripts/after-pack.mjs (it sets the Electron fuses)');
  return errors;
}

/**
 * The icon electron-builder turns into every platform's format: a PNG of at least 512×512 (its
 * minimum for macOS), square. Read from the PNG header (signature, then IHDR width and height).
 */
export function iconErrors(file: string): string[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return [`app icon missing: ${path.relative(ROOT, file)} (render it with npx tsx scripts/make-icon.ts)`];
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    return [`app icon ${path.relative(ROOT, file)} is not a PNG`];
  }
  const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  return w >= 512 && w === h ? [] : [`app icon ${path.relative(ROOT, file)} is ${w}×${h}; electron-builder needs a square PNG of at least 512×512`];
}

/**
 * electron-vite's CLI script, from its package.json "bin" (its "exports" map does not expose
 * bin/electron-vite.js, so require.resolve of that subpath fails; ./package.json is exported).
 */
export function electronViteBin(): string {
  const manifest = require.resolve('electron-vite/package.json');
  const { bin } = require(manifest) as { bin: string | Record<string, string> };
  const rel = typeof bin === 'string' ? bin : bin['electron-vite'];
  if (!rel) throw new Error(`electron-vite's package.json (${manifest}) names no electron-vite bin`);
  return path.join(path.dirname(manifest), rel);
}

/** electron-vite's output; builds it first when asked and missing. */
export function buildOutputErrors(root = ROOT, build = false): string[] {
  const required = ['out/main/index.js', ...WORKERS.map((w) => `out/main/${w}`), 'out/preload/index.cjs', 'out/renderer/index.html'];
  const missing = () => required.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing().length > 0 && build) {
    execFileSync(process.execPath, [electronViteBin(), 'build'], { cwd: root, stdio: 'pipe' });
  }
  return missing().map((f) => `build output missing: ${f} (run npm run build)`);
}

function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full, base);
    return [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * The stand-in Electron executable: a shell script that also carries Electron 45's fuse wire as
 * the real binary does (sentinel, wire version 1, wire length, one '0'/'1' byte per fuse), so the
 * afterPack hook's @electron/fuses can flip it and the test can read it back.
 */
export function fakeElectronBinary(wire = ELECTRON_45_DEFAULT_WIRE): Buffer {
  return Buffer.concat([
    Buffer.from('#!/bin/sh\n# stand-in Electron for the offline packaging check\n# '),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, wire.length]),
    Buffer.from(wire, 'latin1'),
    Buffer.from('\nexit 1\n'),
  ]);
}

/**
 * Runs electron-builder for real (Linux `dir` target) into a temp folder and lists what landed in
 * app.asar and app.asar.unpacked. A stand-in Electron distribution replaces the download and the
 * native rebuild is off; everything else (files, asarUnpack, smart unpack, dependency collection)
 * is electron-builder's own code with this repository's configuration.
 */
export async function packageForReal(root = ROOT): Promise<{ packed: string[]; unpacked: string[]; fuses: NonNullable<PackagingReport['fuses']> }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-pack-'));
  try {
    const electronVersion = (require('electron/package.json') as { version: string }).version;
    const fakeElectron = path.join(tmp, 'electron-dist');
    fs.mkdirSync(path.join(fakeElectron, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(fakeElectron, 'electron'), fakeElectronBinary(), { mode: 0o755 });
    const before = await getCurrentFuseWire(path.join(fakeElectron, 'electron'));
    fs.writeFileSync(path.join(fakeElectron, 'version'), electronVersion);
    const outDir = path.join(tmp, 'dist');
    const cli = require.resolve('electron-builder/cli.js');
    execFileSync(
      process.execPath,
      [cli, '--linux', 'dir', '--publish', 'never', `-c.electronDist=${fakeElectron}`, `-c.electronVersion=${electronVersion}`, '-c.npmRebuild=false', `-c.directories.output=${outDir}`],
      { cwd: root, stdio: 'pipe', env: { ...process.env, CI: 'true', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    );
    const resources = path.join(outDir, 'linux-unpacked', 'resources');
    const asar = require('@electron/asar') as { listPackage(archive: string, opts: { isPack: boolean }): string[] };
    const archive = path.join(resources, 'app.asar');
    const unpacked = walk(path.join(resources, 'app.asar.unpacked'));
    const unpackedSet = new Set(unpacked);
    const packed = asar
      .listPackage(archive, { isPack: false })
      .map((p) => p.replace(/\\/g, '/').replace(/^\//, ''))
      .filter((p) => {
        try {
          return !(asar as unknown as { statFile(a: string, f: string): { files?: unknown } }).statFile(archive, p).files;
        } catch {
          return true;
        }
      })
      .filter((p) => !unpackedSet.has(p));
    const executable = String((loadConfig(root).linux as Json | undefined)?.executableName ?? 'flopscope');
    const after = await getCurrentFuseWire(path.join(outDir, 'linux-unpacked', executable));
    return { packed, unpacked, fuses: { before, after, wireBefore: wireString(before), wireAfter: wireString(after) } };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Assertions on the packaged file lists (Linux x64/arm64 host). */
export function contentErrors(packed: string[], unpacked: string[], arch = process.arch): string[] {
  const errors: string[] = [];
  const all = new Set([...packed, ...unpacked]);
  const has = (f: string) => all.has(f);
  const isUnpacked = (f: string) => unpacked.includes(f);
  for (const f of ['out/main/index.js', ...WORKERS.map((w) => `out/main/${w}`), 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
    if (!has(f)) errors.push(`not packaged: ${f}`);
  }
  if (!packed.some((f) => f.startsWith('out/renderer/assets/'))) errors.push('not packaged: out/renderer/assets/*');
  // Every main-process chunk the workers import sits beside them.
  for (const f of walk(path.join(ROOT, 'out/main')).filter((f) => f.endsWith('.js'))) {
    if (!has(`out/main/${f}`)) errors.push(`not packaged: out/main/${f}`);
  }
  const natives = [
    'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    `node_modules/onnxruntime-node/bin/napi-v6/linux/${arch}/onnxruntime_binding.node`,
    `node_modules/onnxruntime-node/bin/napi-v6/linux/${arch}/libonnxruntime.so.1`,
  ];
  for (const f of natives) {
    if (!isUnpacked(f)) errors.push(`native file not in app.asar.unpacked: ${f}`);
  }
  for (const f of packed.filter((p) => /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(p))) {
    errors.push(`native file packed inside app.asar (cannot be loaded): ${f}`);
  }
  for (const f of all) {
    if (/^(src-main|src-renderer|src-shared|e2e|bench|docs|scripts|bin|\.github|\.ci|\.native|test-results|dist)\//.test(f)) errors.push(`should not ship: ${f}`);
    else if (!f.startsWith('node_modules/') && /\.(test|spec)\.|\.tsx?$|\.map$/.test(f)) errors.push(`should not ship: ${f}`);
    else if (/^node_modules\/onnxruntime-node\/bin\/napi-v6\/(darwin|win32)\//.test(f)) errors.push(`other OS binary shipped: ${f}`);
    else if (/^node_modules\/(electron|electron-builder|electron-vite|vitest|vite|typescript|eslint|playwright-core|pdfjs-dist)\//.test(f)) errors.push(`devDependency shipped: ${f}`);
    // The CLI's fallback browser (~65 MB compressed); the app prints PDFs with Electron itself.
    else if (f.startsWith('node_modules/@sparticuz/chromium/')) errors.push(`should not ship (the app prints with Electron): ${f}`);
  }
  return errors;
}

export async function checkPackaging(opts: { root?: string; build?: boolean; pack?: boolean } = {}): Promise<PackagingReport> {
  const root = opts.root ?? ROOT;
  const config = loadConfig(root);
  const errors = [...schemaErrors(config), ...settingErrors(config), ...buildOutputErrors(root, opts.build ?? false)];
  const canPack = (opts.pack ?? true) && process.platform === 'linux' && errors.length === 0;
  if (!canPack) return { errors, packed: [], unpacked: [], packagedForReal: false, fuses: null, config };
  const { packed, unpacked, fuses } = await packageForReal(root);
  errors.push(...contentErrors(packed, unpacked), ...fuseWireErrors(fuses.after));
  return { errors, packed, unpacked, packagedForReal: true, fuses, config };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await checkPackaging({ build: process.argv.includes('--build') });
  if (report.packagedForReal) {
    process.stdout.write(`packaged for real: ${report.packed.length} files in app.asar, ${report.unpacked.length} in app.asar.unpacked\n`);
    process.stdout.write(`electron fuses: ${report.fuses?.wireBefore} → ${report.fuses?.wireAfter}\n`);
  } else {
    process.stdout.write('configuration checked; real packaging skipped (Linux only)\n');
  }
  if (report.errors.length > 0) {
    process.stderr.write(`packaging check failed:\n  ${report.errors.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write('packaging check passed\n');
}
