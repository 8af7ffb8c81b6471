/**
 * Zoo family: MobileNet v1 (Node main process / CLI).
 *
 * Source: Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile
 * Vision Applications" (arXiv:1704.04861), Table 1 (body) and Table 2/§3.3–3.4 (width multiplier
 * α, resolution multiplier). Conv 3×3/2 (32) then 13 depthwise-separable blocks (3×3 depthwise →
 * BN → ReLU6, 1×1 pointwise → BN → ReLU6), global average pool, FC 1024 → 1000. The paper's
 * second-to-last depthwise row is labelled s2 but maps 7×7 → 7×7; like every implementation
 * (TF-slim mobilenet_v1.py) it runs at stride 1 here. ReLU6 (= Clip(0, 6)) and channel rounding
 * `max(int(c·α), 8)` follow TF-slim. Convs are bias-free (BN follows each).
 * Published: 4.2 M parameters and 569 M mult-adds at α = 1, 224×224 (Table 8) — rounded figures;
 * the exact count of this graph is 4,231,976 (4,210,088 without BN's γ/β).
 */
import { ZooGraph } from './graph.js';
import { convBnAct, gemm, globalPoolFlatten } from './layers.js';
import { num, SEED_OPTION } from './options.js';
import type { ZooDefinition } from './types.js';

/** [pointwise output channels, depthwise stride] for the 13 separable blocks of Table 1. */
const BODY: Array<[number, number]> = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1],
  [1024, 2], [1024, 1],
];

export const MOBILENET_V1: ZooDefinition = {
  name: 'mobilenet-v1',
  title: 'MobileNet v1',
  family: 'mobilenet',
  description: 'Depthwise-separable CNN of Howard et al. 2017 (Table 1) with ReLU6 = Clip(0, 6); width multiplier α and input resolution. Input [batch, 3, R, R].',
  options: [
    { name: 'alpha', default: 1, min: 0.125, max: 4, help: 'Width multiplier α: every layer has max(int(c·α), 8) channels (paper: 1, 0.75, 0.5, 0.25).' },
    { name: 'resolution', default: 224, min: 32, max: 1024, integer: true, help: 'Input height and width (paper: 224, 192, 160, 128).' },
    { name: 'classes', default: 1000, min: 1, max: 100_000, integer: true, help: 'Classifier outputs.' },
    SEED_OPTION,
  ],
  reference: {
    params: 4.2e6,
    macs: 569e6,
    source: 'Howard et al. 2017, MobileNets (arXiv:1704.04861), Table 8: 1.0 MobileNet-224, 569 million mult-adds, 4.2 million parameters (rounded)',
  },
  plan(o) {
    const alpha = num(o, 'alpha');
    const res = num(o, 'resolution');
    const classes = num(o, 'classes');
    const ch = (c: number) => Math.max(Math.floor(c * alpha), 8);
    const g = new ZooGraph();
    const input = g.input('input', ['batch', 3, res, res]);
    let cin = ch(32);
    let x = convBnAct(g, 'features.0', input, { cin: 3, cout: cin, kernel: 3, stride: 2 }, 'relu6');
    BODY.forEach(([c, stride], i) => {
      const p = `features.${i + 1}`;
      x = convBnAct(g, `${p}.dw`, x, { cin, cout: cin, kernel: 3, stride, groups: cin }, 'relu6');
      const cout = ch(c);
      x = convBnAct(g, `${p}.pw`, x, { cin, cout, kernel: 1, pad: 0 }, 'relu6');
      cin = cout;
    });
    x = globalPoolFlatten(g, 'avgpool', 'flatten', x);
    gemm(g, 'fc', x, cin, classes, 'logits');
    g.output('logits', ['batch', classes]);
    return { graph: g, dims: { batch: 1 } };
  },
};
