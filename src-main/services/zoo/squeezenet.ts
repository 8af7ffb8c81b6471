/**
 * Zoo family: SqueezeNet 1.1 in torchvision's layout (Node main process / CLI).
 *
 * Source: torchvision/models/squeezenet.py (version "1_1", from the SqueezeNet v1.1 release of
 * Iandola et al.): Conv 3×3/2 (64, bias) → ReLU → MaxPool 3×3/2 (ceil_mode) → Fire(64,16,64,64)
 * → Fire(128,16,64,64) → MaxPool → Fire(128,32,128,128) → Fire(256,32,128,128) → MaxPool →
 * Fire(256,48,192,192) → Fire(384,48,192,192) → Fire(384,64,256,256) → Fire(512,64,256,256);
 * classifier: Dropout (identity at inference) → Conv 1×1 (512 → 1000, bias) → ReLU →
 * AdaptiveAvgPool(1) → flatten. Fire = squeeze 1×1 + ReLU, then expand 1×1 + ReLU and expand
 * 3×3 (pad 1) + ReLU concatenated on channels. No BatchNorm; every conv has a bias.
 * torchvision's weights meta: 1,235,496 parameters, _ops 0.349 G multiply-adds at 224 (docs: 0.35 "GFLOPS").
 */
import { ZooGraph } from './graph.js';
import { conv, maxPool, relu } from './layers.js';
import { num, SEED_OPTION } from './options.js';
import type { ZooDefinition } from './types.js';

/** [features index, in, squeeze, expand1x1, expand3x3] or 'pool' at its index. */
const FEATURES: Array<[number, number, number, number, number] | ['pool', number]> = [
  ['pool', 2],
  [3, 64, 16, 64, 64], [4, 128, 16, 64, 64],
  ['pool', 5],
  [6, 128, 32, 128, 128], [7, 256, 32, 128, 128],
  ['pool', 8],
  [9, 256, 48, 192, 192], [10, 384, 48, 192, 192], [11, 384, 64, 256, 256], [12, 512, 64, 256, 256],
];

export const SQUEEZENET_1_1: ZooDefinition = {
  name: 'squeezenet1.1',
  title: 'SqueezeNet 1.1',
  family: 'squeezenet',
  description: 'torchvision squeezenet1_1: fire modules (squeeze 1×1, expand 1×1 ‖ 3×3), a 1×1 conv classifier and global average pooling. Input [batch, 3, R, R].',
  options: [
    { name: 'resolution', default: 224, min: 48, max: 1024, integer: true, help: 'Input height and width.' },
    { name: 'classes', default: 1000, min: 1, max: 100_000, integer: true, help: 'Classifier outputs (channels of the final 1×1 conv).' },
    SEED_OPTION,
  ],
  reference: {
    params: 1_235_496,
    macs: 0.349e9,
    source: 'torchvision/models/squeezenet.py SqueezeNet1_1_Weights.IMAGENET1K_V1 meta: num_params 1,235,496, _ops 0.349 G multiply-adds at 224 (docs table: 0.35 "GFLOPS")',
  },
  plan(o) {
    const res = num(o, 'resolution');
    const classes = num(o, 'classes');
    const g = new ZooGraph();
    const input = g.input('input', ['batch', 3, res, res]);
    let x = conv(g, 'features.0', input, { cin: 3, cout: 64, kernel: 3, stride: 2, pad: 0, bias: true });
    x = relu(g, 'features.1', x);
    for (const f of FEATURES) {
      if (f[0] === 'pool') { x = maxPool(g, `features.${f[1]}`, x, 3, 2, 0, true); continue; }
      const [i, cin, sq, e1, e3] = f;
      const p = `features.${i}`;
      const s = relu(g, `${p}.squeeze_activation`, conv(g, `${p}.squeeze`, x, { cin, cout: sq, kernel: 1, bias: true }));
      const a = relu(g, `${p}.expand1x1_activation`, conv(g, `${p}.expand1x1`, s, { cin: sq, cout: e1, kernel: 1, bias: true }));
      const b = relu(g, `${p}.expand3x3_activation`, conv(g, `${p}.expand3x3`, s, { cin: sq, cout: e3, kernel: 3, pad: 1, bias: true }));
      x = g.op('Concat', `${p}.cat`, [a, b], [{ name: 'axis', type: 'int', value: 1 }]);
    }
    x = conv(g, 'classifier.1', x, { cin: 512, cout: classes, kernel: 1, bias: true });
    x = relu(g, 'classifier.2', x);
    x = g.op('GlobalAveragePool', 'classifier.3', [x]);
    g.op('Flatten', 'flatten', [x], [{ name: 'axis', type: 'int', value: 1 }], 'logits');
    g.output('logits', ['batch', classes]);
    return { graph: g, dims: { batch: 1 } };
  },
};
