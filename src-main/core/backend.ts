/**
 * The backend (Node side): the handler table behind dispatch(), the job runner and the store.
 * One backend serves whichever door opened it (Electron IPC, loopback HTTP, or the CLI in-process).
 * The database opens lazily on first use, so `flopscope detect` works even when the store cannot.
 */
import Database from 'better-sqlite3';
import { METHODS, type Method, type ParsedRequestOf, type RequestOf, type ResultOf, type FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { AppInfo, Envelope, HardwareReport, JobEvent } from '../../src-shared/api/types.js';
import { openDatabase, type Db } from '../store/database.js';
import { MachinesRepo } from '../store/repos/machines-repo.js';
import { RunsRepo } from '../store/repos/runs-repo.js';
import { detectHardware } from '../services/hardware/detect.js';
import { htmlToPdf, type PdfPrinter } from '../services/reports/write-report.js';
import { APP_VERSION } from './app-version.js';
import { dispatch, type CallContext, type Door, type Handlers } from './dispatch.js';
import { JobRunner } from './jobs.js';
import { Uploads, type UploadInfo } from './uploads.js';
import type { BackendContext, CapabilityHandlers } from '../capabilities/context.js';
import { appHandlers } from '../capabilities/app/handlers.js';
import { hardwareHandlers } from '../capabilities/hardware/handlers.js';
import { energyHandlers } from '../capabilities/energy/handlers.js';
import { runsHandlers } from '../capabilities/runs/handlers.js';
import { reportsHandlers } from '../capabilities/reports/handlers.js';
import { benchHandlers } from '../capabilities/bench/handlers.js';
import { profileHandlers } from '../capabilities/profile/handlers.js';
import { zooHandlers } from '../capabilities/zoo/handlers.js';
import { plannerHandlers } from '../capabilities/planner/handlers.js';
import { lessonHandlers } from '../capabilities/lesson/handlers.js';
import { attentionHandlers } from '../capabilities/attention/handlers.js';
import { jobsHandlers } from '../capabilities/jobs/handlers.js';

export { UNDO_WINDOW_MS } from '../capabilities/runs/handlers.js';

/** Every method's handler, one capability after another; a method of the contract without one does not compile. */
const HANDLERS: CapabilityHandlers<Method> = {
  ...appHandlers,
  ...hardwareHandlers,
  ...energyHandlers,
  ...runsHandlers,
  ...reportsHandlers,
  ...benchHandlers,
  ...profileHandlers,
  ...zooHandlers,
  ...plannerHandlers,
  ...lessonHandlers,
  ...attentionHandlers,
  ...jobsHandlers,
};

export interface BackendOptions {
  dbPath: string;
  host: AppInfo['host'];
  nativeBinding?: string;
  /** Injected in tests; defaults to the real probe. */
  detect?: () => Promise<HardwareReport>;
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
  /** The local machine's report, probed once per process unless refreshed. */
  hardware(refresh?: boolean): Promise<HardwareReport>;
  db(): Db;
  runs(): RunsRepo;
  close(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const jobs = new JobRunner();
  const uploads = new Uploads(options.uploadsRoot !== undefined ? { root: options.uploadsRoot } : {});
  const detect = options.detect ?? (() => detectHardware());
  let database: Db | null = null;
  let hardwarePromise: Promise<HardwareReport> | null = null;
  let sqliteVersion: string | null = null;

  const db = (): Db => (database ??= openDatabase(options.dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}));
  const runs = () => new RunsRepo(db());
  const hardware = (refresh = false): Promise<HardwareReport> => {
    if (refresh || !hardwarePromise) {
      const probe = detect();
      hardwarePromise = probe;
      // A failed probe is not cached: the next call tries again.
      probe.catch(() => {
        if (hardwarePromise === probe) hardwarePromise = null;
      });
      return probe;
    }
    return hardwarePromise;
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
    printPdf: options.printPdf ?? htmlToPdf,
    host: options.host,
    dbPath: options.dbPath,
    sqliteVersion: sqlite,
  };
  const handlers = {} as Handlers;
  const bind = <M extends Method>(method: M): void => {
    const handler: CapabilityHandlers<M>[M] = HANDLERS[method];
    const bound = (request: ParsedRequestOf<M>, call: CallContext) => handler(request, { ...context, door: call.door });
    (handlers as Record<M, typeof bound>)[method] = bound;
  };
  for (const method of METHODS) bind(method);

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
