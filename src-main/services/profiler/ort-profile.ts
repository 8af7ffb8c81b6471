/**
 * Reading ONNX Runtime's profile (Node main process / CLI; pure logic, no I/O): per graph node
 * kernel time and a Chrome-trace timeline that opens in Perfetto / chrome://tracing.
 *
 * ORT's profiler (SessionOptions.enableProfiling) writes a JSON array of Chrome trace events
 * ("X" complete events, ts/dur in µs from the start of profiling): cat "Session" for
 * model_loading, session_initialization and one `model_run` per InferenceSession.run; cat "Node"
 * for each kernel, named "<node name>_kernel_time" with args.op_name and args.provider (older
 * builds also emit "_fence_before"/"_fence_after", which we ignore). ORT keeps the graph's node
 * names for nodes it leaves alone or rewrites in place (Conv+BatchNorm folding keeps the Conv's
 * name); nodes it creates get new names ("fused <name>", "<name>/MatMulScaleFusion/",
 * "<tensor>_nchwc", "ReorderOutput", "SkipLayerNormalization"…). With an attribution from the
 * graph ORT optimised (ParseOptions.attribution) those kernels are given to the graph nodes they
 * compute; a kernel nothing claims is reported as unmapped.
 *
 * Only the timed runs count: node events are assigned to the `model_run` window that contains
 * them and the first (warm-up) windows are dropped, so first-run allocations and pre-packing
 * never enter the numbers.
 */
import { splitByWeight, type Attribution } from '../../../src-shared/profiler/attribution.js';
import { median } from '../../../src-shared/bench/accounting.js';

/**
 * ORT writes every event on one line as `{"cat" : "Node",…,"name" :"<name>","args" : {…}}`, with
 * the node name copied in raw: a quote, backslash or control character in a graph node name (any
 * model can have them) makes the file invalid JSON, or worse, valid JSON with events the model
 * author wrote into a name. Everything else in the file is ORT's own and well formed.
 */
const needsEscape = (name: string): boolean => [...name].some((c) => c === '"' || c === '\\' || c.charCodeAt(0) < 0x20);
/** What ORT appends to a node name in its event names. */
const NAME_SUFFIXES = ['_kernel_time', '_fence_before', '_fence_after', ''];
/** The end of a name value: its closing quote and ORT's `,"args" :` after it. */
const NAME_END = /"\s*,\s*"args"\s*:/y;
const NAME_END_SEARCH = /"\s*,\s*"args"\s*:/g;
const NAME_START = /"name"\s*:\s*"/g;

/**
 * Parses the text of ORT's profile file. When no graph node name needs escaping the text is
 * plain JSON. Otherwise every `"name" :"…"` value is re-escaped before parsing: a value that
 * starts with a graph node name needing escape (longest first), followed by one of ORT's suffixes
 * and the closing `","args" :`, is taken whole, so a name that imitates the end of an event stays
 * one name; any other value ends at the first `"` followed by `,"args" :` (ORT's own names, and
 * names it derives from tensor names). Throws a plain Error naming the problem when even the
 * repaired text is not JSON.
 */
export function parseOrtProfileText(text: string, graphNodeNames: Iterable<string>): unknown {
  const hostile = [...new Set(graphNodeNames)].filter(needsEscape).sort((a, b) => b.length - a.length);
  if (hostile.length === 0) {
    try {
      return JSON.parse(text);
    } catch {
      // A name ORT made from a tensor name can carry a quote as well: repair below.
    }
  }
  const closesAt = (at: number): boolean => {
    NAME_END.lastIndex = at;
    return NAME_END.test(text);
  };
  let out = '';
  let copied = 0;
  NAME_START.lastIndex = 0;
  for (let m = NAME_START.exec(text); m; m = NAME_START.exec(text)) {
    const start = m.index + m[0].length;
    let end = -1;
    for (const name of hostile) {
      if (!text.startsWith(name, start)) continue;
      const suffix = NAME_SUFFIXES.find((s) => text.startsWith(s, start + name.length) && closesAt(start + name.length + s.length));
      if (suffix !== undefined) {
        end = start + name.length + suffix.length;
        break;
      }
    }
    if (end < 0) {
      NAME_END_SEARCH.lastIndex = start;
      const close = NAME_END_SEARCH.exec(text);
      if (!close) break;
      end = close.index;
    }
    out += text.slice(copied, start) + JSON.stringify(text.slice(start, end)).slice(1, -1);
    copied = end;
    NAME_START.lastIndex = end + 1;
  }
  out += text.slice(copied);
  try {
    return JSON.parse(out);
  } catch (e) {
    throw new Error(`cannot read ONNX Runtime's profile (node names with characters ORT does not escape?): ${(e as Error).message}`);
  }
}

