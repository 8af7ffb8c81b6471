/**
 * The profiler on real exporter output: torchvision models exported by torch.onnx (opset 17,
 * torch 1.13 from Debian; bench/export-torchvision.py --zero, which gives each weight tensor one
 * constant so the files gzip to kilobytes — counting needs shapes, not weights). Checked against two
 * independent references: the onnx package's own shape inference (per-node MACs of every Conv,
 * Gemm and MatMul whose shapes it could infer, and the initializer count; the .ref.json files) and
 * torchvision's published multiply-adds (its weights metadata `_ops`, the "GFLOPS" column of its
 * documentation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import { loadModel } from '../onnx/load-model.js';
import { tempDir } from '../../testing/fixtures.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
/** torchvision 0.14+ weights metadata `_ops` (GMACs at 224×224). */
const TORCHVISION_GMACS: Record<string, number> = {
  resnet18: 1.814,
  resnet50: 4.089,
  mobilenet_v2: 0.301,
  squeezenet1_1: 0.349,
  efficientnet_b0: 0.386,
  vit_b_16: 17.564,
};

interface Reference {
  params: number;
  macs: Record<string, number>;
  shapeUnknown?: string[];
}

describe.each(Object.keys(TORCHVISION_GMACS))('real torch.onnx export: %s', (name) => {
  it('params exact, per-node MACs equal onnx shape inference, total within 1% of torchvision', async () => {
    const file = path.join(tempDir(), `${name}.onnx`);
    fs.writeFileSync(file, gunzipSync(fs.readFileSync(path.join(FIXTURES, `${name}.onnx.gz`))));
    const ref = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.ref.json`), 'utf8')) as Reference;
    const profile = profileModel(await loadModel(file), { batch: 1 });
    expect(profile.uncounted).toEqual([]);
    expect(profile.totals.params).toBe(ref.params);
    const byName = new Map(profile.nodes.map((n) => [n.name, n]));
    const checked = Object.entries(ref.macs);
    expect(checked.length).toBeGreaterThan(0);
    for (const [node, macs] of checked) expect(byName.get(node)?.macs, node).toBe(macs);
    // Every product node onnx could not shape is still counted by FLOPscope.
    for (const node of ref.shapeUnknown ?? []) expect(byName.get(node)?.macs, node).toBeGreaterThan(0);
    const gmacs = profile.totals.macs / 1e9;
    expect(Math.abs(gmacs / TORCHVISION_GMACS[name]! - 1)).toBeLessThan(0.01);
    expect(profile.totals.flops).toBe(2 * profile.totals.macs);
  });
});
