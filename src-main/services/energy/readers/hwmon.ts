/**
 * Linux hwmon reader: power and energy sensors under /sys/class/hwmon/hwmonN (kernel
 * Documentation/hwmon/sysfs-interface.rst). Per device: `name` (the driver), `powerK_input`
 * (instantaneous power, µW), `powerK_average` (average power, µW), `energyK_input` (cumulative
 * energy, µJ) and `powerK_label` / `energyK_label`. A cumulative energy counter is preferred to a
 * power reading of the same index (it integrates exactly); `_input` is preferred to `_average`.
 *
 * The kind comes from the driver: GPU drivers (amdgpu, nouveau, radeon, i915, xe) give 'gpu';
 * CPU drivers (amd_energy, zenergy, zenpower, k10temp, fam15h_power, coretemp, ...) give 'cpu';
 * anything else (acpi_power_meter's 'power_meter', PMBus supplies, ...) is 'system' and shown but
 * not added. Sensors that nest are kept out of the total: amd_energy's per-core counters
 * (Ecore000, ...) sit inside its per-socket one (Esocket0), and a GPU device counts once (its
 * 'card' sensor when it labels one — xe's 'pkg' is inside 'card' — else its first). Whether a
 * hwmon CPU sensor repeats RAPL is the sampler's call, not this reader's.
 *
 * Values read as a permission error (amd_energy made its files root-only, like RAPL's energy_uj
 * after CVE-2020-8694) become warnings naming the file and the fix; never a throw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PowerChannel, PowerDeviceKind } from '../../../../src-shared/energy/types.js';
import type { Discovered, Discoverer, PowerSource, SampleSink } from '../source.js';
import { errnoCode, errorText, isPermissionError, naturalCompare, parseIntAttr, readAttr, readAttrOrNull } from './common.js';

const GPU_DRIVERS = new Set(['amdgpu', 'nouveau', 'radeon', 'i915', 'xe']);
const CPU_DRIVERS = new Set(['amd_energy', 'zenergy', 'zenpower', 'k10temp', 'k8temp', 'fam15h_power', 'coretemp', 'via_cputemp']);

/** What a hwmon device measures, from its driver name. */
export function hwmonKind(driver: string): PowerDeviceKind {
  if (GPU_DRIVERS.has(driver)) return 'gpu';
  if (CPU_DRIVERS.has(driver)) return 'cpu';
  return 'system';
}

interface Candidate {
  file: string;
  /** Both read in micro-units: µJ for energy, µW for power; the channel gets J or W. */
  mode: 'energy' | 'power';
}

interface Sensor {
  channel: PowerChannel;
  file: string;
  sensorLabel: string;
}

function permissionFix(file: string): string {
  return `readable by root only; run as root, or allow reading with \`sudo chmod a+r ${file}\` (until reboot; a udev rule makes it permanent)`;
}

/** The files to try for sensor index `k`, best first. */
function candidates(dir: string, files: ReadonlySet<string>, k: string): Candidate[] {
  const out: Candidate[] = [];
  if (files.has(`energy${k}_input`)) out.push({ file: path.join(dir, `energy${k}_input`), mode: 'energy' });
  for (const f of [`power${k}_input`, `power${k}_average`]) {
    if (files.has(f)) out.push({ file: path.join(dir, f), mode: 'power' });
  }
  return out;
}

