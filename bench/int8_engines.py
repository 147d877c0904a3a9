#!/usr/bin/env python3
"""The driver of `bench/compare.sh --int8`: per model, exports torchvision's
model to ONNX (test/Inputs/torch_fixture.py) and writes its QDQ form
(test/Inputs/qdq_model.py: ONNX Runtime's default static quantization)
from 4 seeded random images per batch. CNNC compiles the fp32 model, the
fp32 model with `--quantize=int8` on the same images, and the QDQ model;
each linked object answers in a long-lived process (bench/cnnc_serve.c),
and ONNX Runtime runs the fp32 and the QDQ model, all interleaved in
short rounds. Prints one markdown row per model: the medians, CNNC int8's
speed-up over CNNC fp32 (the median of the per-round ratios, and their
middle half), CNNC on the
QDQ model against ONNX Runtime on it, whether the top-1s agree (int8 and
fp32; CNNC and ONNX Runtime on the QDQ model) and the signal-to-
quantization-noise ratio of CNNC int8's output; then geometric means.

    int8_engines.py --work=DIR --runs=N --rounds=R --threads=T --size=S
                    --batch=B MODEL...
"""
import argparse
import math
import os
import statistics
import subprocess
import sys

import numpy as np

from compare_engines import PYTHON, ROOT, Server, geomean, interleaved, paired, run


def build(d, name, extra, model="model.onnx"):
    run([f"{ROOT}/build/bin/cnnc", f"{d}/{model}", "--quiet", *extra,
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
    run([PYTHON, f"{ROOT}/test/Inputs/qdq_model.py", f"{d}/model.onnx",
         f"{d}/calibration.npy", f"{d}/qdq.onnx", f"--batch={args.batch}"])
    build(d, "fp32", [])
    build(d, "int8", ["--quantize=int8", f"--calibration={d}/calibration.npy"])
    build(d, "qdq", [], model="qdq.onnx")
    fp32, int8 = np.load(f"{d}/fp32.npy"), np.load(f"{d}/int8.npy")
    if int8.shape != fp32.shape or not np.isfinite(int8).all():
        raise RuntimeError(f"int8 output {int8.shape} is not finite or not "
                           f"fp32's shape {fp32.shape}")
    noise = float(((fp32 - int8) ** 2).sum())
    sqnr = 10 * math.log10(float((fp32 ** 2).sum()) / noise) if noise else math.inf
    flat = lambda a: a.reshape(a.shape[0], -1)  # noqa: E731
    same = bool((flat(fp32).argmax(1) == flat(int8).argmax(1)).all())
    return d, same, sqnr


def same_top1(a, b):
    flat = lambda x: np.load(x).reshape(np.load(x).shape[0], -1)  # noqa: E731
    return bool((flat(a).argmax(1) == flat(b).argmax(1)).all())


def measure(d, args):
    ort = lambda model, out: Server([  # noqa: E731
        "node", f"{ROOT}/bench/ort_time.js", f"{d}/{model}", str(args.threads),
        f"{d}/input.npy", f"{d}/{out}"])
    servers = {name: Server([f"{d}/{name}-serve", f"{d}/input.npy"])
               for name in ("int8", "qdq", "fp32")}
    servers["ort-int8"] = ort("qdq.onnx", "ort-int8.npy")
    servers["ort"] = ort("model.onnx", "ort.npy")
    try:
        return interleaved(servers, args.rounds, args.runs)
    finally:
        for server in servers.values():
            server.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", required=True)
    for flag, default in (("--runs", 5), ("--rounds", 15), ("--threads", 2),
                          ("--size", 224), ("--batch", 1)):
        p.add_argument(flag, type=int, default=default)
    p.add_argument("models", nargs="+")
    args = p.parse_args()
    heads = ["model", "int8 ms", "QDQ ms", "fp32 ms", "ORT int8 ms",
             "ORT fp32 ms", "fp32/int8", "(middle half)", "ORT int8/QDQ",
             "int8/ORT fp32", "top-1 as fp32", "QDQ top-1 as ORT",
             "output SQNR dB"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "|".join("---" for _ in heads) + "|")
    speedups, versus_ort, versus_ort_int8, failed = [], [], [], []
    for model in args.models:
        try:
            d, same, sqnr = prepare(model, args)
            times = measure(d, args)
        except (subprocess.CalledProcessError, RuntimeError) as e:
            detail = getattr(e, "stderr", "") or str(e)
            failed.append(model)
            print(f"| {model} | failed: {detail.strip()[:80]} |", flush=True)
            continue
        int8, qdq, fp32, ort_int8, ort = (
            statistics.median(times[k])
            for k in ("int8", "qdq", "fp32", "ort-int8", "ort"))
        speedup, spread = paired(times["fp32"], times["int8"])
        over_ort_int8, _ = paired(times["ort-int8"], times["qdq"])
        over_ort, _ = paired(times["int8"], times["ort"])
        speedups.append(speedup)
        versus_ort.append(over_ort)
        versus_ort_int8.append(over_ort_int8)
        qdq_same = same_top1(f"{d}/qdq.npy", f"{d}/ort-int8.npy")
        print(f"| {model} | {int8:.2f} | {qdq:.2f} | {fp32:.2f} | "
              f"{ort_int8:.2f} | {ort:.2f} | {speedup:.2f} | {spread} | "
              f"{over_ort_int8:.2f} | {over_ort:.2f} | "
              f"{'yes' if same else 'NO'} | "
              f"{'yes' if qdq_same else 'NO'} | {sqnr:.1f} |", flush=True)
        subprocess.run(["rm", "-rf", d])

    if speedups:
        print(f"\ngeometric mean over {len(speedups)} models: int8 "
              f"{geomean(speedups):.2f}x CNNC fp32, int8/ORT fp32 "
              f"{geomean(versus_ort):.2f}, on the QDQ model CNNC "
              f"{geomean(versus_ort_int8):.2f}x ORT int8")
    if failed:
        print(f"failed: {' '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
