/**
 * State and pure helpers of the Models page (renderer, no DOM): the profile job's reducer
 * (phases in arrival order, live power ticks, outcome, stored run id), the "Dimensions" field parser, the unbound
 * dimension named in a profiler error, layer-table sorting, and the roofline prediction per
 * measured layer. Kept apart from the components so all of it can be tested in plain Node.
 */
import type { ApiError, JobEvent } from '../src-shared/api/types.js';
import type { PowerTick } from '../src-shared/energy/types.js';
import type { Roofline } from '../src-shared/bench/roofline.js';
import { attainable } from '../src-shared/bench/roofline.js';
import type { ProfileNode, ProfileResult } from '../src-shared/profiler/types.js';
import { addPowerTick, type PhaseView } from './bench-run.js';

// ---- job state -----------------------------------------------------------------------------

export type ProfileStatus = 'idle' | 'starting' | 'queued' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface ProfileRunState {
  status: ProfileStatus;
  jobId: string | null;
  /** Whether this run also measures the model with ONNX Runtime. */
  measure: boolean;
  phases: PhaseView[];
  /** Live total-power readings of a measured run (JobEvent 'power'), oldest first, capped like the Benchmarks page's. */
  power: PowerTick[];
  storedRunId: number | null;
  error: ApiError | null;
  result: ProfileResult | null;
}

export type ProfileAction =
  | { type: 'start'; measure: boolean }
  | { type: 'job'; jobId: string }
  | { type: 'event'; event: JobEvent }
  | { type: 'cancel-requested' }
  | { type: 'failed'; error: ApiError };

export const initialProfileState: ProfileRunState = { status: 'idle', jobId: null, measure: false, phases: [], power: [], storedRunId: null, error: null, result: null };

export function isProfileActive(status: ProfileStatus): boolean {
  return status === 'starting' || status === 'queued' || status === 'running' || status === 'cancelling';
}

function finish(p: PhaseView): PhaseView {
  return p.finished ? p : { ...p, done: Math.max(p.done, p.total), etaMs: null, finished: true };
}

const stopPhases = (phases: PhaseView[]) => phases.map((p) => ({ ...p, etaMs: null }));

export function profileReducer(state: ProfileRunState, action: ProfileAction): ProfileRunState {
  switch (action.type) {
    case 'start':
      // The previous result stays on screen until the new one arrives.
      return { ...state, status: 'starting', jobId: null, measure: action.measure, phases: [], power: [], storedRunId: null, error: null };
    case 'job':
      return { ...state, jobId: action.jobId, status: state.status === 'cancelling' ? 'cancelling' : 'queued' };
    case 'cancel-requested':
      return isProfileActive(state.status) ? { ...state, status: 'cancelling' } : state;
    case 'failed':
      return { ...state, status: 'failed', error: action.error, phases: stopPhases(state.phases) };
    case 'event':
      return applyEvent(state, action.event);
  }
}

function applyEvent(state: ProfileRunState, event: JobEvent): ProfileRunState {
  if (state.jobId !== null && event.jobId !== state.jobId) return state;
  switch (event.type) {
    case 'queued':
    case 'log':
      return state;
    case 'power':
      return { ...state, power: addPowerTick(state.power, { t: event.t, watts: event.watts, estimated: event.estimated }) };
    case 'progress': {
      const last = state.phases[state.phases.length - 1];
      const patch = { detail: null, done: event.done, total: event.total, etaMs: event.etaMs };
      const phases =
        last && last.name === event.phase
          ? [...state.phases.slice(0, -1), { ...last, ...patch }]
          : [...state.phases.map(finish), { name: event.phase, ...patch, finished: false }];
      return { ...state, status: state.status === 'cancelling' ? 'cancelling' : 'running', phases };
    }
    case 'result': {
      const result = asProfileResult(event.result);
      const phases = state.phases.map(finish);
      if (!result) return { ...state, status: 'failed', phases, error: { code: 'INTERNAL', message: 'The profile finished but its result is not in the expected shape.' } };
      return { ...state, status: 'done', phases, storedRunId: event.runId, result };
    }
    case 'error':
      if (event.error.code === 'CANCELLED') return { ...state, status: 'cancelled', phases: stopPhases(state.phases) };
      return { ...state, status: 'failed', error: event.error, phases: stopPhases(state.phases) };
    case 'cancelled':
      return { ...state, status: 'cancelled', phases: stopPhases(state.phases) };
  }
}

export function asProfileResult(value: unknown): ProfileResult | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Partial<ProfileResult>;
  if (!r.model || !r.totals || !Array.isArray(r.nodes) || !Array.isArray(r.uncounted) || !Array.isArray(r.warnings)) return null;
  return value as ProfileResult;
}

// ---- dimensions ----------------------------------------------------------------------------

export type DimsParse = { ok: true; dims: Record<string, number> } | { ok: false; message: string };

const MAX_DIM = 2 ** 31;

