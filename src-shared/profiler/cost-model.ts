/**
 * The cost model of this machine (pure): a predicted time for every node of a counted model, from
 * what the machine's own benchmark measured, before the model runs.
 *
 * Per node (docs/profiler.md, "Predictions"):
 * - MatMul / Gemm / Conv: FLOPs at the throughput measured for the nearest shapes of the
 *   calibration grid (src-shared/bench/calibration.ts; nearest in log(rows), log(n), log(k) for
 *   products, in the reduction length and output size for convolutions), never faster than its
 *   bytes at the bandwidth below.
 * - Every other op: its bytes at the bandwidth the benchmark's read sweep measured for a working
 *   set of that size (L1, L2, L3 or DRAM, interpolated in log size) times the share of it ORT's
 *   element-wise kernels reach (the calibration's Mul), or its element operations at the compute
 *   rate if that is slower (a Sigmoid, Tanh or Erf at the rate the calibration's Sigmoid chain
 *   evaluates elements); a binary op that broadcasts one computed operand over
 *   the other runs slower by what the calibration measured for a per-channel broadcast Mul
 *   against a same-shape one.
 * - Plus a measured per-kernel overhead for every node that runs as a kernel of its own.
 * - Nodes ONNX Runtime folds before running (constants, shape arithmetic on constants) cost 0,
 *   and an element-wise epilogue that ORT fuses into the product before it (bias Add, BatchNorm,
 *   Relu/Clip/Sigmoid/…, with the product as its only producer and itself the product's only
 *   consumer) costs its operations at the compute rate, with neither bytes nor overhead. After a
 *   MatMul only what ORT's CPU fusions take counts (matmulAddFuses: a bias Add into a Gemm, which
 *   then takes an activation; a Mul/Div by a scalar constant).
 *
 * Without a calibration the model falls back to the benchmark's best fp32 GEMM (or, with no
 * benchmark, the theoretical peak) for every product, and says so in `basis`.
 */
import type { Calibration, ConvShapePoint, GemmShapePoint, LayoutPoint, OutputPoint } from '../bench/calibration.js';
import type { Refinement } from './refine.js';
import type { AttributeValue, ModelIR } from './ir.js';
import type { ProfileNode } from './types.js';

export interface DeviceModel {
  /** Measured per-shape throughput; null when the machine's benchmark has none (older runs, no benchmark). */
  calibration: Calibration | null;
  /** Products' throughput when there is no calibration: best measured fp32 GEMM, else the theoretical peak, GFLOP/s. */
  computeGflops: number;
  /** Read bandwidth against working-set bytes (ascending), from the benchmark's sweep; may be empty. */
  bandwidth: ReadonlyArray<{ bytes: number; GBs: number }>;
  /** DRAM bandwidth, GB/s: used beyond the sweep and when it is empty. */
  dramGBs: number;
  /** Read bandwidth against working-set bytes with one thread reading (the benchmark's one-thread sweep), when it has one. */
  bandwidth1?: ReadonlyArray<{ bytes: number; GBs: number }>;
  /** Per-kernel overhead when the calibration has none, µs. */
  overheadUs: number;
  /** Where every figure comes from, e.g. "benchmark run 12 of this machine (…)" or "theoretical peaks (no benchmark stored)". */
  basis: string;
  /** False when the figures are theoretical peaks, not measurements. */
  measured: boolean;
  /** Per-op-class factors fitted on this machine's measured profiles of other models (refine.ts); null when there are none. */
  refinement?: Refinement | null;
  /**
   * True where ONNX Runtime runs convolutions in its blocked NCHWc layout (x86-64 with AVX2 or
   * AVX-512: MLAS's NCHWc kernels), so a layout conversion is predicted wherever an NCHWc op meets
   * one that needs plain NCHW (layoutReorders below).
   */
  nchwc?: boolean;
}

export type Bound = 'compute' | 'memory' | 'overhead' | 'epilogue' | 'folded';

export interface NodePrediction {
  name: string;
  ms: number;
  bound: Bound;
}

export interface ModelPrediction {
  /** The nodes' times plus `outputsMs`. */
  latencyMs: number;
  nodes: NodePrediction[];
  /** Handing the graph's outputs back per run (outputSeconds); absent when the calibration did not measure it. */
  outputsMs?: number;
  basis: string;
  measured: boolean;
  /** The op-class factors applied (refine.ts), by op type; absent when none were. */
  factors?: Record<string, number>;
}

export interface GraphLinks {
  nodes: ReadonlyArray<{ name: string; opType: string; inputs: readonly string[]; outputs: readonly string[]; attributes?: Readonly<Record<string, AttributeValue>> }>;
  /** Names of graph inputs (values that change between runs). */
  inputs: Iterable<string>;
  /**
   * What ONNX Runtime's MatMul + Add fusion checks (matmulAddFuses below); without them (a graph
   * given by hand) every bias Add after a product is taken as fused.
   * - `outputs`: names of the graph's outputs;
   * - `constantDims`: the dims of each constant tensor (initializers and Constant nodes' values);
   * - `symbolicInputs`: whether a graph input has a symbolic dimension. FLOPscope runs the model
   *   without free-dimension overrides, so ORT optimises the graph with those dimensions unknown,
   *   whatever the profile binds them to.
   */
  outputs?: readonly string[];
  constantDims?: ReadonlyMap<string, readonly number[]>;
  symbolicInputs?: boolean;
}

