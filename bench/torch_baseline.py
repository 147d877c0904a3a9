#!/usr/bin/env python3
"""Median latency of torchvision models in PyTorch eager mode on the GPU,
batch 1, 224x224, fp32 (TF32 off), for comparison with cnn-exec.

    torch_baseline.py RUNS MODEL...
"""
import statistics
import sys
import time

import torch
import torchvision

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.backends.cudnn.benchmark = True
runs = int(sys.argv[1])
for name in sys.argv[2:]:
    model = getattr(torchvision.models, name)(weights=None).cuda().eval()
    x = torch.randn(1, 3, 224, 224, device="cuda")
    times = []
    with torch.no_grad():
        for i in range(runs + 10):
            torch.cuda.synchronize()
            start = time.perf_counter()
            model(x)
            torch.cuda.synchronize()
            if i >= 10:
                times.append((time.perf_counter() - start) * 1e3)
    print(
        f"pytorch {torch.__version__} eager {name}: "
        f"median={statistics.median(times):.3f} ms min={min(times):.3f} ms "
        f"runs={runs}"
    )
