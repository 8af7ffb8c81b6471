/** The app's version, read once from package.json (Node side). Recorded on every stored run. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function findVersion(): string {
  for (const candidate of ['../../package.json', '../package.json', '../../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'flopscope' && pkg.version) return pkg.version;
    } catch {
      // Bundled builds sit at another depth; try the next candidate.
    }
  }
  return '0.0.0-unknown';
}

export const APP_VERSION = findVersion();
