/**
 * The one SI formatter for quantities people read (FLOPs, FLOP/s, tokens/s): a decimal prefix
 * instead of e-notation, so 5.76e23 FLOPs reads "576 ZFLOPs" and 1.98e15 FLOP/s "1.98 PFLOP/s".
 * Prefixes are the SI ones (BIPM, The International System of Units, 9th ed. 2019, Table 7,
 * including ronna R and quetta Q from 2022). Machine formats (CSV, JSON) keep raw numbers.
 */

export const SI_UP: ReadonlyArray<readonly [number, string]> = [
  [1e30, 'Q'], [1e27, 'R'], [1e24, 'Y'], [1e21, 'Z'], [1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'],
];
export const SI_DOWN: ReadonlyArray<readonly [number, string]> = [
  [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f'], [1e-18, 'a'],
];

/** `value` as a mantissa (≥ 1 and < 1000 where a prefix exists) and its prefix: 5.76e23 → [576, 'Z']. */
export function siParts(value: number, from = 1e3): [number, string] {
  const a = Math.abs(value);
  if (a >= from) {
    const hit = SI_UP.find(([s]) => a >= s && s >= from);
    if (hit) return [value / hit[0], hit[1]];
  }
  if (a !== 0 && a < 1) {
    const hit = SI_DOWN.find(([s]) => a >= s) ?? SI_DOWN[SI_DOWN.length - 1]!;
    return [value / hit[0], hit[1]];
  }
  return [value, ''];
}

/**
 * `value` with an SI prefix on `unit` and `significant` digits (trailing zeros dropped):
 * formatSI(5.76e23, 'FLOPs') → "576 ZFLOPs", formatSI(1e22, 'FLOPs') → "10 ZFLOPs",
 * formatSI(3.2e-5, 's') → "32 µs". Past the largest prefix the mantissa grows ("2000 QFLOPs").
 */
export function formatSI(value: number, unit = '', significant = 3): string {
  if (!Number.isFinite(value)) return '—';
  // Round first, then pick the prefix: 999.7e3 at 3 digits is 1.00e6, "1 M" rather than "1000 k".
  const [m, prefix] = siParts(Number(value.toPrecision(significant)));
  const text = String(Number(m.toPrecision(significant)));
  return unit || prefix ? `${text} ${prefix}${unit}` : text;
}
