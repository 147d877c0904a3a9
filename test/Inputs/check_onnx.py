#!/usr/bin/env python3
"""One model exported to ONNX by PyTorch, run by CNNC.

usage: check_onnx.py MODEL --src=CNNC_SOURCE_DIR --input-size=N
           --opset=default|N [--checks=cpu,object,arm64,opencl] WORKDIR

torch_fixture.py builds torchvision's MODEL (a classifier or a segmentation
model, or fixture_models.py's) with seeded random weights and non-trivial
BatchNorm statistics and exports it with torch.onnx.export (eval mode,
PyTorch's default opset or OPSET). Each check's output must match
PyTorch's within 2e-5 of max|output|, with the same top-1 for a
classifier and the same arg-max channel at 99.9% of the pixels for a
class map (harness.compare; observed 1e-6 to 4e-6):

  cpu     `cnn-run MODEL.onnx` compiles it as cnnc does and runs it
  object  `cnnc MODEL.onnx -o M.o`, linked into examples/classify.c
  arm64   the same cross-compiled for arm-64-linux, linked by
          aarch64-linux-gnu-gcc and run under qemu-aarch64
  opencl  `cnnc --target=host-opencl`, a shared library run by cnn-exec
          (PoCL on this CPU)

The tools come from PATH.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import compare, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 2e-5
CHECKS = ["cpu", "object", "arm64", "opencl"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--input-size", default="64")
    parser.add_argument("--opset", default="default")
    parser.add_argument("--checks", default="cpu")
    parser.add_argument("--src", required=True)
    parser.add_argument("work")
    args = parser.parse_args()
    checks = args.checks.split(",")
    unknown = set(checks) - set(CHECKS)
    if unknown:
        sys.exit("check_onnx.py: unknown checks %s" % sorted(unknown))
    os.makedirs(args.work, exist_ok=True)
    w = lambda name: os.path.join(args.work, name)  # noqa: E731
    onnx_flag = "--onnx" if args.opset == "default" else "--onnx=" + args.opset
    run([sys.executable, os.path.join(HERE, "torch_fixture.py"), args.model,
         args.work, "--input-size=" + args.input_size, onnx_flag])
    oracle = w("torch.npy")
    if "cpu" in checks:
        run(["cnn-run", w("model.onnx"), "--input=" + w("input.npy"),
             "--output=" + w("cnnc.npy"), "--top=1"])
        # Fails on a mismatch, NaN/Inf or another answer, keeping the files.
        compare("cnn-run", oracle, w("cnnc.npy"), TOLERANCE)
    for check, flags, machine in (("object", [], harness.HOST),
                                  ("arm64", ["--target=arm-64-linux"], harness.ARM64)):
        if check in checks:
            harness.run_linked(["cnnc", w("model.onnx")] + flags, check, machine,
                               args.work, args.src, oracle, TOLERANCE)
    if "opencl" in checks:
        run(["cnnc", w("model.onnx"), "--target=host-opencl",
             "--emit=shared-library", "-o", w("opencl.so")])
        run(["cnn-exec", w("opencl.so"), "--input=" + w("input.npy"),
             "--output=" + w("opencl.npy")])
        compare("opencl", oracle, w("opencl.npy"), TOLERANCE)
        os.remove(w("opencl.so"))
    # Written by torch_fixture.py, up to 500 MB each, no longer needed.
    for name in ("model.onnx", "weights.safetensors"):
        os.remove(w(name))


if __name__ == "__main__":
    harness.main(main)
