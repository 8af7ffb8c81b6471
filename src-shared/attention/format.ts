/**
 * Plain-text rendering of an attention sweep (runs anywhere): what `flopscope attention` prints
 * without --json — one table per variant, the crossovers, the measured slopes and the warnings.
 */
import type { AttentionSweepResult } from '../api/attention.js';
import { formatBytes } from '../hardware/format.js';
import { formatSci } from '../planner/format.js';

function seconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(2)} ms`;
  return `${(s * 1e6).toFixed(1)} µs`;
}

/** "1024,4096" or a range "128..1M": parsed by the API's seqs schema (src-shared/api/attention.ts), re-exported for the pages. */
export { parseSeqs } from '../api/attention.js';

export function formatAttentionSweep(r: AttentionSweepResult): string {
  const s = r.shape;
  const lines = [
    `Shape: d_model ${s.dModel}, ${s.heads} heads × ${s.headDim} (K/V heads ${s.kvHeads}), FFN ${s.ffn}, ${s.layers} layer${s.layers === 1 ? '' : 's'}, batch ${s.batch}, ${s.dtype}`,
    `Device: ${r.device.name} — ${r.device.source}`,
    'predicted = one forward pass of the whole stack; attn = the attention kernels alone (all layers).',
    '',
  ];
  for (const variant of r.variants) {
    lines.push(`${variant}`);
    lines.push(`  ${'seq'.padStart(8)}  ${'FLOPs'.padStart(9)}  ${'attn FLOPs'.padStart(10)}  ${'activations'.padStart(11)}  ${'bytes moved'.padStart(11)}  ${'KV cache'.padStart(10)}  ${'predicted'.padStart(10)}  ${'attn pred.'.padStart(10)}${r.measured ? `  ${'attn meas.'.padStart(10)}` : ''}`);
    for (const p of r.points.filter((q) => q.variant === variant)) {
      lines.push(
        `  ${String(p.seq).padStart(8)}  ${formatSci(p.flops).padStart(9)}  ${formatSci(p.attentionFlops).padStart(10)}  ${formatBytes(p.activationBytes).padStart(11)}  ${formatBytes(p.bytesMoved).padStart(11)}  ${formatBytes(p.kvCacheBytes).padStart(10)}  ${seconds(p.predictedSeconds).padStart(10)}  ${seconds(p.attentionSeconds).padStart(10)}${r.measured ? `  ${seconds(p.measuredSeconds).padStart(10)}` : ''}`,
      );
    }
  }
  if (r.crossovers.length) {
    lines.push('', 'Crossovers (predicted time):');
    for (const c of r.crossovers) lines.push(`  ${c.a} overtakes ${c.b} beyond seq ≈ ${Math.round(c.seq)}`);
  }
  if (r.measured) {
    lines.push('', 'Measured (attention core of one layer, ONNX Runtime) vs predicted:');
    for (const m of r.measured.points) {
      lines.push(`  ${m.variant.padEnd(14)} ${String(m.seq).padStart(8)}  ${m.skipped ? `skipped: ${m.skipped}` : m.failed ? `failed: ${m.failed}` : `${seconds(m.seconds)} vs ${seconds(m.predictedSeconds)}${m.ratio !== undefined ? ` (×${m.ratio.toFixed(2)})` : ''}`}`);
    }
    for (const sl of r.measured.slopes) lines.push(`  ${sl.variant}: time ∝ seq^${sl.slope.toFixed(2)} (${sl.points} points)`);
    lines.push(`  ${r.measured.note}`);
  }
  if (r.warnings.length) lines.push('', ...r.warnings.map((w) => `! ${w}`));
  return lines.join('\n') + '\n';
}
