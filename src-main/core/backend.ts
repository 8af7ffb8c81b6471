/**
 * The backend (Node side): the handler table behind dispatch(), the job runner and the store.
 * One backend serves whichever door opened it (Electron IPC, loopback HTTP, or the CLI in-process).
 * The database opens lazily on first use, so `flopscope detect` works even when the store cannot.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Method, RequestOf, ResultOf, FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { AppInfo, Envelope, HardwareReport, JobEvent } from '../../src-shared/api/types.js';
import { openDatabase, type Db } from '../store/database.js';
import { MachinesRepo } from '../store/repos/machines-repo.js';
import { RunsRepo } from '../store/repos/runs-repo.js';
import type { PdfPrinter } from '../services/reports/write-report.js';
import { APP_VERSION } from './app-version.js';
import { dispatch, type CallContext, type Door, type Handlers } from './dispatch.js';
import { JobRunner } from './jobs.js';
import { Uploads, type UploadInfo } from './uploads.js';
import type { BackendContext } from '../capabilities/context.js';
import { CAPABILITIES } from '../capabilities/index.js';

export interface BackendOptions {
  dbPath: string;
  host: AppInfo['host'];
  nativeBinding?: string;
  /** Injected in tests; defaults to the real probe. */
  detect?: () => Promise<HardwareReport>;
  /**
   * Keep the real probe's report in hardware-cache.json beside the database for later processes of
   * the same boot (default: true with the real probe, false with an injected `detect`).
   */
  hardwareCache?: boolean;
  /** Where upload folders are made and stale ones swept (default: the OS temp folder); tests use their own. */
  uploadsRoot?: string;
  /**
   * How PDF reports are printed (default: headless Chromium through playwright-core, for the CLI
   * and serve); the Electron app passes its own webContents.printToPDF, so it needs no Chromium beside it.
   */
  printPdf?: PdfPrinter;
}

export interface Backend {
  readonly jobs: JobRunner;
  readonly dbPath: string;
  /** Files uploaded by a page: models (the profiler reads them by id) and bundles (runs.import). */
  readonly uploads: Uploads;
  /**
   * Calls a method. `door` says where the request came from: 'cli' only for the CLI's in-process
   * client; a call that does not say (the Electron window's IPC handler) is treated as a page's.
   */
  dispatch(method: unknown, request: unknown, door?: Door): Promise<Envelope<unknown>>;
  /** Stores an uploaded model (bytes from the Electron window) and answers with an envelope. */
  dispatchUpload(name: string, data: Uint8Array): Promise<Envelope<UploadInfo>>;
  /**
   * The local machine's report: probed once per boot (kept beside the database) unless refreshed;
   * `refresh` probes again and replaces the kept one.
   */
  hardware(refresh?: boolean): Promise<HardwareReport>;
  db(): Db;
  runs(): RunsRepo;
  close(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const jobs = new JobRunner();
  const uploads = new Uploads(options.uploadsRoot !== undefined ? { root: options.uploadsRoot } : {});
  // The probe, the PDF printer and each capability's handlers are imported when first needed, so a
  // process that never uses them (the CLI's quick commands) never loads them.
  const detect = options.detect ?? (async () => (await import('../services/hardware/detect.js')).detectHardware());
  let database: Db | null = null;
  let hardwarePromise: Promise<HardwareReport> | null = null;
  let sqliteVersion: string | null = null;

  const db = (): Db => (database ??= openDatabase(options.dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}));
  const runs = () => new RunsRepo(db());
  const hardware = (refresh = false): Promise<HardwareReport> => {
    if (refresh || !hardwarePromise) {
      const probe = refresh ? probeAndKeep() : cachedOrProbe();
      hardwarePromise = probe;
      // A failed probe is not cached: the next call tries again.
      probe.catch(() => {
        if (hardwarePromise === probe) hardwarePromise = null;
      });
      return probe;
    }
    return hardwarePromise;
  };
  // The real probe's report is kept beside the database for later processes of the same boot
  // (services/hardware/report-cache.ts); an injected probe (tests) only when asked.
  const cacheFile = options.hardwareCache ?? !options.detect ? path.join(path.dirname(options.dbPath), 'hardware-cache.json') : null;
  const probeAndKeep = async (): Promise<HardwareReport> => {
    const report = await detect();
    if (cacheFile) {
      const cache = await import('../services/hardware/report-cache.js');
      await cache.writeCachedReport(cacheFile, await cache.currentCacheKey(APP_VERSION), report);
    }
    return report;
  };
  const cachedOrProbe = async (): Promise<HardwareReport> => {
    if (!cacheFile) return detect();
    const cache = await import('../services/hardware/report-cache.js');
    return (await cache.readCachedReport(cacheFile, await cache.currentCacheKey(APP_VERSION))) ?? probeAndKeep();
  };