export const discoverHwmon: Discoverer = async (options) => {
  if (options.platform !== 'linux') return { source: null, unavailable: 'hwmon: not Linux' };
  const base = path.join(options.sysRoot, 'sys', 'class', 'hwmon');
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return { source: null, unavailable: `hwmon: ${base} is not present` };
    return { source: null, unavailable: `hwmon: cannot list ${base} (${errorText(e)})` };
  }
  const devices = entries.filter((d) => /^hwmon\d+$/.test(d)).sort(naturalCompare);
  const warnings: string[] = [];
  const denied: string[] = [];
  const sensors: Sensor[] = [];

  for (const device of devices) {
    const dir = path.join(base, device);
    let files: Set<string>;
    try {
      files = new Set(readdirSync(dir));
    } catch (e) {
      warnings.push(`hwmon: cannot list ${dir} (${errorText(e)}); device skipped`);
      continue;
    }
    const driver = readAttrOrNull(path.join(dir, 'name')) ?? device;
    const kind = hwmonKind(driver);
    const indices = new Set<string>();
    for (const f of files) {
      const m = /^(?:energy(\d+)_input|power(\d+)_(?:input|average))$/.exec(f);
      if (m) indices.add(m[1] ?? m[2]!);
    }
    const found: Sensor[] = [];
    for (const k of [...indices].sort(naturalCompare)) {
      let chosen: Candidate | null = null;
      let firstError: { file: string; err: unknown } | null = null;
      for (const c of candidates(dir, files, k)) {
        try {
          if (parseIntAttr(readAttr(c.file)) === null) throw Object.assign(new Error('not an integer'), { code: 'not an integer' });
          chosen = c;
          break;
        } catch (e) {
          firstError ??= { file: c.file, err: e };
        }
      }
      if (!chosen) {
        if (firstError && isPermissionError(firstError.err)) {
          denied.push(`hwmon: cannot read ${firstError.file} (${errorText(firstError.err)}): ${permissionFix(firstError.file)}`);
        } else if (firstError) {
          warnings.push(`hwmon: cannot read ${firstError.file} (${errorText(firstError.err)}); sensor skipped`);
        }
        continue;
      }
      const prefix = chosen.mode === 'energy' ? 'energy' : 'power';
      const sensorLabel = readAttrOrNull(path.join(dir, `${prefix}${k}_label`)) || `${prefix}${k}`;
      found.push({
        channel: {
          id: `hwmon:${device}:${prefix}${k}`,
          label: `${driver} ${sensorLabel}`,
          kind,
          source: 'hwmon',
          detail: chosen.file,
          mode: chosen.mode,
          ...(chosen.mode === 'energy' ? { wrapJoules: null } : {}),
          inTotal: kind !== 'system',
        },
        file: chosen.file,
        sensorLabel,
      });
    }
    markNested(kind, found);
    sensors.push(...found);
  }

  // Two cards of the same model read alike: name the hwmon device to tell them apart.
  const counts = new Map<string, number>();
  for (const s of sensors) counts.set(s.channel.label, (counts.get(s.channel.label) ?? 0) + 1);
  for (const s of sensors) {
    if ((counts.get(s.channel.label) ?? 0) > 1) s.channel.label += ` (${s.channel.id.split(':')[1]})`;
  }

  if (!sensors.length) {
    const result: Discovered = {
      source: null,
      unavailable: denied.length
        ? `hwmon: the power/energy sensors under ${base} are not readable (permission denied); run as root or make them readable (sudo chmod a+r)`
        : `hwmon: no power or energy sensor under ${base}`,
    };
    if (denied.length || warnings.length) result.warnings = [...denied, ...warnings];
    return result;
  }
  const result: Discovered = { source: hwmonSource(sensors) };
  if (denied.length || warnings.length) result.warnings = [...denied, ...warnings];
  return result;
};

/** Keeps sensors that sit inside another sensor of the same device out of the total. */
function markNested(kind: PowerDeviceKind, found: Sensor[]): void {
  if (kind === 'cpu') {
    // amd_energy / zenergy: per-core counters are inside the socket counter.
    for (const s of found) if (/^Ecore\d+$/i.test(s.sensorLabel)) s.channel.inTotal = false;
  } else if (kind === 'gpu' && found.length > 1) {
    // One GPU, one figure: 'card' (whole board) if labelled, else the first sensor.
    const keep = found.find((s) => s.sensorLabel.toLowerCase() === 'card') ?? found[0]!;
    for (const s of found) s.channel.inTotal = s === keep;
  }
}

function hwmonSource(sensors: readonly Sensor[]): PowerSource {
  return {
    id: 'hwmon',
    channels: sensors.map((s) => s.channel),
    poll(sink: SampleSink) {
      for (const s of sensors) {
        let text: string;
        try {
          text = readFileSync(s.file, 'utf8');
        } catch (e) {
          sink.warn(
            isPermissionError(e)
              ? `hwmon: cannot read ${s.file} (${errorText(e)}): ${permissionFix(s.file)}; readings skipped`
              : `hwmon: cannot read ${s.file} (${errorText(e)}); readings skipped`,
          );
          continue;
        }
        const raw = parseIntAttr(text);
        if (raw === null) {
          sink.warn(`hwmon: ${s.file} did not read as an integer; readings skipped`);
          continue;
        }
        sink.sample(s.channel.id, sink.now(), raw / 1e6);
      }
    },
    stop: () => Promise.resolve(),
  };
}
