/**
 * What every capability's handlers get (Node side): one BackendContext, built once by the backend
 * (src-main/core/backend.ts) and handed to each call with the door it came through. A capability's
 * handlers are `(request, ctx)` in src-main/capabilities/<capability>/handlers.ts; the backend only
 * combines their maps, typed so that a method without a handler does not compile.
 */
import type { Method, ParsedRequestOf, ResultOf } from '../../src-shared/api/contract.js';
import type { AppInfo, HardwareReport } from '../../src-shared/api/types.js';
import type { Door } from '../infra/door.js';
import type { JobRunner } from '../core/jobs.js';
import type { Uploads } from '../core/uploads.js';
import type { Db } from '../store/database.js';
import type { RunsRepo } from '../store/repos/runs-repo.js';
import type { MachinesRepo } from '../store/repos/machines-repo.js';
import type { PdfPrinter } from '../services/reports/write-report.js';

export interface BackendContext {
  readonly jobs: JobRunner;
  /** The local machine's report: probed once per boot (kept beside the database, services/hardware/report-cache.ts) unless refreshed. */
  hardware(refresh?: boolean): Promise<HardwareReport>;
  /** The store, opened on first use (so a method that needs no store works when it cannot open). */
  db(): Db;
  runs(): RunsRepo;
  machines(): MachinesRepo;
  readonly appVersion: string;
  /** Files uploaded by a page: models (the profiler reads them by id) and bundles (runs.import). */
  readonly uploads: Uploads;
  /** How PDF reports are printed: headless Chromium by default, Electron's printToPDF in the app. */
  readonly printPdf: PdfPrinter;
  readonly host: AppInfo['host'];
  readonly dbPath: string;
  /** The SQLite library's version, probed once. */
  sqliteVersion(): string;
  /** Which door the call came through ('cli' only for the CLI's own in-process client). */
  readonly door: Door;
}

/** A capability's handlers: one per method of its contract file, each `(request, ctx)`. */
export type CapabilityHandlers<M extends Method> = {
  [K in M]: (request: ParsedRequestOf<K>, ctx: BackendContext) => Promise<ResultOf<K>> | ResultOf<K>;
};
