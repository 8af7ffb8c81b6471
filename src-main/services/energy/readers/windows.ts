/**
 * Windows power from the "Energy Meter" performance counters: the Energy Meter Interface (EMI)
 * that Windows exposes without extra drivers where the firmware or an inbox driver provides
 * meters (Intel RAPL on many laptops, Surface devices; see the EMI reference in the Windows
 * driver docs, emi.h). Read with the inbox `typeperf` (Windows Server / Windows command
 * reference): `typeperf "\Energy Meter(*)\Power" -si 1` prints CSV — a header row
 * `"(PDH-CSV 4.0) (...)","\\HOST\Energy Meter(RAPL_Package0_PKG)\Power",...` then one row per
 * sample, `"05/14/2024 10:21:07.123","5123.000000",...` — with Power in milliwatts. typeperf
 * samples at most once a second (`-si` takes whole seconds), so these channels are coarser than
 * the others whatever interval was asked for.
 *
 * Instances name the RAPL planes: `RAPL_Package0_PKG` (package, in the total), `_PP0` (cores,
 * inside the package), `_PP1` (integrated graphics, inside the package), `_DRAM` (in the total),
 * `_PSYS` (whole platform, not added); others (OEM meters) are shown but not added. `_Total` is
 * skipped. Counter names are the English ones; a localized Windows that only knows translated
 * names reports the source as not available.
 */
import Papa from 'papaparse';
import type { PowerChannel, PowerDeviceKind } from '../../../../src-shared/energy/types.js';
import type { Discoverer, PowerSource, SampleSink } from '../source.js';
import { runOnce, streamingSource } from './common.js';

const COUNTER_PATH = '\\Energy Meter(*)\\Power';
const DISCOVERY_TIMEOUT_MS = 10_000; // typeperf takes a second to sample, more to load PDH on a cold start
const NO_COUNTERS = 'windows energy meter: no Energy Meter counters on this machine';

export type TypeperfLine =
  | { type: 'header'; /** Per data column (after the timestamp): the Energy Meter instance, or null for another counter. */ instances: Array<string | null> }
  | { type: 'row'; time: string; /** Per data column: the value (mW), or null when blank or not a number. */ values: Array<number | null> }
  | { type: 'other' };

function cells(line: string): string[] {
  const parsed = Papa.parse<string[]>(line, { header: false, skipEmptyLines: true });
  return parsed.data[0] ?? [];
}

/** One line of typeperf's CSV output (header, sample row, or chatter such as 'Exiting, please wait...'). */
export function parseTypeperfLine(line: string): TypeperfLine {
  if (!line.trim()) return { type: 'other' };
  const row = cells(line);
  if (row.length < 2) return { type: 'other' };
  if (row[0]!.startsWith('(PDH-CSV')) {
    return { type: 'header', instances: row.slice(1).map((c) => /\\Energy Meter\((.*)\)\\Power$/i.exec(c.trim())?.[1] ?? null) };
  }
  // A sample row starts with its (locale-formatted) timestamp; 'Exiting, please wait...' does not.
  if (!/^\d/.test(row[0]!.trim())) return { type: 'other' };
  const values = row.slice(1).map((c) => {
    const t = c.trim();
    if (!t) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  });
  return { type: 'row', time: row[0]!, values };
}

/** A whole captured output: the header's instances and every sample row. */
export function parseTypeperfCsv(text: string): { instances: Array<string | null>; rows: Array<{ time: string; values: Array<number | null> }> } {
  let instances: Array<string | null> = [];
  const rows: Array<{ time: string; values: Array<number | null> }> = [];
  for (const line of text.split(/\r?\n/)) {
    const p = parseTypeperfLine(line);
    if (p.type === 'header') instances = p.instances;
    else if (p.type === 'row' && instances.length) rows.push({ time: p.time, values: p.values });
  }
  return { instances, rows };
}

