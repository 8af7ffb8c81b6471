/**
 * The gradient-descent cost lesson's measurement as a job (Node main process / CLI): times the
 * three least-squares kernels through ONNX Runtime (services/planner/linreg-measure.ts) on this
 * machine, with the roofline prediction from this machine's newest measured benchmark when one
 * is stored, and keeps the result as a 'lesson' run. ORT runs its kernels off the event loop,
 * so the job runs in-process; cancel is checked between timings.
 */
import type { JobInfo, HardwareReport } from '../../src-shared/api/types.js';
import type { LinregStartRequest } from '../../src-shared/api/lesson.js';
import type { JobRunner } from '../core/jobs.js';
import { measureLinreg, type LinregMeasurement } from '../services/planner/linreg-measure.js';
import type { RunsRepo } from '../store/repos/runs-repo.js';
import { latestMeasuredDevice } from '../services/hardware/measured-device.js';
import { withEnergy } from '../services/energy/with-energy.js';

export function startLinregJob(deps: { jobs: JobRunner; hardware: () => Promise<HardwareReport>; runs: () => RunsRepo; appVersion: string }, request: LinregStartRequest): JobInfo {
  let report: HardwareReport | null = null;
  return deps.jobs.start<LinregMeasurement>({
    kind: 'lesson.linreg',
    queue: 'cpu',
    run: async (ctx) => {
      report = await deps.hardware();
      const device = latestMeasuredDevice(deps.runs(), report.machine.id);
      if (!device) ctx.log('No benchmark stored for this machine: the prediction needs its measured roofline (run `flopscope bench all --quick`).', 'warn');
      const { value: result, energy } = await withEnergy(ctx, report, async (measured) => {
        measured.progress('measure', 0, 1);
        const r = await measureLinreg({
          n: request.n,
          d: request.d,
          ...(request.threads ? { threads: request.threads } : {}),
          ...(device ? { roofline: { peakGflops: device.peakGflops.fp32, bandwidthGBs: device.bandwidthGBs } } : {}),
          shouldCancel: () => measured.signal.aborted,
        });
        measured.progress('measure', 1, 1);
        return r;
      });
      return { ...result, energy };
    },
    persist: (result) => deps.runs().insert({ kind: 'lesson', machine: report!, appVersion: deps.appVersion, params: { lesson: 'linreg', ...request }, result }),
  });
}
