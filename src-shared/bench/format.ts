/**
 * Plain-text rendering of a benchmark result (pure): what `flopscope bench` prints without --json.
 */
import type { BenchResult } from '../api/bench.js';
import { formatBytes, formatFlops } from '../hardware/format.js';

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

const gbs = (v: number) => `${v.toFixed(1)} GB/s`;

export function formatBenchResult(result: BenchResult): string {
  const out: string[] = [`Benchmark: ${result.suite} (${result.quick ? 'quick' : 'full'}), ${result.threads} thread(s), ${result.elapsedSeconds.toFixed(1)} s`];
  if (result.gemm) {
    out.push('', 'GEMM (ONNX Runtime)');
    out.push(
      ...table(
        ['dtype', 'm×n×k', 'threads', 'median', 'throughput'],
        result.gemm.results.map((r) => [r.dtype, `${r.m}×${r.n}×${r.k}`, String(r.threads), `${(r.medianSeconds * 1e3).toFixed(3)} ms`, formatFlops(r.gflops, r.dtype === 'int8' ? 'int8' : 'fp32')]),
      ).map((l) => '  ' + l),
    );
    for (const u of result.gemm.unsupported) out.push(`  ${u.dtype}: not supported (${u.reason})`);
  }
  if (result.memory) {
    const m = result.memory;
    out.push('', `Memory bandwidth (STREAM-style, ${m.threads} thread(s), arrays of ${formatBytes(m.arrayBytes)})`);
    out.push(`  copy ${gbs(m.copyGBs)}   scale ${gbs(m.scaleGBs)}   add ${gbs(m.addGBs)}   triad ${gbs(m.triadGBs)}`);
    if (m.levels.length) out.push('  per level: ' + m.levels.map((l) => `${l.name} ${gbs(l.GBs)}`).join(', '));
  }
  if (result.latency) {
    out.push('', 'Load latency (pointer chasing)');
    out.push('  ' + result.latency.levels.map((l) => `${l.name} ${l.ns.toFixed(1)} ns (${formatBytes(l.bytes)})`).join(', '));
  }
  if (result.gpu) {
    const g = result.gpu;
    out.push('', 'GPU (WebGPU)');
    if (!g.available) out.push(`  not measured: ${g.reason}`);
    else {
      out.push(`  adapter: ${g.adapter.description || g.adapter.device || g.adapter.vendor}${g.adapter.software ? ' (software adapter)' : ''}`);
      for (const r of g.gemm) out.push(`  ${r.kernel} ${r.dtype} GEMM ${r.m}×${r.n}×${r.k}: ${formatFlops(r.gflops)}${r.verified ? '' : ' (FAILED verification)'}`);
      out.push(`  copy ${gbs(g.bandwidth.copyGBs)}${g.bandwidth.readGBs !== undefined ? `, read ${gbs(g.bandwidth.readGBs)}` : ''}`);
    }
  }
  if (result.roofline?.ridge) {
    const r = result.roofline.ridge;
    out.push('', `Roofline ridge: ${r.intensity.toFixed(2)} FLOP/byte (${r.dtype} ${formatFlops(r.gflops)} over ${r.level} bandwidth)`);
  }
  if (result.warnings.length) out.push('', 'Warnings', ...result.warnings.map((w) => `  - ${w}`));
  return out.join('\n') + '\n';
}
