/**
 * Text rendering of a HardwareReport for the CLI (`flopscope detect` without --json), plus unit
 * helpers the renderer can reuse. Pure (no Node imports): runs anywhere.
 */
import type { Dtype, HardwareReport } from '../api/types.js';

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

export function formatHardwareReport(report: HardwareReport): string {
  const { machine, cpu, memory, gpus, peaks, warnings } = report;
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${label.padEnd(9)} ${value}`);
  };
  row('Machine', `${machine.hostname} (${machine.os.platform} ${machine.os.release}, ${machine.os.arch}), id ${machine.id}`);
  row('CPU', `${cpu.model || 'unknown'}${cpu.vendor && !cpu.model.includes(cpu.vendor) ? ` [${cpu.vendor}]` : ''}`);
  row('Cores', `${cpu.physicalCores} physical, ${cpu.logicalCores} logical`);
  const mc = cpu.measuredClock;
  const measured = mc ? `, measured all-core ${ghz(mc.ghz)} (${mc.threads} threads${mc.minGHz !== mc.maxGHz ? `, ${Number(mc.minGHz.toFixed(2))}–${Number(mc.maxGHz.toFixed(2))} GHz` : ''})` : '';
  row('Clock', `base ${ghz(cpu.baseGHz)}, max ${ghz(cpu.maxGHz)}${measured}`);
  row('ISA', cpu.isa.length ? cpu.isa.join(' ') : 'none detected');
  const c = cpu.caches;
  const l3 = cpu.l3Groups?.length ? describeL3Groups(cpu.l3Groups) : formatBytes(c.l3Bytes);
  row('Caches', `L1d ${formatBytes(c.l1dBytes)}, L2 ${formatBytes(c.l2Bytes)} per core, L3 ${l3}${cpu.cacheSource ? ` (from ${cpu.cacheSource})` : ''}`);
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
