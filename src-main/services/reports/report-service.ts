/**
 * Reports through the API (Node side): loads the runs and their machines from the store, builds
 * the report model (src-shared/reports) with this app's versions, and renders it — returned as
 * content for the page to download (`reports.render`) or written atomically to a file by the CLI
 * (`flopscope report … --out FILE`).
 */
import { createRequire } from 'node:module';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { Run } from '../../../src-shared/api/types.js';
import { buildReport, type ReportContext } from '../../../src-shared/reports/report.js';
import type { Roofline } from '../../../src-shared/bench/roofline.js';
import { MachinesRepo } from '../../store/repos/machines-repo.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { listFits } from '../planner/planner-service.js';
import type { Db } from '../../store/database.js';
import { renderReport, writeReport, type PdfPrinter, type ReportFormat, type WrittenReport } from './write-report.js';

const MIME: Record<ReportFormat, string> = {
  html: 'text/html',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
};

function ortVersion(): string | null {
  try {
    return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

export function loadRuns(runs: RunsRepo, ids: readonly number[]): Run[] {
  return ids.map((id) => {
    const run = runs.get(id);
    if (!run) throw new ApiFailure('NOT_FOUND', `No run with id ${id}: nothing to report. List runs with \`flopscope runs list\`.`, [`ids: no run ${id}`]);
    return run;
  });
}

export function reportContext(db: Db, runs: readonly Run[], appVersion: string, sqlite: string | null): ReportContext {
  const machines = new MachinesRepo(db);
  return {
    appVersion,
    generatedAt: new Date().toISOString(),
    versions: { node: process.versions.node, electron: process.versions.electron ?? null, onnxruntime: ortVersion(), sqlite },
    machines: Object.fromEntries(runs.map((r) => [r.machineId, machines.get(r.machineId)?.report])),
    ...reportExtras(db, runs),
  };
}

/**
 * What some kinds' report charts read beyond the runs, looked up only when a run needs it: the
 * latest benchmark roofline of each model run's machine (its layers are placed on it, as on the
 * Models page) and the stored custom fits (a plan made with one draws its curves).
 */
function reportExtras(db: Db, runs: readonly Run[]): Pick<ReportContext, 'rooflines' | 'fits'> {
  const repo = new RunsRepo(db);
  const profiled = [...new Set(runs.filter((r) => r.kind === 'profile').map((r) => r.machineId))];
  const rooflines = Object.fromEntries(
    profiled.map((id) => [id, repo.resultParts('bench', id, ['$.roofline'], 20).find((p) => typeof p.parts[0] === 'object' && p.parts[0] !== null)?.parts[0] as Roofline | undefined]),
  );
  const customPlan = runs.some((r) => r.kind === 'plan' && typeof (r.result as { fit?: unknown } | null)?.fit === 'string' && (r.result as { fit: string }).fit.startsWith('custom:'));
  return { rooflines, ...(customPlan ? { fits: listFits(repo) } : {}) };
}

export async function renderReportContent(
  db: Db,
  runsRepo: RunsRepo,
  ids: readonly number[],
  format: ReportFormat,
  appVersion: string,
  sqlite: string | null,
  printPdf?: PdfPrinter,
): Promise<{ fileName: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string }> {
  const runs = loadRuns(runsRepo, ids);
  const model = buildReport(runs, reportContext(db, runs, appVersion, sqlite));
  const out = await renderReport(model, runs, format, printPdf);
  // Every id up to 20 runs; beyond, the first and last and the count (a file name stays well under 255 bytes).
  const idPart = ids.length <= 20 ? ids.join('-') : `${ids[0]}-to-${ids[ids.length - 1]}-${ids.length}-runs`;
  const fileName = `flopscope-${runs.length > 1 ? 'comparison' : runs[0]!.kind}-${idPart}.${format}`;
  return typeof out === 'string'
    ? { fileName, mimeType: MIME[format], encoding: 'utf8', content: out }
    : { fileName, mimeType: MIME[format], encoding: 'base64', content: Buffer.from(out).toString('base64') };
}

export async function writeReportFile(db: Db, runsRepo: RunsRepo, ids: readonly number[], format: ReportFormat, outFile: string, appVersion: string, sqlite: string | null): Promise<WrittenReport> {
  const runs = loadRuns(runsRepo, ids);
  return writeReport(runs, format, outFile, reportContext(db, runs, appVersion, sqlite));
}
