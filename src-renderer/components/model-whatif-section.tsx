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
}: {
  result: ProfileResult;
  reports: WhatifReports;
  hardware: HardwareReport | null;
  busy: boolean;
  onRun: (request: WhatifRequest) => void;
}) {
  return (
    <details className="card whatifs" data-testid="whatifs">
      <summary className="whatifs-summary">
        <h2>What-ifs</h2>
        <span className="note">Training cost, quantization, pruning, activation sparsity{reports.moe ? ', mixture of experts' : ''}</span>
      </summary>
      <ModelWhatifTraining result={result} hardware={hardware} />
      <QuantizeWhatif report={reports.quantize ?? null} busy={busy} onRun={() => onRun({ quantize: true })} />
      <PruneWhatif report={reports.prune ?? null} busy={busy} onRun={(method, sparsity) => onRun({ prune: method === '2:4' ? { method } : { method, sparsity } })} />
      <ActivationWhatif report={reports.activationSparsity ?? null} busy={busy} onRun={() => onRun({ activationSparsity: true })} />
      {reports.moe ? <MoeWhatif report={reports.moe} /> : null}
    </details>
  );
}
