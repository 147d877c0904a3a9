#!/usr/bin/env python3
"""Median latency of torchvision models in PyTorch on the CPU, batch 1,
fp32, for bench/compare.sh: eager, and traced + frozen in channels-last
memory format (PyTorch's fastest CPU path for convolutions). Prints one
line per model: `MODEL eager=MS frozen=MS best=MS`.

    torch_cpu.py RUNS THREADS SIZE MODEL...
"""
import statistics
import sys
import time
import warnings

import torch
import torchvision

warnings.filterwarnings("ignore")


def median_ms(fn, x, runs):
    with torch.no_grad():
        for _ in range(3):
            fn(x)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    runs, threads, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    for name in sys.argv[4:]:
        model = getattr(torchvision.models, name)(weights=None).eval()
        x = torch.randn(1, 3, size, size)
        eager = median_ms(model, x, runs)
        with torch.no_grad():
            cl = model.to(memory_format=torch.channels_last)
            xc = x.to(memory_format=torch.channels_last)
            frozen = torch.jit.freeze(torch.jit.trace(cl, xc))
        fast = median_ms(frozen, xc, runs)
        print(f"{name} eager={eager:.3f} frozen={fast:.3f} best={min(eager, fast):.3f}",
              flush=True)


if __name__ == "__main__":
    main()
