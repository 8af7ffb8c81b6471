/**
 * Tiny helpers for writing SVG markup as strings (runs anywhere). Charts return strings rather
 * than touching a DOM, so the same function draws the on-screen chart, goes into an exported
 * report, and can be checked in a plain Node test.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use both as element content and inside a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Coordinates rounded to 0.1 px: sharper than any screen needs, and keeps the markup stable. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A class-name fragment made safe by construction (letters, digits and dashes only). */
export function classToken(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]/g, '');
}
