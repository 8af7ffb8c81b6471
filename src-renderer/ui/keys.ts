/**
 * Pure helpers behind the shared controls (src-renderer/ui): arrow-key movement in a segmented
 * control, and row limiting in the data table. Kept free of React so they are unit-tested.
 */

/**
 * The option index an arrow/Home/End key moves to in a radio group of `count` options, skipping
 * disabled ones and wrapping around (WAI-ARIA radio group pattern); null for any other key or
 * when nothing is enabled. `current` may be -1 (nothing selected yet).
 */
export function segmentKeyTarget(key: string, current: number, count: number, disabled: readonly boolean[] = []): number | null {
  const enabled = (i: number) => !disabled[i];
  if (count <= 0 || !Array.from({ length: count }, (_, i) => i).some(enabled)) return null;
  const step = (from: number, dir: 1 | -1) => {
    let i = from;
    for (let n = 0; n < count; n++) {
      i = (i + dir + count) % count;
      if (enabled(i)) return i;
    }
    return null;
  };
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return step(current < 0 ? -1 : current, 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return step(current < 0 ? 0 : current, -1);
    case 'Home':
      return step(-1, 1);
    case 'End':
      return step(0, -1);
    default:
      return null;
  }
}

/** Default number of rows a data table shows before its "Show all N" button. */
export const ROW_LIMIT = 20;

/**
 * The rows a table shows: all of them when `showAll` or when they fit in `limit`, else the first
 * `limit`; `hidden` is how many are left out (0 when none, so no "Show all" button).
 */
export function limitRows<T>(rows: readonly T[], showAll: boolean, limit = ROW_LIMIT): { visible: readonly T[]; hidden: number } {
  if (showAll || rows.length <= limit) return { visible: rows, hidden: 0 };
  return { visible: rows.slice(0, limit), hidden: rows.length - limit };
}

/** A file name as the file button shows it: the base name, middle-truncated past `max` characters. */
export function shortFileName(name: string, max = 32): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  if (base.length <= max) return base;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${base.slice(0, head)}…${base.slice(base.length - (keep - head))}`;
}
