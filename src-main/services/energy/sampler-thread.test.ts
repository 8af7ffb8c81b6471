/**
 * Why the sampler runs on its own thread: a measurement that holds the main thread (as
 * onnxruntime-node's session.run does) starves a timer there — the in-thread sampler reports that
 * it fell behind — while the thread keeps reading at its interval.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleReport } from '../../testing/fixtures.js';
import { liveWorkerCount } from '../../infra/worker-host.js';
import { FIXTURES, fixtureTrees } from './fixtures/helpers.js';
import { startEnergySampler } from './sampler.js';
import { absoluteNow, startEnergySamplerThread } from './sampler-thread.js';

const { tree, cleanup } = fixtureTrees();
afterEach(cleanup);

function blockMainThread(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: the event loop cannot run timers
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startEnergySamplerThread', () => {
  it('keeps sampling while the main thread is blocked; the in-thread sampler says it fell behind', async () => {
    const root = tree('powercap-amd');
    const discover = { sysRoot: root, platform: 'linux' as const, commands: { nvidiaSmi: path.join(FIXTURES, 'nvidia-smi', 'fake-nvidia-smi'), powermetrics: 'x', typeperf: 'x' } };
    const ticks: number[] = [];
    const threaded = await startEnergySamplerThread({ hardware: sampleReport(), intervalMs: 50, tickEveryMs: 100, discover, onTick: (t) => ticks.push(t.t) });
    const inThread = await startEnergySampler({ hardware: sampleReport(), intervalMs: 50, discover });
    await sleep(400); // the thread is up and reading
    const markAt = absoluteNow();
    threaded.mark('busy', markAt);
    inThread.mark('busy', markAt);
    blockMainThread(1200);
    await sleep(100);
    const [a, b] = await Promise.all([threaded.stop(), inThread.stop()]);
    const raplA = a.devices.find((d) => d.source === 'powercap' && d.label.endsWith('package-0'))!;
    const raplB = b.devices.find((d) => d.source === 'powercap' && d.label.endsWith('package-0'))!;
    expect(raplA.samples).toBeGreaterThan(raplB.samples + 10);
    expect(a.warnings.join('\n')).not.toMatch(/fell behind/);
    expect(b.warnings.join('\n')).toMatch(/fell behind/);
    // The mark taken on the main thread lands at the same instant on the thread's clock (within its start-up).
    const busy = a.phases.find((p) => p.phase === 'busy')!;
    expect(busy.endS - busy.startS).toBeGreaterThan(1.2);
    expect(busy.endS - busy.startS).toBeLessThan(2);
    // Ticks arrived while the main thread was blocked (delivered after it freed).
    expect(ticks.length).toBeGreaterThan(5);
    expect(a.devices.filter((d) => d.source === 'nvidia-smi')).toHaveLength(2);
    await sleep(50);
    expect(liveWorkerCount()).toBe(0);
  });
});
