#!/usr/bin/env python3
"""Median latency of torchvision models (or the test fixtures') in PyTorch
on the CPU, fp32, for the bench scripts: eager, and traced + frozen in
channels-last memory format (PyTorch's fastest CPU path for convolutions).

    torch_cpu.py RUNS THREADS SIZE MODEL...
        one line per model: `MODEL eager=MS frozen=MS best=MS` (batch 1)
    torch_cpu.py --serve THREADS SIZE BATCH MODEL
        prints `ready`, then for every line `N` on stdin runs each variant
        N times and prints `EAGER_MS FROZEN_MS`, so bench/compare.sh can
        interleave its runs with the other engines'
"""
import os
import statistics
import sys
import time
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "test", "Inputs"))
from torch_fixture import build  # noqa: E402

warnings.filterwarnings("ignore")


def median_ms(fn, x, runs, warmup=3):
    with torch.no_grad():
        for _ in range(warmup):
            fn(x)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def variants(name, size, batch):
    """The model eager and traced + frozen channels-last, with inputs."""
    model = build(name).eval()
    x = torch.randn(batch, 3, size, size)
    with torch.no_grad():
        try:
            cl = model.to(memory_format=torch.channels_last)
        except RuntimeError:  # a 5-D buffer (a detector's anchors)
            cl = model
        xc = x.to(memory_format=torch.channels_last)
        frozen = torch.jit.freeze(torch.jit.trace(cl, xc))
    # Eager runs the model in its default (contiguous) format.
    eager = build(name).eval()
    return (eager, x), (frozen, xc)


def serve(threads, size, batch, name):
    torch.set_num_threads(threads)
    (eager, x), (frozen, xc) = variants(name, size, batch)
    median_ms(eager, x, 1)  # warms both up
    median_ms(frozen, xc, 1)
    print("ready", flush=True)
    for line in sys.stdin:
        runs = int(line)
        print(f"{median_ms(eager, x, runs, 1):.3f} "
              f"{median_ms(frozen, xc, runs, 1):.3f}", flush=True)


def main():
    if sys.argv[1] == "--serve":
        threads, size, batch = (int(a) for a in sys.argv[2:5])
        serve(threads, size, batch, sys.argv[5])
        return
    runs, threads, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    for name in sys.argv[4:]:
        (eager, x), (frozen, xc) = variants(name, size, 1)
        slow = median_ms(eager, x, runs)
        fast = median_ms(frozen, xc, runs)
        print(f"{name} eager={slow:.3f} frozen={fast:.3f} "
              f"best={min(slow, fast):.3f}", flush=True)


if __name__ == "__main__":
    main()