/** A model's graph as predictModel reads it. */
export function graphLinks(model: ModelIR): GraphLinks {
  const constantDims = new Map<string, readonly number[]>(model.graph.initializers.map((i) => [i.name, i.dims]));
  for (const n of model.graph.nodes) {
    const value = n.attributes.value;
    if (n.opType === 'Constant' && value?.type === 'tensor' && n.outputs[0]) constantDims.set(n.outputs[0], value.value.dims);
  }
  return {
    nodes: model.graph.nodes,
    inputs: model.graph.inputs.map((t) => t.name),
    outputs: model.graph.outputs.map((t) => t.name),
    constantDims,
    symbolicInputs: model.graph.inputs.some((t) => !constantDims.has(t.name) && (t.shape ?? []).some((d) => typeof d === 'string')),
  };
}

/** Each node's first output tensor → its counted shape (the one map the layout and broadcast rules read). */
function outputShapes(graph: GraphLinks, nodes: readonly ProfileNode[]): Map<string, number[]> {
  const byName = new Map(nodes.map((n) => [n.name, n] as const));
  const shapes = new Map<string, number[]>();
  for (const g of graph.nodes) {
    const shape = byName.get(g.name)?.outputShape;
    if (shape && g.outputs[0]) shapes.set(g.outputs[0], shape);
  }
  return shapes;
}

const elementsOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const PRODUCTS = new Set(['MatMul', 'Gemm', 'FusedMatMul', 'MatMulInteger', 'QLinearMatMul']);
const CONVS = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'FusedConv']);
/** Element-wise ops ORT fuses into a product or convolution before them (Conv+activation, MatMul+bias, Conv+BN). */
const EPILOGUE = new Set(['Add', 'BatchNormalization', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'Tanh', 'Mul', 'Div', 'Sub']);
/** Ops that never move data in ONNX Runtime's CPU provider (views or shape metadata). */
const METADATA = new Set(['Shape', 'Size', 'Constant', 'Identity', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Dropout']);

const log = Math.log;

/** Throughput of a product from the grid's nearest points (inverse-distance in log shape space, 3 nearest). */
function gemmRate(points: readonly GemmShapePoint[], rows: number, n: number, k: number): number | null {
  if (points.length === 0) return null;
  const scored = points.map((p) => ({ p, d: Math.hypot(log(p.batch * p.m) - log(rows), log(p.n) - log(n), log(p.k) - log(k)) }));
  return idw(scored.map((s) => ({ d: s.d, v: s.p.gflops })));
}

/** A convolution's kind and shape, from its attributes and counted output (NCHW). */
interface ConvShape {
  kind: 'pointwise' | 'depthwise' | 'dense' | 'grouped';
  rows: number;
  cin: number;
  cout: number;
  size: number;
  kernelArea: number;
  stride: number;
  reduction: number;
}

const ints = (a: AttributeValue | undefined): number[] | null => (a?.type === 'ints' ? a.value : null);
const int = (a: AttributeValue | undefined): number | null => (a?.type === 'int' ? a.value : null);

function convShape(node: ProfileNode, attributes: Readonly<Record<string, AttributeValue>> | undefined): ConvShape | null {
  const out = node.outputShape;
  if (!out || out.length !== 4 || node.macs <= 0) return null;
  const [n, cout, h, w] = out as [number, number, number, number];
  const outElems = n * cout * h * w;
  const reduction = node.macs / outElems;
  const kernel = ints(attributes?.kernel_shape);
  const kernelArea = kernel ? kernel.reduce((a, b) => a * b, 1) : null;
  const group = int(attributes?.group) ?? 1;
  const stride = Math.max(...(ints(attributes?.strides) ?? [1]));
  // Without attributes, a reduction over a kernel window alone (≤ 7×7) is taken as depthwise.
  const area = kernelArea ?? (reduction <= 49 ? reduction : 9);
  const cin = Math.round((reduction / area) * group);
  const kind = area === 1 && group === 1 ? 'pointwise' : group > 1 && group === cout && cin === cout ? 'depthwise' : group > 1 ? 'grouped' : (kernelArea === null && reduction <= 49 ? 'depthwise' : 'dense');
  return { kind, rows: n * h * w, cin, cout, size: Math.sqrt(h * w), kernelArea: area, stride, reduction };
}

/**
 * Throughput of a convolution. A 1×1 convolution uses the calibration's 1×1 convolution points,
 * nearest in (output size, fewer channels, more channels): they are measured as ORT runs them (on
 * x86 its blocked NCHWc kernels, which a short reduction slows far more than MatMul's), each pair
 * in both directions. Calibrations from before those points use the GEMM points, the product
 * (H·W) × C_in · C_in × C_out. Depthwise, dense and grouped ones use the convolution points of
 * their kind, nearest in (reduction length, output size, stride).
 */
function convRate(calibration: Calibration, c: ConvShape): number | null {
  if (c.kind === 'pointwise') {
    const pointwise = calibration.conv.filter((p) => p.kernel === 1 && p.groups === 1 && p.stride === 1);
    // The squeeze-and-excitation point (1×1 image) alone says nothing of a convolution over an image.
    if (!pointwise.some((p) => p.size > 1)) return gemmRate(calibration.gemm, c.rows, c.cout, c.cin);
    const lo = Math.min(c.cin, c.cout);
    const hi = Math.max(c.cin, c.cout);
    return idw(
      pointwise.map((p) => {
        const pin = p.inChannels ?? p.channels;
        return { d: Math.hypot(log(p.size) - log(c.size), log(Math.min(pin, p.channels)) - log(lo), log(Math.max(pin, p.channels)) - log(hi)), v: p.gflops };
      }),
    );
  }
  const ofKind = (p: ConvShapePoint): ConvShape['kind'] => (p.kernel === 1 && p.groups === 1 ? 'pointwise' : p.groups === 1 ? 'dense' : p.groups === p.channels ? 'depthwise' : 'grouped');
  const pool = calibration.conv.filter((p) => ofKind(p) === c.kind);
  const use = pool.length ? pool : calibration.conv;
  if (use.length === 0) return null;
  return idw(
    use.map((p) => ({
      d: Math.hypot(log(((p.inChannels ?? p.channels) / p.groups) * p.kernel * p.kernel) - log(c.reduction), log(p.size) - log(c.size), p.stride === c.stride ? 0 : 1, c.kind === 'depthwise' ? log(p.channels) - log(c.cout) : 0),
      v: p.gflops,
    })),
  );
}

function idw(scored: Array<{ d: number; v: number }>): number {
  scored.sort((a, b) => a.d - b.d);
  const near = scored.slice(0, 3);
  if (near[0]!.d < 1e-9) return near[0]!.v;
  let wsum = 0;
  let vsum = 0;
  for (const s of near) {
    const w = 1 / (s.d * s.d);
    wsum += w;
    vsum += w * log(s.v);
  }
  return Math.exp(vsum / wsum);
}

/** Bandwidth for a working set, GB/s: the sweep interpolated in log size, DRAM beyond it. */
export function bandwidthFor(device: DeviceModel, bytes: number): number {
  const sweep = device.bandwidth;
  if (sweep.length === 0 || bytes >= sweep[sweep.length - 1]!.bytes) return device.dramGBs;
  return sweepAt(sweep, bytes);
}

/** GB/s of a sweep (ascending bytes, non-empty) at `bytes`: log-interpolated inside it, its end points' figures beyond. */
function sweepAt(sweep: ReadonlyArray<{ bytes: number; GBs: number }>, bytes: number): number {
  if (bytes <= sweep[0]!.bytes) return sweep[0]!.GBs;
  for (let i = 1; i < sweep.length; i++) {
    const a = sweep[i - 1]!;
    const b = sweep[i]!;
    if (bytes <= b.bytes) {
      const t = (log(bytes) - log(a.bytes)) / (log(b.bytes) - log(a.bytes));
      return Math.exp(log(a.GBs) + t * (log(b.GBs) - log(a.GBs)));
    }
  }
  return sweep[sweep.length - 1]!.GBs;
}

/**
 * Read bandwidth for a working set of `bytes` with one thread reading, from the benchmark's
 * one-thread sweep (log-interpolated inside it, its end points' figures beyond); null without one.
 */
export function singleThreadBandwidthFor(device: DeviceModel, bytes: number): number | null {
  const sweep = device.bandwidth1 ?? [];
  return sweep.length === 0 ? null : sweepAt(sweep, bytes);
}

/** Names of nodes whose every input is a constant (initializer or folded value): ORT folds them at load time. */
function foldedNodes(graph: GraphLinks): Set<string> {
  const live = new Set(graph.inputs);
  const folded = new Set<string>();
  for (const n of graph.nodes) {
    const dynamic = n.inputs.some((t) => t && live.has(t));
    if (dynamic && n.opType !== 'Shape' && n.opType !== 'Size') n.outputs.forEach((t) => live.add(t));
    else folded.add(n.name);
  }
  return folded;
}

/**
 * The Mul of a SiLU exported as x·sigmoid(x): ORT's QuickGeluFusion runs the pair as one kernel,
 * whose pace is the Sigmoid's, so the Mul adds only its operations.
 */
function siluMuls(graph: GraphLinks): Set<string> {
  const producer = new Map<string, { opType: string; inputs: readonly string[] }>();
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) {
    n.outputs.forEach((t) => producer.set(t, n));
    n.inputs.forEach((t) => t && consumers.set(t, (consumers.get(t) ?? 0) + 1));
  }
  const out = new Set<string>();
  for (const n of graph.nodes) {
    if (n.opType !== 'Mul' || n.inputs.length !== 2) continue;
    const [a, b] = n.inputs as [string, string];
    const sig = [a, b].find((t) => producer.get(t)?.opType === 'Sigmoid');
    if (!sig || consumers.get(sig) !== 1) continue;
    const x = sig === a ? b : a;
    if (producer.get(sig)!.inputs[0] === x) out.add(n.name);
  }
  return out;
}

type LinkedNode = GraphLinks['nodes'][number];

/**
 * Whether ONNX Runtime's MatMulAddFusion turns this MatMul and the Add after it into one Gemm
 * (onnxruntime/core/optimizer/matmul_add_fusion.cc, level 2, CPU): the weight is a 2-D constant;
 * the bias is 1-D of the product's N (or, for a 2-D input, [1, N], [M, N] or [M, 1]); the MatMul's
 * output goes to the Add only and is no graph output; and an input of rank above 2 is reshaped
 * to 2-D around the Gemm only when its shape is fully known while ORT optimises — never with a
 * symbolic graph input here — and is not the output of attention (Softmax → MatMul → Transpose →
 * Reshape), which that fusion leaves to the attention fusions. Without the graph's constants
 * (a graph given by hand) the bias Add is taken as fused.
 */
function matmulAddFuses(graph: GraphLinks, matmul: LinkedNode, add: LinkedNode, producer: ReadonlyMap<string, LinkedNode>, rank: number | undefined): boolean {
  const dims = graph.constantDims;
  if (!dims) return true;
  if (graph.outputs?.includes(matmul.outputs[0] ?? '')) return false;
  const weight = dims.get(matmul.inputs[1] ?? '');
  if (!weight || weight.length !== 2) return false;
  const n = weight[1]!;
  const bias = dims.get(add.inputs.find((t) => t !== matmul.outputs[0]) ?? '');
  if (!bias) return false;
  if (rank === 2) return (bias.length === 1 && bias[0] === n) || (bias.length === 2 && (bias[1] === n || bias[1] === 1));
  if (bias.length !== 1 || bias[0] !== n || graph.symbolicInputs !== false) return false;
  const from = (node: LinkedNode | undefined, opType: string): LinkedNode | undefined => (node?.opType === opType ? producer.get(node.inputs[0] ?? '') : undefined);
  const afterAttention = from(from(from(producer.get(matmul.inputs[0] ?? ''), 'Reshape'), 'Transpose'), 'MatMul')?.opType === 'Softmax';
  return !afterAttention;
}

/**
 * Element-wise nodes that ORT fuses into the product or convolution before them. A MatMul takes
 * only what ORT's CPU fusions give it: a bias Add when MatMulAddFusion applies (after which the
 * Gemm takes an activation, GemmActivationFusion) and a Mul/Div by a scalar constant (MatMulScaleFusion);
 * an activation straight after a MatMul runs as a kernel of its own.
 */
function epilogueNodes(graph: GraphLinks, shapes: ReadonlyMap<string, number[]>, folded: ReadonlySet<string>): Map<string, string> {
  const producer = new Map<string, LinkedNode>();
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) {
    n.outputs.forEach((t) => producer.set(t, n));
    n.inputs.forEach((t) => t && consumers.set(t, (consumers.get(t) ?? 0) + 1));
  }
  // Epilogue → the op type of the product or convolution at the head of its chain.
  const fusedInto = new Map<string, string>();
  for (const n of graph.nodes) {
    if (!EPILOGUE.has(n.opType)) continue;
    // Constants ORT folds (a BatchNormalization's mean from a Constant node) are no source: only computed inputs count.
    const sources = n.inputs.map((t) => producer.get(t)).filter((p) => p !== undefined && !folded.has(p.name));
    if (sources.length !== 1) continue;
    const src = sources[0]!;
    const head = PRODUCTS.has(src.opType) || CONVS.has(src.opType) ? src.opType : fusedInto.get(src.name);
    const only = n.inputs.filter((t) => producer.get(t) === src).every((t) => consumers.get(t) === 1);
    if (!head || !only) continue;
    if (src.opType === 'MatMul' && graph.constantDims) {
      const fuses = n.opType === 'Add'
        ? matmulAddFuses(graph, src, n, producer, shapes.get(src.outputs[0] ?? '')?.length)
        : (n.opType === 'Mul' || n.opType === 'Div') && n.inputs.some((t) => t !== src.outputs[0] && graph.constantDims!.get(t)?.every((d) => d === 1));
      if (!fuses) continue;
    }
    fusedInto.set(n.name, head);
  }
  return fusedInto;
}

