/**
 * Worker entry for the lab's measured attention sweep (a worker thread of the Node main process /
 * CLI): onnxruntime-node runs a session on the calling thread, so a sweep whose runs last seconds
 * would stall the API (progress, cancel) if it ran on the main thread. Runs measureSweep with the
 * cost model's one-layer attention time as each point's prediction (for the time limit), reports
 * progress, and stops at the next run when the parent sends 'abort'.
 */
import { parentPort } from 'node:worker_threads';
import type { ParentMessage, WorkerMessage } from '../../core/worker-job.js';
import { measureSweep, type SweepPoint } from './measure-attention.js';
import { predictCore } from './predict-core.js';
import { MEASURE_PHASE, type AttentionMeasureInput } from './attention-measure.js';

const port = parentPort;
if (!port) throw new Error('attention-measure.worker.ts must run as a worker thread');
const controller = new AbortController();
const send = (message: WorkerMessage) => port.postMessage(message);
const finish = (message: WorkerMessage) => {
  port.postMessage(message);
  port.close();
};

function run(input: AttentionMeasureInput): Promise<SweepPoint[]> {
  return measureSweep({
    ...input.sweep,
    shouldCancel: () => controller.signal.aborted,
    onProgress: (done, total, label) => {
      // One phase per point ("measure full @ 1024"), so the power sampler splits energy by point.
      send({ type: 'progress', phase: done < total ? `${MEASURE_PHASE} ${label}` : MEASURE_PHASE, done, total });
      if (done < total) send({ type: 'log', level: 'info', message: `measuring ${label}` });
    },
    predict: (kind, window, seq) => predictCore(input.predict, kind, window, seq),
  });
}

port.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') {
    controller.abort();
    return;
  }
  run(message.input as AttentionMeasureInput).then(
    (result) => finish({ type: 'result', result }),
    (e: unknown) => {
      const err = e as Error;
      if (err?.name === 'AbortError' || controller.signal.aborted) finish({ type: 'error', error: { code: 'CANCELLED', message: 'The measured sweep was cancelled.' } });
      else finish({ type: 'error', error: { code: 'INTERNAL', message: err?.message ?? String(e) } });
    },
  );
});
