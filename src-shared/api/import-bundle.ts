/**
 * Importing a bundle file from a page (the History page, in the browser or the Electron window). Bundles can be far larger than a JSON request
 * (the serve door's limit is 16 MiB, and a history of runs is easily more), so where the client
 * can upload (serve mode streams the file to POST /api/upload; the Electron window hands its bytes
 * to the main process) the file goes up first and `runs.import` names the upload; only a client
 * without uploads sends the text inline.
 */
import type { FlopscopeClient } from './contract.js';
import type { BundleImportResult } from '../history/bundle.js';

export async function importBundleFile(client: FlopscopeClient, file: Blob & { name?: string }): Promise<BundleImportResult> {
  if (client.upload) {
    const { uploadId } = await client.upload(file);
    return client.call('runs.import', { upload: uploadId });
  }
  return client.call('runs.import', { bundle: await file.text() });
}
