/**
 * The shared controls of the design system (issue #18). Every one is marked with a data-ui
 * attribute (segmented, select, file / file-button, number, table, card, section-nav) so tests can
 * tell them from native unstyled controls; their styles are in styles/app.css under "ui-".
 */
export { Segmented, type SegmentOption } from './segmented.js';
export { Select } from './select.js';
export { FileButton } from './file-button.js';
export { NumberInput } from './number-input.js';
export { DataTable, type DataColumn, type DataRow } from './data-table.js';
export { Card } from './card.js';
export { SectionNav, type NavSection } from './section-nav.js';
export { limitRows, ROW_LIMIT, segmentKeyTarget, shortFileName } from './keys.js';
