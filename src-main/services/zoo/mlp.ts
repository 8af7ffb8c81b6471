/**
 * Zoo family: a plain multi-layer perceptron (Node main process / CLI). `depth` hidden layers of
 * `width` units, each nn.Linear (→ Gemm) + ReLU, then a Linear classifier — the smallest model in
 * the zoo, handy for checking the profiler by hand: params = Σ (in·out + out).
 */
import { ZooGraph } from './graph.js';
import { gemm, relu } from './layers.js';
import { num, SEED_OPTION } from './options.js';
import type { ZooDefinition } from './types.js';

export const MLP: ZooDefinition = {
  name: 'mlp',
  title: 'MLP',
  family: 'mlp',
  description: 'Fully connected network: `depth` hidden Linear+ReLU layers of `width` units and a Linear classifier. Input [batch, features].',
  options: [
    { name: 'width', default: 512, min: 1, max: 65536, integer: true, help: 'Units per hidden layer.' },
    { name: 'depth', default: 3, min: 0, max: 256, integer: true, help: 'Number of hidden layers (0 gives logistic regression).' },
    { name: 'features', default: 784, min: 1, max: 1_000_000, integer: true, help: 'Input features (784 = a flattened 28×28 image).' },
    { name: 'classes', default: 10, min: 1, max: 1_000_000, integer: true, help: 'Output logits.' },
    SEED_OPTION,
  ],
  plan(o) {
    const width = num(o, 'width');
    const depth = num(o, 'depth');
    const features = num(o, 'features');
    const classes = num(o, 'classes');
    const g = new ZooGraph();
    let x = g.input('input', ['batch', features]);
    let fin = features;
    for (let i = 0; i < depth; i++) {
      x = gemm(g, `layers.${i}.fc`, x, fin, width);
      x = relu(g, `layers.${i}.relu`, x);
      fin = width;
    }
    gemm(g, 'head', x, fin, classes, 'logits');
    g.output('logits', ['batch', classes]);
    return { graph: g, dims: { batch: 1 } };
  },
};
