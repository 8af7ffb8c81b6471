/**
 * What-if: training the profiled model (renderer). Optimizer, precision, checkpointing and batch
 * size → FLOPs per training step and the memory breakdown, computed in the page with the pure
 * functions of src-shared/profiler/whatif/training.ts, and the memory-vs-batch chart against this
 * machine's RAM and each GPU's VRAM (`hardware.detect`).
 */
import { useMemo, useState } from 'react';
import type { HardwareReport } from '../../src-shared/api/types.js';
import { batchLabel, renderMemoryBatchChart, type BatchFitMark, type DeviceMemory } from '../../src-shared/charts/memory-batch-chart.js';
import { formatBytes } from '../../src-shared/hardware/format.js';
import type { SafeMarkup } from '../../src-shared/markup/markup.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import {
  largestBatchThatFits, memoryVsBatch, trainingFlops, trainingMemory,
  type Optimizer, type TrainingOptions, type TrainingPrecision,
} from '../../src-shared/profiler/whatif/training.js';
import { formatCompact } from '../model-run.js';
import { ChartFrame, type ChartValues } from './chart-frame.js';

export const BACKWARD_NOTE =
  'Backward ≈ 2× forward: each weight product costs its forward FLOPs once for the input gradient and once for the weight gradient — except the first layer (no input gradient: its input is data), frozen layers (no weight gradient) and activation × activation products such as attention (two input gradients); other ops ≈ 1× forward; checkpointing adds one extra forward.';

const OPTIMIZERS: Array<[Optimizer, string]> = [
  ['sgd', 'SGD'],
  ['momentum', 'SGD with momentum'],
  ['adam', 'Adam'],
  ['adamw', 'AdamW'],
];
const PRECISIONS: Array<[TrainingPrecision, string]> = [
  ['fp32', 'fp32'],
  ['mixed-fp16', 'mixed fp16'],
  ['mixed-bf16', 'mixed bf16'],
];

/** Device memories to draw: the machine's RAM, then each GPU's VRAM. */
export function deviceMemories(hw: HardwareReport | null): DeviceMemory[] {
  if (!hw) return [];
  const out: DeviceMemory[] = [];
  if (hw.memory.totalBytes > 0) out.push({ label: 'RAM', bytes: hw.memory.totalBytes });
  hw.gpus.forEach((g, i) => {
    if (g.vramBytes && g.vramBytes > 0) out.push({ label: `GPU ${i} VRAM`, bytes: g.vramBytes });
  });
  return out;
}

/** Powers of two from 1 up to past the largest device (or 4096), at most 2^30. */
export function batchRange(profile: ProfileResult, opts: TrainingOptions, budget: number): number[] {
  const batches: number[] = [];
  for (let b = 1; b <= 2 ** 30; b *= 2) {
    batches.push(b);
    if (b >= 4096 && trainingMemory(profile, opts, b).total > Math.max(budget, 1) * 2) break;
  }
  return batches;
}

