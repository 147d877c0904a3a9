#!/usr/bin/env python3
"""Prints `total: params=<N> macs=<M>` for torchvision's own MODEL at an
input size, as `cnn-opt --cnn-stats` prints it: learnable parameters
(buffers such as BatchNorm's running statistics excluded) and the
multiply-accumulates of conv and linear layers, counted by PyTorch hooks on
a real forward pass.

usage: torch_stats.py MODEL [SIZE]
"""
import sys

import torch
import torchvision


def main():
    name = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 224
    torch.set_num_threads(1)
    model = getattr(torchvision.models, name)(weights=None).eval()
    macs = [0]

    def count(module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            macs[0] += output.numel() * module.in_channels // module.groups * k
        elif isinstance(module, torch.nn.Linear):
            macs[0] += output.numel() * module.in_features

    for module in model.modules():
        module.register_forward_hook(count)
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    params = sum(p.numel() for p in model.parameters())
    print("total: params=%d macs=%d" % (params, macs[0]))


if __name__ == "__main__":
    main()
