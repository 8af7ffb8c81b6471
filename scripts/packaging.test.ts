// Installable packages: electron-builder.yml is valid for electron-builder's schema, and a real
// (offline, Linux `dir`) electron-builder run ships the app's bundles with every native binary on
// disk in app.asar.unpacked and nothing from the sources, tests, docs or benchmarks.
import { describe, expect, it } from 'vitest';
import { checkPackaging, contentErrors, loadConfig, schemaErrors, settingErrors } from './check-packaging';

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
