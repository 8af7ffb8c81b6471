/**
 * NVIDIA GPU board power from `nvidia-smi` (any platform with the NVIDIA driver; `nvidia-smi
 * --help-query-gpu` documents the fields). Discovery runs `nvidia-smi
 * --query-gpu=index,name,power.draw,power.limit --format=csv,noheader,nounits` once: one line per
 * GPU, e.g. `0, NVIDIA H100 80GB HBM3, 71.38, 700.00` — with `nounits` power is in watts. A GPU
 * whose power.draw reads '[N/A]' or '[Not Supported]' (some GeForce/mobile parts, vGPU guests)
 * gets a warning and no channel. Sampling streams `--query-gpu=index,power.draw ... -lms <ms>`
 * from one long-running child, each line stamped with sink.now() as it arrives.
 *
 * Field choice: `power.draw` is read because every driver has it. On drivers ≥ 530 it is the
 * average over the last second (`power.draw.average`), and `power.draw.instant` exists as well;
 * older drivers report a near-instant value under the same name. The 1-s average lags a step in
 * load by up to a second, which matters for phase boundaries but not for a run's energy.
 */
import type { PowerChannel } from '../../../../src-shared/energy/types.js';
import type { Discovered, Discoverer, PowerSource, SampleSink } from '../source.js';
import { firstLine, runOnce, streamingSource } from './common.js';

const DISCOVERY_TIMEOUT_MS = 5000;

export interface NvidiaSmiGpu {
  index: string;
  name: string;
  /** Watts, or null when the field is not a number ('[N/A]', '[Not Supported]'). */
  powerDraw: number | null;
  /** The field as printed, for the warning when it is not a number. */
  powerDrawText: string;
  powerLimit: number | null;
}

function number(field: string): number | null {
  if (!/^[+-]?\d+(\.\d+)?$/.test(field)) return null;
  const n = Number(field);
  return Number.isFinite(n) ? n : null;
}

/**
 * Parses the discovery query's csv,noheader,nounits output. The name is everything between the
 * first and the last two fields (GPU names carry no comma, but this does not rely on it).
 */
export function parseNvidiaSmiQuery(stdout: string): { gpus: NvidiaSmiGpu[]; unparsed: string[] } {
  const gpus: NvidiaSmiGpu[] = [];
  const unparsed: string[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 4 || !/^\d+$/.test(fields[0]!)) {
      unparsed.push(line);
      continue;
    }
    const powerDrawText = fields[fields.length - 2]!;
    gpus.push({
      index: fields[0]!,
      name: fields.slice(1, -2).join(', '),
      powerDraw: number(powerDrawText),
      powerDrawText,
      powerLimit: number(fields[fields.length - 1]!),
    });
  }
  return { gpus, unparsed };
}

export type NvidiaSmiLoopLine =
  | { type: 'blank' }
  | { type: 'reading'; index: string; watts: number }
  | { type: 'no-value'; index: string; text: string }
  | { type: 'garbage'; text: string };

/** One line of the `-lms` stream: `0, 71.38`, `1, [N/A]`, or something else. */
export function parseNvidiaSmiLoopLine(line: string): NvidiaSmiLoopLine {
  const t = line.trim();
  if (!t) return { type: 'blank' };
  const m = /^(\d+)\s*,\s*(.+)$/.exec(t);
  if (!m) return { type: 'garbage', text: t };
  const value = m[2]!.trim();
  const watts = number(value);
  if (watts !== null) return { type: 'reading', index: m[1]!, watts };
  if (/^\[.*\]$/.test(value)) return { type: 'no-value', index: m[1]!, text: value };
  return { type: 'garbage', text: t };
}

/**
 * The stream's line handler: readings of known GPUs go to the sink, stamped on arrival; a GPU
 * reading '[N/A]' is a warning (the sampler keeps one of each); lines that are not nvidia-smi's
 * give one warning per stream, not one per line. Lines for GPUs without a channel are ignored.
 */
