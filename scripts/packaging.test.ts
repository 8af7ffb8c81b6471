// Installable packages: electron-builder.yml is valid for electron-builder's schema, and a real
// (offline, Linux `dir`) electron-builder run ships the app's bundles with every native binary on
// disk in app.asar.unpacked and nothing from the sources, tests, docs or benchmarks.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { checkPackaging, contentErrors, fakeElectronBinary, iconErrors, loadConfig, ROOT, schemaErrors, settingErrors } from './check-packaging';
import { applyFuses, ELECTRON_45_DEFAULT_WIRE, electronBinaryPath, FUSE_OFF, FUSE_ON, fuseWireErrors, WASM_TRAP_HANDLERS, wireString, type FuseWire } from './electron-fuses';

/** What the packaged binary must say, fuse by fuse (written out here, not read from FUSE_POLICY). */
const EXPECTED_FUSES: [FuseV1Options, 'off' | 'on'][] = [
  [FuseV1Options.RunAsNode, 'off'],
  [FuseV1Options.EnableCookieEncryption, 'off'],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, 'off'],
  [FuseV1Options.EnableNodeCliInspectArguments, 'off'],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, 'on'],
  [FuseV1Options.OnlyLoadAppFromAsar, 'on'],
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, 'off'],
  [FuseV1Options.GrantFileProtocolExtraPrivileges, 'off'],
];

function expectHardened(wire: FuseWire): void {
  const bytes = wire as unknown as Record<number, number>;
  expect(wire.version).toBe('1');
  for (const [fuse, state] of EXPECTED_FUSES) expect(bytes[fuse], FuseV1Options[fuse]).toBe(state === 'on' ? FUSE_ON : FUSE_OFF);
  expect(bytes[WASM_TRAP_HANDLERS], 'WasmTrapHandlers (left at Electron’s default)').toBe(FUSE_ON);
  expect(wireString(wire)).toBe('000011001');
}

describe('electron-builder configuration', () => {
  it('matches electron-builder’s schema and the settings the app relies on', () => {
    const config = loadConfig();
    expect(schemaErrors(config)).toEqual([]);
    expect(settingErrors(config)).toEqual([]);
  });

  it('rejects a config electron-builder would refuse or that would break natives', () => {
    const config = loadConfig();
    expect(schemaErrors({ ...config, asarUnpack: 42 }).length).toBeGreaterThan(0);
    expect(settingErrors({ ...config, asarUnpack: ['**/*.node'], npmRebuild: false })).toEqual(
      expect.arrayContaining([expect.stringMatching(/onnxruntime-node\/bin/), expect.stringMatching(/npmRebuild/)]),
    );
  });

  it('takes the icon from resources/ and refuses a missing, non-PNG or too small one', () => {
    const config = loadConfig();
    expect(settingErrors({ ...config, directories: { ...(config.directories as object), buildResources: 'build' } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/buildResources must be resources/)]),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-icon-'));
    try {
      expect(iconErrors(path.join(dir, 'none.png'))[0]).toMatch(/icon missing/);
      fs.writeFileSync(path.join(dir, 'text.png'), 'not a png at all, just text');
      expect(iconErrors(path.join(dir, 'text.png'))[0]).toMatch(/not a PNG/);
      const real = fs.readFileSync(path.join(ROOT, 'resources', 'icon.png'));
      const small = Buffer.from(real);
      small.writeUInt32BE(256, 16);
      small.writeUInt32BE(256, 20);
      fs.writeFileSync(path.join(dir, 'small.png'), small);
      expect(iconErrors(path.join(dir, 'small.png'))[0]).toMatch(/256×256.*at least 512×512/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flags natives packed inside app.asar and sources that ship', () => {
    const errors = contentErrors(['out/main/index.js', 'src-main/core/db.ts', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/@sparticuz/chromium/bin/chromium.br'], []);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/packed inside app\.asar.*better_sqlite3\.node/),
        expect.stringMatching(/should not ship: src-main/),
        expect.stringMatching(/not packaged: out\/preload\/index\.cjs/),
        expect.stringMatching(/should not ship \(the app prints with Electron\): node_modules\/@sparticuz\/chromium\/bin\/chromium\.br/),
      ]),
    );
  });
});

describe('Electron fuses', () => {
  it('are set by an afterPack hook that the configuration requires', () => {
    const config = loadConfig();
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    expect(settingErrors({ ...config, afterPack: undefined })).toEqual([expect.stringMatching(/afterPack/)]);
  });

  it('flip the stand-in binary’s Electron 45 wire to the hardened one and read it back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-fuses-'));
    try {
      const binary = path.join(dir, 'flopscope');
      fs.writeFileSync(binary, fakeElectronBinary());
      expect(wireString(await getCurrentFuseWire(binary))).toBe(ELECTRON_45_DEFAULT_WIRE);
      expect(fuseWireErrors(await getCurrentFuseWire(binary)).length).toBeGreaterThanOrEqual(6);
      expectHardened(await applyFuses(binary));
      expectHardened(await getCurrentFuseWire(binary));
      expect(fs.readFileSync(binary, 'latin1')).toMatch(/^#!\/bin\/sh\n/); // nothing but the wire changed
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('name a wrong fuse, and fail on a binary without a wire', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-fuses-'));
    try {
      const binary = path.join(dir, 'flopscope');
      fs.writeFileSync(binary, fakeElectronBinary('100011001'));
      expect(fuseWireErrors(await getCurrentFuseWire(binary))).toEqual(['fuse RunAsNode is 1, expected 0']);
      fs.writeFileSync(binary, '#!/bin/sh\n');
      await expect(applyFuses(binary)).rejects.toThrow(/sentinel/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are flipped in each platform’s Electron binary', () => {
    const packager = { appInfo: { productFilename: 'FLOPscope' }, executableName: 'flopscope' };
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(path.join('/o', 'flopscope'));
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(path.join('/o', 'FLOPscope.exe'));
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(path.join('/o', 'FLOPscope.app'));
  });
});

describe.runIf(process.platform === 'linux')('packaged app (electron-builder --linux dir, offline)', () => {
  it('ships bundles, workers and renderer, with native modules unpacked and the fuses set', async () => {
    const report = await checkPackaging({ build: true });
    expect(report.errors).toEqual([]);
    expect(report.packagedForReal).toBe(true);
    expect(report.packed).toContain('out/main/index.js');
    expect(report.packed).toContain('out/renderer/index.html');
    expect(report.unpacked).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(report.unpacked.some((f) => /onnxruntime-node\/bin\/napi-v6\/linux\/.*\/libonnxruntime\.so/.test(f))).toBe(true);
    // llama.cpp's prebuilt binaries for this platform and architecture only, unpacked; no sources.
    const arch = process.arch;
    expect(report.unpacked).toContain(`node_modules/@node-llama-cpp/linux-${arch}/bins/linux-${arch}/llama-addon.node`);
    const otherArch = arch === 'x64' ? 'arm64' : 'x64';
    expect(report.unpacked.concat(report.packed).filter((f) => f.includes(`@node-llama-cpp/linux-${otherArch}`) || f.includes('node-llama-cpp/llama/gitRelease.bundle'))).toEqual([]);
    // The stand-in binary went in with Electron 45's defaults; the packaged one came out hardened.
    expect(report.fuses?.wireBefore).toBe(ELECTRON_45_DEFAULT_WIRE);
    expectHardened(report.fuses!.after);
  }, 300_000);
});
