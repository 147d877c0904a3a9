#!/usr/bin/env python3
"""PyTorch as the outside oracle: a torchvision model (or one of
fixture_models.py), its state_dict() as PyTorch saves it, a seeded input and
PyTorch's output.

usage: torch_fixture.py MODEL OUTDIR [--input-size=N|HxW] [--batch=B] [--seed=S]
                        [--onnx[=OPSET]] [--dynamic-batch | --dynamic-size]
                        [--export-size=HxW]

Writes into OUTDIR:
  weights.safetensors  model.state_dict() exactly as PyTorch returns it
                       (num_batches_tracked included, as I64)
  input.npy            a seeded N(0, 1) input, f32 NCHW
  torch.npy            the eval-mode model's output on it
  model.onnx           with --onnx: the model as torch.onnx.export writes it
                       (eval mode, PyTorch's default opset or OPSET; with
                       --dynamic-batch the batch dimension is symbolic, with
                       --dynamic-size also the height and width;
                       --export-size=HxW traces it at another size)

The model is torchvision's own code with seeded random weights, made
non-trivial where the defaults would hide a bug: BatchNorm scales, shifts,
running means and variances are random (the defaults 1, 0, 0, 1 make BN the
identity), and ConvNeXt's layer scales are random (the default 1e-6 makes
every block vanish). Debian has no safetensors package, so the format is
written here (it is 8 bytes of header length, a JSON header, the raw data).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_models  # noqa: E402

# torch dtype -> safetensors dtype name.
DTYPES = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
    torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}


def save_safetensors(tensors, path):
    """Writes `tensors` (name -> torch.Tensor) in the safetensors format."""
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, value in tensors.items():
        data = value.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": DTYPES[value.dtype], "shape": list(value.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)  # keeps the data 8-byte aligned
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for chunk in chunks:
            f.write(chunk)
    os.replace(path + ".tmp", path)


def randomize(model, generator):
    """Replaces the parameters whose defaults would hide a wrong kernel."""
    def uniform(t, lo, hi):
        t.copy_(torch.rand(t.shape, generator=generator) * (hi - lo) + lo)

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                uniform(module.weight, 0.5, 1.5)
                uniform(module.bias, -0.2, 0.2)
                uniform(module.running_mean, -0.2, 0.2)
                uniform(module.running_var, 0.5, 1.5)
                module.num_batches_tracked.fill_(1000)
            if isinstance(module, (torch.nn.LayerNorm, torch.nn.GroupNorm)) or (
                    isinstance(module, torch.nn.InstanceNorm2d) and module.affine):
                uniform(module.weight, 0.5, 1.5)
                uniform(module.bias, -0.2, 0.2)
            if hasattr(module, "layer_scale"):  # ConvNeXt's CNBlock
                uniform(module.layer_scale, 0.1, 0.5)
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)) and module.bias is not None:
                uniform(module.bias, -0.1, 0.1)


class SegmentationOut(torch.nn.Module):
    """A torchvision segmentation model's `out` tensor: their forward
    returns a dict, which a C entry point (and this harness) has no use for."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def known(name):
    return (hasattr(torchvision.models, name)
            or hasattr(torchvision.models.segmentation, name)
            or name in fixture_models.MODELS)


def build(name):
    """torchvision's model `name` (a classifier, or a segmentation model
    without its auxiliary head), else fixture_models.py's. No weights are
    downloaded: seeded_model randomizes them."""
    if hasattr(torchvision.models, name):
        return getattr(torchvision.models, name)(weights=None)
    if hasattr(torchvision.models.segmentation, name):
        return SegmentationOut(getattr(torchvision.models.segmentation, name)(
            weights=None, weights_backbone=None))
    return fixture_models.MODELS[name]()


def seeded_model(name, seed, input_shape):
    """Model `name` (torchvision's or fixture_models.py's) with seeded random
    weights (randomize), in eval mode, and a seeded N(0, 1) input of
    `input_shape`."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = build(name)
    randomize(model, generator)
    model.eval()
    return model, torch.randn(input_shape, generator=generator)


def parse_size(text):
    parts = text.lower().split("x")
    if len(parts) == 1:
        return int(parts[0]), int(parts[0])
    return int(parts[0]), int(parts[1])


def dynamic_axes(args):
    """--dynamic-batch: the batch dynamic; --dynamic-size: H and W too."""
    if args.dynamic_size:
        return {"input": {0: "batch", 2: "height", 3: "width"},
                "output": {0: "batch"}}
    if args.dynamic_batch:
        return {"input": {0: "batch"}, "output": {0: "batch"}}
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("outdir")
    parser.add_argument("--input-size", default="224")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--onnx", nargs="?", const="default", default=None)
    parser.add_argument("--dynamic-batch", action="store_true")
    parser.add_argument("--dynamic-size", action="store_true",
                        help="export H and W (and the batch) as dynamic axes")
    parser.add_argument("--export-size", default=None,
                        help="trace the export at this HxW, not the input's")
    args = parser.parse_args()

    if not known(args.model):
        sys.exit("torch_fixture.py: neither torchvision nor fixture_models.py has a "
                 "model '%s'" % args.model)
    torch.set_num_threads(1)
    height, width = parse_size(args.input_size)
    model, x = seeded_model(args.model, args.seed, (args.batch, 3, height, width))
    with torch.no_grad():
        y = model(x)
    if not torch.isfinite(y).all():
        sys.exit("torch_fixture.py: PyTorch's own output is not finite")

    os.makedirs(args.outdir, exist_ok=True)
    save_safetensors(model.state_dict(), os.path.join(args.outdir, "weights.safetensors"))
    np.save(os.path.join(args.outdir, "input.npy"), x.numpy().astype("<f4"))
    np.save(os.path.join(args.outdir, "torch.npy"), y.numpy().astype("<f4"))
    if args.onnx:
        opset = None if args.onnx == "default" else int(args.onnx)
        traced = x
        if args.export_size:
            traced = torch.zeros((args.batch, 3) + parse_size(args.export_size))
        torch.onnx.export(model, traced, os.path.join(args.outdir, "model.onnx"),
                          opset_version=opset, input_names=["input"],
                          output_names=["output"],
                          dynamic_axes=dynamic_axes(args))


if __name__ == "__main__":
    main()