export function nvidiaSmiLineHandler(channelOfIndex: ReadonlyMap<string, string>, sink: SampleSink): (line: string) => void {
  let garbageWarned = false;
  return (line) => {
    const p = parseNvidiaSmiLoopLine(line);
    switch (p.type) {
      case 'blank':
        return;
      case 'reading': {
        const channel = channelOfIndex.get(p.index);
        if (channel) sink.sample(channel, sink.now(), p.watts);
        return;
      }
      case 'no-value':
        if (channelOfIndex.has(p.index)) sink.warn(`nvidia-smi: GPU ${p.index} reported power.draw ${p.text}; those readings skipped`);
        return;
      case 'garbage':
        if (!garbageWarned) {
          garbageWarned = true;
          sink.warn(`nvidia-smi: ignored output that is not a power reading, e.g. "${p.text.slice(0, 120)}"`);
        }
        return;
    }
  };
}

export const discoverNvidiaSmi: Discoverer = async (options) => {
  const cmd = options.commands.nvidiaSmi;
  const run = await runOnce(cmd, ['--query-gpu=index,name,power.draw,power.limit', '--format=csv,noheader,nounits'], DISCOVERY_TIMEOUT_MS);
  if (run.spawnError === 'ENOENT') {
    return { source: null, unavailable: cmd === 'nvidia-smi' ? 'nvidia-smi: not found on PATH' : `nvidia-smi: ${cmd} not found` };
  }
  if (run.spawnError) return { source: null, unavailable: `nvidia-smi: could not run ${cmd} (${run.spawnError})` };
  if (run.timedOut) return { source: null, unavailable: `nvidia-smi: no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s` };
  if (run.exitCode !== 0) {
    // e.g. "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." (on stdout)
    const why = firstLine(run.stderr) || firstLine(run.stdout) || `exit code ${run.exitCode ?? 'unknown'}`;
    return { source: null, unavailable: `nvidia-smi: ${why}` };
  }

  const { gpus, unparsed } = parseNvidiaSmiQuery(run.stdout);
  const warnings: string[] = [];
  if (unparsed.length) warnings.push(`nvidia-smi: ignored output that is not a GPU line, e.g. "${unparsed[0]!.slice(0, 120)}"`);
  const channels: PowerChannel[] = [];
  for (const gpu of gpus) {
    if (gpu.powerDraw === null) {
      warnings.push(`nvidia-smi: GPU ${gpu.index} ${gpu.name} reports power.draw ${gpu.powerDrawText}; its power is not measured`);
      continue;
    }
    channels.push({
      id: `nvidia-smi:${gpu.index}`,
      label: `GPU ${gpu.index} ${gpu.name}`,
      kind: 'gpu',
      source: 'nvidia-smi',
      detail: `nvidia-smi power.draw (board power${gpu.powerLimit !== null ? `, limit ${gpu.powerLimit} W` : ''})`,
      mode: 'power',
      inTotal: true,
    });
  }
  if (!channels.length) {
    const result: Discovered = {
      source: null,
      unavailable: gpus.length ? 'nvidia-smi: no GPU reports its power draw' : 'nvidia-smi: no GPU listed',
    };
    if (warnings.length) result.warnings = warnings;
    return result;
  }
  const channelOfIndex = new Map(channels.map((c) => [c.id.slice('nvidia-smi:'.length), c.id]));
  const result: Discovered = { source: nvidiaSmiSource(cmd, options.intervalMs, channels, channelOfIndex) };
  if (warnings.length) result.warnings = warnings;
  return result;
};

function nvidiaSmiSource(
  cmd: string,
  intervalMs: number,
  channels: readonly PowerChannel[],
  channelOfIndex: ReadonlyMap<string, string>,
): PowerSource {
  return streamingSource({
    id: 'nvidia-smi',
    name: 'nvidia-smi',
    command: cmd,
    args: ['--query-gpu=index,power.draw', '--format=csv,noheader,nounits', '-lms', String(Math.max(1, Math.round(intervalMs)))],
    channels,
    lineHandler: (sink) => nvidiaSmiLineHandler(channelOfIndex, sink),
  });
}
