/**
 * Test helpers (Node side): temporary database paths and a HardwareReport for tests that must not
 * depend on the probing machine (the real probe has its own tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HardwareReport } from '../../src-shared/api/types.js';

export function tempDir(prefix = 'flopscope-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sampleReport(id = 'test-machine-0001', hostname = 'testhost'): HardwareReport {
  return {
    machine: { id, hostname, os: { platform: 'linux', release: '6.1.0', arch: 'x64' } },
    cpu: {
      vendor: 'AMD',
      model: 'Test CPU',
      physicalCores: 2,
      logicalCores: 2,
      baseGHz: 2,
      maxGHz: null,
      isa: ['avx2', 'fma'],
      caches: { l1dBytes: 32768, l2Bytes: 1048576, l3Bytes: 33554432 },
    },
    memory: { totalBytes: 8 * 2 ** 30 },
    gpus: [],
    peaks: [{ device: 'cpu', dtype: 'fp32', gflops: 128, basis: '2 cores × 2 GHz × 32 FLOP/cycle' }],
    warnings: [],
  };
}
