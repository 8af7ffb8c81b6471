/**
 * Which door a call came through. 'cli' is the in-process client of the `flopscope` command: its
 * requests come from the user's own command line. 'http' (serve) and 'ipc' (the Electron window)
 * carry requests from a page, which must never pick a path on disk. Below the capabilities, so a
 * handler's context can name it without importing a door.
 */
export type Door = 'cli' | 'http' | 'ipc';

export interface CallContext {
  door: Door;
}
