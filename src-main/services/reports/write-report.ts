/**
 * Writes a report of stored runs to a file (Node main process / CLI): HTML, Markdown, CSV and
 * JSON from the pure renderers in src-shared/reports, PDF by printing the HTML in headless Chromium
 * (services/browser/chromium.ts finds one) through playwright-core (A4, backgrounds on). Every write is atomic (temp
 * file in the target's folder, then rename; a failure leaves nothing behind) and failures are
 * ApiFailure naming the path: 'INVALID_REQUEST' for a path that cannot be written, 'UNAVAILABLE'
 * when Chromium is missing or fails to print.
 */
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { Run } from '../../../src-shared/api/types.js';
import { buildReport, type ReportContext, type ReportModel } from '../../../src-shared/reports/report.js';
import { renderCsv } from '../../../src-shared/reports/render-csv.js';
import { renderHtml } from '../../../src-shared/reports/render-html.js';
import { renderMarkdown } from '../../../src-shared/reports/render-markdown.js';
import { launchChromium } from '../browser/chromium.js';
import { writeFileAtomic } from '../../infra/write-atomic.js';

export const REPORT_FORMATS = ['html', 'md', 'csv', 'json', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The same flags the e2e harness launches Chromium with: no network chatter, no sandbox, no GPU. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface WrittenReport {
  /** Absolute path written. */
  file: string;
  format: ReportFormat;
  bytes: number;
  model: ReportModel;
}

/** Prints self-contained HTML to PDF bytes in headless Chromium; the page can make no request. */
export async function htmlToPdf(html: string): Promise<Uint8Array> {
  let browser;
  try {
    ({ browser } = await launchChromium(CHROMIUM_ARGS));
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ApiFailure('UNAVAILABLE', `PDF export needs a headless Chromium and could not start one: ${reason}`);
  }
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false, colorScheme: 'light' });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    return new Uint8Array(pdf);
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/**
 * How PDF bytes are made: headless Chromium through playwright-core by default (CLI and serve,
 * htmlToPdf); the Electron app passes its own webContents.printToPDF to createBackend
 * (src-main/electron/main.ts), so the installed app needs no Chromium beside it.
 */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

/** Renders a built model in one format (PDF through `printPdf`, headless Chromium by default). `runs` go into the JSON form. */
export async function renderReport(model: ReportModel, runs: readonly Run[], format: ReportFormat, printPdf: PdfPrinter = htmlToPdf): Promise<string | Uint8Array> {
  switch (format) {
    case 'html':
      return renderHtml(model);
    case 'md':
      return renderMarkdown(model);
    case 'csv':
      return renderCsv(model);
    case 'json':
      return JSON.stringify({ report: model, runs }, null, 2) + '\n';
    case 'pdf':
      return printPdf(renderHtml(model));
    default:
      throw new ApiFailure('INVALID_REQUEST', `unknown report format "${String(format)}": use one of ${REPORT_FORMATS.join(', ')}`, [`format: expected one of ${REPORT_FORMATS.join(', ')}`]);
  }
}

export async function writeReport(runs: readonly Run[], format: ReportFormat, outFile: string, context: ReportContext): Promise<WrittenReport> {
  if (!REPORT_FORMATS.includes(format)) {
    throw new ApiFailure('INVALID_REQUEST', `unknown report format "${String(format)}": use one of ${REPORT_FORMATS.join(', ')}`, [`format: expected one of ${REPORT_FORMATS.join(', ')}`]);
  }
  if (runs.length === 0) throw new ApiFailure('INVALID_REQUEST', 'a report needs at least one run', ['runs: give at least one run']);
  const model = buildReport(runs, context);
  const data = await renderReport(model, runs, format);
  const file = await writeFileAtomic(outFile, data, `the ${format.toUpperCase()} report`);
  return { file, format, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, model };
}
