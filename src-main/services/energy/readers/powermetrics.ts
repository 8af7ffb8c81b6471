/**
 * macOS power from `powermetrics` (man powermetrics(1); ships with macOS, needs root).
 * `powermetrics --samplers cpu_power,gpu_power -i <ms>` prints a block per sample, headed
 * `*** Sampled system activity (...) (1004.82ms elapsed) ***`; on Apple silicon it holds
 * `CPU Power: 1234 mW`, `GPU Power: 56 mW`, `ANE Power: 0 mW` and
 * `Combined Power (CPU + GPU + ANE): 1290 mW` (the sum, so not a channel of its own). Intel Macs
 * print `Intel energy model derived package power (CPUs+GT+SA): 1.81W` instead, read as the CPU.
 * Each figure is the average over the sample's window, in milliwatts (W for the Intel line).
 *
 * Without root it answers "powermetrics must be invoked as the superuser": 'not available', with
 * the reason. Discovery runs one short sample (`-n 1`, 5 s timeout) and keeps the channels it saw;
 * sampling streams from one long-running child, each figure stamped with sink.now() on arrival,
 * with `-b 1` (line-buffered output) so figures are not held back in a pipe buffer.
 */
import type { PowerChannel, PowerDeviceKind } from '../../../../src-shared/energy/types.js';
import type { Discoverer, PowerSource } from '../source.js';
import { firstLine, runOnce, streamingSource } from './common.js';

const DISCOVERY_TIMEOUT_MS = 5000;
const SAMPLERS = 'cpu_power,gpu_power';

export type PowermetricsRail = 'cpu' | 'gpu' | 'ane';

const RAILS: Record<PowermetricsRail, { label: string; kind: PowerDeviceKind; detail: string }> = {
  cpu: { label: 'CPU', kind: 'cpu', detail: 'powermetrics cpu_power: CPU Power' },
  gpu: { label: 'GPU', kind: 'gpu', detail: 'powermetrics gpu_power: GPU Power' },
  ane: { label: 'ANE (Neural Engine)', kind: 'soc', detail: 'powermetrics cpu_power: ANE Power' },
};

export type PowermetricsLine = { type: 'sample-start' } | { type: 'reading'; rail: PowermetricsRail; watts: number } | { type: 'other' };

/** One line of powermetrics' text output. Lines it does not recognise are 'other' (most are). */
export function parsePowermetricsLine(line: string): PowermetricsLine {
  const t = line.trim();
  if (t.startsWith('*** Sampled system activity')) return { type: 'sample-start' };
  const apple = /^(CPU|GPU|ANE) Power:\s*([\d.]+)\s*mW\b/.exec(t);
  if (apple) {
    const mw = Number(apple[2]);
    if (Number.isFinite(mw)) return { type: 'reading', rail: apple[1]!.toLowerCase() as PowermetricsRail, watts: mw / 1000 };
  }
  const intel = /^Intel energy model derived package power \(CPUs\+GT\+SA\):\s*([\d.]+)\s*W\b/.exec(t);
  if (intel) {
    const w = Number(intel[1]);
    if (Number.isFinite(w)) return { type: 'reading', rail: 'cpu', watts: w };
  }
  return { type: 'other' };
}

/**
 * A stateful reader of the stream: the first figure of each rail per sample block counts (the
 * cpu_power and gpu_power sections can both print 'GPU Power' for the same window).
 */
export function powermetricsLineReader(onReading: (rail: PowermetricsRail, watts: number) => void): (line: string) => void {
  const seen = new Set<PowermetricsRail>();
  return (line) => {
    const p = parsePowermetricsLine(line);
    if (p.type === 'sample-start') seen.clear();
    else if (p.type === 'reading' && !seen.has(p.rail)) {
      seen.add(p.rail);
      onReading(p.rail, p.watts);
    }
  };
}

/** Every reading in a captured text, in order (one per rail per sample block). */
export function parsePowermetricsText(text: string): Array<{ rail: PowermetricsRail; watts: number }> {
  const out: Array<{ rail: PowermetricsRail; watts: number }> = [];
  const read = powermetricsLineReader((rail, watts) => out.push({ rail, watts }));
  for (const line of text.split(/\r?\n/)) read(line);
  return out;
}

export const discoverPowermetrics: Discoverer = async (options) => {
  if (options.platform !== 'darwin') return { source: null, unavailable: 'powermetrics: not macOS' };
  const cmd = options.commands.powermetrics;
  // Same flags as the stream (so a powermetrics that rejects one says so here), one 200-ms sample.
  const run = await runOnce(cmd, ['--samplers', SAMPLERS, '-i', '200', '-n', '1', '-b', '1'], DISCOVERY_TIMEOUT_MS);
  if (run.spawnError === 'ENOENT') return { source: null, unavailable: `powermetrics: ${cmd} not found` };
  if (run.spawnError) return { source: null, unavailable: `powermetrics: could not run ${cmd} (${run.spawnError})` };
  if (/superuser/i.test(run.stderr + run.stdout)) return { source: null, unavailable: 'powermetrics: needs root (run with sudo) — not permitted' };
  if (run.timedOut) return { source: null, unavailable: `powermetrics: no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s` };
  if (run.exitCode !== 0) {
    return { source: null, unavailable: `powermetrics: ${firstLine(run.stderr) || firstLine(run.stdout) || `exit code ${run.exitCode ?? 'unknown'}`}` };
  }
  const rails = new Set(parsePowermetricsText(run.stdout).map((r) => r.rail));
  const channels: PowerChannel[] = (['cpu', 'gpu', 'ane'] as const)
    .filter((r) => rails.has(r))
    .map((r) => ({ id: `powermetrics:${r}`, label: RAILS[r].label, kind: RAILS[r].kind, source: 'powermetrics', detail: RAILS[r].detail, mode: 'power', inTotal: true }));
  if (!channels.length) return { source: null, unavailable: 'powermetrics: its output held no CPU, GPU or ANE power figure' };
  return { source: powermetricsSource(cmd, options.intervalMs, channels) };
};

function powermetricsSource(cmd: string, intervalMs: number, channels: readonly PowerChannel[]): PowerSource {
  const known = new Set(channels.map((c) => c.id));
  return streamingSource({
    id: 'powermetrics',
    name: 'powermetrics',
    command: cmd,
    args: ['--samplers', SAMPLERS, '-i', String(Math.max(1, Math.round(intervalMs))), '-b', '1'],
    channels,
    lineHandler: (sink) =>
      powermetricsLineReader((rail, watts) => {
        const id = `powermetrics:${rail}`;
        if (known.has(id)) sink.sample(id, sink.now(), watts);
      }),
  });
}
