/**
 * Zoo family: ResNet-18 and ResNet-50 in torchvision's layout (Node main process / CLI).
 *
 * Source: torchvision/models/resnet.py (He et al. 2016, "Deep Residual Learning"). Details that
 * decide the parameter and MAC counts, all as torchvision:
 * - stem: Conv 7×7/2 (64, no bias) → BN → ReLU → MaxPool 3×3/2 pad 1;
 * - BasicBlock (ResNet-18, [2,2,2,2]): 3×3 → BN → ReLU → 3×3 → BN, + identity, ReLU;
 * - Bottleneck (ResNet-50, [3,4,6,3], expansion 4): 1×1 → BN → ReLU → 3×3 → BN → ReLU → 1×1 → BN,
 *   with the stride on the 3×3 conv ("ResNet v1.5", as torchvision since 0.2);
 * - downsample = Conv 1×1/stride (no bias) + BN when stride ≠ 1 or the channels change;
 * - every conv is bias-free; BatchNorm is kept as its own node (not folded);
 * - AdaptiveAvgPool(1) → flatten → Linear(512·expansion, 1000).
 * torchvision's weights meta: 11,689,512 / 25,557,032 parameters and _ops 1.814 / 4.089 G
 * multiply-adds at 224×224 (its docs table shows them rounded as "GFLOPS" 1.81 / 4.09).
 *
 * Names follow the torchvision state dict: conv1, bn1, layer1.0.conv1, layer1.0.downsample.0, fc.
 */
import { ZooGraph } from './graph.js';
import { batchNorm, conv, gemm, globalPoolFlatten, maxPool, relu } from './layers.js';
import { num, SEED_OPTION } from './options.js';
import type { ResolvedOptions, ZooDefinition, ZooOption, ZooPlan } from './types.js';

type BlockKind = 'basic' | 'bottleneck';

const TORCHVISION = 'torchvision/models/resnet.py weights meta (num_params, _ops in G multiply-adds; the docs table shows _ops rounded as "GFLOPS")';

function options(): ZooOption[] {
  return [
    { name: 'resolution', default: 224, min: 32, max: 1024, integer: true, help: 'Input height and width in pixels.' },
    { name: 'width', default: 1, min: 0.125, max: 4, help: 'Width multiplier on every stage\'s channels (64·w, 128·w, 256·w, 512·w; rounded). 1 = torchvision.' },
    { name: 'classes', default: 1000, min: 1, max: 100_000, integer: true, help: 'Classifier outputs.' },
    SEED_OPTION,
  ];
}

function planResnet(o: ResolvedOptions, kind: BlockKind, layers: number[]): ZooPlan {
  const res = num(o, 'resolution');
  const w = num(o, 'width');
  const classes = num(o, 'classes');
  const expansion = kind === 'basic' ? 1 : 4;
  const ch = (c: number) => Math.max(1, Math.round(c * w));
  const g = new ZooGraph();
  const input = g.input('input', ['batch', 3, res, res]);

  let inplanes = ch(64);
  let x = conv(g, 'conv1', input, { cin: 3, cout: inplanes, kernel: 7, stride: 2, pad: 3 });
  x = batchNorm(g, 'bn1', x, inplanes);
  x = relu(g, 'relu', x);
  x = maxPool(g, 'maxpool', x, 3, 2, 1);

  layers.forEach((blocks, stage) => {
    const planes = ch(64 * 2 ** stage);
    for (let b = 0; b < blocks; b++) {
      const p = `layer${stage + 1}.${b}`;
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const out = planes * expansion;
      let identity = x;
      if (stride !== 1 || inplanes !== out) {
        identity = conv(g, `${p}.downsample.0`, x, { cin: inplanes, cout: out, kernel: 1, stride, pad: 0 });
        identity = batchNorm(g, `${p}.downsample.1`, identity, out);
      }
      let y: string;
      if (kind === 'basic') {
        y = conv(g, `${p}.conv1`, x, { cin: inplanes, cout: planes, kernel: 3, stride });
        y = batchNorm(g, `${p}.bn1`, y, planes);
        y = relu(g, `${p}.relu1`, y);
        y = conv(g, `${p}.conv2`, y, { cin: planes, cout: planes, kernel: 3 });
        y = batchNorm(g, `${p}.bn2`, y, planes);
      } else {
        // torchvision: width = planes · (base_width / 64) · groups = planes for ResNet-50.
        y = conv(g, `${p}.conv1`, x, { cin: inplanes, cout: planes, kernel: 1, pad: 0 });
        y = batchNorm(g, `${p}.bn1`, y, planes);
        y = relu(g, `${p}.relu1`, y);
        y = conv(g, `${p}.conv2`, y, { cin: planes, cout: planes, kernel: 3, stride });
        y = batchNorm(g, `${p}.bn2`, y, planes);
        y = relu(g, `${p}.relu2`, y);
        y = conv(g, `${p}.conv3`, y, { cin: planes, cout: out, kernel: 1, pad: 0 });
        y = batchNorm(g, `${p}.bn3`, y, out);
      }
      y = g.op('Add', `${p}.add`, [y, identity]);
      x = relu(g, `${p}.relu`, y);
      inplanes = out;
    }
  });

  x = globalPoolFlatten(g, 'avgpool', 'flatten', x);
  gemm(g, 'fc', x, inplanes, classes, 'logits');
  g.output('logits', ['batch', classes]);
  return { graph: g, dims: { batch: 1 } };
}

export const RESNET18: ZooDefinition = {
  name: 'resnet18',
  title: 'ResNet-18',
  family: 'resnet',
  description: 'torchvision resnet18: BasicBlocks [2, 2, 2, 2], BatchNorm kept as separate nodes. Input [batch, 3, R, R].',
  options: options(),
  reference: { params: 11_689_512, macs: 1.814e9, source: `${TORCHVISION}, ResNet18_Weights.IMAGENET1K_V1: 11,689,512 params, _ops 1.814 (docs: 1.81 GFLOPS) at 224` },
  plan: (o) => planResnet(o, 'basic', [2, 2, 2, 2]),
};

export const RESNET50: ZooDefinition = {
  name: 'resnet50',
  title: 'ResNet-50 (v1.5)',
  family: 'resnet',
  description: 'torchvision resnet50: Bottlenecks [3, 4, 6, 3] with the stride on the 3×3 conv (v1.5), BatchNorm kept as separate nodes. Input [batch, 3, R, R].',
  options: options(),
  reference: { params: 25_557_032, macs: 4.089e9, source: `${TORCHVISION}, ResNet50_Weights.IMAGENET1K_V1: 25,557,032 params, _ops 4.089 (docs: 4.09 GFLOPS) at 224` },
  plan: (o) => planResnet(o, 'bottleneck', [3, 4, 6, 3]),
};
