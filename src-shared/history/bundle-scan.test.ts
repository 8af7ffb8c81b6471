import { describe, expect, it } from 'vitest';
import { BundleScanner, ScanError, type ScanEvent, type ScanLimits } from './bundle-scan.js';

const LIMITS: ScanLimits = { maxDepth: 64, maxRunChars: 1 << 20, maxMachineChars: 1 << 20, maxMemberChars: 1 << 16, maxRuns: 1000, maxMachines: 100 };

/** Scans `text` in pieces of `piece` characters and rebuilds the object from the events. */
function scan(text: string, piece = 7, limits: ScanLimits = LIMITS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const s = new BundleScanner(limits, (e: ScanEvent) => {
    if (e.type === 'array') out[e.array] = [];
    else if (e.type === 'member') out[e.key] = JSON.parse(e.text);
    else (out[e.array] as unknown[])[e.index] = JSON.parse(e.text);
  });
  for (let i = 0; i < text.length; i += piece) s.write(text.slice(i, i + piece));
  s.end();
  return out;
}

function scanError(text: string, limits: ScanLimits = LIMITS, piece = 5): ScanError {
  try {
    scan(text, piece, limits);
  } catch (e) {
    if (e instanceof ScanError) return e;
    throw e;
  }
  throw new Error('expected a ScanError');
}

/** A seeded generator of random JSON values (with strings full of escapes, quotes and brackets). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 4 || k < 0.35) {
    const pick = Math.floor(r() * 6);
    if (pick === 0) return null;
    if (pick === 1) return r() < 0.5;
    if (pick === 2) return Math.round((r() - 0.5) * 1e6) / 100;
    if (pick === 3) return (r() - 0.5) * 1e-300;
    return ['', 'a"b', 'x\\y', '{[', ']}', 'é🙂', '\n\t', '\u0000', 'plain', ':,"'][Math.floor(r() * 10)]!;
  }
  if (k < 0.65) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(r() * 4); i++) o[['a', 'b"', 'c\\', '{', 'é', '0', 'runs'][Math.floor(r() * 7)]! + i] = randomValue(r, depth + 1);
  return o;
}

describe('BundleScanner', () => {
  it('rebuilds exactly what JSON.parse reads, for random documents cut into pieces of any size', () => {
    const r = rng(42);
    for (let n = 0; n < 300; n++) {
      const doc: Record<string, unknown> = { format: 'x', other: randomValue(r, 1), machines: [randomValue(r, 2)], runs: Array.from({ length: 3 }, () => randomValue(r, 2)) };
      const text = JSON.stringify(doc, null, n % 3 === 0 ? 2 : undefined);
      for (const piece of [1, 3, 64, 1 << 20]) expect(scan(text, piece)).toEqual(JSON.parse(text));
    }
  });

  it('hands over each element of machines and runs on its own, with its position', () => {
    const events: ScanEvent[] = [];
    const s = new BundleScanner(LIMITS, (e) => events.push(e));
    const text = '{"format":"f","machines":[{"a":1}],"runs":[{"b":"]"} , 2 ,"x"],"z":[1,2]}';
    s.write(text);
    s.end();
    expect(events).toEqual([
      { type: 'member', key: 'format', text: '"f"', at: text.indexOf('"f"') },
      { type: 'array', array: 'machines' },
      { type: 'element', array: 'machines', index: 0, text: '{"a":1}', at: text.indexOf('{"a"') },
      { type: 'array', array: 'runs' },
      { type: 'element', array: 'runs', index: 0, text: '{"b":"]"}', at: text.indexOf('{"b"') },
      { type: 'element', array: 'runs', index: 1, text: '2', at: text.indexOf(' 2 ') + 1 },
      { type: 'element', array: 'runs', index: 2, text: '"x"', at: text.indexOf('"x"') },
      { type: 'member', key: 'z', text: '[1,2]', at: text.indexOf('[1,2]') },
    ]);
  });

  it('refuses what is not JSON, saying where, and a cut text as truncated', () => {
    expect(scanError('{"a":1,}').message).toMatch(/^unexpected "}" at character 7 \(expected a member name in double quotes\)/);
    expect(scanError('{"runs":[{"a":1}{"b":2}]}')).toMatchObject({ kind: 'syntax', path: 'runs.0' });
    expect(scanError('{"a" 1}').message).toMatch(/expected :/);
    expect(scanError('{"a":1} x').message).toMatch(/unexpected text after the bundle at character 8/);
    expect(scanError('{"runs":[{"note":"unterminated')).toMatchObject({ kind: 'truncated', path: 'runs.0', message: 'truncated at character 30?' });
    expect(scanError('[1,2]')).toMatchObject({ kind: 'not-object', message: 'expected a JSON object, got an array' });
    expect(scanError('')).toMatchObject({ kind: 'syntax', message: 'the bundle is empty' });
  });

  it('enforces depth, size and count limits, naming the field, without holding more than a limit of text', () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const depthError = scanError(`{"runs":[{"params":${deep(100_000)}}]}`);
    expect(depthError).toMatchObject({ kind: 'limit' });
    // The bundle is level 1, runs 2, the run 3, params 4: the 65th level is the value of the 61st "a".
    expect(depthError.path).toBe('runs.0.params' + '.a'.repeat(61));
    expect(depthError.message).toMatch(/^nested deeper than 64 levels/);
    expect(() => scan(`{"runs":[{"params":${deep(61)}}]}`)).not.toThrow();
    expect(() => scan(`{"runs":[{"params":${deep(62)}}]}`)).toThrow(/nested deeper than 64 levels/);
    const small = { ...LIMITS, maxRunChars: 100, maxMemberChars: 10, maxRuns: 3 };
    expect(scanError(`{"runs":[{"x":"${'y'.repeat(200)}"}]}`, small)).toMatchObject({ kind: 'limit', path: 'runs.0', message: 'larger than 100 characters of JSON text, the most one run may take' });
    expect(scanError('{"createdAt":"2026-01-01T00:00:00Z"}', small)).toMatchObject({ kind: 'limit', path: 'createdAt' });
    expect(scanError('{"runs":[1,2,3,4]}', small)).toMatchObject({ kind: 'limit', path: 'runs', message: 'more than 3 runs in one bundle' });
    expect(scanError(`{"${'k'.repeat(2000)}":1}`)).toMatchObject({ kind: 'limit', message: 'a top-level member name is longer than 1000 characters' });
  });
});
