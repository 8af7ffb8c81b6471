/**
 * Display formatting that only the UI needs (renderer). Bytes and FLOP/s come from
 * src-shared/hardware/format.ts so the app and the CLI print the same numbers.
 */

/** Local time as `YYYY-MM-DD HH:MM`: sortable and locale-independent, so table columns line up. */
export function formatLocalDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Clock speed with two decimals, or "unknown" where the OS did not report one. */
export function formatGHz(ghz: number | null): string {
  return ghz === null || !Number.isFinite(ghz) || ghz <= 0 ? 'unknown' : `${ghz.toFixed(2)} GHz`;
}
