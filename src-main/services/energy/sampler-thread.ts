/**
 * The power sampler on its own worker thread (energy-sampler.worker.ts), with the same interface
 * as the in-thread sampler. Used for every job: a model run through onnxruntime-node holds the
 * main thread for the whole of each session.run, and a timer there would fire only between runs.
 * Anything that goes wrong with the thread ends as a report saying so, never as a failed run.
 */
import type { EnergyReport } from '../../../src-shared/energy/types.js';
import { integrateEnergy } from '../../../src-shared/energy/integrate.js';
import { DEFAULT_SAMPLE_INTERVAL_MS } from '../../../src-shared/energy/types.js';
import { startWorker } from '../../infra/worker-host.js';
import type { FromSamplerThread, SamplerThreadOptions, ToSamplerThread } from './energy-sampler.worker.js';
import type { EnergySampler, EnergySamplerOptions } from './sampler.js';

/** Absolute time in ms, comparable across threads. */
export const absoluteNow = () => performance.timeOrigin + performance.now();

export async function startEnergySamplerThread(options: SamplerThreadOptions & Pick<EnergySamplerOptions, 'onTick'>): Promise<EnergySampler> {
  const { onTick, ...threadOptions } = options;
  const worker = startWorker(new URL('./energy-sampler.worker.ts', import.meta.url), null);
  const started = absoluteNow(); // for a failure report's duration
  let settle: ((r: EnergyReport) => void) | null = null;
  let failure: string | null = null;
  const failedReport = (why: string): EnergyReport => {
    const intervalMs = threadOptions.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    return integrateEnergy({
      channels: [],
      samples: [],
      durationSeconds: (absoluteNow() - started) / 1000,
      intervalMs,
      phases: [],
      unavailable: [`power sampler: ${why}`],
    });
  };
  const done = new Promise<EnergyReport>((resolve) => (settle = resolve));
  let markStarted: (() => void) | null = null;
  const started_ = new Promise<void>((resolve) => (markStarted = resolve));
  worker.on('message', (m: FromSamplerThread) => {
    if (m.type === 'started') markStarted?.();
    else if (m.type === 'tick') onTick?.(m.tick);
    else if (m.type === 'report') settle?.(m.report);
    else if (m.type === 'failed') {
      failure = m.message;
      settle?.(failedReport(m.message));
    }
  });
  worker.on('error', (e) => settle?.(failedReport(`the sampler thread crashed: ${e.message}`)));
  worker.on('exit', () => settle?.(failedReport(failure ?? 'the sampler thread exited before reporting')));
  const post = (m: ToSamplerThread) => {
    try {
      worker.postMessage(m);
    } catch {
      // The thread is gone; its exit already settled the report.
    }
  };
  post({ type: 'start', options: threadOptions });
  // The measurement starts once sampling has (readers found, first readings taken), or the thread
  // has given up — whichever comes first; a thread slow to start only delays the run, up to 10 s.
  await Promise.race([started_, done, new Promise<void>((r) => setTimeout(r, 10_000).unref())]);
  let stopping: Promise<EnergyReport> | null = null;
  return {
    mark(phase, at = absoluteNow()) {
      if (!stopping) post({ type: 'mark', phase, at });
    },
    stop() {
      stopping ??= (async () => {
        post({ type: 'stop' });
        const timeout = setTimeout(() => settle?.(failedReport('the sampler thread did not answer within 10 s')), 10_000);
        const report = await done;
        clearTimeout(timeout);
        settle = null;
        await worker.terminate().catch(() => undefined);
        return report;
      })();
      return stopping;
    },
  };
}