/** Fused activations (not the bias, BatchNormalization or scale, which ORT folds into the weights or the product). */
const ACTIVATIONS = new Set(['Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'Tanh']);

/**
 * An activation fused into the kernel before it is still a pass over that kernel's output: MLAS
 * computes the product or convolution, then applies the activation to the output it wrote
 * (MlasActivation; onnxruntime/core/mlas/lib/activate.cpp), except a Relu inside its NCHWc
 * convolution kernels (snchwc.cpp, MLAS_CONV_KERNEL_FLAG_RELU_ACTIVATION). Measured on the Zen 5
 * VM (2 threads, 2026-12-08), per depthwise 3×3 convolution on 144×56²: 50 µs alone, 48–55 with a
 * Relu, 77–91 with a Clip (ReLU6): the Clip's 27–41 µs is its 1.8 MB output read and written at
 * the sweep's ~115 GB/s. So the activation costs that pass: its output read and written at the
 * bandwidth of that working set (as an element-wise kernel, without a kernel's overhead), or its
 * operations at the compute rate when that is slower.
 */
function activationPassMs(node: ProfileNode, device: DeviceModel, head: string): number {
  if (!ACTIVATIONS.has(node.opType) || (node.opType === 'Relu' && CONVS.has(head) && device.nchwc)) return 0;
  const bytes = 2 * node.bytesWritten;
  return bytes > 0 ? (bytes / (bandwidthFor(device, bytes) * elementwiseEfficiency(device) * 1e9)) * 1000 : 0;
}

/**
 * How much slower a per-channel broadcast element-wise op moves its bytes than a same-shape one,
 * from the calibration's two Mul points (1 when not measured).
 */
function broadcastPenalty(calibration: Calibration | null): number {
  const same = calibration?.elementwise?.find((p) => p.broadcast === 'none' && (p.op ?? 'Mul') === 'Mul')?.GBs;
  const channel = calibration?.elementwise?.find((p) => p.broadcast === 'channel' && (p.op ?? 'Mul') === 'Mul')?.GBs;
  return same && channel ? Math.max(1, same / channel) : 1;
}

/** Binary element-wise nodes whose two computed operands differ in size (a broadcast such as a squeeze-and-excitation scale). */
function broadcastNodes(graph: GraphLinks, shapes: ReadonlyMap<string, number[]>): Set<string> {
  const out = new Set<string>();
  for (const g of graph.nodes) {
    if (!BINARY.has(g.opType)) continue;
    const sizes = g.inputs.map((t) => shapes.get(t)).filter((v) => v !== undefined).map(elementsOf);
    if (sizes.length === 2 && sizes[0] !== sizes[1]) out.add(g.name);
  }
  return out;
}

const BINARY = new Set(['Add', 'Mul', 'Sub', 'Div']);

/** Element-wise transcendentals, paced by their exp/erf/tanh evaluation more than by bytes. */
const TRANSCENDENTAL = new Set(['Sigmoid', 'Tanh', 'Erf', 'Exp', 'HardSwish', 'Softplus', 'Gelu', 'QuickGelu']);

/** Elements per second ORT's Sigmoid kernel evaluates (the calibration's Sigmoid chain); null when not measured. */
function transcendentalRate(calibration: Calibration | null): number | null {
  const p = calibration?.elementwise?.find((e) => e.op === 'Sigmoid');
  return p ? p.elements / p.medianSeconds : null;
}

/**
 * How close ONNX Runtime's element-wise kernels come to the read sweep's bandwidth: the
 * calibration's same-shape Mul (read two tensors, write one) against the sweep at that working
 * set, at most 1 (1 when not measured).
 */
function elementwiseEfficiency(device: DeviceModel): number {
  const p = device.calibration?.elementwise?.find((e) => e.broadcast === 'none' && (e.op ?? 'Mul') === 'Mul');
  if (!p) return 1;
  return Math.min(1, p.GBs / bandwidthFor(device, p.elements * 4 * 3));
}

function predictNode(node: ProfileNode, device: DeviceModel, overheadMs: number, attributes?: Readonly<Record<string, AttributeValue>>, broadcast = false): NodePrediction {
  const bytes = node.bytesRead + node.bytesWritten;
  const kernelBandwidth = PRODUCTS.has(node.opType) || CONVS.has(node.opType) ? 1 : elementwiseEfficiency(device);
  const memMs = bytes > 0 ? ((bytes / (bandwidthFor(device, bytes) * kernelBandwidth * 1e9)) * 1000) * (broadcast ? broadcastPenalty(device.calibration) : 1) : 0;
  let rate: number | null = null;
  const out = node.outputShape ?? [];
  const outElems = out.reduce((a, b) => a * b, 1);
  if (PRODUCTS.has(node.opType) && out.length >= 2 && node.macs > 0) {
    const n = out[out.length - 1]!;
    const rows = outElems / n;
    const k = node.macs / outElems;
    rate = device.calibration ? gemmRate(device.calibration.gemm, rows, n, k) : null;
  } else if (CONVS.has(node.opType) && device.calibration) {
    const shape = convShape(node, attributes);
    rate = shape ? convRate(device.calibration, shape) : null;
  }
  const computeRate = rate ?? device.computeGflops;
  const work = node.flops + node.otherOps;
  let computeMs = work > 0 ? (work / (computeRate * 1e9)) * 1000 : 0;
  const evaluations = TRANSCENDENTAL.has(node.opType) ? transcendentalRate(device.calibration) : null;
  if (evaluations !== null) computeMs = Math.max(computeMs, (outElems / evaluations) * 1000);
  if (computeMs === 0 && memMs === 0) return { name: node.name, ms: overheadMs, bound: 'overhead' };
  const bound: Bound = computeMs >= memMs ? 'compute' : 'memory';
  const floor = PRODUCTS.has(node.opType) || CONVS.has(node.opType) ? smallestKernelMs(device.calibration) : 0;
  if (floor > overheadMs + Math.max(computeMs, memMs)) return { name: node.name, ms: floor, bound: 'overhead' };
  return { name: node.name, ms: overheadMs + Math.max(computeMs, memMs), bound };
}

/**
 * The least a product or convolution costs, ms: the calibration's smallest convolution (1×1 on a
 * 1×1 image), whose time is ORT's thread-pool dispatch, not its work; 0 when not measured.
 */
function smallestKernelMs(calibration: Calibration | null): number {
  const tiny = calibration?.conv.find((p) => p.size === 1 && p.kernel === 1);
  return tiny ? tiny.medianSeconds * 1000 : 0;
}

/** Ops ORT's NchwcTransformer runs in the blocked layout (onnxruntime/core/optimizer/nchwc_transformer.cc). */
const NCHWC_CORE = new Set(['Conv', 'FusedConv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);
/** Element-wise ops that run in whatever layout their input has (same-shape binary ops only). */
const LAYOUT_AGNOSTIC = new Set(['Relu', 'Clip', 'Sigmoid', 'Tanh', 'HardSigmoid', 'LeakyRelu', 'Add', 'Sum', 'Mul', 'BatchNormalization']);
/** NCHWc blocks channels by 8 (AVX2) or 16 (AVX-512); a tensor whose channels do not divide by 8 stays plain. */
const NCHWC_BLOCK = 8;

/**
 * Seconds of one layout kernel (`reorderInputSeconds`, `reorderOutputSeconds` or
 * `broadcastMulSeconds`) on a [1, C, H, W] tensor, from the calibration's layout point nearest in
 * log channels and log image size, scaled by the tensor's elements against the point's; null when
 * the calibration has no layout points. Nearest rather than interpolated: these costs do not
 * follow size (see LayoutPoint), and the grid is the shapes networks use.
 */
function layoutSeconds(calibration: Calibration | null, shape: readonly number[], what: 'reorderInputSeconds' | 'reorderOutputSeconds' | 'broadcastMulSeconds'): number | null {
  const points = calibration?.layout;
  if (!points?.length || shape.length !== 4) return null;
  const channels = shape[1]!;
  const spatial = shape[2]! * shape[3]!;
  if (channels < 1 || spatial < 1) return null;
  let best: LayoutPoint | null = null;
  let bestDistance = Infinity;
  for (const p of points) {
    const d = Math.hypot(Math.log2(channels / p.channels), Math.log2(spatial / (p.size * p.size)));
    if (d < bestDistance) [best, bestDistance] = [p, d];
  }
  return best![what] * (elementsOf(shape) / (best!.channels * best!.size * best!.size));
}

/**
 * The layout conversions ORT inserts (ReorderInput / ReorderOutput), as extra time on the node
 * whose kernel group they join (attribution.ts: a helper joins the group of the node that
 * produces its input, else of its first consumer). A tensor is blocked when an NCHWc op produced
 * it, or a layout-agnostic op from a blocked input with equal input shapes; a plain tensor into an
 * NCHWc op is reordered once (however many such ops read it), a blocked one into an op that needs
 * NCHW once too. Each costs the calibration's measured time at the nearest layout point; without
 * one, a copy of the tensor (read and write) at the bandwidth of its size, plus one kernel's overhead.
 */
function layoutReorders(graph: GraphLinks, shapeOf: ReadonlyMap<string, number[]>, device: DeviceModel, overheadMs: number, folded: ReadonlySet<string>): Map<string, number> {
  const blocked = new Set<string>();
  // Constants (Clip's bounds, a folded shape) are no layout's: Conv → Clip stays blocked.
  const constant = new Set(graph.nodes.filter((g) => folded.has(g.name)).flatMap((g) => g.outputs));
  const channelsOk = (t: string): boolean => {
    const shape = shapeOf.get(t);
    return Boolean(shape && shape.length === 4 && shape[1]! % NCHWC_BLOCK === 0);
  };
  const extra = new Map<string, number>();
  const done = new Set<string>();
  const charge = (node: string, t: string, what: 'reorderInputSeconds' | 'reorderOutputSeconds'): void => {
    const key = `${what}:${t}`;
    const shape = shapeOf.get(t);
    const bytes = shape ? 2 * elementsOf(shape) * 4 : 0;
    if (bytes === 0 || done.has(key)) return;
    done.add(key);
    const measured = layoutSeconds(device.calibration, shape!, what);
    const ms = measured !== null ? measured * 1000 : (bytes / (bandwidthFor(device, bytes) * 1e9)) * 1000;
    extra.set(node, (extra.get(node) ?? 0) + overheadMs + ms);
  };
  const producerOf = new Map<string, string>();
  for (const g of graph.nodes) {
    const dynamicInputs = g.inputs.filter((t) => t && shapeOf.has(t) && !constant.has(t));
    const sameShapes = dynamicInputs.every((t) => JSON.stringify(shapeOf.get(t)) === JSON.stringify(shapeOf.get(dynamicInputs[0]!)));
    const core = NCHWC_CORE.has(g.opType);
    const agnostic = LAYOUT_AGNOSTIC.has(g.opType) && sameShapes;
    for (const t of dynamicInputs) {
      if (core && !blocked.has(t) && channelsOk(t) && producerOf.has(t)) charge(producerOf.get(t)!, t, 'reorderInputSeconds');
      if (!core && !agnostic && blocked.has(t)) charge(producerOf.get(t)!, t, 'reorderOutputSeconds');
    }
    const out = g.outputs[0];
    if (!out) continue;
    producerOf.set(out, g.name);
    if ((core && channelsOk(out)) || (agnostic && dynamicInputs.some((t) => blocked.has(t)))) blocked.add(out);
  }
  return extra;
}

/**
 * A kernel described by its work rather than by a graph node: what the attention lab, the
 * planner's "this machine" and the LLM predictions cost with the same model as the profiler.
 * - `product`: a (batched) matrix product, rows × k · k × n (rows includes the batch), FLOPs 2·rows·n·k;
 * - `memory`: an element-wise / normalisation / softmax kernel that moves `bytes` and does `ops` operations.
 * `bytes` is what the kernel reads and writes; its bandwidth is that of its working set.
 */
export type Kernel =
  | { kind: 'product'; rows: number; n: number; k: number; bytes: number }
  | { kind: 'memory'; bytes: number; ops?: number; transcendental?: boolean };

/** A kernel's predicted time on the device, ms (one kernel's overhead included), by the same rules as a graph node's. */
export function kernelMs(device: DeviceModel, kernel: Kernel): number {
  const overheadMs = (device.calibration?.overheadUs ?? device.overheadUs) / 1000;
  const node: ProfileNode = kernel.kind === 'product'
    ? { name: 'kernel', opType: 'MatMul', outputShape: [kernel.rows, kernel.n], params: 0, macs: kernel.rows * kernel.n * kernel.k, flops: 2 * kernel.rows * kernel.n * kernel.k, otherOps: 0, bytesRead: kernel.bytes, bytesWritten: 0, intensity: 0, block: null, counted: true }
    : { name: 'kernel', opType: kernel.transcendental ? 'Sigmoid' : 'Softmax', outputShape: [Math.max(1, Math.round(kernel.bytes / 8))], params: 0, macs: 0, flops: 0, otherOps: kernel.ops ?? 0, bytesRead: kernel.bytes, bytesWritten: 0, intensity: 0, block: null, counted: true };
  const factor = device.refinement?.factors.find((f) => f.opType === node.opType)?.factor;
  const ms = predictNode(node, device, overheadMs).ms;
  return factor === undefined ? ms : overheadMs + (ms - overheadMs) * factor;
}

/**
 * Seconds a run spends handing back graph outputs of `bytes` beyond their kernels, from the
 * calibration's output points: the measured seconds per byte of the nearest sizes (interpolated in
 * log size, the end points' rate beyond them) times `bytes`. Null without output points.
 */
export function outputSeconds(points: readonly OutputPoint[] | undefined, bytes: number): number | null {
  const pts = (points ?? []).filter((p) => p.bytes > 0 && p.seconds >= 0).sort((a, b) => a.bytes - b.bytes);
  if (pts.length === 0) return null;
  if (bytes <= 0) return 0;
  const rate = (p: OutputPoint) => p.seconds / p.bytes;
  if (bytes <= pts[0]!.bytes) return rate(pts[0]!) * bytes;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (bytes <= b.bytes) {
      const t = (log(bytes) - log(a.bytes)) / (log(b.bytes) - log(a.bytes));
      return (rate(a) + t * (rate(b) - rate(a))) * bytes;
    }
  }
  return rate(pts[pts.length - 1]!) * bytes;
}

/** Bytes of the graph's outputs, each from the node that writes it (its bytes written, when the output is that node's only one). */
function graphOutputBytes(graph: GraphLinks, nodes: readonly ProfileNode[]): number {
  const written = new Map(nodes.map((n) => [n.name, n.bytesWritten] as const));
  const wanted = new Set(graph.outputs ?? []);
  let bytes = 0;
  for (const g of graph.nodes) {
    if (g.outputs.length === 1 && wanted.has(g.outputs[0]!)) bytes += written.get(g.name) ?? 0;
  }
  return bytes;
}

/**
 * The predicted time of every node and of the model: their sum (ORT runs one kernel at a time
 * here), plus handing the graph's outputs back, which happens outside every kernel.
 */
export function predictModel(graph: GraphLinks, nodes: readonly ProfileNode[], device: DeviceModel): ModelPrediction {
  const overheadMs = (device.calibration?.overheadUs ?? device.overheadUs) / 1000;
  const folded = foldedNodes(graph);
  const shapes = outputShapes(graph, nodes);
  const epilogue = epilogueNodes(graph, shapes, folded);
  for (const m of siluMuls(graph)) epilogue.set(m, 'Sigmoid');
  const factorOf = new Map((device.refinement?.factors ?? []).map((f) => [f.opType, f.factor] as const));
  const attributesOf = new Map(graph.nodes.map((n) => [n.name, n.attributes] as const));
  const reorders = device.nchwc ? layoutReorders(graph, shapes, device, overheadMs, folded) : new Map<string, number>();
  const broadcasts = broadcastNodes(graph, shapes);
  const applied: Record<string, number> = {};
  const predictions = nodes.map((n): NodePrediction => {
    // A reorder joins its producer's kernel group even when the producer itself runs inside another kernel.
    const reorder = reorders.get(n.name) ?? 0;
    if (folded.has(n.name) || METADATA.has(n.opType)) return { name: n.name, ms: reorder, bound: 'folded' };
    const head = epilogue.get(n.name);
    if (head !== undefined) return { name: n.name, ms: Math.max(((n.flops + n.otherOps) / (device.computeGflops * 1e9)) * 1000, activationPassMs(n, device, head)) + reorder, bound: 'epilogue' };
    const broadcastSeconds = broadcasts.has(n.name) ? layoutSeconds(device.calibration, n.outputShape ?? [], 'broadcastMulSeconds') : null;
    const predicted: NodePrediction = broadcastSeconds !== null
      ? { name: n.name, ms: overheadMs + broadcastSeconds * 1000, bound: 'memory' }
      : predictNode(n, device, overheadMs, attributesOf.get(n.name), broadcasts.has(n.name));
    const p = { ...predicted, ms: predicted.ms + reorder };
    const factor = factorOf.get(n.opType);
    // A per-channel broadcast Mul timed from the calibration's own point is a measurement of that
    // kernel, as a product or convolution is: no class factor fitted on other models' Muls moves it.
    if (factor === undefined || broadcastSeconds !== null) return p;
    applied[n.opType] = factor;
    return { ...p, ms: overheadMs + (p.ms - overheadMs) * factor };
  });
  const refined = device.refinement && Object.keys(applied).length
    ? `; op-class factors fitted on this machine's measured profiles of ${device.refinement.fittedOn.length} other model${device.refinement.fittedOn.length === 1 ? '' : 's'} (${Object.entries(applied).sort((a, b) => Math.abs(Math.log(b[1])) - Math.abs(Math.log(a[1]))).slice(0, 4).map(([t, f]) => `${t} ${f.toFixed(2)}×`).join(', ')})`
    : '';
  const outBytes = graphOutputBytes(graph, nodes);
  const outSeconds = outputSeconds(device.calibration?.outputs, outBytes);
  const outputsMs = outSeconds === null ? undefined : outSeconds * 1000;
  const outputs = outputsMs === undefined || outBytes === 0
    ? ''
    : `; graph outputs ${(outBytes / 2 ** 20).toFixed(outBytes < 2 ** 20 ? 2 : 1)} MiB handed back per run, ${outputsMs.toFixed(2)} ms at the rate measured for new memory here`;
  return {
    latencyMs: predictions.reduce((a, p) => a + p.ms, 0) + (outputsMs ?? 0),
    nodes: predictions,
    ...(outputsMs !== undefined ? { outputsMs } : {}),
    basis: device.basis + refined + outputs,
    measured: device.measured,
    ...(Object.keys(applied).length ? { factors: applied } : {}),
  };
}

/** The device model from a stored benchmark result (the newest of this machine). */
export function deviceModelFromBench(
  bench: {
    gemm?: { best: Partial<Record<string, number>> };
    memory?: { sweep: ReadonlyArray<{ bytes: number; GBs: number }>; singleThreadSweep?: ReadonlyArray<{ bytes: number; GBs: number }>; levels: ReadonlyArray<{ name: string; GBs: number }>; triadGBs: number };
    calibration?: Calibration;
  },
  label: string,
  fallback: { computeGflops: number; dramGBs: number },
): DeviceModel {
  const fp32 = bench.gemm?.best.fp32;
  // STREAM triad, as the roofline's measured DRAM ceiling (and so the planner, the attention lab and
  // the quantization fallback, src-main/services/hardware/measured-device.ts): one DRAM figure.
  const dram = bench.memory?.triadGBs || bench.memory?.levels.find((l) => l.name === 'DRAM')?.GBs;
  const clean = (points: ReadonlyArray<{ bytes: number; GBs: number }>) => [...points].filter((p) => p.bytes > 0 && p.GBs > 0).sort((a, b) => a.bytes - b.bytes);
  const sweep = clean(bench.memory?.sweep ?? []);
  const sweep1 = clean(bench.memory?.singleThreadSweep ?? []);
  const parts = [
    bench.calibration ? `per-shape GEMM/Conv throughput and ${bench.calibration.overheadUs.toFixed(1)} µs per kernel (${bench.calibration.method})` : null,
    fp32 ? `best fp32 GEMM ${fp32.toFixed(0)} GFLOP/s` : null,
    sweep.length ? 'read bandwidth by working-set size (L1…DRAM)' : null,
  ].filter(Boolean);
  return {
    calibration: bench.calibration ?? null,
    computeGflops: fp32 ?? fallback.computeGflops,
    bandwidth: sweep,
    ...(sweep1.length ? { bandwidth1: sweep1 } : {}),
    dramGBs: dram ?? fallback.dramGBs,
    overheadUs: DEFAULT_OVERHEAD_US,
    basis: `${label}: ${parts.join('; ')}${bench.calibration ? '' : `; no per-shape calibration in it (an older benchmark), so every product runs at the best GEMM rate and each kernel costs ${DEFAULT_OVERHEAD_US} µs`}`,
    measured: Boolean(fp32 && dram),
  };
}

/**
 * Per-kernel overhead assumed when nothing measured it: ONNX Runtime's CPU executor costs a few µs
 * per kernel (its profiler's own per-kernel events are ~1–5 µs apart on small ops); 5 µs.
 */
export const DEFAULT_OVERHEAD_US = 5;

/** The device model from theoretical peaks only (no benchmark stored), labelled as such. */
export function deviceModelFromPeaks(peakGflops: number, dramGBs: number, label: string): DeviceModel {
  return {
    calibration: null,
    computeGflops: peakGflops,
    bandwidth: [],
    dramGBs,
    overheadUs: DEFAULT_OVERHEAD_US,
    basis: `${label} (no benchmark stored for this machine: run \`flopscope bench all --quick\` for a measured model)`,
    measured: false,
  };
}
