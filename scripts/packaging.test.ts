// Installable packages: electron-builder.yml is valid for electron-builder's schema, and a real
// (offline, Linux `dir`) electron-builder run ships the app's bundles with every native binary on
// disk in app.asar.unpacked and nothing from the sources, tests, docs or benchmarks.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPackaging, contentErrors, iconErrors, loadConfig, ROOT, schemaErrors, settingErrors } from './check-packaging';

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

describe.runIf(process.platform === 'linux')('packaged app (electron-builder --linux dir, offline)', () => {
  it('ships bundles, workers and renderer, with native modules unpacked', () => {
    const report = checkPackaging({ build: true });
    expect(report.errors).toEqual([]);
    expect(report.packagedForReal).toBe(true);
    expect(report.packed).toContain('out/main/index.js');
    expect(report.packed).toContain('out/renderer/index.html');
    expect(report.unpacked).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(report.unpacked.some((f) => /onnxruntime-node\/bin\/napi-v6\/linux\/.*\/libonnxruntime\.so/.test(f))).toBe(true);
  }, 180_000);
});
