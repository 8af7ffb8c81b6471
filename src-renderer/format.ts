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

/** A phase's remaining time: "ETA 12 s", "ETA 3 min 05 s", "ETA <1 s"; '' when unknown. */
export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return 'ETA <1 s';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `ETA ${seconds} s`;
  return `ETA ${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Milliseconds from seconds with a precision that suits the size: "0.047", "12.3", "221". */
export function formatMs(seconds: number): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}
