/**
 * Linux powercap reader: the RAPL energy counters under /sys/class/powercap (kernel
 * Documentation/power/powercap/powercap.rst). Each zone directory `<control-type>:N` (a package)
 * or `<control-type>:N:M` (a sub-zone of it) holds `name`, `energy_uj` — cumulative energy in
 * microjoules — and `max_energy_range_uj`, the range after which `energy_uj` wraps to 0. Intel
 * packages and, since Linux 5.8, AMD Zen packages both appear as `intel-rapl:N`
 * (drivers/powercap/intel_rapl_msr.c); `intel-rapl-mmio:N` (and any other `*rapl*` control type)
 * repeats a package the MSR interface already gives, and is skipped when its name matches one.
 *
 * Channels are mode 'energy' in joules (µJ / 1e6) with `wrapJoules` = max_energy_range_uj / 1e6;
 * the wrap arithmetic is the integrator's. Packages and DRAM count in the total; core/uncore are
 * already inside their package and psys covers the whole platform, so those are shown, not added.
 *
 * Since Linux 5.10 `energy_uj` is mode 0400 (root only) on most distributions — the PLATYPUS
 * power side channel, CVE-2020-8694 — so an unreadable counter is a warning naming the file and
 * the fix, and a tree with no readable counter is 'not available', never an error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PowerChannel, PowerDeviceKind } from '../../../../src-shared/energy/types.js';
import type { Discovered, Discoverer, PowerSource, SampleSink } from '../source.js';
import { errnoCode, errorText, isPermissionError, naturalCompare, parseIntAttr, readAttr, readAttrOrNull } from './common.js';

/** The MSR interface: the one kept when another control type repeats a package. */
const PRIMARY_CONTROL_TYPE = 'intel-rapl';
const ZONE_DIR = /^([a-z][a-z0-9-]*rapl[a-z0-9-]*):(\d+)(?::(\d+))?$/;

interface ZoneDir {
  dir: string;
  controlType: string;
  /** `intel-rapl:0` for `intel-rapl:0:2`; null for a top-level zone. */
  parentDir: string | null;
}

export interface PowercapZoneClass {
  kind: PowerDeviceKind;
  inTotal: boolean;
  label: string;
}

/**
 * What a zone measures, from its `name` (powercap.rst: 'package-N', 'core', 'uncore', 'dram',
 * 'psys'; multi-die parts name packages 'package-N-die-M'). `parentName` is the enclosing
 * package's name for a sub-zone, null for a top-level zone.
 */
export function classifyPowercapZone(name: string, parentName: string | null): PowercapZoneClass {
  const within = (what: string) => (parentName ? `${parentName} ${what}` : what);
  if (/^package-\d+(-die-\d+)?$/.test(name)) return { kind: 'cpu', inTotal: true, label: within(name) };
  if (name === 'dram') return { kind: 'dram', inTotal: true, label: within('dram') };
  if (name === 'core' || name === 'uncore') return { kind: 'cpu', inTotal: false, label: within(name) };
  if (name === 'psys') return { kind: 'system', inTotal: false, label: within('psys') };
  // Unknown zones: shown, never added (a sub-zone is inside its package; a top-level one is unknown).
  return { kind: parentName ? 'cpu' : 'system', inTotal: false, label: within(name) };
}

function listZones(names: readonly string[]): ZoneDir[] {
  const zones: ZoneDir[] = [];
  for (const dir of names) {
    const m = ZONE_DIR.exec(dir);
    if (!m) continue; // the control-type directories themselves ('intel-rapl'), dtpm, ...
    const controlType = m[1]!;
    zones.push({ dir, controlType, parentDir: m[3] !== undefined ? `${controlType}:${m[2]}` : null });
  }
  const rank = (z: ZoneDir) => (z.controlType === PRIMARY_CONTROL_TYPE ? 0 : 1);
  return zones.sort((a, b) => rank(a) - rank(b) || naturalCompare(a.controlType, b.controlType) || naturalCompare(a.dir, b.dir));
}

function permissionFix(base: string): string {
  return (
    `since Linux 5.10 RAPL energy counters are readable by root only (CVE-2020-8694); run as root, ` +
    `or allow reading with \`sudo chmod a+r ${base}/intel-rapl:*/energy_uj\` (until reboot; a udev rule makes it permanent)`
  );
}