/** One event as ORT writes it (only the fields we read are typed). */
export interface OrtEvent {
  cat: string;
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

/** A Chrome Trace Event Format event (the subset we write: complete and metadata events). */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'M';
  /** µs. */
  ts: number;
  /** µs; complete ("X") events only. */
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

/** The JSON Object Format of the Chrome trace format ("traceEvents" + "displayTimeUnit"). */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData?: Record<string, string | number>;
}

export interface MeasuredNode {
  name: string;
  /** Kernel time per run: each of its kernels' median over the timed runs (with its share of fused kernels), summed. */
  ms: number;
  achievedGflops: number | null;
  opType: string;
  provider: string;
  /** ORT kernels under other names whose time this node holds (fused into them, or a layout helper of them). */
  kernels?: string[];
  /** True when part of `ms` is a share of a kernel that computes several graph nodes, split by predicted time. */
  split?: boolean;
}

/** An ORT kernel that is not one graph node under its own name: what it computes and how its time was given out. */
export interface KernelGroup {
  kernel: string;
  opType: string;
  /** 'fused': computes `members`; 'helper': a layout conversion or copy that joins the group of `helperOf`. */
  how: 'fused' | 'helper';
  helperOf?: string;
  members: string[];
  /** Kernel time per timed run. */
  ms: number;
  /** Split between several members by their predicted time. */
  split: boolean;
}

export interface ParsedProfile {
  nodes: MeasuredNode[];
  /** Kernels attributed through the optimised graph (fused nodes and helpers); empty without an attribution. */
  groups: KernelGroup[];
  unmapped: Array<{ name: string; ms: number; opType: string; provider: string }>;
  /** Graph nodes with no kernel event: folded as constants, removed, or fused into a neighbour that kept its own name. */
  notExecuted: string[];
  /** Number of timed `model_run` windows found. */
  timedRuns: number;
  /** Per timed run: wall time of ORT's model_run event in ms. */
  runMs: number[];
  trace: ChromeTrace;
}

export interface ParseOptions {
  /** Graph node name → op type. */
  graphNodes: ReadonlyMap<string, string>;
  /** Graph node name → flops + otherOps (per run), for achieved GFLOP/s; missing or 0 gives null. */
  ops?: ReadonlyMap<string, number>;
  /** Timed runs: the last `runs` model_run windows are kept. */
  runs: number;
  /** For the trace's process name. */
  label: string;
  threads: number;
  /**
   * Which graph nodes each kernel computes (src-shared/profiler/attribution.ts, from the graph ORT
   * optimised); without it a kernel maps to the graph node of its own name or to nothing.
   */
  attribution?: Attribution;
  /** Predicted time of a graph node: how a kernel's time is split between the several nodes it computes. */
  weight?: (node: string) => number;
  /**
   * The profiler's own cost in every kernel_time, and the least a kernel costs (µs, measured by
   * calibrate.ts measureProfilerCost): each kernel event counts max(dur − profilerUs, min(dur,
   * kernelUs)) toward its nodes. The trace keeps the durations ORT recorded.
   */
  profilerCost?: { profilerUs: number; kernelUs: number };
}

const KERNEL_SUFFIX = '_kernel_time';

function isEvent(e: unknown): e is OrtEvent {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.name === 'string' && typeof o.cat === 'string' && typeof o.ts === 'number';
}

/** Keeps the args that help reading a timeline; drops ORT's per-thread scheduling and arena counters. */
function traceArgs(args: Record<string, unknown> | undefined, mapped: boolean, ortName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!args) return out;
  if (typeof args.op_name === 'string') out.op_type = args.op_name;
  if (typeof args.provider === 'string') out.provider = args.provider;
  if (args.input_type_shape !== undefined) out.input_type_shape = args.input_type_shape;
  if (args.output_type_shape !== undefined) out.output_type_shape = args.output_type_shape;
  if (!mapped) out.ort_name = ortName;
  out.graph_node = mapped;
  return out;
}

/**
 * Turns ORT's profile events into per-node times and a normalised trace. Throws when the profile
 * holds fewer `model_run` windows than `runs` (a truncated or foreign file).
 */
/** The graph nodes a kernel computes, and how it was found (see ParseOptions.attribution). */
function membersOf(kernel: string, options: ParseOptions): { members: string[]; how: 'same' | 'fused' | 'helper'; helperOf?: string } | null {
  const a = options.attribution?.kernels.get(kernel);
  if (a && a.members.length > 0 && a.how !== 'unattributed') return { members: a.members, how: a.how, ...(a.helperOf ? { helperOf: a.helperOf } : {}) };
  return options.graphNodes.has(kernel) ? { members: [kernel], how: 'same' } : null;
}

