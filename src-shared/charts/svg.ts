/**
 * Tiny helpers for writing SVG (runs anywhere). Charts return SafeMarkup (src-shared/markup/)
 * rather than touching a DOM, so the same function draws the on-screen chart, goes into an
 * exported report, and can be checked in a plain Node test; all the escaping is done by the
 * svg`…` tag, never here.
 */

/** Coordinates rounded to 0.1 px: sharper than any screen needs, and keeps the markup stable. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A class-name fragment made safe by construction (letters, digits and dashes only). */
export function classToken(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]/g, '');
}
