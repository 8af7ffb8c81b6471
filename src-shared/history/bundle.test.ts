import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/errors.js';
import { benchResult, TEST_MACHINE } from '../reports/test-runs.js';
import { BUNDLE_FORMAT, canonicalJson, checksumInput, parseBundle, type Bundle } from './bundle.js';

const report = { ...TEST_MACHINE, machine: { ...TEST_MACHINE.machine, id: 'm1' } };
const good = (): Bundle =>
  ({
    format: BUNDLE_FORMAT,
    schemaVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    appVersion: '0.1.0',
    machines: [report],
    runs: [{ uid: 'u1', kind: 'bench', machineId: 'm1', appVersion: '0.1.0', createdAt: '2026-01-01T00:00:00.000Z', params: { a: 1 }, result: benchResult(1), tags: ['t'], note: '' }],
    checksum: '0'.repeat(64),
  }) as unknown as Bundle;

function failure(f: () => unknown): ApiFailure {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    return e as ApiFailure;
  }
  throw new Error('expected a failure');
}

describe('canonicalJson', () => {
  it('sorts keys recursively and is independent of insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
  it('leaves the checksum out of what it covers', () => {
    const b = good();
    expect(checksumInput(b)).toBe(checksumInput({ ...b, checksum: 'f'.repeat(64) }));
    expect(checksumInput(b)).not.toContain('checksum');
  });
});

describe('parseBundle', () => {
  it('accepts a well-formed bundle as text or object, and verifies the checksum when given a hash', () => {
    expect(parseBundle(JSON.stringify(good())).runs[0]!.uid).toBe('u1');
    expect(parseBundle(good()).machines[0]!.machine.id).toBe('m1');
    expect(parseBundle(good(), { hash: () => '0'.repeat(64) }).runs).toHaveLength(1);
    expect(failure(() => parseBundle(good(), { hash: () => '1'.repeat(64) })).message).toBe("the bundle's checksum does not match its contents: it was changed or damaged");
  });
  it('refuses text that is not JSON, saying where it was cut', () => {
    const text = JSON.stringify(good(), null, 2);
    const cut = text.slice(0, 200);
    const f = failure(() => parseBundle(cut));
    expect(f.code).toBe('INVALID_REQUEST');
    expect(f.message).toBe(`the bundle is not valid JSON (truncated at character ${cut.length}?)`);
    expect(failure(() => parseBundle('{"format": flopscope}')).message).toMatch(/^the bundle is not valid JSON \(/);
  });
  it('refuses other formats, newer schema versions and unknown kinds with clear messages', () => {
    expect(failure(() => parseBundle({ ...good(), format: 'something-else' })).message).toBe('this is not a FLOPscope bundle (format "something-else")');
    expect(failure(() => parseBundle('[1,2]')).message).toMatch(/this is not a FLOPscope bundle \(expected a JSON object, got an array\)/);
    expect(failure(() => parseBundle({ ...good(), schemaVersion: 7 })).message).toBe('the bundle is schema version 7; this FLOPscope reads up to 1 — update FLOPscope');
    expect(failure(() => parseBundle({ ...good(), schemaVersion: 'x' })).message).toMatch(/schemaVersion must be a positive integer/);
    const b = good();
    (b.runs[0] as { kind: string }).kind = 'teleport';
    expect(failure(() => parseBundle(b)).message).toMatch(/run 1 has an unknown kind "teleport"; this FLOPscope knows hardware, bench/);
  });
  it('refuses a malformed shape naming the field, and runs whose machine is missing', () => {
    const b = good();
    (b.runs[0] as { tags: unknown }).tags = 'not-a-list';
    const f = failure(() => parseBundle(b));
    expect(f.message).toMatch(/^the bundle is malformed: runs\.0\.tags: /);
    const c = good();
    c.machines = [];
    expect(failure(() => parseBundle(c)).message).toMatch(/run 1 refers to machine "m1", which the bundle does not include/);
  });
});