export function parseOrtProfile(raw: unknown, options: ParseOptions): ParsedProfile {
  if (!Array.isArray(raw)) throw new Error('ONNX Runtime profile is not a JSON array of trace events');
  const events = raw.filter(isEvent);
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  if (runs.length < options.runs) {
    throw new Error(`ONNX Runtime profile holds ${runs.length} model_run events, expected at least ${options.runs}`);
  }
  const timed = runs.slice(runs.length - options.runs);
  const windowOf = (e: OrtEvent): number => {
    // Windows are sorted and disjoint; a linear scan is fine (a handful of runs).
    for (let i = 0; i < timed.length; i++) {
      const w = timed[i]!;
      if (e.ts >= w.ts && e.ts <= w.ts + (w.dur ?? 0)) return i;
    }
    return -1;
  };

  // Per ORT kernel: its time in each timed run (a kernel that runs twice in a run counts both).
  const perNode = new Map<string, { perRun: number[]; opType: string; provider: string; mapped: boolean }>();
  const origin = timed[0]?.ts ?? 0;
  // Runs get a track of their own (tid 1) and kernels one per ORT thread (tid 2…): a kernel's
  // end can pass its run's end by a rounding µs, and slices on one track must nest strictly.
  const RUN_TID = 1;
  const tids = new Map<number, number>();
  const tidOf = (t: number): number => {
    let v = tids.get(t);
    if (v === undefined) { v = tids.size + 2; tids.set(t, v); }
    return v;
  };
  const traceEvents: TraceEvent[] = [];
  const PID = 1;
  const cost = options.profilerCost;

  timed.forEach((w, i) => {
    traceEvents.push({ name: `run ${i + 1}`, cat: 'Session', ph: 'X', ts: w.ts - origin, dur: w.dur ?? 0, pid: PID, tid: RUN_TID, args: { run: i + 1 } });
  });

  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith(KERNEL_SUFFIX)) continue;
    const run = windowOf(e);
    if (run < 0) continue;
    const ortName = e.name.slice(0, -KERNEL_SUFFIX.length);
    const attributed = membersOf(ortName, options);
    const mapped = attributed !== null;
    const args = e.args ?? {};
    const opType = typeof args.op_name === 'string' ? args.op_name : (options.graphNodes.get(ortName) ?? '');
    const provider = typeof args.provider === 'string' ? args.provider : '';
    const dur = Math.max(0, e.dur ?? 0);
    const acc = perNode.get(ortName) ?? { perRun: new Array<number>(timed.length).fill(0), opType, provider, mapped };
    acc.perRun[run]! += cost ? Math.max(dur - cost.profilerUs, Math.min(dur, cost.kernelUs)) : dur;
    perNode.set(ortName, acc);
    traceEvents.push({
      name: ortName,
      cat: mapped ? 'Node' : 'Node (ORT-created)',
      ph: 'X',
      ts: e.ts - origin,
      dur,
      pid: PID,
      tid: tidOf(e.tid),
      args: { ...traceArgs(e.args, mapped, e.name), ...(attributed && attributed.how !== 'same' ? { graph_nodes: attributed.members } : {}) },
    });
  }
  traceEvents.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

  const meta: TraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: PID, tid: 0, args: { name: `ONNX Runtime — ${options.label} (${options.threads} intra-op thread${options.threads === 1 ? '' : 's'})` } },
  ];
  meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: RUN_TID, args: { name: 'session.run' } });
  for (const [, tid] of tids) {
    meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid, args: { name: tid === 2 ? 'kernels' : `kernels (thread ${tid - 1})` } });
  }

  // Everything below is µs per run.
  const perGraphNode = new Map<string, { us: number; opType: string; provider: string; kernels: Set<string>; split: boolean }>();
  const unmapped: ParsedProfile['unmapped'] = [];
  const groups: KernelGroup[] = [];
  for (const [name, kernel] of perNode) {
    // The kernel's median run, not its mean: one stall of the machine in one run (a VM's neighbour,
    // a page fault) otherwise lands whole on whichever kernel it hit.
    const acc = { ...kernel, us: median(kernel.perRun) };
    const attributed = membersOf(name, options);
    if (!attributed) {
      unmapped.push({ name, ms: acc.us / 1000, opType: acc.opType, provider: acc.provider });
      continue;
    }
    const { members, how } = attributed;
    const shares = members.length === 1 ? new Map([[members[0]!, acc.us]]) : splitByWeight(acc.us, members, options.weight ?? (() => 1));
    for (const [member, us] of shares) {
      const entry = perGraphNode.get(member) ?? { us: 0, opType: options.graphNodes.get(member) ?? acc.opType, provider: acc.provider, kernels: new Set<string>(), split: false };
      entry.us += us;
      if (member !== name) entry.kernels.add(name);
      if (members.length > 1) entry.split = true;
      perGraphNode.set(member, entry);
    }
    if (how !== 'same') {
      groups.push({ kernel: name, opType: acc.opType, how, ...(attributed.helperOf ? { helperOf: attributed.helperOf } : {}), members, ms: acc.us / 1000, split: members.length > 1 });
    }
  }
  const nodes: MeasuredNode[] = [];
  for (const [name, acc] of perGraphNode) {
    const ms = acc.us / 1000;
    const ops = options.ops?.get(name) ?? 0;
    nodes.push({
      name,
      ms,
      achievedGflops: ops > 0 && ms > 0 ? ops / (ms / 1000) / 1e9 : null,
      opType: acc.opType,
      provider: acc.provider,
      ...(acc.kernels.size ? { kernels: [...acc.kernels] } : {}),
      ...(acc.split ? { split: true } : {}),
    });
  }
  nodes.sort((a, b) => b.ms - a.ms);
  unmapped.sort((a, b) => b.ms - a.ms);
  groups.sort((a, b) => b.ms - a.ms);
  const notExecuted = [...options.graphNodes.keys()].filter((name) => !perGraphNode.has(name));

  return {
    nodes,
    groups,
    unmapped,
    notExecuted,
    timedRuns: timed.length,
    runMs: timed.map((w) => (w.dur ?? 0) / 1000),
    trace: {
      traceEvents: [...meta, ...traceEvents],
      displayTimeUnit: 'ms',
      otherData: { source: 'ONNX Runtime profiler (enableProfiling), normalised by FLOPscope', timedRuns: timed.length },
    },
  };
}