export const discoverPowercap: Discoverer = async (options) => {
  if (options.platform !== 'linux') return { source: null, unavailable: 'powercap: not Linux' };
  const base = path.join(options.sysRoot, 'sys', 'class', 'powercap');
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return { source: null, unavailable: `powercap: ${base} is not present` };
    return { source: null, unavailable: `powercap: cannot list ${base} (${errorText(e)})` };
  }
  const zones = listZones(entries);
  if (!zones.length) return { source: null, unavailable: `powercap: no RAPL zones under ${base}` };

  const warnings: string[] = [];
  const denied: string[] = []; // permission warnings, kept apart: with no readable zone they become `unavailable`
  const channels: PowerChannel[] = [];
  const files: string[] = [];
  const nameOf = new Map<string, string>();
  const takenPackages = new Set<string>();
  const skipped = new Set<string>();

  for (const zone of zones) {
    const dir = path.join(base, zone.dir);
    const name = readAttrOrNull(path.join(dir, 'name')) ?? zone.dir;
    nameOf.set(zone.dir, name);
    if (zone.parentDir === null) {
      // Another interface (MMIO, TPMI) to a package the MSR zones already give: same counter, skip.
      if (zone.controlType !== PRIMARY_CONTROL_TYPE && takenPackages.has(name)) {
        skipped.add(zone.dir);
        continue;
      }
      takenPackages.add(name);
    } else if (skipped.has(zone.parentDir)) {
      continue;
    }

    const energyFile = path.join(dir, 'energy_uj');
    let raw: string;
    try {
      raw = readAttr(energyFile);
    } catch (e) {
      if (isPermissionError(e)) {
        denied.push(`powercap: cannot read ${energyFile} (${errorText(e)}): ${permissionFix(base)}`);
      } else if (errnoCode(e) !== 'ENOENT') {
        // No energy_uj at all is a zone without a counter; anything else (EIO, ENODATA) is worth saying.
        warnings.push(`powercap: cannot read ${energyFile} (${errorText(e)}); zone skipped`);
      }
      continue;
    }
    if (parseIntAttr(raw) === null) {
      warnings.push(`powercap: ${energyFile} does not read as an integer; zone skipped`);
      continue;
    }
    const range = parseIntAttr(readAttrOrNull(path.join(dir, 'max_energy_range_uj')) ?? '');
    const parentName = zone.parentDir === null ? null : (nameOf.get(zone.parentDir) ?? zone.parentDir);
    const cls = classifyPowercapZone(name, parentName);
    channels.push({
      id: `powercap:${zone.dir}`,
      label: cls.label,
      kind: cls.kind,
      source: 'powercap',
      detail: energyFile,
      mode: 'energy',
      wrapJoules: range !== null && range > 0 ? range / 1e6 : null,
      inTotal: cls.inTotal,
    });
    files.push(energyFile);
  }

  if (!channels.length) {
    const result: Discovered = {
      source: null,
      unavailable: denied.length
        ? `powercap: ${base}/*/energy_uj is not readable (permission denied): ${permissionFix(base)}`
        : `powercap: no readable RAPL energy counter under ${base}`,
    };
    if (warnings.length) result.warnings = warnings;
    return result;
  }
  const result: Discovered = { source: powercapSource(channels, files) };
  if (denied.length || warnings.length) result.warnings = [...denied, ...warnings];
  return result;
};

function powercapSource(channels: readonly PowerChannel[], files: readonly string[]): PowerSource {
  return {
    id: 'powercap',
    channels,
    poll(sink: SampleSink) {
      for (let i = 0; i < channels.length; i++) {
        const file = files[i]!;
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          sink.warn(
            isPermissionError(e)
              ? `powercap: cannot read ${file} (${errorText(e)}): readable by root only; readings skipped`
              : `powercap: cannot read ${file} (${errorText(e)}); readings skipped`,
          );
          continue;
        }
        const uj = parseIntAttr(text);
        if (uj === null) {
          sink.warn(`powercap: ${file} did not read as an integer; readings skipped`);
          continue;
        }
        sink.sample(channels[i]!.id, sink.now(), uj / 1e6);
      }
    },
    stop: () => Promise.resolve(),
  };
}
