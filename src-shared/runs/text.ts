/**
 * Text the store keeps in its own columns (notes, tags, ids, host names) must survive SQLite's
 * UTF-8 round trip unchanged (runs anywhere). A lone UTF-16 surrogate cannot: SQLite writes it as
 * replacement characters and the text comes back different. Such text is refused with an error
 * that names the field and the position, rather than silently altered; control characters other
 * than tab and line breaks (notes only) are refused the same way. Strings inside params and
 * results are not affected: they are stored as JSON text, where a lone surrogate is an escape
 * (\ud800) and survives.
 */

/** Index of the first lone surrogate in `s`, or -1. */
export function loneSurrogateAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** Index of the first control character (C0, DEL, C1) in `s`, allowing tab, LF and CR when `multiline`; or -1. */
export function controlCharAt(s: string, multiline: boolean): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return i;
    }
    if (c >= 0x7f && c <= 0x9f) return i;
  }
  return -1;
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `s` cannot be stored as text (null when it can): a lone surrogate or a control character, with where. */
export function textProblem(s: string, options: { multiline?: boolean } = {}): string | null {
  const lone = loneSurrogateAt(s);
  if (lone >= 0) return `contains a lone UTF-16 surrogate (${hex(s.charCodeAt(lone))}) at character ${lone}: not valid Unicode text`;
  const ctl = controlCharAt(s, options.multiline ?? false);
  if (ctl >= 0) return `contains a control character (${hex(s.charCodeAt(ctl))}) at character ${ctl}`;
  return null;
}