/** "batch=1, sequence=128" → { batch: 1, sequence: 128 }; empty text is no bindings. */
export function parseDims(text: string): DimsParse {
  const dims: Record<string, number> = {};
  const parts = text
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    const m = /^([A-Za-z_][\w.:/-]*)\s*=\s*(\S+)$/.exec(part);
    if (!m) return { ok: false, message: `“${part}” is not name=value (e.g. sequence=128)` };
    const [, name = '', raw = ''] = m;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_DIM) return { ok: false, message: `${name} must be a whole number from 1 to ${MAX_DIM}` };
    if (name in dims) return { ok: false, message: `${name} is given twice` };
    dims[name] = Number(raw);
  }
  return { ok: true, dims };
}

export function formatDims(dims: Record<string, number>): string {
  return Object.entries(dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The dimension a profiler error asks to bind ("… bind it with --dim sequence=<n>"), or null. */
export function unboundDimension(message: string): string | null {
  return /--dim\s+([^\s=]+)=/.exec(message)?.[1] ?? null;
}

// ---- layer table ---------------------------------------------------------------------------

export type LayerSortKey =
  | 'index'
  | 'name'
  | 'opType'
  | 'outputShape'
  | 'params'
  | 'macs'
  | 'flops'
  | 'otherOps'
  | 'bytes'
  | 'intensity'
  | 'share'
  | 'predicted'
  | 'ms'
  | 'ratio'
  | 'gflops';

export interface LayerRow {
  index: number;
  node: ProfileNode;
  /** Share of the model's total FLOPs, 0…1. */
  share: number;
  ms: number | null;
  achievedGflops: number | null;
  /** The cost model's time for the layer (absent in profiles from before predictions). */
  predictedMs: number | null;
  /** measured ÷ predicted; null for a layer fused with others (its measured ms is a split by prediction) or without both times. */
  ratio: number | null;
  /** The other layers ONNX Runtime ran in the same kernel as this one; null when it ran on its own. */
  fusedWith: string[] | null;
}

/**
 * The layers ONNX Runtime ran inside one kernel with others: node → every member of its group.
 * From the prediction check's units when the profile has one, else from the measured groups.
 */
export function fusedMembers(result: ProfileResult): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const lists = result.check ? result.check.units.map((u) => u.nodes) : (result.measured?.groups ?? []).map((g) => g.members);
  for (const members of lists) if (members.length > 1) for (const m of members) out.set(m, [...new Set([...(out.get(m) ?? []), ...members])]);
  return out;
}

/** measured ÷ predicted when both are positive and finite, else null. */
export function timeRatio(measuredMs: number | null | undefined, predictedMs: number | null | undefined): number | null {
  if (measuredMs === null || measuredMs === undefined || predictedMs === null || predictedMs === undefined) return null;
  return Number.isFinite(measuredMs) && Number.isFinite(predictedMs) && measuredMs > 0 && predictedMs > 0 ? measuredMs / predictedMs : null;
}

/** True when the profile carries the cost model's per-layer predictions (any node has the field). */
export function hasLayerPredictions(result: ProfileResult): boolean {
  return result.nodes.some((n) => n.predictedMs !== undefined);
}

export function layerRows(result: ProfileResult): LayerRow[] {
  const measured = new Map((result.measured?.nodes ?? []).map((n) => [n.name, n]));
  const fused = fusedMembers(result);
  const total = result.totals.flops;
  return result.nodes.map((node, index) => {
    const m = measured.get(node.name);
    const members = fused.get(node.name);
    const fusedWith = members ? members.filter((n) => n !== node.name) : null;
    const predictedMs = typeof node.predictedMs === 'number' && Number.isFinite(node.predictedMs) ? node.predictedMs : null;
    return {
      index,
      node,
      share: total > 0 ? node.flops / total : 0,
      ms: m ? m.ms : null,
      achievedGflops: m?.achievedGflops ?? null,
      predictedMs,
      ratio: fusedWith ? null : timeRatio(m?.ms, predictedMs),
      fusedWith,
    };
  });
}

/** Where a whole-model ratio or a layer's falls: within the close factor either way, or slower / faster. */
export function ratioClass(ratio: number | null, factor: number): 'close' | 'slower' | 'faster' | null {
  if (ratio === null || !Number.isFinite(ratio)) return null;
  if (ratio > factor) return 'slower';
  if (ratio < 1 / factor) return 'faster';
  return 'close';
}

/** A ratio as the page prints it: "1.23×", "0.045×", "—" when there is none. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  // Below 0.001× the digits say nothing, and toPrecision would turn to e-notation below 10⁻⁶.
  if (ratio > 0 && ratio < 0.001) return '< 0.001×';
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio >= 0.1 ? ratio.toFixed(2) : Number(ratio.toPrecision(2))}×`;
}

/** A time in ms for tables: "12.3", "0.456", "0.0012" (3 significant digits below 100); under 0.1 ns "< 0.0000001". */
export function formatMsValue(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms === 0) return '0';
  // toPrecision writes e-notation below 10⁻⁶; a tenth of a nanosecond is below any kernel's cost anyway.
  if (Math.abs(ms) < 1e-7) return '< 0.0000001';
  if (ms >= 100) return ms.toFixed(1);
  // Three significant digits written out in decimals (String() would write 8.36e-7).
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(ms))));
  return Number(ms.toPrecision(3)).toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function sortValue(row: LayerRow, key: LayerSortKey): number | string | null {
  const n = row.node;
  switch (key) {
    case 'index':
      return row.index;
    case 'name':
      return n.name;
    case 'opType':
      return n.opType;
    case 'outputShape':
      return n.outputShape ? n.outputShape.reduce((a, b) => a * b, 1) : null;
    case 'bytes':
      return n.bytesRead + n.bytesWritten;
    case 'share':
      return row.share;
    case 'predicted':
      return row.predictedMs;
    case 'ms':
      return row.ms;
    case 'ratio':
      return row.ratio;
    case 'gflops':
      return row.achievedGflops;
    default:
      return n[key];
  }
}

