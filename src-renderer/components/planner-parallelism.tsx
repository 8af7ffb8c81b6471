/**
 * Memory and parallelism on paper for the plan's shape (renderer): per-device weights, gradients,
 * optimizer state and activations under data parallelism with ZeRO 1/2/3, tensor and pipeline
 * parallelism (with the bubble); the smallest device count that fits; communication per step
 * over the chosen links and the resulting step time and MFU. All from
 * src-shared/planner/parallelism.ts (sources in docs/planner-parallelism.md), recomputed on
 * every change; a bad setting shows that function's message, naming the field.
 */
import { memo, useMemo, useReducer } from 'react';
import { formatBytes } from '../../src-shared/hardware/format.js';
import { formatCount, formatDuration } from '../../src-shared/planner/format.js';
import { INTERCONNECTS, type InterconnectId } from '../../src-shared/planner/interconnects.js';
import { analyzeParallelism, deviceFromGpu, smallestFit, type Recompute, type ZeroStage } from '../../src-shared/planner/parallelism.js';
import type { PlanResult } from '../../src-shared/planner/plan.js';
import { initialParallelismState, parallelismReducer, TRAINING_GPUS, type ParallelismAction, type ParallelismState } from '../parallelism-state.js';
import { DataTable } from '../ui/data-table.js';
import { NumberInput } from '../ui/number-input.js';
import { Select } from '../ui/select.js';
import { WarningCallout } from './callouts.js';
import { Fact } from './model-whatif-training.js';

