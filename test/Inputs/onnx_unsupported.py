#!/usr/bin/env python3
"""Writes OUT.onnx: a small model with ops CNNC does not support (Round,
Floor, Sign), exported by PyTorch.

usage: onnx_unsupported.py OUT.onnx
"""
import sys

import torch
import torch.nn.functional as F


class Unsupported(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        x = torch.sign(torch.floor(torch.round(self.conv(x))))
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


torch.manual_seed(1)
torch.onnx.export(Unsupported().eval(), torch.randn(1, 3, 8, 8), sys.argv[1],
                  input_names=["input"], output_names=["output"])