/** Stable sort; missing values (no shape, not measured) always last, whatever the direction. */
export function sortLayers(rows: readonly LayerRow[], key: LayerSortKey, descending: boolean): LayerRow[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null || vb === null) return va === vb ? a.index - b.index : va === null ? 1 : -1;
    const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
    return c !== 0 ? c * dir : a.index - b.index;
  });
}

// ---- prediction against the roofline --------------------------------------------------------

export interface RooflineBasis {
  computeGflops: number;
  bandwidthGBs: number;
  /** "fp32 measured", … for the note under the table. */
  computeLabel: string;
  bandwidthLabel: string;
}

/** The fp32 compute ceiling and DRAM bandwidth of a benchmark's roofline (measured preferred). */
export function rooflineBasis(roofline: Roofline | null | undefined): RooflineBasis | null {
  if (!roofline) return null;
  const pick = (kind: 'compute' | 'bandwidth', name: string) =>
    roofline.ceilings.find((c) => c.kind === kind && c.name === name && c.source === 'measured' && c.value > 0) ??
    roofline.ceilings.find((c) => c.kind === kind && c.name === name && c.value > 0);
  const compute = pick('compute', 'fp32');
  const bandwidth = pick('bandwidth', 'DRAM');
  if (!compute || !bandwidth) return null;
  return {
    computeGflops: compute.value,
    bandwidthGBs: bandwidth.value,
    computeLabel: `fp32 ${compute.source}`,
    bandwidthLabel: `DRAM ${bandwidth.source}`,
  };
}

export interface Prediction {
  name: string;
  opType: string;
  intensity: number;
  /** Roofline time: (flops + otherOps) / attainable(intensity); null when the layer moves no bytes. */
  predictedMs: number | null;
  measuredMs: number;
  /** measured / predicted (> 1: slower than the roofline allows). */
  ratio: number | null;
}

/** The `limit` slowest measured layers with their roofline prediction. */
export function predictLayers(result: ProfileResult, basis: RooflineBasis, limit = 15): Prediction[] {
  const byName = new Map(result.nodes.map((n) => [n.name, n]));
  return (result.measured?.nodes ?? [])
    .filter((m) => m.ms > 0 && byName.has(m.name))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
    .map((m) => {
      const n = byName.get(m.name)!;
      const work = n.flops + n.otherOps;
      const gflops = n.intensity > 0 ? attainable(n.intensity, basis.computeGflops, basis.bandwidthGBs) : 0;
      const predictedMs = gflops > 0 && work > 0 ? (work / (gflops * 1e9)) * 1e3 : null;
      return { name: m.name, opType: n.opType, intensity: n.intensity, predictedMs, measuredMs: m.ms, ratio: predictedMs ? m.ms / predictedMs : null };
    });
}

/** Measured layers as roofline points: intensity against achieved GFLOP/s (ms > 0 only). */
export function measuredPoints(result: ProfileResult): Array<{ label: string; intensity: number; gflops: number }> {
  const byName = new Map(result.nodes.map((n) => [n.name, n]));
  return (result.measured?.nodes ?? []).flatMap((m) => {
    const n = byName.get(m.name);
    if (!n || !(m.ms > 0) || !(n.intensity > 0) || !(m.achievedGflops !== null && m.achievedGflops > 0)) return [];
    return [{ label: `${m.name} (${n.opType})`, intensity: n.intensity, gflops: m.achievedGflops }];
  });
}

// ---- numbers -------------------------------------------------------------------------------

/** Whole numbers with thousands separators, locale-independent: "1,235,496". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A compact SI figure: "1.24 M", "110.95 G", "512". */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const units: Array<[number, string]> = [
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const hit = units.find(([s]) => Math.abs(n) >= s);
  if (!hit) return String(Math.round(n));
  const v = n / hit[0];
  return `${v >= 100 ? v.toFixed(1) : v.toFixed(2)} ${hit[1]}`;
}