export const PlannerParallelism = memo(function PlannerParallelism({ plan }: { plan: PlanResult }) {
  const [{ gpu, dp, tpText, pp, zero, recompute, micro, batchTokens, intra, inter }, dispatch] = useReducer(parallelismReducer, initialParallelismState);
  const set =
    <K extends keyof ParallelismState>(key: K) =>
    (value: ParallelismState[K]) =>
      dispatch({ type: 'edit', key, value } as ParallelismAction);

  const shape = plan.details.shapeFull;
  // Until the user picks one: the largest power of two up to 8 that divides the head count.
  const autoTp = [8, 4, 2, 1].find((t) => shape.heads % t === 0) ?? 1;
  const tp = tpText.trim() ? tpText : String(autoTp);
  const entry = TRAINING_GPUS.find((g) => g.name === gpu)!;
  const device = deviceFromGpu(entry, 'bf16');
  const links = { intraNode: intra, interNode: inter };
  const ints = { dp: Number(dp), tp: Number(tp), pp: Number(pp), micro: Number(micro), batch: Number(batchTokens) };

  const analysis = useMemo(() => {
    if (!device) return { error: `${gpu} has no bf16 peak in the catalog` };
    try {
      return {
        result: analyzeParallelism({
          shape,
          training: { globalBatchTokens: ints.batch, microBatchSize: ints.micro, dp: ints.dp, tp: ints.tp, pp: ints.pp, zeroStage: zero, recompute, optimizer: 'adam', includeAttentionFlops: true },
          device,
          links,
        }),
      };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [shape, gpu, dp, tp, pp, zero, recompute, micro, batchTokens, intra, inter]);

  const smallest = useMemo(() => {
    if (!device || !(ints.batch > 0) || !(ints.micro > 0)) return null;
    try {
      return smallestFit({ shape, training: { globalBatchTokens: ints.batch, microBatchSize: ints.micro, recompute, optimizer: 'adam', includeAttentionFlops: true }, device, links });
    } catch {
      return null;
    }
  }, [shape, gpu, micro, batchTokens, recompute, intra, inter]);

  const num = (id: string, label: string, value: string, set: (v: string) => void, placeholder?: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <NumberInput id={id} value={value} placeholder={placeholder} onChange={set} testId={id} size={6} />
    </div>
  );
  const r = 'result' in analysis ? analysis.result : null;
  return (
    <div className="card" id="planner-parallelism" data-testid="planner-parallelism">
      <h2 className="section-title">Memory and parallelism</h2>
      <p className="note">
        For the {formatCount(shape.exactParams)}-parameter shape above, mixed-precision Adam (16 bytes per parameter before sharding, Rajbhandari et al. 2020), activations after Korthikanti et al. 2022.
      </p>
      <div className="control-row model-options">
        <div className="field">
          <label htmlFor="par-gpu">GPU</label>
          <Select id="par-gpu" value={gpu} onChange={set('gpu')} testId="par-gpu">
            {TRAINING_GPUS.map((g) => (
              <option key={g.name}>{g.name}</option>
            ))}
          </Select>
        </div>
        {num('par-dp', 'Data parallel', dp, set('dp'))}
        {num('par-tp', 'Tensor parallel', tpText, set('tpText'), String(autoTp))}
        {num('par-pp', 'Pipeline stages', pp, set('pp'))}
        <div className="field">
          <label htmlFor="par-zero">ZeRO stage</label>
          <Select id="par-zero" value={String(zero)} onChange={(v) => set('zero')(Number(v) as ZeroStage)} testId="par-zero">
            {[0, 1, 2, 3].map((z) => (
              <option key={z} value={z}>
                {z === 0 ? 'none' : `ZeRO-${z}`}
              </option>
            ))}
          </Select>
        </div>
        <div className="field">
          <label htmlFor="par-recompute">Recompute</label>
          <Select id="par-recompute" value={recompute} onChange={(v) => set('recompute')(v as Recompute)}>
            <option value="none">none</option>
            <option value="selective">selective (attention)</option>
            <option value="full">full (checkpoint every layer)</option>
          </Select>
        </div>
        {num('par-micro', 'Micro-batch (sequences)', micro, set('micro'))}
        {num('par-batch', 'Global batch (tokens)', batchTokens, set('batchTokens'))}
        <LinkSelect id="par-intra" label="Within a node" value={intra} onChange={set('intra')} />
        <LinkSelect id="par-inter" label="Between nodes" value={inter} onChange={set('inter')} />
      </div>
      {'error' in analysis ? (
        <p className="field-hint field-error" role="alert" data-testid="par-error">
          {analysis.error}
        </p>
      ) : null}
      {r ? (
        <>
          <dl className="facts" data-testid="par-memory">
            <Fact label="Weights / device" value={formatBytes(r.memory.weights)} />
            <Fact label="Gradients / device" value={formatBytes(r.memory.grads)} />
            <Fact label="Optimizer / device" value={formatBytes(r.memory.optimizer)} />
            <Fact label="Activations / device" value={formatBytes(r.memory.activations)} />
            <Fact label={`Total vs ${r.memGB} GB`} value={`${formatBytes(r.memory.total)} — ${r.fits ? 'fits' : 'does not fit'}`} testId="par-fits" />
            <Fact label="Pipeline bubble" value={`${(r.bubbleFraction * 100).toFixed(1)}% (${r.config.microBatches} micro-batches)`} />
            <Fact label="Step time" value={`${formatDuration(r.time.stepSecondsOverlapped)} – ${formatDuration(r.time.stepSeconds)}`} />
            <Fact label="MFU" value={`${(r.mfuOverlapped * 100).toFixed(1)}% – ${(r.mfu * 100).toFixed(1)}%`} testId="par-mfu" />
          </dl>
          <DataTable
            testId="par-comm"
            caption="Communication per step, per device"
            columns={[{ label: 'Group' }, { label: 'Degree', num: true }, { label: 'Volume', num: true }, { label: 'Link' }, { label: 'Time', num: true }, { label: 'What' }]}
            rows={(['dp', 'tp', 'pp', 'ep'] as const).map((k) => {
              const c = r.communication[k];
              return {
                key: k,
                cells: [k.toUpperCase(), c.degree, formatBytes(c.bytes), `${c.linkName ?? '—'}${c.crossesNodes ? ' (across nodes)' : ''}`, c.seconds > 0 ? formatDuration(c.seconds) : '—', c.what],
              };
            })}
          />
          <p className="note">
            {formatCount(r.config.tokensPerStep)} tokens per step; step time ranges from full overlap of communication with compute to none. Steps for the whole plan: {formatCount(plan.tokens / r.config.tokensPerStep)}, about{' '}
            {formatDuration((plan.tokens / r.config.tokensPerStep) * r.time.stepSeconds)} at the slower end.
          </p>
          {r.warnings.length ? <WarningCallout title="Parallelism warnings" items={r.warnings} /> : null}
          <details>
            <summary>Assumptions</summary>
            <ul className="plain-list">
              {r.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </>
      ) : null}
      <p data-testid="par-smallest">
        {smallest
          ? `Smallest device count that fits: ${smallest.devices} × ${gpu} (dp ${smallest.config.dp}, tp ${smallest.config.tp}, pp ${smallest.config.pp}, ZeRO-${smallest.config.zeroStage}).`
          : `No layout up to 65,536 × ${gpu} fits this model with these settings.`}
      </p>
    </div>
  );
});

function LinkSelect({ id, label, value, onChange }: { id: string; label: string; value: InterconnectId; onChange: (v: InterconnectId) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Select id={id} value={value} onChange={(v) => onChange(v as InterconnectId)}>
        {INTERCONNECTS.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