  const sqlite = (): string => (sqliteVersion ??= probeSqliteVersion(options.nativeBinding));

  /** Built once; each call gets it with the door it came through. */
  const context: Omit<BackendContext, 'door'> = {
    jobs,
    hardware,
    db,
    runs,
    machines: () => new MachinesRepo(db()),
    appVersion: APP_VERSION,
    uploads,
    printPdf: options.printPdf ?? (async (html) => (await import('../services/reports/write-report.js')).htmlToPdf(html)),
    host: options.host,
    dbPath: options.dbPath,
    sqliteVersion: sqlite,
  };
  const handlers = {} as Handlers;
  const contextFor = (call: CallContext): BackendContext => ({ ...context, door: call.door });
  for (const cap of CAPABILITIES) Object.assign(handlers, cap.bind(contextFor));

  return {
    jobs,
    uploads,
    dbPath: options.dbPath,
    dispatch: async (method, request, door = 'ipc') => unwritable(await dispatch(handlers, method, request, { door }), options.dbPath),
    dispatchUpload: async (name, data) => {
      try {
        return { ok: true, value: await uploads.receive(name, data) };
      } catch (e) {
        return { ok: false, error: e instanceof ApiFailure ? e.toJSON() : { code: 'INTERNAL', message: (e as Error).message } };
      }
    },
    hardware,
    db,
    runs,
    async close() {
      await jobs.shutdown();
      uploads.dispose();
      database?.close();
      database = null;
    },
  };
}

/**
 * A write SQLite refuses as read-only after the database was opened (its permissions changed while
 * the app ran; openDatabase refuses a read-only file up front) is DB_UNWRITABLE naming the file,
 * not INTERNAL.
 */
function unwritable(envelope: Envelope<unknown>, dbPath: string): Envelope<unknown> {
  if (envelope.ok || envelope.error.code !== 'INTERNAL' || !/attempt to write a readonly database/i.test(envelope.error.message)) return envelope;
  return {
    ok: false,
    error: {
      code: 'DB_UNWRITABLE',
      message: `The database ${dbPath} became read-only, so nothing was written (${envelope.error.message}). Make it writable again, or point --db / FLOPSCOPE_DB at a writable file.`,
    },
  };
}

/** The in-process door: what the CLI (and the contract tests) use; its calls come through the 'cli' door. */
export function createInProcessClient(backend: Backend): FlopscopeClient {
  return {
    async call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResultOf<M>> {
      const envelope = await backend.dispatch(method, request, 'cli');
      if (!envelope.ok) throw ApiFailure.from(envelope.error);
      return envelope.value as ResultOf<M>;
    },
    subscribe(jobId: string, onEvent: (event: JobEvent) => void) {
      return backend.jobs.subscribe(jobId, onEvent);
    },
  };
}

function probeSqliteVersion(nativeBinding?: string): string {
  const memory = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  try {
    return (memory.prepare('select sqlite_version() v').get() as { v: string }).v;
  } finally {
    memory.close();
  }
}
