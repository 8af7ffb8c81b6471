/**
 * Text rendering of a HardwareReport for the CLI (`flopscope detect` without --json), plus unit
 * helpers the renderer can reuse. Pure (no Node imports): runs anywhere.
 */
import type { Dtype, HardwareReport } from '../api/types.js';
import { peakClock } from './cpu-flops.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units: 49152 → "48 KiB", 25276026880 → "23.5 GiB"; null → "unknown". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(v >= 100 || Number.isInteger(v) ? 0 : 1))} ${UNITS[i]}`;
}

/** GFLOP/s below 1000, TFLOP/s from 1000 up; int8 peaks are operations, not FLOPs. */
export function formatFlops(gflops: number, dtype?: Dtype): string {
  const op = dtype === 'int8' ? 'OP/s' : 'FLOP/s';
  if (gflops >= 1000) return `${(gflops / 1000).toFixed(1)} T${op}`;
  return `${gflops.toFixed(1)} G${op}`;
}

/** "32 MiB shared by 2 CPUs"; several groups: "2 × 32 MiB, each shared by 8 CPUs; 16 MiB shared by 4 CPUs". */
export function describeL3Groups(groups: ReadonlyArray<{ bytes: number; sharedBy: number; instances: number }>): string {
  return groups
    .map((g) => `${g.instances > 1 ? `${g.instances} × ` : ''}${formatBytes(g.bytes)}${g.instances > 1 ? ', each' : ''} shared by ${g.sharedBy} CPU${g.sharedBy === 1 ? '' : 's'}`)
    .join('; ');
}

function ghz(v: number | null): string {
  return v === null ? 'unknown' : `${Number(v.toFixed(3))} GHz`;
}

type Cpu = HardwareReport['cpu'];

/**
 * "L1d 48 KiB, L2 2 MiB per core, L3 32 MiB shared by 2 CPUs": per-core L1d/L2 and the L3 slices
 * by sharing group (`describeL3Groups`), or the single L3 size in reports without `l3Groups`.
 * The source (`cpu.cacheSource`) is not included.
 */
export function describeCaches(cpu: Pick<Cpu, 'caches' | 'l3Groups'>): string {
  const c = cpu.caches;
  const groups = Array.isArray(cpu.l3Groups) ? cpu.l3Groups : [];
  const l3 = groups.length ? describeL3Groups(groups) : formatBytes(c.l3Bytes);
  return `L1d ${formatBytes(c.l1dBytes)}, L2 ${formatBytes(c.l2Bytes)} per core, L3 ${l3}`;
}

/** The OS's clocks: "base 2.445 GHz, max unknown". */
export function describeOsClock(cpu: Pick<Cpu, 'baseGHz' | 'maxGHz'>): string {
  return `base ${ghz(cpu.baseGHz)}, max ${ghz(cpu.maxGHz)}`;
}

/** "measured all-core 3.05 GHz (16 threads, 2.98–3.1 GHz)"; null when the report has no measured clock. */
export function describeMeasuredClock(mc: Cpu['measuredClock']): string | null {
  if (!mc || !Number.isFinite(mc.ghz)) return null;
  // The spread over the threads, to 2 decimals; none when it rounds away ("2.64–2.64").
  const lo = Number(mc.minGHz.toFixed(2));
  const hi = Number(mc.maxGHz.toFixed(2));
  const range = lo !== hi ? `, ${lo}–${hi} GHz` : '';
  return `measured all-core ${ghz(mc.ghz)} (${mc.threads} threads${range})`;
}

/**
 * Which clock the CPU peaks used (`peakClock`, the rule `cpuPeaks` applies): "measured all-core
 * clock, 3.05 GHz (above the OS's 2.445 GHz)", "measured all-core clock, 3.05 GHz (the OS reports
 * no clock)", "OS max clock, 3.5 GHz" or "OS base clock, 2.445 GHz". Null when the report has no
 * CPU peak (then no clock was used) or no clock at all.
 */
export function describePeakClock(report: { cpu: Cpu; peaks: ReadonlyArray<{ device: string }> }): string | null {
  if (!report.peaks.some((p) => p.device === 'cpu')) return null;
  const chosen = peakClock(report.cpu);
  if (!chosen) return null;
  if (chosen.source === 'measured') {
    const os = report.cpu.maxGHz ?? report.cpu.baseGHz;
    const why = os !== null && os > 0 ? `above the OS's ${ghz(os)}` : 'the OS reports no clock';
    return `measured all-core clock, ${ghz(chosen.ghz)} (${why})`;
  }
  return `OS ${report.cpu.maxGHz !== null ? 'max' : 'base'} clock, ${ghz(chosen.ghz)}`;
}

export function formatHardwareReport(report: HardwareReport): string {
  const { machine, cpu, memory, gpus, peaks, warnings } = report;
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${label.padEnd(9)} ${value}`);
  };
  row('Machine', `${machine.hostname} (${machine.os.platform} ${machine.os.release}, ${machine.os.arch}), id ${machine.id}`);
  row('CPU', `${cpu.model || 'unknown'}${cpu.vendor && !cpu.model.includes(cpu.vendor) ? ` [${cpu.vendor}]` : ''}`);
  row('Cores', `${cpu.physicalCores} physical, ${cpu.logicalCores} logical`);
  const measured = describeMeasuredClock(cpu.measuredClock);
  row('Clock', `${describeOsClock(cpu)}${measured ? `, ${measured}` : ''}`);
  row('ISA', cpu.isa.length ? cpu.isa.join(' ') : 'none detected');
  row('Caches', `${describeCaches(cpu)}${cpu.cacheSource ? ` (from ${cpu.cacheSource})` : ''}`);
  row('Memory', formatBytes(memory.totalBytes));
  if (gpus.length === 0) row('GPUs', 'none detected');
  gpus.forEach((g, i) => {
    const extra = [g.vramBytes !== null ? `${formatBytes(g.vramBytes)} VRAM` : null, g.driver ? `driver ${g.driver}` : null].filter(Boolean).join(', ');
    // Detected names usually start with the vendor ("NVIDIA H100 ..."); don't say it twice.
    const name = g.vendor && !g.model.toLowerCase().startsWith(g.vendor.toLowerCase()) ? `${g.vendor} ${g.model}` : g.model;
    row(i === 0 ? 'GPUs' : '', `gpu:${i} ${name}${extra ? ` (${extra})` : ''}`);
  });

  lines.push('', 'Theoretical peaks');
  if (peaks.length === 0) lines.push('  none (see warnings)');
  else {
    const cells = peaks.map((p) => [p.device, p.dtype, formatFlops(p.gflops, p.dtype), p.basis] as const);
    const w0 = Math.max(6, ...cells.map((r) => r[0].length));
    const w2 = Math.max(4, ...cells.map((r) => r[2].length));
    lines.push(`  ${'device'.padEnd(w0)}  dtype  ${'peak'.padStart(w2)}  basis`);
    for (const [dev, dtype, val, basis] of cells) lines.push(`  ${dev.padEnd(w0)}  ${dtype.padEnd(5)}  ${val.padStart(w2)}  ${basis}`);
  }
  if (warnings.length) {
    lines.push('', 'Warnings');
    for (const w of warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}
