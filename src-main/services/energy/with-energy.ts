/**
 * Runs a job's measuring work with the power sampler beside it (Node side): every progress
 * phase the work reports is marked for the per-phase energy split, the live total goes out as the
 * job's 'power' events, and sampling stops (and is integrated) however the work ends. Energy
 * trouble — no sensor, a counter going backwards, a loop falling behind, a permission error —
 * lands in the report's warnings and the job's log; it never fails the run.
 */
import type { HardwareReport } from '../../../src-shared/api/types.js';
import type { EnergyReport } from '../../../src-shared/energy/types.js';
import type { JobContext } from '../../core/jobs.js';
import { startEnergySamplerThread } from './sampler-thread.js';

export async function withEnergy<T>(
  ctx: JobContext,
  hardware: HardwareReport,
  work: (ctx: JobContext) => Promise<T>,
): Promise<{ value: T; energy: EnergyReport }> {
  // Its own thread: onnxruntime-node's session.run holds this one. Readers and executables come
  // from the environment (FLOPSCOPE_POWER_SYSROOT, FLOPSCOPE_NVIDIA_SMI, …; docs/energy.md).
  const sampler = await startEnergySamplerThread({ hardware, onTick: (tick) => ctx.power(tick) });
  const measured: JobContext = {
    ...ctx,
    progress: (phase, done, total, etaMs) => {
      sampler.mark(phase);
      ctx.progress(phase, done, total, etaMs);
    },
  };
  let value: T;
  try {
    value = await work(measured);
  } catch (e) {
    await sampler.stop();
    throw e;
  }
  const energy = await sampler.stop();
  ctx.log(
    energy.estimated
      ? `Energy: ${energy.joules.toFixed(1)} J, ${energy.avgWatts.toFixed(1)} W average — ${energy.source} (no power sensor readable: ${energy.unavailable.join('; ') || 'none found'}).`
      : `Energy: ${energy.joules.toFixed(1)} J, ${energy.avgWatts.toFixed(1)} W average, ${energy.peakWatts.toFixed(1)} W peak — ${energy.source}.`,
  );
  for (const w of energy.warnings) ctx.log(`Energy: ${w}`, 'warn');
  return { value, energy };
}

/** The report's warnings as lines for a result's `warnings`, prefixed so they read as energy's. */
export function energyWarnings(energy: EnergyReport): string[] {
  return energy.warnings.map((w) => `Energy: ${w}`);
}
