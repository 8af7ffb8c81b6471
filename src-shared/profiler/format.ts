/**
 * Plain-text rendering of a profile (pure): what `flopscope profile` prints without --json.
 * Convention (docs/profiler.md): 1 MAC = one multiply-add; FLOPs = 2 × MACs for matrix products
 * and convolutions; other element-wise work is counted separately as "other ops".
 */
import { formatBytes } from '../hardware/format.js';
import type { ProfileResult } from './types.js';

const si = (n: number): string => {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${(n / scale).toFixed(2)} ${unit}`;
  return String(Math.round(n));
};

export function formatProfile(p: ProfileResult, topNodes = 15): string {
  const t = p.totals;
  const out = [
    `Model ${p.model.name} (opset ${p.model.opset}${p.model.producer ? `, ${p.model.producer}` : ''}), ${formatBytes(p.model.fileBytes)}`,
    `Inputs  ${p.model.inputs.map((i) => `${i.name} ${i.dtype}[${i.shape.join('×')}]`).join(', ')}`,
    ...(Object.keys(p.model.dims).length ? [`Dims    ${Object.entries(p.model.dims).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    '',
    `Params        ${t.params.toLocaleString('en-US')}`,
    `MACs          ${si(t.macs)}  (FLOPs ${si(t.flops)} = 2 × MACs, matmul and conv)`,
    `Other ops     ${si(t.otherOps)}  (normalisation, activations, softmax, element-wise)`,
    `Weights       ${formatBytes(t.weightBytes)}`,
    `Activations   ${formatBytes(t.activationBytes)} peak live`,
  ];
  if (p.predicted) {
    out.push(`Predicted     ${p.predicted.latencyMs.toFixed(2)} ms on this machine${p.predicted.measured ? '' : ' (from theoretical peaks, not measurements)'}`);
    out.push(`  basis: ${p.predicted.basis}`);
  }
  if (p.measured) {
    out.push(`Latency       median ${p.measured.latencyMs.median.toFixed(2)} ms, p90 ${p.measured.latencyMs.p90.toFixed(2)} ms (${p.measured.latencyMs.runs} runs, ${p.measured.threads} threads)`);
    if (p.measured.profiledLatencyMs !== undefined) out.push(`  with ORT's profiler on (the per-layer times): ${p.measured.profiledLatencyMs.toFixed(2)} ms`);
    if (p.measured.profilerCostUs !== undefined) out.push(`  the profiler's own cost, ${p.measured.profilerCostUs.toFixed(1)} µs per kernel (measured now), is taken out of every per-layer time`);
  }
  if (p.check) {
    const c = p.check;
    out.push(
      `Measured/predicted ${c.latencyRatio.toFixed(2)}×; ${(c.closeTimeShare * 100).toFixed(0)}% of the measured time in kernels predicted within 1.5× (${(c.closeUnitShare * 100).toFixed(0)}% of ${c.units.length} kernels); unattributed ${c.unattributedMs.toFixed(3)} ms (${(c.unattributedShare * 100).toFixed(1)}%)`,
    );
    if (p.speed && c.speedCorrectedRatio !== undefined) {
      out.push(`  this machine ran at ${p.speed.ratio.toFixed(2)}× its benchmarked speed during the run (${p.speed.shape}: ${p.speed.nowGflops.toFixed(0)} vs ${p.speed.benchmarkGflops.toFixed(0)} GFLOP/s); corrected for that, measured/predicted ${c.speedCorrectedRatio.toFixed(2)}×`);
      if (p.speed.small) out.push(`  small kernels ran at ${p.speed.small.ratio.toFixed(2)}× their benchmarked speed (${p.speed.small.shape}: ${p.speed.small.nowGflops.toFixed(0)} vs ${p.speed.small.benchmarkGflops.toFixed(0)} GFLOP/s)`);
    }
    const classes = c.byOpType.slice(0, 6).map((t) => `${t.opType} ${t.measuredMs.toFixed(2)}/${t.predictedMs.toFixed(2)} ms${t.ratio !== null ? ` (${t.ratio.toFixed(2)}×)` : ''}`);
    out.push(`  by op (measured/predicted): ${classes.join(', ')}`);
  }
  const total = t.flops + t.otherOps || 1;
  const top = [...p.nodes].sort((a, b) => b.flops + b.otherOps - (a.flops + a.otherOps)).slice(0, topNodes);
  const msByName = new Map((p.measured?.nodes ?? []).map((n) => [n.name, n.ms]));
  out.push('', `Top ${top.length} layers by work`);
  const rows = top.map((n) => [
    n.name.length > 40 ? '…' + n.name.slice(-39) : n.name,
    n.opType,
    n.outputShape ? n.outputShape.join('×') : '?',
    si(n.macs),
    `${(((n.flops + n.otherOps) / total) * 100).toFixed(1)}%`,
    n.intensity.toFixed(1),
    n.predictedMs !== undefined && n.predictedMs !== null ? `${n.predictedMs.toFixed(3)} ms` : '',
    msByName.has(n.name) ? `${msByName.get(n.name)!.toFixed(3)} ms` : '',
  ]);
  const head = ['layer', 'op', 'output', 'MACs', 'share', 'FLOP/B', p.predicted ? 'predicted' : '', p.measured ? 'measured' : ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) out.push('  ' + r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  const w = p.whatifs as
    | {
        quantize?: { sizes: Record<string, number>; summary: Array<{ bits: number; symmetric: boolean; granularity: string; meanSqnrDb: number | null; minSqnrDb: number | null; worstTensor: string | null }> };
        prune?: { method: string; achievedSparsity: number; cost: { params: { before: number; after: number }; flops: { before: number; after: number } } };
        activationSparsity?: { overall: { fraction: number }; byOpType: Array<{ opType: string; nodes: number; fraction: number }> };
        moe?: { totalParams: number; activeParamsPerToken: number; activeFraction: number };
      }
    | undefined;
  if (w?.quantize) {
    out.push('', 'Quantization what-if (actual weights)');
    out.push('  size: ' + Object.entries(w.quantize.sizes).map(([f, b]) => `${f} ${formatBytes(b)}`).join(', '));
    for (const q of w.quantize.summary) {
      out.push(`  int${q.bits} ${q.granularity} ${q.symmetric ? 'symmetric' : 'asymmetric'}: mean SQNR ${q.meanSqnrDb?.toFixed(1) ?? '—'} dB, worst ${q.minSqnrDb?.toFixed(1) ?? '—'} dB${q.worstTensor ? ` (${q.worstTensor})` : ''}`);
    }
  }
  if (w?.prune) {
    const c = w.prune.cost;
    out.push('', `Pruning what-if (${w.prune.method}, ${(w.prune.achievedSparsity * 100).toFixed(1)}% of prunable weights zero)`);
    out.push(`  params ${c.params.before.toLocaleString('en-US')} → ${c.params.after.toLocaleString('en-US')}; FLOPs ${si(c.flops.before)} → ${si(c.flops.after)} (if sparse kernels skip zeros)`);
  }
  if (w?.activationSparsity) {
    out.push('', `Activation sparsity (one run): ${(w.activationSparsity.overall.fraction * 100).toFixed(1)}% zeros overall`);
    for (const o of w.activationSparsity.byOpType) out.push(`  ${o.opType} (${o.nodes} nodes): ${(o.fraction * 100).toFixed(1)}%`);
  }
  if (w?.moe) out.push('', `Mixture of experts: ${w.moe.activeParamsPerToken.toLocaleString('en-US')} of ${w.moe.totalParams.toLocaleString('en-US')} params active per token (${(w.moe.activeFraction * 100).toFixed(1)}%)`);
  if (p.uncounted.length) out.push('', `Not counted: ${p.uncounted.map((u) => `${u.count} × ${u.opType}${u.reason ? ` (${u.reason})` : ''}`).join(', ')}`);
  if (p.warnings.length) out.push('', 'Warnings', ...p.warnings.map((w) => `  - ${w}`));
  return out.join('\n') + '\n';
}
