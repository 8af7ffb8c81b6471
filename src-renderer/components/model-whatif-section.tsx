/**
 * The "What-ifs" section of the Models page (renderer), shown once a profile is loaded: training
 * (pure, computed here), then the what-ifs that need the real weights (each re-runs the profile
 * with the what-if asked for; progress shows in the page's Progress card), and MoE accounting
 * when the profile found experts.
 */
import type { HardwareReport } from '../../src-shared/api/types.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import type { ActivationSparsityReport, MoeReport, PruneMethod, PruneModelReport, QuantizeModelReport } from '../../src-shared/profiler/whatif/report-types.js';
import { ModelWhatifTraining } from './model-whatif-training.js';
import { ActivationWhatif, MoeWhatif, PruneWhatif, QuantizeWhatif } from './model-whatif-weights.js';

export type WhatifRequest = { quantize: true } | { prune: { method: PruneMethod; sparsity?: number } } | { activationSparsity: true };

/** A what-if job: which one, (once done) the run it was stored as, and the measured run it was asked from. */
export interface WhatifRun {
  what: string;
  runId: number | null;
  parentRunId: number | null;
}

export interface WhatifReports {
  quantize?: QuantizeModelReport;
  prune?: PruneModelReport;
  activationSparsity?: ActivationSparsityReport;
  moe?: MoeReport;
}

export function ModelWhatifSection({
  result,
  reports,
  hardware,
  busy,
  onRun,
  runs = [],
  pending = null,
}: {
  result: ProfileResult;
  reports: WhatifReports;
  hardware: HardwareReport | null;
  busy: boolean;
  onRun: (request: WhatifRequest) => void;
  /** What-if runs stored since the measured profile (each linked to it). */
  runs?: readonly WhatifRun[];
  /** The what-if now running, if any. */
  pending?: string | null;
}) {
  return (
    <details className="card whatifs" id="model-whatifs" data-testid="whatifs">
      <summary className="whatifs-summary">
        <h2>What-ifs</h2>
        <span className="note">Training cost, quantization, pruning, activation sparsity{reports.moe ? ', mixture of experts' : ''}</span>
      </summary>
      <p className="note" data-testid="whatif-note">
        Each what-if re-runs this model with the change; its report appears here, beside the measured result above, which stays as it is.
        {pending ? ` Running: ${pending}…` : ''}
      </p>
      {runs.length ? (
        <ul className="plain-list" data-testid="whatif-runs">
          {runs.map((r, i) => (
            <li key={`${r.runId ?? 'unsaved'}-${i}`}>
              {r.what}: {r.runId !== null ? `stored as run #${r.runId}` : 'not stored'}
              {r.parentRunId !== null ? `, a what-if of run #${r.parentRunId}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <ModelWhatifTraining result={result} hardware={hardware} />
      <QuantizeWhatif report={reports.quantize ?? null} busy={busy} onRun={() => onRun({ quantize: true })} />
      <PruneWhatif report={reports.prune ?? null} busy={busy} onRun={(method, sparsity) => onRun({ prune: method === '2:4' ? { method } : { method, sparsity } })} />
      <ActivationWhatif report={reports.activationSparsity ?? null} busy={busy} onRun={() => onRun({ activationSparsity: true })} />
      {reports.moe ? <MoeWhatif report={reports.moe} /> : null}
    </details>
  );
}
