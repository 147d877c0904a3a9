#!/usr/bin/env python3
"""A torchvision model quantized elsewhere (a QDQ model, as ONNX Runtime's
quantize_static writes it: qdq_model.py), compiled by CNNC and checked
against ONNX Runtime running the same file.

usage: check_qdq.py MODEL --size=S --tolerance=T [--reference-tolerance=R]
                    [--activations=u8|s8] WORK

torch_fixture.py exports MODEL (seeded random weights) with a batch of 8
seeded images; qdq_model.py quantizes it from 8 other images. Checks:
`cnn-run` on the QDQ model gives ONNX Runtime's top-1 for every image and
outputs within T of max|output| (a few quantization steps: the two engines
may round a tie or a float op apart, and one step of a late activation
moves the logits); the compiled model equals CNNC's reference interpreter
on the same file within R (the int8 convs and the tables of activations
between them are the same integers; f32 ops may round apart). Prints how
many convs became int8. The object cnnc writes holds nothing a CPU with
AVX-512 may lack although Halide's Sapphire Rapids target (used for
vpdpbusd) allows it: no AVX512-FP16 (vmovw, vmovsh), no AVX-VNNI ({vex}).
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import CheckFailed, compare, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = 8


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--size", default="96")
    p.add_argument("--tolerance", type=float, required=True)
    p.add_argument("--reference-tolerance", type=float, default=1e-5)
    p.add_argument("--activations", default="u8")
    p.add_argument("work")
    args = p.parse_args()
    w = lambda name: os.path.join(args.work, name)  # noqa: E731
    run([sys.executable, os.path.join(HERE, "torch_fixture.py"), args.model, args.work,
         "--input-size=" + args.size, "--batch=%d" % BATCH, "--onnx"])
    side = int(args.size)
    np.save(w("calibration.npy"), np.random.RandomState(2).standard_normal(
        (BATCH, 3, side, side)).astype(np.float32))
    run([sys.executable, os.path.join(HERE, "qdq_model.py"), w("model.onnx"),
         w("calibration.npy"), w("qdq.onnx"), "--batch=%d" % BATCH,
         "--activations=" + args.activations])
    run(["node", os.path.join(HERE, "ort_run.js"), w("qdq.onnx"), w("input.npy"),
         str(BATCH), w("ort")])
    run(["cnn-run", w("qdq.onnx"), "--input=" + w("input.npy"), "--top=0",
         "--output=" + w("cnnc.npy")])
    run(["cnn-run", w("qdq.onnx"), "--input=" + w("input.npy"), "--top=0", "-O2",
         "--engine=reference", "--output=" + w("reference.npy")])
    compare("cnn-run on the QDQ model", w("ort/0.npy"), w("cnnc.npy"), args.tolerance)
    compare("compiled", w("reference.npy"), w("cnnc.npy"), args.reference_tolerance)
    mlir = w("qdq.mlir")
    run(["cnnc", w("qdq.onnx"), "--emit=mlir", "-o", mlir])
    with open(mlir) as f:
        text = f.read()
    print("int8 convs: %d, f32 convs: %d" % (text.count("cnn.qconv2d"),
                                             text.count("cnn.conv2d")))
    run(["cnnc", w("qdq.onnx"), "-o", w("qdq.o")])
    code = subprocess.run(["objdump", "-d", "--no-show-raw-insn", w("qdq.o")], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    hazards = re.findall(r"\b(vmovw|vmovsh|\{vex\})", code)
    if hazards:
        raise CheckFailed("qdq.o holds %d instructions AVX-512 CPUs may lack: %s" %
                          (len(hazards), sorted(set(hazards))))


if __name__ == "__main__":
    main()
