#!/usr/bin/env python3
"""PyTorch side of bench/gpu-vs-torch.ts: the vendor-library numbers FLOPscope's WebGPU kernels are
compared with, measured on the same CUDA GPU with the same accounting.

  fp32 GEMM  torch.matmul, TF32 disabled (WebGPU has no TF32, so this is plain FP32 SGEMM)
  fp16 GEMM  torch.matmul on float16 with fp32 accumulation (reduced-precision reduction off),
             as our fp16 kernel accumulates in f32; cuBLAS uses tensor cores here, WebGPU cannot
  copy       dst.copy_(src), device to device; 2 x bytes per pass, as STREAM counts copy

GFLOP/s = 2*n^3 / seconds / 1e9; GB/s = bytes / seconds / 1e9. Each figure is the median over 9
samples of `reps` back-to-back calls timed with CUDA events, `reps` grown until a sample lasts
>= 0.2 s, after a warm-up (cuBLAS heuristics, clocks).

Usage: python3 bench/gpu-vs-torch.py [--size 4096] [--bandwidth-mib 256] [--json]
Exit status 2 (with the reason on stderr) when PyTorch or a CUDA device is missing.
"""
import argparse
import json
import statistics
import sys


def fail(msg):
    print(f"gpu-vs-torch.py: {msg}", file=sys.stderr)
    sys.exit(2)


def time_op(torch, fn, target_s=0.2, samples=9):
    """Median seconds per call of fn()."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()

    def sample(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(reps):
            fn()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / 1000.0  # ms -> s

    reps = 1
    t = sample(reps)
    while t < target_s and reps < 4096:
        reps *= 2
        t = sample(reps)
    per_call = [t / reps] + [sample(reps) / reps for _ in range(samples - 1)]
    return statistics.median(per_call)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=4096, help="square GEMM side (m = n = k)")
    ap.add_argument("--bandwidth-mib", type=int, default=256, help="bytes of one copy array, MiB")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()

    try:
        import torch
    except ImportError as e:
        fail(f"PyTorch is not installed ({e}); pip install torch")
    if not torch.cuda.is_available():
        fail(f"no CUDA device visible to PyTorch {torch.__version__} (CUDA build: {torch.version.cuda})")

    # Plain FP32 for the fp32 row: TF32 would run on tensor cores with a 10-bit mantissa.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    # fp32 accumulation for the fp16 row, like our kernel.
    torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = False

    dev = torch.device("cuda", torch.cuda.current_device())
    n = args.size
    flops = 2.0 * n * n * n
    gen = torch.Generator(device=dev).manual_seed(0)
    out = {"device": torch.cuda.get_device_name(dev), "torch": torch.__version__, "cuda": torch.version.cuda, "size": n}
    for dtype, name in ((torch.float32, "fp32"), (torch.float16, "fp16")):
        a = (torch.rand(n, n, device=dev, generator=gen) * 2 - 1).to(dtype)
        b = (torch.rand(n, n, device=dev, generator=gen) * 2 - 1).to(dtype)
        c = torch.empty(n, n, device=dev, dtype=dtype)
        s = time_op(torch, lambda: torch.matmul(a, b, out=c))
        out[name] = {"gflops": flops / s / 1e9, "medianSeconds": s}
        del a, b, c

    nbytes = args.bandwidth_mib * 1024 * 1024
    src = torch.ones(nbytes // 4, device=dev, dtype=torch.float32)
    dst = torch.empty_like(src)
    s = time_op(torch, lambda: dst.copy_(src))
    if not torch.equal(dst, src):
        fail("device-to-device copy produced different data")
    out["copy"] = {"GBs": 2 * nbytes / s / 1e9, "bytes": nbytes, "medianSeconds": s}

    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['device']} (torch {out['torch']}, CUDA {out['cuda']})")
        print(f"  fp32 matmul {n}: {out['fp32']['gflops']:.0f} GFLOP/s (TF32 off)")
        print(f"  fp16 matmul {n}: {out['fp16']['gflops']:.0f} GFLOP/s")
        print(f"  copy {args.bandwidth_mib} MiB: {out['copy']['GBs']:.0f} GB/s")


if __name__ == "__main__":
    main()
