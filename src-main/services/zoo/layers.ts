/**
 * Layer helpers shared by the zoo families (Node main process / CLI): each adds the ONNX nodes a
 * torch.onnx export (opset 17, eval mode, no constant folding) would emit for one nn.Module, with
 * weights named "<module>.weight"/"<module>.bias" and laid out as PyTorch stores them.
 *
 * Initialisation: He-uniform for convolutions (they feed ReLU-family activations), PyTorch's
 * default Linear bound 1/√fan_in for classifier heads and biases, BatchNorm γ≈1 and β≈0 with
 * running mean 0 and variance 1 — a freshly constructed PyTorch BN. That keeps activations of
 * every zoo network finite at any depth the options allow.
 */
import { heUniform, uniformStd, type ZooGraph } from './graph.js';

export interface ConvOptions {
  cin: number;
  cout: number;
  kernel: number;
  stride?: number;
  /** Symmetric padding; defaults to (kernel - 1) / 2, "same" for odd kernels at stride 1. */
  pad?: number;
  groups?: number;
  bias?: boolean;
}

/** nn.Conv2d → Conv. Weight [cout, cin/groups, k, k]. */
export function conv(g: ZooGraph, name: string, x: string, o: ConvOptions): string {
  const groups = o.groups ?? 1;
  const stride = o.stride ?? 1;
  const pad = o.pad ?? Math.floor((o.kernel - 1) / 2);
  if (o.cin % groups !== 0 || o.cout % groups !== 0) throw new Error(`${name}: channels ${o.cin}→${o.cout} not divisible by groups ${groups}`);
  const fanIn = (o.cin / groups) * o.kernel * o.kernel;
  const inputs = [x, g.param(`${name}.weight`, [o.cout, o.cin / groups, o.kernel, o.kernel], heUniform(fanIn))];
  if (o.bias) inputs.push(g.param(`${name}.bias`, [o.cout], { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) }));
  return g.op('Conv', name, inputs, [
    { name: 'dilations', type: 'ints', value: [1, 1] },
    { name: 'group', type: 'int', value: groups },
    { name: 'kernel_shape', type: 'ints', value: [o.kernel, o.kernel] },
    { name: 'pads', type: 'ints', value: [pad, pad, pad, pad] },
    { name: 'strides', type: 'ints', value: [stride, stride] },
  ]);
}

/**
 * nn.BatchNorm2d (eval) → BatchNormalization, kept as its own node (not folded into the conv) so
 * the profiler sees it and the parameter count includes γ and β like torchvision's. The running
 * statistics are PyTorch buffers, not parameters, so they are Constant nodes (0 and 1) rather
 * than initializers.
 */
export function batchNorm(g: ZooGraph, name: string, x: string, channels: number, epsilon = 1e-5): string {
  return g.op('BatchNormalization', name, [
    x,
    g.param(`${name}.weight`, [channels], uniformStd(0.05, 1)),
    g.param(`${name}.bias`, [channels], uniformStd(0.05, 0)),
    g.floats(0, channels),
    g.floats(1, channels),
  ], [{ name: 'epsilon', type: 'float', value: epsilon }, { name: 'momentum', type: 'float', value: 0.9 }]);
}

export function relu(g: ZooGraph, name: string, x: string): string {
  return g.op('Relu', name, [x]);
}

/** nn.ReLU6 → Clip(x, 0, 6) (opset ≥ 11 takes the bounds as inputs). */
export function relu6(g: ZooGraph, name: string, x: string): string {
  return g.op('Clip', name, [x, g.float(0), g.float(6)]);
}

/** nn.SiLU (Swish, β = 1) → x · Sigmoid(x), the pattern torch exports before opset 20 adds no SiLU op. */
export function silu(g: ZooGraph, name: string, x: string): string {
  const s = g.op('Sigmoid', `${name}.sigmoid`, [x]);
  return g.op('Mul', name, [x, s]);
}

export type Activation = 'relu' | 'relu6' | 'silu' | 'none';

export function activation(g: ZooGraph, kind: Activation, name: string, x: string): string {
  switch (kind) {
    case 'relu': return relu(g, name, x);
    case 'relu6': return relu6(g, name, x);
    case 'silu': return silu(g, name, x);
    case 'none': return x;
  }
}

/**
 * torchvision's Conv2dNormActivation: Conv (no bias) → BatchNorm → activation, named
 * `<prefix>.0`, `<prefix>.1`, `<prefix>.2` as in its state dict.
 */
export function convBnAct(g: ZooGraph, prefix: string, x: string, o: Omit<ConvOptions, 'bias'>, act: Activation, bnEpsilon = 1e-5): string {
  const c = conv(g, `${prefix}.0`, x, { ...o, bias: false });
  const b = batchNorm(g, `${prefix}.1`, c, o.cout, bnEpsilon);
  return activation(g, act, `${prefix}.2`, b);
}

export function maxPool(g: ZooGraph, name: string, x: string, kernel: number, stride: number, pad: number, ceil = false): string {
  return g.op('MaxPool', name, [x], [
    { name: 'ceil_mode', type: 'int', value: ceil ? 1 : 0 },
    { name: 'kernel_shape', type: 'ints', value: [kernel, kernel] },
    { name: 'pads', type: 'ints', value: [pad, pad, pad, pad] },
    { name: 'strides', type: 'ints', value: [stride, stride] },
  ]);
}

/** AdaptiveAvgPool2d((1, 1)) → GlobalAveragePool, then torch.flatten(x, 1) → Flatten. */
export function globalPoolFlatten(g: ZooGraph, poolName: string, flattenName: string, x: string): string {
  const p = g.op('GlobalAveragePool', poolName, [x]);
  return g.op('Flatten', flattenName, [p], [{ name: 'axis', type: 'int', value: 1 }]);
}

/**
 * nn.Linear on a 2-D input → Gemm(x, W, b, transB = 1), as torch exports it; W is [out, in].
 * PyTorch's default init bound 1/√in keeps logits O(1).
 */
export function gemm(g: ZooGraph, name: string, x: string, inFeatures: number, outFeatures: number, output?: string): string {
  const bound = 1 / Math.sqrt(inFeatures);
  return g.op('Gemm', name, [
    x,
    g.param(`${name}.weight`, [outFeatures, inFeatures], { kind: 'uniform', bound }),
    g.param(`${name}.bias`, [outFeatures], { kind: 'uniform', bound }),
  ], [
    { name: 'alpha', type: 'float', value: 1 },
    { name: 'beta', type: 'float', value: 1 },
    { name: 'transB', type: 'int', value: 1 },
  ], output);
}

/**
 * nn.Linear on an N-D input → MatMul(x, Wᵀ) + b, as torch exports it for rank > 2; the weight is
 * stored already transposed, [in, out]. `std` overrides the default He-style bound.
 */
export function linear(g: ZooGraph, name: string, x: string, inFeatures: number, outFeatures: number, o: { bias?: boolean; std?: number; output?: string } = {}): string {
  const init = o.std !== undefined ? uniformStd(o.std) : { kind: 'uniform' as const, bound: 1 / Math.sqrt(inFeatures) };
  const bias = o.bias ?? true;
  const mm = g.op('MatMul', name, [x, g.param(`${name}.weight`, [inFeatures, outFeatures], init)], [], bias ? undefined : o.output);
  if (!bias) return mm;
  const biasInit = o.std !== undefined ? uniformStd(o.std) : { kind: 'uniform' as const, bound: 1 / Math.sqrt(inFeatures) };
  return g.op('Add', `${name}.add_bias`, [mm, g.param(`${name}.bias`, [outFeatures], biasInit)], [], o.output);
}
