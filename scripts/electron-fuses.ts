/**
 * Electron fuses for the packaged app (docs/security.md), flipped in electron-builder's afterPack
 * hook (scripts/after-pack.mjs loads this file) on the copied Electron binary, before signing, and
 * read back at once: a build whose binary does not carry exactly this wire fails.
 *
 * Wire format (@electron/fuses): the sentinel string, one byte of wire version (1), one byte of
 * wire length, then one byte per fuse: '0' off, '1' on, 'r' removed. Electron 45's wire has 9
 * fuses; @electron/fuses 1.8 (the last release for Node 20) names the first 8. The 9th,
 * WasmTrapHandlers (default on), is left as Electron ships it.
 */
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_OFF = '0'.charCodeAt(0);
export const FUSE_ON = '1'.charCodeAt(0);
/** Electron ≥ 43: index 8, not named by @electron/fuses 1.8. */
export const WASM_TRAP_HANDLERS = 8;
/** Electron 45's default wire (build/fuses/fuses.json5): run_as_node … wasm_trap_handlers. */
export const ELECTRON_45_DEFAULT_WIRE = '101100011';

/** What FLOPscope ships, fuse by fuse (see docs/security.md for why each). */
export const FUSE_POLICY: Record<FuseV1Options, boolean> = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js interpreter. Nothing in the
  // packaged app needs it: workers are worker_threads, PDFs use printToPDF, and the CLI's
  // Chromium unpacker (the only ELECTRON_RUN_AS_NODE user) is not shipped.
  [FuseV1Options.RunAsNode]: false,
  // The app stores no cookies; on Linux/macOS this would tie startup to the OS keyring/keychain.
  [FuseV1Options.EnableCookieEncryption]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // macOS and Windows check app.asar against the hash electron-builder embeds (Info.plist /
  // the exe's resources); Linux has no embedded integrity yet, so there it is a no-op.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The app loads from app://, never file://: file: pages get no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The Electron binary electron-builder just wrote, per platform (as electron-builder 26's own fuse code finds it). */
export function electronBinaryPath(context: { appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName?: string } }): string {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName ?? packager.appInfo.productFilename);
}

export type FuseWire = Awaited<ReturnType<typeof getCurrentFuseWire>>;

/** The wire as a string, one character per fuse ('0', '1', 'r', …), e.g. '001011001'. */
export function wireString(wire: FuseWire): string {
  const indexes = Object.keys(wire)
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
  return indexes.map((i) => String.fromCharCode((wire as unknown as Record<number, number>)[i]!)).join('');
}

/** Differences between a wire read back from a binary and FUSE_POLICY (empty when it matches). */
export function fuseWireErrors(wire: FuseWire): string[] {
  const errors: string[] = [];
  const bytes = wire as unknown as Record<number, number | undefined>;
  if (wire.version !== FuseVersion.V1) errors.push(`fuse wire version ${String(wire.version)}, expected ${FuseVersion.V1}`);
  for (const [index, on] of Object.entries(FUSE_POLICY)) {
    const i = Number(index);
    const want = on ? FUSE_ON : FUSE_OFF;
    if (bytes[i] !== want) errors.push(`fuse ${FuseV1Options[i]} is ${bytes[i] === undefined ? 'missing' : String.fromCharCode(bytes[i]!)}, expected ${on ? '1' : '0'}`);
  }
  if (bytes[WASM_TRAP_HANDLERS] !== undefined && bytes[WASM_TRAP_HANDLERS] !== FUSE_ON) errors.push('fuse WasmTrapHandlers changed from its default (1)');
  return errors;
}

/** Flips FUSE_POLICY into one Electron binary (or .app) and returns the wire read back from it. */
export async function applyFuses(binary: string, opts: { resetAdHocDarwinSignature?: boolean } = {}): Promise<FuseWire> {
  await flipFuses(binary, { version: FuseVersion.V1, resetAdHocDarwinSignature: opts.resetAdHocDarwinSignature ?? false, ...FUSE_POLICY });
  const wire = await getCurrentFuseWire(binary);
  const errors = fuseWireErrors(wire);
  if (errors.length > 0) throw new Error(`Electron fuses not set on ${binary}:\n  ${errors.join('\n  ')}`);
  return wire;
}

/** Arch.arm64 in builder-util's enum. */
const ARM64 = 3;

/** electron-builder afterPack hook (electron-builder.yml `afterPack: ./scripts/after-pack.mjs`). */
export async function afterPack(context: Parameters<typeof electronBinaryPath>[0] & { arch: number }): Promise<void> {
  const binary = electronBinaryPath(context);
  // An unsigned arm64 macOS build must be re-signed ad hoc after its binary changes, or it will not start.
  const wire = await applyFuses(binary, { resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARM64 });
  process.stdout.write(`  • electron fuses set  file=${binary} wire=${wireString(wire)}\n`);
}
