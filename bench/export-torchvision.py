"""Exports torchvision models to ONNX, for checking FLOPscope's profiler against real exporter
output. Dev-only: needs Debian's python3-torch, python3-torchvision and python3-onnx
(`apt-get install python3-torch python3-torchvision python3-onnx`), run with /usr/bin/python3.

usage: /usr/bin/python3 bench/export-torchvision.py OUT_DIR [--zero] [name ...]

--zero fills each parameter tensor with one constant of its own (distinct per tensor, so the
exporter cannot merge identical initializers; BatchNorm variances 1) before exporting, so the files
gzip to a few KB: counting needs shapes, not weights. The test fixtures in
src-main/services/profiler/fixtures/ were made this way. Next to each model it writes NAME.ref.json,
an independent count made with the onnx package's own shape inference: initializer elements and
the MACs of every Conv/Gemm/MatMul node.
"""
import json, os, sys
import numpy as np
import onnx
import torch
import torchvision

args = sys.argv[1:]
out = args.pop(0)
zero = "--zero" in args
names = [a for a in args if a != "--zero"] or ["resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1", "efficientnet_b0", "vit_b_16"]
os.makedirs(out, exist_ok=True)


def reference(path):
    m = onnx.shape_inference.infer_shapes(onnx.load(path))
    g = m.graph
    shapes = {}
    for v in list(g.value_info) + list(g.input) + list(g.output):
        if not v.type.tensor_type.HasField("shape"):
            continue  # rank unknown
        dims = [d.dim_value if d.HasField("dim_value") else 1 for d in v.type.tensor_type.shape.dim]
        shapes[v.name] = dims
    inits = {t.name: list(t.dims) for t in g.initializer}
    params = sum(int(np.prod(t.dims)) for t in g.initializer if t.data_type == 1 and len(t.dims) > 0)
    macs = {}
    missing = []
    for n in g.node:
        if n.op_type in ("Conv", "Gemm", "MatMul") and not all(i in shapes or i in inits for i in list(n.input[:2]) + [n.output[0]]):
            missing.append(n.name)  # onnx's shape inference left this node's shapes unknown
            continue
        if n.op_type == "Conv":
            w = inits[n.input[1]]
            o = shapes[n.output[0]]
            macs[n.name] = int(np.prod(o)) * int(np.prod(w[1:]))  # N·Cout·Hout·Wout × Cin/g·kH·kW
        elif n.op_type == "Gemm":
            a = shapes.get(n.input[0]) or inits[n.input[0]]
            o = shapes[n.output[0]]
            transA = next((at.i for at in n.attribute if at.name == "transA"), 0)
            k = a[0] if transA else a[1]
            macs[n.name] = int(np.prod(o)) * k
        elif n.op_type == "MatMul":
            a = shapes.get(n.input[0]) or inits[n.input[0]]
            o = shapes[n.output[0]]
            macs[n.name] = int(np.prod(o)) * a[-1]
    return {"params": params, "macs": macs, "totalMacs": sum(macs.values()), "shapeUnknown": missing}


for name in names:
    model = getattr(torchvision.models, name)(weights=None).eval()
    if zero:
        with torch.no_grad():
            i = 0
            for mod in model.modules():
                for pname, p in list(mod.named_parameters(recurse=False)) + list(mod.named_buffers(recurse=False)):
                    if p.dtype.is_floating_point:
                        i += 1
                        p.fill_(1.0 if pname == "running_var" else 1e-3 * (1 + i % 997) + 1e-7 * i)
    x = torch.randn(1, 3, 224, 224)
    path = os.path.join(out, f"{name}.onnx")
    torch.onnx.export(model, x, path, opset_version=17, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)
    ref = reference(path)
    with open(os.path.join(out, f"{name}.ref.json"), "w") as f:
        json.dump(ref, f)
    print(f"{name}\tparams(graph) {ref['params']}\tMACs {ref['totalMacs'] / 1e9:.4f} G\t{os.path.getsize(path)} bytes")
