/**
 * The chart styles a report carries inline (runs anywhere): the charts' one stylesheet,
 * src-shared/charts/chart-styles.ts, the same text the app bundles before its app.css (light
 * theme: a report is printed and read on paper). Inline, so a report is one self-contained file.
 */
import { CHART_CSS } from '../charts/chart-styles.js';

export const REPORT_CHART_CSS = CHART_CSS;
