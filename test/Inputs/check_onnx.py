#!/usr/bin/env python3
"""One torchvision model exported to ONNX by PyTorch, run by CNNC.

usage: check_onnx.py MODEL --input-size=N --opset=default|N [--opencl] WORKDIR

torch_fixture.py builds torchvision's MODEL (or fixture_models.py's) with seeded random weights and
non-trivial BatchNorm statistics and exports it with torch.onnx.export (eval
mode, PyTorch's default opset or OPSET); `cnn-run MODEL.onnx` compiles it as
cnnc does and runs it on the fixture's input. Its output must match
PyTorch's within 2e-5 of max|output| with the same top-1 (harness.compare; observed
1e-6 to 4e-6). With --opencl, also `cnnc --target=host-opencl` as a shared
library run by cnn-exec (PoCL on this CPU), the same way. The tools come
from PATH.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import compare, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 2e-5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--input-size", default="64")
    parser.add_argument("--opset", default="default")
    parser.add_argument("--opencl", action="store_true")
    parser.add_argument("work")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    w = lambda name: os.path.join(args.work, name)  # noqa: E731
    onnx_flag = "--onnx" if args.opset == "default" else "--onnx=" + args.opset
    run([sys.executable, os.path.join(HERE, "torch_fixture.py"), args.model,
         args.work, "--input-size=" + args.input_size, onnx_flag])
    run(["cnn-run", w("model.onnx"), "--input=" + w("input.npy"),
         "--output=" + w("cnnc.npy"), "--top=1"])
    # Fails on a mismatch, NaN/Inf or another top-1, keeping the files.
    compare("cnn-run", w("torch.npy"), w("cnnc.npy"), TOLERANCE)
    if args.opencl:
        run(["cnnc", w("model.onnx"), "--target=host-opencl",
             "--emit=shared-library", "-o", w("opencl.so")])
        run(["cnn-exec", w("opencl.so"), "--input=" + w("input.npy"),
             "--output=" + w("opencl.npy")])
        compare("opencl", w("torch.npy"), w("opencl.npy"), TOLERANCE)
        os.remove(w("opencl.so"))
    # Written by torch_fixture.py, up to 500 MB each, no longer needed.
    for name in ("model.onnx", "weights.safetensors"):
        os.remove(w(name))


if __name__ == "__main__":
    harness.main(main)
