/**
 * Zoo family: MobileNet v2 in torchvision's layout (Node main process / CLI).
 *
 * Source: torchvision/models/mobilenetv2.py (Sandler et al. 2018, "MobileNetV2: Inverted
 * Residuals and Linear Bottlenecks", Table 2). features.0 = Conv 3×3/2 → BN → ReLU6 (32·α);
 * 17 InvertedResidual blocks from the (t, c, n, s) table; features.18 = Conv 1×1 → BN → ReLU6
 * to 1280·max(1, α); AdaptiveAvgPool → Dropout (identity at inference) → Linear(1280, 1000).
 * InvertedResidual: [1×1 expand → BN → ReLU6 if t ≠ 1] → 3×3 depthwise/s → BN → ReLU6 → 1×1
 * project → BN (linear bottleneck, no activation); residual add when s = 1 and in = out.
 * hidden = round(in · t); channels = _make_divisible(c · α, 8) as torchvision.
 * torchvision's weights meta: 3,504,872 parameters, _ops 0.301 G multiply-adds at 224 (docs: 0.30 "GFLOPS").
 */
import { ZooGraph } from './graph.js';
import { batchNorm, conv, convBnAct, gemm, globalPoolFlatten } from './layers.js';
import { num, SEED_OPTION } from './options.js';
import type { ZooDefinition } from './types.js';

/** torchvision's _make_divisible (from the TF reference): round to a multiple of `divisor`, never below 90 % of v. */
export function makeDivisible(v: number, divisor = 8): number {
  let newV = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

/** Sandler et al. Table 2: expansion t, output channels c, repeats n, first stride s. */
const SETTING: Array<[t: number, c: number, n: number, s: number]> = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

export const MOBILENET_V2: ZooDefinition = {
  name: 'mobilenet-v2',
  title: 'MobileNet v2',
  family: 'mobilenet',
  description: 'torchvision mobilenet_v2: inverted residuals with expansion t, linear bottlenecks, ReLU6 = Clip(0, 6); width multiplier α and resolution. Input [batch, 3, R, R].',
  options: [
    { name: 'alpha', default: 1, min: 0.125, max: 4, help: 'Width multiplier α (torchvision width_mult); channels rounded to multiples of 8.' },
    { name: 'resolution', default: 224, min: 32, max: 1024, integer: true, help: 'Input height and width.' },
    { name: 'classes', default: 1000, min: 1, max: 100_000, integer: true, help: 'Classifier outputs.' },
    SEED_OPTION,
  ],
  reference: {
    params: 3_504_872,
    macs: 0.301e9,
    source: 'torchvision/models/mobilenetv2.py MobileNet_V2_Weights.IMAGENET1K_V1 meta: num_params 3,504,872, _ops 0.301 G multiply-adds at 224 (docs table: 0.30 "GFLOPS")',
  },
  plan(o) {
    const alpha = num(o, 'alpha');
    const res = num(o, 'resolution');
    const classes = num(o, 'classes');
    const g = new ZooGraph();
    const input = g.input('input', ['batch', 3, res, res]);
    let cin = makeDivisible(32 * alpha);
    const last = makeDivisible(1280 * Math.max(1, alpha));
    let x = convBnAct(g, 'features.0', input, { cin: 3, cout: cin, kernel: 3, stride: 2 }, 'relu6');
    let index = 1;
    for (const [t, c, n, s] of SETTING) {
      const cout = makeDivisible(c * alpha);
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? s : 1;
        const p = `features.${index++}.conv`;
        const hidden = Math.round(cin * t);
        let y = x;
        let k = 0;
        if (t !== 1) y = convBnAct(g, `${p}.${k++}`, y, { cin, cout: hidden, kernel: 1, pad: 0 }, 'relu6');
        y = convBnAct(g, `${p}.${k++}`, y, { cin: hidden, cout: hidden, kernel: 3, stride, groups: hidden }, 'relu6');
        y = conv(g, `${p}.${k++}`, y, { cin: hidden, cout, kernel: 1, pad: 0 });
        y = batchNorm(g, `${p}.${k++}`, y, cout);
        // Name the add after the block (features.N.add), not its `conv` Sequential.
        x = stride === 1 && cin === cout ? g.op('Add', `${p.slice(0, -'.conv'.length)}.add`, [y, x]) : y;
        cin = cout;
      }
    }
    x = convBnAct(g, `features.${index}`, x, { cin, cout: last, kernel: 1, pad: 0 }, 'relu6');
    x = globalPoolFlatten(g, 'avgpool', 'flatten', x);
    gemm(g, 'classifier.1', x, last, classes, 'logits');
    g.output('logits', ['batch', classes]);
    return { graph: g, dims: { batch: 1 } };
  },
};
