/**
 * The WebAssembly binary format's primitives (core spec §5: LEB128 integers, names, vectors,
 * sections, value types), for the few small modules FLOPscope emits as bytes at run time — the
 * STREAM kernels (services/bench/wasm-kernels.ts) and the clock chain (services/hardware/clock.ts).
 * Hand-written: emitting a few hundred bytes needs no assembler, and no build step runs at start.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit range). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A name: its UTF-8 length, then its bytes. */
export const str = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];
/** A vector: its length, then its items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A section: its id, its byte length, then its body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
