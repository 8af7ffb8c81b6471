/**
 * A bench run with the cost model's calibration is stored, read back, exported in a bundle and
 * imported whole; a run from before calibration existed still validates, and a damaged
 * calibration is refused by the bundle reader with the field named.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src-shared/api/bench.js';
import type { Calibration } from '../../../src-shared/bench/calibration.js';
import { benchResult } from '../../../src-shared/reports/test-runs.js';
import { benchResultSchema } from '../../../src-shared/runs/schemas.js';
import { implausibleValues } from '../../../src-shared/runs/plausibility.js';
import { RUN_KIND_REGISTRY } from '../../../src-shared/runs/kinds/index.js';
import { openDatabase } from '../../store/database.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { exportBundle, importBundle } from '../history/bundles.js';

const calibration: Calibration = {
  threads: 8,
  gemm: [
    { batch: 1, m: 512, n: 512, k: 512, gflops: 251.72, medianSeconds: 0.0010664 },
    { batch: 12, m: 128, n: 128, k: 64, gflops: 281.03, medianSeconds: 0.0000895 },
  ],
  conv: [
    { channels: 64, groups: 1, size: 56, kernel: 3, stride: 1, gflops: 314.57, medianSeconds: 0.000735 },
    { channels: 96, groups: 96, size: 56, kernel: 3, stride: 2, gflops: 30.2, medianSeconds: 0.000179 },
  ],
  overheadUs: 0.41,
  method: 'ONNX Runtime 1.30.0 (onnxruntime-node, CPU execution provider), 8 intra-op thread(s), fp32, …',
};

describe('a bench run with a calibration', () => {
  it('validates with and without one (older runs load)', () => {
    expect(benchResultSchema.safeParse(benchResult(1)).success).toBe(true);
    expect(benchResultSchema.safeParse({ ...benchResult(1), calibration }).success).toBe(true);
    const bad = benchResultSchema.safeParse({ ...benchResult(1), calibration: { ...calibration, overheadUs: 'fast' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['calibration', 'overheadUs']);
  });

  it('round-trips through the runs store and a bundle', () => {
    const src = openDatabase(path.join(tempDir(), 'src.db'));
    const runs = new RunsRepo(src);
    const result: BenchResult = { ...benchResult(1), calibration };
    const id = runs.insert({ kind: 'bench', machine: sampleReport('m-c', 'gamma'), appVersion: '0.1.0', params: { suite: 'gemm', quick: true, threads: 8 }, result });
    expect((runs.get(id)!.result as BenchResult).calibration).toEqual(calibration);

    const bundle = exportBundle(src, [id], { appVersion: '0.1.0' });
    const dst = openDatabase(path.join(tempDir(), 'dst.db'));
    const imported = importBundle(dst, JSON.stringify(bundle));
    expect(imported).toMatchObject({ imported: 1, skipped: 0 });
    expect((new RunsRepo(dst).get(imported.ids[0]!)!.result as BenchResult).calibration).toEqual(calibration);

    const damaged = JSON.parse(JSON.stringify(bundle)) as { runs: Array<{ result: { calibration: { gemm: unknown[] } } }> };
    damaged.runs[0]!.result.calibration.gemm = [{ batch: 1, m: 'x' }];
    expect(() => importBundle(openDatabase(path.join(tempDir(), 'bad.db')), damaged)).toThrow(/calibration\.gemm\.0/);
    src.close();
    dst.close();
  });

  it('keeps its layout points: validated field by field, range-checked, and listed in the report in µs', () => {
    const layout = [{ channels: 144, size: 56, reorderInputSeconds: 78e-6, reorderOutputSeconds: 49e-6, broadcastMulSeconds: 70e-6 }];
    const result = { ...benchResult(1), calibration: { ...calibration, layout } };
    expect(benchResultSchema.safeParse(result).success).toBe(true);
    const bad = benchResultSchema.safeParse({ ...result, calibration: { ...calibration, layout: [{ ...layout[0], reorderInputSeconds: 'slow' }] } });
    expect(bad.error?.issues[0]?.path).toEqual(['calibration', 'layout', 0, 'reorderInputSeconds']);
    expect(implausibleValues('bench', result)).toEqual([]);
    const huge = { ...result, calibration: { ...calibration, layout: [{ ...layout[0], broadcastMulSeconds: 1e9 }] } };
    expect(implausibleValues('bench', huge).map((v) => v.path)).toEqual(['calibration.layout.0.broadcastMulSeconds']);
    const table = RUN_KIND_REGISTRY.bench.reportBlocks!(result as never, undefined).find((b) => b.id === 'calibration.layout');
    expect(table).toMatchObject({ type: 'table', rows: [{ cells: [144, 56, expect.closeTo(78, 9), expect.closeTo(49, 9), expect.closeTo(70, 9)] }] });
    expect(RUN_KIND_REGISTRY.bench.reportBlocks!({ ...benchResult(1), calibration } as never, undefined).some((b) => b.id === 'calibration.layout')).toBe(false);
  });

  it('keeps its graph-output points: validated, range-checked, and listed in the report in MiB, ms and GB/s', () => {
    const outputs = [{ bytes: 2 ** 20, seconds: 2.5e-3 }, { bytes: 16 * 2 ** 20, seconds: 0.046 }];
    const result = { ...benchResult(1), calibration: { ...calibration, outputs } };
    expect(benchResultSchema.safeParse(result).success).toBe(true);
    const bad = benchResultSchema.safeParse({ ...result, calibration: { ...calibration, outputs: [{ bytes: 2 ** 20, seconds: 'slow' }] } });
    expect(bad.error?.issues[0]?.path).toEqual(['calibration', 'outputs', 0, 'seconds']);
    expect(implausibleValues('bench', result)).toEqual([]);
    const negative = { ...result, calibration: { ...calibration, outputs: [{ bytes: 2 ** 20, seconds: -1 }] } };
    expect(implausibleValues('bench', negative).map((v) => v.path)).toEqual(['calibration.outputs.0.seconds']);
    const table = RUN_KIND_REGISTRY.bench.reportBlocks!(result as never, undefined).find((b) => b.id === 'calibration.outputs');
    expect(table).toMatchObject({ type: 'table', rows: [{ cells: [1, expect.closeTo(2.5, 9), expect.closeTo(2 ** 20 / 2.5e-3 / 1e9, 9)] }, { cells: [16, expect.closeTo(46, 9), expect.any(Number)] }] });
    expect(RUN_KIND_REGISTRY.bench.reportBlocks!({ ...benchResult(1), calibration } as never, undefined).some((b) => b.id === 'calibration.outputs')).toBe(false);
  });
});
