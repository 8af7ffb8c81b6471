import { describe, expect, it } from 'vitest';
import { hardwareReducer as reduce, initialHardwareState as s0, simdIsaFlags, type HardwareResult } from './hardware-state.js';

const report = { runId: 12 } as HardwareResult;
const error = { code: 'INTERNAL', message: 'x' } as const;

describe('hardware page state', () => {
  it('starts detecting; a detection shows the report without a saved run', () => {
    expect(s0).toEqual({ report: null, error: null, busy: 'detect', savedRunId: null });
    expect(reduce(s0, { type: 'detected', report, save: false })).toEqual({ report, error: null, busy: null, savedRunId: null });
  });

  it('a save keeps its run id until a detection that does not save', () => {
    let s = reduce(reduce(s0, { type: 'start', save: true }), { type: 'detected', report, save: true });
    expect(s).toMatchObject({ busy: null, savedRunId: 12 });
    expect(reduce(s, { type: 'start', save: true })).toMatchObject({ busy: 'save', savedRunId: 12 });
    s = reduce(s, { type: 'start', save: false });
    expect(s).toMatchObject({ busy: 'detect', savedRunId: null });
  });

  it('a failure keeps the report shown before it; the next start clears the failure', () => {
    const s = reduce(reduce(s0, { type: 'detected', report, save: false }), { type: 'failed', error });
    expect(s).toMatchObject({ report, error, busy: null });
    expect(reduce(s, { type: 'start', save: false }).error).toBeNull();
  });
});

describe('simdIsaFlags', () => {
  it('keeps SIMD and matrix extensions and drops security and system flags', () => {
    const flags = ['sse', 'sse2', 'ssse3', 'sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_bf16', 'smep', 'smap', 'aes', 'rdrand', 'sha_ni', 'hypervisor'];
    expect(simdIsaFlags(flags)).toEqual(['sse', 'sse2', 'ssse3', 'sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_bf16']);
  });
  it('knows the Arm names', () => {
    expect(simdIsaFlags(['fp', 'asimd', 'asimdhp', 'asimddp', 'sve', 'sve2', 'sme', 'i8mm', 'bf16', 'neon', 'crc32', 'atomics', 'pmull'])).toEqual(['asimd', 'asimdhp', 'asimddp', 'sve', 'sve2', 'sme', 'i8mm', 'bf16', 'neon']);
  });
});
