#!/usr/bin/env python3
"""An ONNX model and a checkpoint that overrides some of its initializers.

usage: onnx_override_fixture.py OUTDIR

Writes ResNet-18 at 32x32 (seeded random weights, as torch_fixture.py
makes them) as OUTDIR/model.onnx, then draws new fc.weight and fc.bias:
OUTDIR/fc.safetensors holds them, OUTDIR/torch.npy is the output of the
model with them on OUTDIR/input.npy (so the ONNX file with the checkpoint
applied must give it), and OUTDIR/unknown.safetensors and
OUTDIR/wrong-shape.safetensors are bad checkpoints for it.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npy  # noqa: E402
from torch_fixture import save_safetensors, seeded_model  # noqa: E402


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    model, x = seeded_model("resnet18", 1, (1, 3, 32, 32))
    torch.onnx.export(model, x, os.path.join(out, "model.onnx"),
                      input_names=["input"], output_names=["output"])
    generator = torch.Generator().manual_seed(3)
    with torch.no_grad():
        model.fc.weight.copy_(torch.randn(model.fc.weight.shape, generator=generator) * 0.05)
        model.fc.bias.copy_(torch.randn(model.fc.bias.shape, generator=generator) * 0.1)
        y = model(x)
    save_safetensors({"fc.weight": model.fc.weight, "fc.bias": model.fc.bias},
                     os.path.join(out, "fc.safetensors"))
    save_safetensors({"fc.weight": model.fc.weight, "fc.bais": model.fc.bias},
                     os.path.join(out, "unknown.safetensors"))
    save_safetensors({"fc.bias": model.fc.bias[:10]},
                     os.path.join(out, "wrong-shape.safetensors"))
    npy.write(os.path.join(out, "input.npy"), list(x.shape), x.reshape(-1).tolist())
    npy.write(os.path.join(out, "torch.npy"), list(y.shape), y.reshape(-1).tolist())


if __name__ == "__main__":
    main()
