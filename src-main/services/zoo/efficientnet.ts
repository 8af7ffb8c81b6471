/**
 * Zoo family: EfficientNet-B0 in torchvision's layout (Node main process / CLI).
 *
 * Source: torchvision/models/efficientnet.py (Tan & Le 2019, "EfficientNet: Rethinking Model
 * Scaling for CNNs", Table 1). features.0 = Conv 3×3/2 → BN → SiLU (32); seven stages of MBConv
 * (expand ratio, kernel, stride, in, out, repeats) = (1,3,1,32,16,1) (6,3,2,16,24,2)
 * (6,5,2,24,40,2) (6,3,2,40,80,3) (6,5,1,80,112,3) (6,5,2,112,192,4) (6,3,1,192,320,1);
 * features.8 = Conv 1×1 → BN → SiLU (1280 = 4 × 320); AdaptiveAvgPool → Dropout → Linear(1280, 1000).
 * MBConv: [1×1 expand → BN → SiLU when expanded ≠ in] → k×k depthwise/s → BN → SiLU →
 * squeeze-and-excitation → 1×1 project → BN; residual add when s = 1 and in = out.
 * SE (torchvision SqueezeExcitation): AvgPool → Conv 1×1 (expanded → max(1, in // 4), bias) →
 * SiLU → Conv 1×1 (→ expanded, bias) → Sigmoid → × input. The squeeze width comes from the
 * block's INPUT channels, not the expanded ones.
 * SiLU is written x · Sigmoid(x). Stochastic depth is training-only and omitted.
 * Width/depth multipliers follow torchvision's _make_divisible(c·w, 8) and ceil(n·d).
 * torchvision's weights meta: 5,288,548 parameters, _ops 0.386 G multiply-adds at 224 (docs: 0.39 "GFLOPS").
 */
import { ZooGraph } from './graph.js';
import { conv, convBnAct, gemm, globalPoolFlatten, silu } from './layers.js';
import { makeDivisible } from './mobilenet-v2.js';
import { num, SEED_OPTION } from './options.js';
import type { ZooDefinition } from './types.js';

/** Tan & Le Table 1 as torchvision's bneck_conf: expand, kernel, stride, in, out, layers. */
const STAGES: Array<[number, number, number, number, number, number]> = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

export const EFFICIENTNET_B0: ZooDefinition = {
  name: 'efficientnet-b0',
  title: 'EfficientNet-B0',
  family: 'efficientnet',
  description: 'torchvision efficientnet_b0: MBConv blocks with squeeze-and-excitation and SiLU (x·Sigmoid(x)); stochastic depth omitted (inference). Input [batch, 3, R, R].',
  options: [
    { name: 'resolution', default: 224, min: 32, max: 1024, integer: true, help: 'Input height and width (B0: 224).' },
    { name: 'width', default: 1, min: 0.25, max: 4, help: 'Width multiplier (B0 = 1.0; B1 = 1.0, B2 = 1.1 … B7 = 2.0); channels rounded to multiples of 8.' },
    { name: 'depth', default: 1, min: 0.25, max: 4, help: 'Depth multiplier: each stage repeats ceil(n · depth) blocks (B0 = 1.0).' },
    { name: 'classes', default: 1000, min: 1, max: 100_000, integer: true, help: 'Classifier outputs.' },
    SEED_OPTION,
  ],
  reference: {
    params: 5_288_548,
    macs: 0.386e9,
    source: 'torchvision/models/efficientnet.py EfficientNet_B0_Weights.IMAGENET1K_V1 meta: num_params 5,288,548, _ops 0.386 G multiply-adds at 224 (docs table: 0.39 "GFLOPS")',
  },
  plan(o) {
    const res = num(o, 'resolution');
    const wm = num(o, 'width');
    const dm = num(o, 'depth');
    const classes = num(o, 'classes');
    const adjust = (c: number) => makeDivisible(c * wm);
    const g = new ZooGraph();
    const input = g.input('input', ['batch', 3, res, res]);
    const stem = adjust(STAGES[0]![3]);
    let x = convBnAct(g, 'features.0', input, { cin: 3, cout: stem, kernel: 3, stride: 2 }, 'silu');
    STAGES.forEach(([expand, kernel, stride0, cin0, cout0, n], s) => {
      const repeats = Math.ceil(n * dm);
      for (let i = 0; i < repeats; i++) {
        const cin = adjust(i === 0 ? cin0 : cout0);
        const cout = adjust(cout0);
        const stride = i === 0 ? stride0 : 1;
        const p = `features.${s + 1}.${i}`;
        // torchvision: adjust_channels(input_channels, expand_ratio), i.e. rounded but not width-scaled again.
        const expanded = makeDivisible(cin * expand);
        let y = x;
        let k = 0;
        if (expanded !== cin) y = convBnAct(g, `${p}.block.${k++}`, y, { cin, cout: expanded, kernel: 1, pad: 0 }, 'silu');
        y = convBnAct(g, `${p}.block.${k++}`, y, { cin: expanded, cout: expanded, kernel, stride, groups: expanded }, 'silu');
        // Squeeze-and-excitation; squeeze channels from the block input (torchvision: max(1, input_channels // 4)).
        const se = `${p}.block.${k++}`;
        const squeeze = Math.max(1, Math.floor(cin / 4));
        let e = g.op('GlobalAveragePool', `${se}.avgpool`, [y]);
        e = conv(g, `${se}.fc1`, e, { cin: expanded, cout: squeeze, kernel: 1, pad: 0, bias: true });
        e = silu(g, `${se}.activation`, e);
        e = conv(g, `${se}.fc2`, e, { cin: squeeze, cout: expanded, kernel: 1, pad: 0, bias: true });
        e = g.op('Sigmoid', `${se}.scale_activation`, [e]);
        y = g.op('Mul', `${se}.scale`, [y, e]);
        y = convBnAct(g, `${p}.block.${k++}`, y, { cin: expanded, cout, kernel: 1, pad: 0 }, 'none');
        x = stride === 1 && cin === cout ? g.op('Add', `${p}.add`, [y, x]) : y;
      }
    });
    const lastIn = adjust(STAGES[STAGES.length - 1]![4]);
    const last = 4 * lastIn;
    x = convBnAct(g, `features.${STAGES.length + 1}`, x, { cin: lastIn, cout: last, kernel: 1, pad: 0 }, 'silu');
    x = globalPoolFlatten(g, 'avgpool', 'flatten', x);
    gemm(g, 'classifier.1', x, last, classes, 'logits');
    g.output('logits', ['batch', classes]);
    return { graph: g, dims: { batch: 1 } };
  },
};
