/**
 * Worker entry for the power sampler: the sampling loop runs on its own thread, so a measurement
 * that holds the main thread (ONNX Runtime's session.run is synchronous in onnxruntime-node) does
 * not starve it. Protocol: parent → worker `{type:'start', options}` | `{type:'mark', phase, at}` |
 * `{type:'stop'}`; worker → parent `{type:'started'}` (sources found, first readings taken) | `{type:'tick', tick}` | `{type:'report', report}` |
 * `{type:'failed', message}`. `at` is an absolute time (performance.timeOrigin + now()), so a
 * mark taken on the main thread lands at the right instant on this thread's clock.
 */
import { parentPort } from 'node:worker_threads';
import type { EnergyReport, PowerTick } from '../../../src-shared/energy/types.js';
import { startEnergySampler, type EnergySampler, type EnergySamplerOptions } from './sampler.js';

export type SamplerThreadOptions = Pick<EnergySamplerOptions, 'hardware' | 'intervalMs' | 'tickEveryMs' | 'discover'>;

export type ToSamplerThread =
  | { type: 'start'; options: SamplerThreadOptions }
  | { type: 'mark'; phase: string; at: number }
  | { type: 'stop' };

export type FromSamplerThread =
  | { type: 'started' }
  | { type: 'tick'; tick: PowerTick }
  | { type: 'report'; report: EnergyReport }
  | { type: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('energy-sampler.worker.ts must run as a worker thread');
const send = (m: FromSamplerThread) => port.postMessage(m);

let sampler: Promise<EnergySampler> | null = null;
const pending: Array<{ phase: string; at: number }> = [];

port.on('message', (m: ToSamplerThread) => {
  if (m.type === 'start') {
    sampler = startEnergySampler({ ...m.options, onTick: (tick) => send({ type: 'tick', tick }) });
    sampler.then(
      (s) => {
        for (const p of pending.splice(0)) s.mark(p.phase, p.at);
        send({ type: 'started' });
      },
      (e: unknown) => send({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
  } else if (m.type === 'mark') {
    if (sampler) void sampler.then((s) => s.mark(m.phase, m.at));
    else pending.push({ phase: m.phase, at: m.at });
  } else if (m.type === 'stop') {
    if (!sampler) {
      send({ type: 'failed', message: 'stopped before it started' });
      port.close();
      return;
    }
    sampler
      .then((s) => s.stop())
      .then(
        (report) => send({ type: 'report', report }),
        (e: unknown) => send({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => port.close());
  }
});
