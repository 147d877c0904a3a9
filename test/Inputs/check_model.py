#!/usr/bin/env python3
"""End-to-end check of one zoo model against PyTorch and the reference.

usage: check_model.py MODEL --src=CNNC_SOURCE_DIR [--input-size=N|HxW]
           [--batch=B] [--checks=reference,O2,...] WORKDIR

The tools (cnn-zoo, cnn-opt, cnn-run, cnnc, cnn-exec) come from PATH. Steps:

  fixture    torchvision's MODEL with seeded random weights, its state_dict()
             as PyTorch saves it, a seeded input and PyTorch's output
             (torch_fixture.py; a model torchvision lacks, mobilenet_v1, is
             defined in fixture_models.py); the state_dict must bind with
             cnn-opt --cnn-bind-weights.
  reference  cnn-run --engine=reference on that state_dict, within 1e-5
  fused      the same on the -O2 IR (BatchNorm folded, groups fused), 1e-5
  O2, O0     cnnc -O2 / -O0, linked into examples/classify.c, within 2e-5
  winograd   the same with --winograd=all (every stride-1 3x3 conv), 2e-5
  direct     the same with --winograd=off (direct convolution only), 2e-5
  avx2       -O2 for an AVX2-only x86 CPU, run here, 2e-5
  arm64      -O2 cross-compiled for arm-64-linux, linked by
             aarch64-linux-gnu-gcc, run under qemu-aarch64, 2e-5
  opencl     cnnc --target=host-opencl, a shared library run by cnn-exec
             (PoCL on this CPU), within 2e-5
  cuda       cnnc --target=host-cuda: a PTX kernel for every fused group's kernel
  int8, int8-avx2, int8-arm64
             -O2 --quantize=int8 --quantize-stems (every conv int8,
             calibrated on one seeded random input) on this CPU (AMX or
             VNNI where it has them), for an AVX2-only x86 and for
             arm-64-linux under qemu, against the reference interpreter's
             int8 model within 1e-5 (the same integers: 0 observed). An
             f32 stem's output, rounded a ulp apart by the two engines,
             lands on the other side of a rounding step now and then, and
             the step moves every later value.

Every compare fails on another dtype, a wrong element count, NaN/Inf, a
shape mismatch and a different top-1 (harness.compare). Prints every command it runs. A VGG's weights,
objects and libraries are over 500 MB each, so each check deletes what it
built once it has passed, and the weights go at the end; after a failure
everything stays for a look (--keep keeps it always).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import CheckFailed, compare, expect, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Relative to max|PyTorch output|. Observed on every zoo model: reference
# and compiled code both within 1e-6 to 5e-6 (PyTorch's own f32 rounding);
# exact GELU computed as tanh moves ConvNeXt-T by 7e-5.
REFERENCE_TOLERANCE = 1e-5
COMPILED_TOLERANCE = 2e-5
HOST, ARM64 = harness.HOST, harness.ARM64
AVX2_TARGET = "x86-64-linux-avx-avx2-f16c-fma-sse41"
# Objects linked into examples/classify.c: the cnnc flags they take, and
# where they run.
COMPILED_CHECKS = {
    "O2": (["-O2"], HOST),
    "O0": (["-O0"], HOST),
    "winograd": (["-O2", "--winograd=all"], HOST),
    "direct": (["-O2", "--winograd=off"], HOST),
    "avx2": (["-O2", "--target=" + AVX2_TARGET], HOST),
    "arm64": (["-O2", "--target=arm-64-linux"], ARM64),
}
# Int8 objects: the same, against the reference interpreter's int8 model.
INT8_CHECKS = {
    "int8": ([], HOST),
    "int8-avx2": (["--target=" + AVX2_TARGET], HOST),
    "int8-arm64": (["--target=arm-64-linux"], ARM64),
}
# Relative to max|reference|. Observed 0 on every row (the classifier is
# int8 too, so both engines dequantize the same integers); the margin is
# for f32 ops between the last int8 layer and the output (a mean pool's
# summation order). A u8 value one step off moves the output by 1e-3 or
# more.
INT8_TOLERANCE = 1e-5
ALL_CHECKS = ["reference", "fused", "O2", "O0", "winograd", "direct", "avx2",
              "arm64", "opencl", "cuda"] + list(INT8_CHECKS)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--src", required=True)
    parser.add_argument("--input-size", default="32")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--checks", default=",".join(ALL_CHECKS))
    parser.add_argument("--keep", action="store_true",
                        help="keep weights, objects and libraries")
    parser.add_argument("work")
    args = parser.parse_args()
    checks = args.checks.split(",")
    unknown = set(checks) - set(ALL_CHECKS)
    if unknown:
        sys.exit("check_model.py: unknown checks %s" % sorted(unknown))

    os.makedirs(args.work, exist_ok=True)
    w = lambda name: os.path.join(args.work, name)  # noqa: E731

    def done_with(*names):
        if not args.keep:
            for name in names:
                if os.path.exists(w(name)):
                    os.remove(w(name))
    model = w(args.model + ".mlir")
    run(["cnn-zoo", args.model, "--input-size=" + args.input_size,
         "--batch=%d" % args.batch, "-o", model])

    run([sys.executable, os.path.join(HERE, "torch_fixture.py"), args.model,
         args.work, "--input-size=" + args.input_size,
         "--batch=%d" % args.batch])
    weights = ["--weights=" + w("weights.safetensors")]
    oracle = w("torch.npy")
    # The state_dict binds in cnn-opt too (cnn-run and cnnc below).
    run(["cnn-opt", model, "--cnn-bind-weights=file=" + w("weights.safetensors"),
         "--mlir-elide-resource-strings-if-larger=16", "-o", w("bound.mlir")])
    with open(w("bound.mlir"), encoding="utf-8") as f:
        if "cnn.weight" in f.read():
            raise CheckFailed("cnn-opt --cnn-bind-weights left a cnn.weight unbound")
    if "reference" in checks:
        run(["cnn-run", model, "--engine=reference"] + weights +
            ["--input=" + w("input.npy"), "--output=" + w("reference.npy"),
             "--top=0"])
        compare("reference", oracle, w("reference.npy"), REFERENCE_TOLERANCE)

    if "fused" in checks:
        run(["cnn-run", model, "--engine=reference", "-O2"] + weights +
            ["--input=" + w("input.npy"), "--output=" + w("fused.npy"), "--top=0"])
        compare("fused (reference, -O2 IR)", oracle, w("fused.npy"), REFERENCE_TOLERANCE)

    for level, (flags, machine) in COMPILED_CHECKS.items():
        if level not in checks:
            continue
        stem = "%s-%s" % (args.model, level)
        harness.run_linked(["cnnc", model] + flags + weights, stem, machine,
                           args.work, args.src, oracle, COMPILED_TOLERANCE,
                           keep=args.keep)

    if any(level in checks for level in INT8_CHECKS):
        calibration = ["--calibration=" + w("calibration.npy"),
                       "--quantize-stems"]
        run(["cnn-run", model, "--engine=reference"] + weights +
            ["--random-input=7", "--save-input=" + w("calibration.npy"),
             "--top=0"])
        run(["cnn-run", model, "--engine=reference", "-O2", "--quantize=int8"] +
            calibration + weights + ["--input=" + w("input.npy"),
                                     "--output=" + w("int8-reference.npy"),
                                     "--top=0"])
        for level, (flags, machine) in INT8_CHECKS.items():
            if level in checks:
                harness.run_linked(
                    ["cnnc", model, "-O2", "--quantize=int8"] + calibration +
                    flags + weights, "%s-%s" % (args.model, level), machine,
                    args.work, args.src, w("int8-reference.npy"),
                    INT8_TOLERANCE, keep=args.keep)

    if "opencl" in checks:
        lib = w(args.model + "-opencl.so")
        run(["cnnc", model] + weights +
            ["--target=host-opencl", "--emit=shared-library", "-o", lib])
        out = run(["cnn-exec", lib, "--input=" + w("input.npy"),
                   "--output=" + w("opencl.npy")])
        expect(out, "-opencl", "cnn-exec")
        compare("opencl", oracle, w("opencl.npy"), COMPILED_TOLERANCE)
        done_with(os.path.basename(lib))

    if "cuda" in checks:
        run(["cnnc", model] + weights + ["--emit=mlir", "-o", w("optimized.mlir")])
        run(["cnnc", model] + weights + ["--target=host-cuda", "--emit=schedule",
                                         "-o", w("cuda-schedule.txt")])
        run(["cnnc", model] + weights + ["--target=host-cuda", "--no-cache",
                                         "-o", w("cuda.o")])
        run([sys.executable, os.path.join(HERE, "check_gpu_kernels.py"),
             w("optimized.mlir"), w("cuda-schedule.txt"), w("cuda.o")])
        done_with("cuda.o")

    done_with("weights.safetensors")


if __name__ == "__main__":
    harness.main(main)
