#!/usr/bin/env python3
"""The driver of `bench/compare.sh --int8`: per model, exports torchvision's
model to ONNX (test/Inputs/torch_fixture.py), compiles it twice with cnnc,
in fp32 and with `--quantize=int8` calibrated on 4 seeded random images per
batch, checks both outputs, then times CNNC int8, CNNC fp32 (each its
linked object in a long-lived process, bench/cnnc_serve.c) and ONNX Runtime
fp32 on the same .onnx file, interleaved in rounds. Prints one markdown row
per model: the medians, int8's speed-up over fp32 (median and range over
the rounds), int8 against ONNX Runtime, whether int8's top-1 is fp32's and
the signal-to-quantization-noise ratio of its output; then geometric means.

    int8_engines.py --work=DIR --runs=N --rounds=R --threads=T --size=S
                    --batch=B MODEL...

ONNX Runtime runs the fp32 model: CNNC does not import QDQ models yet.
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

from compare_engines import PYTHON, ROOT, Server, geomean, run


def build(d, name, extra):
    run([f"{ROOT}/build/bin/cnnc", f"{d}/model.onnx", "--quiet", *extra,
         "-o", f"{d}/{name}.o"])
    for program, source in (("run", "examples/classify.c"),
                            ("serve", "bench/cnnc_serve.c")):
        run(["cc", "-O2", f"-I{d}", f"-I{ROOT}/examples",
             f'-DMODEL_HEADER="{name}.h"', f"{ROOT}/{source}", f"{d}/{name}.o",
             "-o", f"{d}/{name}-{program}", "-lpthread", "-ldl", "-lm"])
    run([f"{d}/{name}-run", f"{d}/input.npy", f"{d}/{name}.npy", "1"])


def prepare(model, args):
    side = 299 if model == "inception_v3" else args.size
    d = os.path.join(args.work, model)
    run([PYTHON, f"{ROOT}/test/Inputs/torch_fixture.py", model, d,
         f"--input-size={side}", f"--batch={args.batch}", "--onnx"])
    samples = np.random.RandomState(1).standard_normal(
        (4 * args.batch, 3, side, side)).astype(np.float32)
    np.save(f"{d}/calibration.npy", samples)
    build(d, "fp32", [])
    build(d, "int8", ["--quantize=int8", f"--calibration={d}/calibration.npy"])
    fp32, int8 = np.load(f"{d}/fp32.npy"), np.load(f"{d}/int8.npy")
    if int8.shape != fp32.shape or not np.isfinite(int8).all():
        raise RuntimeError(f"int8 output {int8.shape} is not finite or not "
                           f"fp32's shape {fp32.shape}")
    noise = float(((fp32 - int8) ** 2).sum())
    sqnr = 10 * math.log10(float((fp32 ** 2).sum()) / noise) if noise else math.inf
    flat = lambda a: a.reshape(a.shape[0], -1)  # noqa: E731
    same = bool((flat(fp32).argmax(1) == flat(int8).argmax(1)).all())
    return d, same, sqnr


def measure(d, args):
    int8 = Server([f"{d}/int8-serve", f"{d}/input.npy"])
    fp32 = Server([f"{d}/fp32-serve", f"{d}/input.npy"])
    ort = Server(["node", f"{ROOT}/bench/ort_time.js", f"{d}/model.onnx",
                  str(args.threads), f"{d}/input.npy", f"{d}/ort.npy"])
    times = {"int8": [], "fp32": [], "ort": []}
    try:
        for _ in range(args.rounds):
            for name, server in (("int8", int8), ("fp32", fp32), ("ort", ort)):
                times[name].append(server.time(args.runs)[0])
                time.sleep(0.2)
    finally:
        for server in (int8, fp32, ort):
            server.close()
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", required=True)
    for flag, default in (("--runs", 20), ("--rounds", 3), ("--threads", 2),
                          ("--size", 224), ("--batch", 1)):
        p.add_argument(flag, type=int, default=default)
    p.add_argument("models", nargs="+")
    args = p.parse_args()
    heads = ["model", "int8 ms", "fp32 ms", "ORT fp32 ms", "fp32/int8",
             "(rounds)", "int8/ORT", "top-1 as fp32", "output SQNR dB"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "|".join("---" for _ in heads) + "|")
    speedups, versus_ort, failed = [], [], []
    for model in args.models:
        try:
            d, same, sqnr = prepare(model, args)
            times = measure(d, args)
        except (subprocess.CalledProcessError, RuntimeError) as e:
            detail = getattr(e, "stderr", "") or str(e)
            failed.append(model)
            print(f"| {model} | failed: {detail.strip()[:80]} |", flush=True)
            continue
        int8, fp32, ort = (statistics.median(times[k])
                           for k in ("int8", "fp32", "ort"))
        rounds = [f / i for f, i in zip(times["fp32"], times["int8"])]
        speedups.append(fp32 / int8)
        versus_ort.append(int8 / ort)
        print(f"| {model} | {int8:.2f} | {fp32:.2f} | {ort:.2f} | "
              f"{fp32 / int8:.2f} | {min(rounds):.2f}-{max(rounds):.2f} | "
              f"{int8 / ort:.2f} | {'yes' if same else 'NO'} | {sqnr:.1f} |",
              flush=True)
        subprocess.run(["rm", "-rf", d])

    if speedups:
        print(f"\ngeometric mean over {len(speedups)} models: int8 "
              f"{geomean(speedups):.2f}x CNNC fp32, int8/ORT fp32 "
              f"{geomean(versus_ort):.2f}")
    if failed:
        print(f"failed: {' '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