export interface EnergyMeterClass {
  kind: PowerDeviceKind;
  inTotal: boolean;
  label: string;
}

/** What an Energy Meter instance measures; null for the '_Total' aggregate. */
export function classifyEnergyMeterInstance(instance: string): EnergyMeterClass | null {
  if (instance.toLowerCase() === '_total') return null;
  const m = /^RAPL_Package(\d+)_(PKG|PP0|PP1|DRAM|PSYS)$/i.exec(instance);
  if (!m) return { kind: 'system', inTotal: false, label: instance };
  const pkg = `package-${m[1]}`;
  switch (m[2]!.toUpperCase()) {
    case 'PKG':
      return { kind: 'cpu', inTotal: true, label: pkg };
    case 'PP0':
      return { kind: 'cpu', inTotal: false, label: `${pkg} core` };
    case 'PP1':
      return { kind: 'gpu', inTotal: false, label: `${pkg} graphics` };
    case 'DRAM':
      return { kind: 'dram', inTotal: true, label: `${pkg} dram` };
    default:
      return { kind: 'system', inTotal: false, label: 'psys' };
  }
}

function channelId(instance: string): string {
  return `windows-energy-meter:${instance}`;
}

/** The stream's line handler: maps columns by the header's instance names, mW → W. */
export function typeperfLineReader(known: ReadonlySet<string>, sink: SampleSink): (line: string) => void {
  let columns: Array<string | null> = [];
  return (line) => {
    const p = parseTypeperfLine(line);
    if (p.type === 'header') {
      columns = p.instances.map((i) => (i !== null && known.has(channelId(i)) ? channelId(i) : null));
    } else if (p.type === 'row') {
      const t = sink.now();
      p.values.forEach((mw, i) => {
        const id = columns[i];
        if (id && mw !== null) sink.sample(id, t, mw / 1000);
      });
    }
  };
}

export const discoverWindowsEnergyMeter: Discoverer = async (options) => {
  if (options.platform !== 'win32') return { source: null, unavailable: 'windows energy meter: not Windows' };
  const cmd = options.commands.typeperf;
  const run = await runOnce(cmd, [COUNTER_PATH, '-sc', '1'], DISCOVERY_TIMEOUT_MS);
  if (run.spawnError === 'ENOENT') return { source: null, unavailable: `windows energy meter: ${cmd} not found` };
  if (run.spawnError) return { source: null, unavailable: `windows energy meter: could not run ${cmd} (${run.spawnError})` };
  if (run.timedOut) return { source: null, unavailable: `windows energy meter: typeperf gave no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s` };
  // No counter set prints "Error: No valid counters." (and a nonzero exit): no header either way.
  const { instances } = parseTypeperfCsv(run.stdout);
  const channels: PowerChannel[] = [];
  for (const instance of instances) {
    if (instance === null || channels.some((c) => c.id === channelId(instance))) continue;
    const cls = classifyEnergyMeterInstance(instance);
    if (!cls) continue;
    channels.push({
      id: channelId(instance),
      label: cls.label,
      kind: cls.kind,
      source: 'windows-energy-meter',
      detail: `typeperf \\Energy Meter(${instance})\\Power (mW, 1-s samples)`,
      mode: 'power',
      inTotal: cls.inTotal,
    });
  }
  if (!channels.length) return { source: null, unavailable: NO_COUNTERS };
  return { source: windowsSource(cmd, options.intervalMs, channels) };
};

function windowsSource(cmd: string, intervalMs: number, channels: readonly PowerChannel[]): PowerSource {
  const known = new Set(channels.map((c) => c.id));
  return streamingSource({
    id: 'windows-energy-meter',
    name: 'windows energy meter',
    command: cmd,
    args: [COUNTER_PATH, '-si', String(Math.max(1, Math.round(intervalMs / 1000)))],
    channels,
    lineHandler: (sink) => typeperfLineReader(known, sink),
  });
}
