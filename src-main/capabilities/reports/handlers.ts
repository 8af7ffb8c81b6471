/** `reports.render` (Node side): a report of stored runs for download, PDF through the context's printer. */
import type { reportsMethods } from '../../../src-shared/api/reports.js';
import { renderReportContent } from '../../services/reports/report-service.js';
import type { CapabilityHandlers } from '../context.js';

export const reportsHandlers: CapabilityHandlers<keyof typeof reportsMethods> = {
  'reports.render': (req, ctx) => renderReportContent(ctx.db(), ctx.runs(), req.ids, req.format, ctx.appVersion, ctx.sqliteVersion(), ctx.printPdf),
};
