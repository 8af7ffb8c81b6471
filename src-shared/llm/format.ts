/** The `flopscope llm` text output (runs anywhere): one estimate, and its measurement when there is one. */
import type { LlmEstimateResult } from '../api/llm.js';
import { formatJoules } from '../energy/format.js';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n.toLocaleString('en-US'));
const tps = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} tokens/s`;

export function formatLlmEstimate(r: LlmEstimateResult): string {
  const m = r.model;
  const lines = [
    `${m.name} — ${m.architecture}, ${count(m.params)} parameters${m.activeParams !== m.params ? ` (${count(m.activeParams)} active per token)` : ''}`,
    `  ${m.layers} layers, hidden ${m.hiddenSize}, ${m.heads} heads (K/V ${m.kvHeads}, head dim ${m.headDim}), vocabulary ${m.vocab}, context up to ${m.contextMax}`,
    `  weights ${m.quant}; from ${m.source}`,
    '',
    `Memory at ${r.settings.context} tokens (batch ${r.settings.batch}, K/V cache ${r.settings.kvDtype}): ${gib(r.memory.totalBytes)}`,
  ];
  for (const [label, key] of [['weights', 'weights'], ['K/V cache', 'kvCache'], ['compute buffers', 'compute'], ['runtime overhead', 'overhead']] as const) {
    const p = r.memory.parts[key];
    lines.push(`  ${label.padEnd(17)} ${gib(p.bytes).padStart(11)}  ${p.kind}: ${p.basis}`);
  }
  lines.push('', 'Fit:');
  for (const f of r.fits) {
    const split = f.gpuLayers !== undefined ? `; ${f.gpuLayers}/${m.layers} layers on the GPU${f.splitDecodeTokensPerSecond ? `, decode ≈ ${tps(f.splitDecodeTokensPerSecond)}` : ''}` : '';
    lines.push(`  ${f.device}: ${f.fits ? 'fits' : 'does NOT fit'} in ${gib(f.memoryBytes)}; longest context that fits ${f.maxContext}${split}${f.note ? ` (${f.note})` : ''}`);
  }
  lines.push(
    '',
    `Predicted on ${r.device.name}${r.device.measured ? '' : ' (theoretical peaks: run `flopscope bench all --quick` for a measured model)'}:`,
    `  prefill ${r.prefill.tokens} tokens: ${tps(r.prefill.predictedTokensPerSecond)}, time to first token ${r.prefill.predictedTtftMs.toFixed(0)} ms`,
    `  decode at depth ${r.decode.contextDepth}: ${tps(r.decode.predictedTokensPerSecond)} (${gib(r.decode.bytesPerToken)} read per token)`,
    `  basis: ${r.device.basis}`,
  );
  if (r.measured) {
    const perToken = r.measured.energyJoulesPerToken !== undefined ? `, ${formatJoules(r.measured.energyJoulesPerToken)} per token` : '';
    lines.push('', `Measured through llama.cpp (${r.measured.backend}, ${r.measured.threads} threads, load ${r.measured.loadMs.toFixed(0)} ms, peak RSS ${gib(r.measured.peakRssBytes)}${perToken}):`);
    lines.push(`  ${'depth'.padStart(7)} ${'prefill meas.'.padStart(14)} ${'pred.'.padStart(10)} ${'decode meas.'.padStart(13)} ${'pred.'.padStart(10)} ${'meas./pred.'.padStart(12)}`);
    for (const p of r.measured.points) {
      lines.push(`  ${String(p.depth).padStart(7)} ${p.prefillTokensPerSecond.toFixed(1).padStart(14)} ${p.predictedPrefillTokensPerSecond.toFixed(1).padStart(10)} ${p.decodeTokensPerSecond.toFixed(1).padStart(13)} ${p.predictedDecodeTokensPerSecond.toFixed(1).padStart(10)} ${(p.decodeTokensPerSecond / p.predictedDecodeTokensPerSecond).toFixed(2).padStart(11)}×`);
    }
  }
  if (r.warnings.length) lines.push('', ...r.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n') + '\n';
}
