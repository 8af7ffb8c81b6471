/**
 * The benchmark suite as a job (Node side): `bench.start` queues it on the "cpu" queue, it runs
 * in a worker thread (bench-suite.worker.ts) so the API stays responsive and a cancel is
 * immediate, and only its final result is written — one transaction, as one 'bench' run.
 */
import type { BenchResult, BenchStartRequest, BenchSuite, GpuBenchResult } from '../../src-shared/api/bench.js';
import type { HardwareReport, JobInfo } from '../../src-shared/api/types.js';
import type { JobRunner } from '../core/jobs.js';
import { runInWorker } from '../core/worker-job.js';
import { benchEnergyEfficiency } from '../../src-shared/energy/efficiency.js';
import { energyWarnings, withEnergy } from '../services/energy/with-energy.js';
import type { RunsRepo } from '../store/repos/runs-repo.js';

export interface BenchSuiteInput {
  suite: BenchSuite;
  quick: boolean;
  threads: number;
  hardware: HardwareReport;
  gpuFromPage?: GpuBenchResult;
}

export function startBenchJob(deps: {
  jobs: JobRunner;
  hardware: (refresh?: boolean) => Promise<HardwareReport>;
  runs: () => RunsRepo;
  appVersion: string;
}, request: BenchStartRequest): JobInfo {
  let report: HardwareReport | null = null;
  return deps.jobs.start<BenchResult>({
    kind: `bench.${request.suite}`,
    queue: 'cpu',
    run: async (ctx) => {
      // A benchmark probes the machine afresh (its clock and caches are what the run measured under)
      // and so renews the report later processes reuse (services/hardware/report-cache.ts).
      report = await deps.hardware(true);
      const input: BenchSuiteInput = {
        suite: request.suite,
        quick: request.quick ?? false,
        // Default: one thread per physical core — SMT siblings share the FMA units and add nothing to GEMM.
        threads: request.threads ?? Math.max(1, report.cpu.physicalCores || report.cpu.logicalCores),
        hardware: report,
        // The request's schema also admits int8 GEMM rows, which the WebGPU kernels (GpuBenchResult) never produce.
        ...(request.gpuFromPage ? { gpuFromPage: request.gpuFromPage as GpuBenchResult } : {}),
      };
      ctx.log(`Running the ${input.quick ? 'quick' : 'full'} ${input.suite} suite with ${input.threads} thread(s).`);
      const { value, energy } = await withEnergy(
        ctx,
        report,
        (measured) => runInWorker<BenchResult>(new URL('./bench-suite.worker.ts', import.meta.url), input, measured),
      );
      const efficiency = benchEnergyEfficiency(value, energy);
      return {
        ...value,
        warnings: [...value.warnings, ...energyWarnings(energy)],
        energy,
        ...(efficiency ? { energyEfficiency: efficiency } : {}),
      };
    },
    persist: (result) =>
      deps.runs().insert({
        kind: 'bench',
        machine: report!,
        appVersion: deps.appVersion,
        params: { suite: result.suite, quick: result.quick, threads: result.threads },
        result,
      }),
  });
}