export function ModelWhatifTraining({ result, hardware }: { result: ProfileResult; hardware: HardwareReport | null }) {
  const [optimizer, setOptimizer] = useState<Optimizer>('adam');
  const [precision, setPrecision] = useState<TrainingPrecision>('fp32');
  const [checkpointing, setCheckpointing] = useState(false);
  const [batchText, setBatchText] = useState('32');
  const batch = /^\d+$/.test(batchText) && Number(batchText) >= 1 && Number(batchText) <= 2 ** 30 ? Number(batchText) : null;

  const opts: TrainingOptions = { optimizer, precision, checkpointing };
  const flops = batch ? trainingFlops(result, opts, batch) : null;
  const memory = batch ? trainingMemory(result, opts, batch) : null;
  const devices = useMemo(() => deviceMemories(hardware), [hardware]);

  const chart = useMemo(() => {
    const base = { optimizer, precision };
    const budget = Math.max(0, ...devices.map((d) => d.bytes));
    const batches = batchRange(result, { ...base, checkpointing: false }, budget);
    const plain = memoryVsBatch(result, { ...base, checkpointing: false }, batches);
    const checkpointed = memoryVsBatch(result, { ...base, checkpointing: true }, batches);
    const fits: Array<BatchFitMark & { checkpointed: number | null }> = [];
    for (const d of devices) {
      const b = largestBatchThatFits(result, { ...base, checkpointing: false }, d.bytes, batches);
      const bc = largestBatchThatFits(result, { ...base, checkpointing: true }, d.bytes, batches);
      if (b !== null) fits.push({ device: d.label, batch: b, bytes: plain.find((p) => p.batch === b)!.total, checkpointed: bc });
      else fits.push({ device: d.label, batch: 0, bytes: 0, checkpointed: bc });
    }
    return { plain, checkpointed, fits, last: batches[batches.length - 1]! };
  }, [result, optimizer, precision, devices]);

  return (
    <div className="whatif-block" data-testid="whatif-training">
      <h3 className="subheading">Training</h3>
      <div className="control-row model-options">
        <div className="field">
          <label htmlFor="whatif-optimizer">Optimizer</label>
          <select id="whatif-optimizer" className="select" value={optimizer} onChange={(e) => setOptimizer(e.target.value as Optimizer)}>
            {OPTIMIZERS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="whatif-precision">Precision</label>
          <select id="whatif-precision" className="select" value={precision} onChange={(e) => setPrecision(e.target.value as TrainingPrecision)}>
            {PRECISIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="whatif-batch">Batch size</label>
          <input id="whatif-batch" className="input input-narrow num" type="number" min={1} max={2 ** 30} value={batchText} aria-invalid={batch === null} onChange={(e) => setBatchText(e.target.value)} />
        </div>
        <label className="check whatif-check">
          <input type="checkbox" checked={checkpointing} onChange={(e) => setCheckpointing(e.target.checked)} /> Activation checkpointing (√n)
        </label>
      </div>
      {batch === null ? <p className="field-hint field-error">Give a whole batch size from 1 to 2^30.</p> : null}
      {flops && memory ? (
        <div className="whatif-columns">
          <dl className="facts whatif-facts" data-testid="training-flops">
            <Fact label="Forward FLOPs" value={formatCompact(flops.forward.flops)} testId="train-forward" />
            <Fact label="Backward FLOPs" value={formatCompact(flops.backward.flops)} testId="train-backward" />
            {checkpointing ? <Fact label="Recompute FLOPs" value={formatCompact(flops.recompute.flops)} testId="train-recompute" /> : null}
            <Fact label="Total per step" value={`${formatCompact(flops.total.flops)} (${flops.ratio.toFixed(2)}× fwd)`} testId="train-total" />
          </dl>
          <dl className="facts whatif-facts" data-testid="training-memory">
            <Fact label="Weights" value={formatBytes(memory.weights)} testId="mem-weights" />
            <Fact label="Gradients" value={formatBytes(memory.gradients)} testId="mem-gradients" />
            <Fact label="Optimizer state" value={formatBytes(memory.optimizer)} testId="mem-optimizer" />
            <Fact label="Master weights" value={formatBytes(memory.master)} testId="mem-master" />
            <Fact label="Activations" value={formatBytes(memory.activations)} testId="mem-activations" />
            <Fact label="Total" value={formatBytes(memory.total)} testId="mem-total" />
          </dl>
        </div>
      ) : null}
      <p className="note">{BACKWARD_NOTE}</p>
      <p className="note">
        Memory: ZeRO’s accounting (Adam: 16 bytes per parameter in fp32 and in mixed precision) plus the activations saved for backward — an upper bound that leaves out workspaces and the framework’s own memory.
      </p>
      <SvgChart
        testId="memory-batch-chart"
        render={(width) => renderMemoryBatchChart({ plain: chart.plain, checkpointed: chart.checkpointed, devices, fits: chart.fits.filter((f) => f.batch > 0), ...(batch ? { current: batch } : {}) }, { width })}
      />
      {devices.length ? (
        <ul className="whatif-fits" data-testid="batch-fits">
          {chart.fits.map((f) => (
            <li key={f.device}>
              {f.device}: largest power-of-two batch that fits {f.batch > 0 ? `${f.batch === chart.last ? '≥ ' : ''}${batchLabel(f.batch)}` : 'none'}
              {f.checkpointed !== null ? `, with checkpointing ${f.checkpointed === chart.last ? '≥ ' : ''}${batchLabel(f.checkpointed)}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="note">Detecting this machine’s memory…</p>
      )}
    </div>
  );
}

export function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

/** A pure-SVG chart sized to its frame (SafeMarkup from the svg`…` tag: every text in it is escaped). */
export function SvgChart({ render, testId, values }: { render: (width: number) => SafeMarkup; testId: string; values?: ChartValues }) {
  return <ChartFrame draw={render} testId={testId} {...(values ? { values } : {})} />;
}