/** Nearest-rank percentile (p in (0, 100]) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

/**
 * Structural check of a Chrome trace (JSON Object Format) as Perfetto's legacy JSON importer
 * reads it: an object with a traceEvents array whose events all have a name, a phase, numeric
 * pid/tid/ts, and non-negative durations on complete events. Returns the problems found.
 */
export function validateChromeTrace(trace: unknown): string[] {
  const problems: string[] = [];
  if (typeof trace !== 'object' || trace === null) return ['not an object'];
  const t = trace as Record<string, unknown>;
  if (!Array.isArray(t.traceEvents)) return ['traceEvents is not an array'];
  if (t.displayTimeUnit !== undefined && t.displayTimeUnit !== 'ms' && t.displayTimeUnit !== 'ns') problems.push('displayTimeUnit must be "ms" or "ns"');
  t.traceEvents.forEach((e: unknown, i) => {
    const ev = e as Record<string, unknown>;
    if (typeof ev !== 'object' || ev === null) { problems.push(`event ${i} is not an object`); return; }
    if (typeof ev.name !== 'string') problems.push(`event ${i} has no name`);
    if (typeof ev.ph !== 'string') problems.push(`event ${i} has no phase`);
    for (const k of ['pid', 'tid', 'ts']) if (typeof ev[k] !== 'number' || !Number.isFinite(ev[k])) problems.push(`event ${i} has no numeric ${k}`);
    if (ev.ph === 'X' && (typeof ev.dur !== 'number' || ev.dur < 0)) problems.push(`event ${i} (X) has no non-negative dur`);
    if (ev.ph === 'M' && (typeof ev.args !== 'object' || ev.args === null || typeof (ev.args as Record<string, unknown>).name !== 'string')) problems.push(`metadata event ${i} has no args.name`);
  });
  if (problems.length > 0) return problems;
  // Complete events on one track must nest or be disjoint (Perfetto drops slices that overlap partially).
  const tracks = new Map<string, Array<{ ts: number; end: number; name: string }>>();
  for (const e of t.traceEvents as TraceEvent[]) {
    if (e.ph !== 'X') continue;
    const key = `${e.pid}/${e.tid}`;
    const list = tracks.get(key) ?? [];
    list.push({ ts: e.ts, end: e.ts + (e.dur ?? 0), name: e.name });
    tracks.set(key, list);
  }
  for (const [key, list] of tracks) {
    list.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const stack: Array<{ end: number; name: string }> = [];
    for (const s of list) {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= s.ts) stack.pop();
      const top = stack[stack.length - 1];
      if (top && s.end > top.end) problems.push(`track ${key}: '${s.name}' overlaps '${top.name}' without nesting`);
      stack.push(s);
    }
  }
  return problems;
}
