/**
 * The backend (Node side): the handler table behind dispatch(), the job runner and the store.
 * One backend serves whichever door opened it (Electron IPC, loopback HTTP, or the CLI in-process).
 * The database opens lazily on first use, so `flopscope detect` works even when the store cannot.
 */
import Database from 'better-sqlite3';
import type { Method, RequestOf, ResultOf, FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { AppInfo, Envelope, HardwareReport, JobEvent } from '../../src-shared/api/types.js';
import { openDatabase, type Db } from '../store/database.js';
import { MachinesRepo } from '../store/repos/machines-repo.js';
import { RunsRepo } from '../store/repos/runs-repo.js';
import { detectHardware } from '../services/hardware/detect.js';
import { APP_VERSION } from './app-version.js';
import { dispatch, type Door, type Handlers } from './dispatch.js';
import { JobRunner } from './jobs.js';
import { startBenchJob } from '../suites/bench-suite.js';
import { startProfileJob } from '../suites/profile-suite.js';
import { Uploads, type UploadInfo } from './uploads.js';
import { ZOO } from '../services/zoo/zoo.js';
import type { GpuBenchResult } from '../../src-shared/api/bench.js';
import { startLinregJob } from '../suites/linreg-suite.js';
import { runAttentionSweep, startAttentionMeasureJob } from '../services/attention/attention-service.js';
import { renderReportContent } from '../services/reports/report-service.js';
import { computePlan, createFit, listFits, thisMachineDevice } from '../services/planner/planner-service.js';
import type { PlanRequest } from '../../src-shared/api/planner.js';
import { exportBundle, importBundle, importBundleFile } from '../services/history/bundles.js';
import { discoverPower } from '../services/energy/sampler.js';

export interface BackendOptions {
  dbPath: string;
  host: AppInfo['host'];
  nativeBinding?: string;
  /** Injected in tests; defaults to the real probe. */
  detect?: () => Promise<HardwareReport>;
  /** Where upload folders are made and stale ones swept (default: the OS temp folder); tests use their own. */
  uploadsRoot?: string;
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

/** How long a deleted run can be restored; older soft-deleted runs are purged on the next delete or restore. */
export const UNDO_WINDOW_MS = 10 * 60_000;

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

  /** Stored fits and "this machine" only when the request needs them (no DB or probe otherwise). */
  const planContext = async (req: PlanRequest) => {
    const budgetDevice = req.budget && 'device' in req.budget ? req.budget.device : undefined;
    const needsThis = [req.device, budgetDevice].some((d) => d?.trim().toLowerCase() === 'this');
    const thisMachine = needsThis ? thisMachineDevice(await hardware(), runs()) : { device: null, note: 'not needed' };
    return { customFits: req.fit.startsWith('custom:') ? listFits(runs()) : [], thisMachine };
  };

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'FLOPscope',
      version: APP_VERSION,
      host: options.host,
      dbPath: options.dbPath,
      versions: {
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        sqlite: (sqliteVersion ??= probeSqliteVersion(options.nativeBinding)),
      },
    }),
    'hardware.detect': async (req) => {
      const report = await hardware(req.refresh ?? false);
      let runId: number | null = null;
      if (req.save) runId = runs().insert({ kind: 'hardware', machine: report, appVersion: APP_VERSION, params: {}, result: report });
      return { ...report, runId };
    },
    'machines.list': () => new MachinesRepo(db()).list(),
    'energy.sources': async () => {
      const found = await discoverPower({ hardware: await hardware() });
      await Promise.all(found.sources.map((s) => s.stop().catch(() => undefined)));
      return { channels: found.channels, unavailable: found.unavailable, warnings: found.warnings, cpuMeasured: found.cpuMeasured, estimateBasis: found.basis.basis };
    },
    'runs.list': (req) => runs().list(req),
    'runs.get': (req) => {
      const run = runs().get(req.id);
      if (!run) throw new ApiFailure('NOT_FOUND', `No run with id ${req.id}. List runs with \`flopscope runs list\`.`);
      return run;
    },
    'runs.delete': (req) => {
      const repo = runs();
      repo.purgeDeleted(UNDO_WINDOW_MS);
      if (!repo.softDelete(req.id)) throw new ApiFailure('NOT_FOUND', `No run with id ${req.id}; nothing was deleted.`);
      return { deleted: true, id: req.id, undoable: true };
    },
    'runs.restore': (req) => {
      const repo = runs();
      repo.purgeDeleted(UNDO_WINDOW_MS);
      if (!repo.restore(req.id)) {
        throw new ApiFailure('NOT_FOUND', `id: no deleted run with id ${req.id} to restore (a deleted run can be restored for ${UNDO_WINDOW_MS / 60_000} minutes).`, [`id: no deleted run with id ${req.id}`]);
      }
      return { restored: true, id: req.id };
    },
    'runs.update': (req) => {
      const repo = runs();
      const tx = db().transaction(() => {
        if (!repo.get(req.id)) throw new ApiFailure('NOT_FOUND', `id: no run with id ${req.id}; nothing was changed.`, [`id: no run with id ${req.id}`]);
        if (req.tags !== undefined) repo.setTags(req.id, req.tags);
        if (req.note !== undefined) repo.setNote(req.id, req.note);
        return repo.get(req.id)!;
      });
      return tx.immediate();
    },
    'runs.export': (req) => exportBundle(db(), req.ids, { appVersion: APP_VERSION }),
    // An upload is streamed from its file (a bundle can be far larger than memory should hold); an inline bundle is already in memory.
    'runs.import': async (req) => ('upload' in req ? uploads.consume(req.upload, (file) => importBundleFile(db(), file)) : importBundle(db(), req.bundle)),
    'bench.start': (req) =>
      startBenchJob(
        { jobs, hardware: () => hardware(), runs, appVersion: APP_VERSION },
        {
          suite: req.suite,
          ...(req.quick !== undefined ? { quick: req.quick } : {}),
          ...(req.threads !== undefined ? { threads: req.threads } : {}),
          ...(req.gpuFromPage ? { gpuFromPage: req.gpuFromPage as GpuBenchResult } : {}),
        },
      ),
    'profile.start': (req, { door }) => {
      if ('file' in req.source && door !== 'cli') {
        throw new ApiFailure(
          'FORBIDDEN',
          'source.file: a page cannot name a file on disk; upload the model (POST /api/upload, or the window\'s upload) and pass { source: { upload: <id> } }.',
          ['source.file: only the command line may name a path'],
        );
      }
      return startProfileJob(
        { jobs, hardware: () => hardware(), runs, appVersion: APP_VERSION, uploads },
        {
          source: req.source,
          ...(req.dims ? { dims: req.dims } : {}),
          ...(req.run !== undefined ? { run: req.run } : {}),
          ...(req.threads !== undefined ? { threads: req.threads } : {}),
          ...(req.quantize ? { quantize: true } : {}),
          ...(req.prune ? { prune: req.prune } : {}),
          ...(req.activationSparsity ? { activationSparsity: true } : {}),
          ...(req.store === false ? { store: false } : {}),
        },
      );
    },
    'zoo.list': () => ZOO,
    'plan.compute': async (req) => computePlan(req as PlanRequest, await planContext(req as PlanRequest)),
    'plan.save': async (req) => {
      const plan = computePlan(req as PlanRequest, await planContext(req as PlanRequest));
      const runId = runs().insert({ kind: 'plan', machine: await hardware(), appVersion: APP_VERSION, params: req, result: plan });
      return { runId, plan };
    },
    'fits.list': () => listFits(runs()),
    'fits.create': async (req) => createFit(runs(), await hardware(), APP_VERSION, req.name, req.csv, req.bootstrap),
    'planner.thisMachine': async () => thisMachineDevice(await hardware(), runs()),
    'reports.render': (req) => renderReportContent(db(), runs(), req.ids, req.format, APP_VERSION, (sqliteVersion ??= probeSqliteVersion(options.nativeBinding))),
    'attention.sweep': async (req) => runAttentionSweep(req, await hardware(), runs(), APP_VERSION),
    'attention.measure': (req) => startAttentionMeasureJob({ jobs, hardware: () => hardware(), runs, appVersion: APP_VERSION }, req),
    'lesson.linreg.start': (req) => startLinregJob({ jobs, hardware: () => hardware(), runs, appVersion: APP_VERSION }, req),
    'jobs.list': () => jobs.list(),
    'jobs.events': (req) => ({ job: jobs.get(req.id), events: jobs.events(req.id, req.afterSeq ?? 0) }),
    'jobs.cancel': (req) => jobs.cancel(req.id),
  };

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
