/**
 * The folder holding package.json, bin/ and out/ (Node side). This module sits two levels below
 * it both as source (src-main/cli/) and compiled (out/cli/, one flat folder), so the same
 * relative path works for both.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
