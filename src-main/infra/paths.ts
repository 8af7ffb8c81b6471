/**
 * Where the database lives (Node side). The app and the CLI use the same default file so they
 * share one history: $FLOPSCOPE_DB, else the platform's per-user data folder
 * (Linux: $XDG_DATA_HOME/flopscope or ~/.local/share/flopscope; macOS: ~/Library/Application
 * Support/FLOPscope; Windows: %APPDATA%\FLOPscope). `--db PATH` overrides both.
 */
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'FLOPscope');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'FLOPscope');
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'flopscope');
}

export function resolveDbPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.FLOPSCOPE_DB) return path.resolve(env.FLOPSCOPE_DB);
  return path.join(defaultDataDir(env), 'flopscope.db');
}
