#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (fuzz/corpus/, checked in): a few small,
valid inputs per format, so that fuzzing starts from every branch a real
file takes. Run again only to change the seeds.

usage: make_seeds.py [CORPUS_DIR]
"""
import json
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def safetensors(tensors):
    """tensors: name -> (dtype, shape, raw bytes)."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def npy(descr, shape, raw, version=1):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d," % d for d in shape))
    prefix = 10 if version == 1 else 12
    header += " " * (-(prefix + len(header) + 1) % 64) + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else \
        struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + raw


def onnx_seeds(out):
    """Tiny PyTorch exports: conv-BN-ReLU-pool-linear with a block of a
    residual add, depthwise conv and hard-swish; and a detector-like head."""
    import torch

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3, padding=1, bias=False)
            self.bn = torch.nn.BatchNorm2d(4)
            self.depthwise = torch.nn.Conv2d(4, 4, 3, padding=1, groups=4)
            self.fc = torch.nn.Linear(4, 2)

        def forward(self, x):
            y = torch.relu(self.bn(self.conv(x)))
            y = y + torch.nn.functional.hardswish(self.depthwise(y))
            y = torch.nn.functional.adaptive_avg_pool2d(y, 1)
            return self.fc(torch.flatten(y, 1))

    class TinyHead(torch.nn.Module):
        """PixelUnshuffle, GroupNorm, and a detector's decode: 5-D views, a
        permute and a grid built from constants (Expand, Concat, Cast)."""

        def __init__(self):
            super().__init__()
            self.norm = torch.nn.GroupNorm(2, 12)
            self.conv = torch.nn.Conv2d(12, 6, 1)

        def forward(self, x):
            y = self.conv(self.norm(torch.nn.functional.pixel_unshuffle(x, 2)))
            n, _, h, w = y.shape
            y = y.view(n, 2, 3, h, w).permute(0, 1, 3, 4, 2).sigmoid()
            gy, gx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
            grid = torch.stack((gx, gy), 2).view(1, 1, h, w, 2).float()
            return torch.cat((y[..., :2] + grid, y[..., 2:]), -1).view(n, -1, 3)

    torch.manual_seed(0)
    tiny = Tiny()
    x = torch.randn(1, 3, 4, 4)
    for name, model, opsets in (("tiny", tiny, (13, 17)), ("tiny-head", TinyHead(), (14,))):
        for opset in opsets:
            path = os.path.join(out, "onnx", "%s-opset%d.onnx" % (name, opset))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            torch.onnx.export(model.eval(), x, path, opset_version=opset)


def qdq_seed(out):
    """A QDQ model as ONNX Runtime's quantize_static writes one: u8
    activations around a conv with int8 weights per channel and an int32
    bias, s8 on the way out."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper, save
    node = helper.make_node
    inits = {
        "s_in": np.array(0.02, np.float32), "z_in": np.array(128, np.uint8),
        "w": np.array([[[[3, -127]]], [[[127, 0]]]], np.int8).reshape(2, 1, 1, 2),
        "s_w": np.array([0.01, 0.02], np.float32), "z_w": np.zeros(2, np.int8),
        "b": np.array([100, -50], np.int32), "s_b": np.array([2e-4, 4e-4], np.float32),
        "z_b": np.zeros(2, np.int32),
        "s_out": np.array(0.05, np.float32), "z_out": np.array(-3, np.int8)}
    graph = helper.make_graph([
        node("QuantizeLinear", ["input", "s_in", "z_in"], ["q"]),
        node("DequantizeLinear", ["q", "s_in", "z_in"], ["x"]),
        node("DequantizeLinear", ["w", "s_w", "z_w"], ["wd"], axis=0),
        node("DequantizeLinear", ["b", "s_b", "z_b"], ["bd"], axis=0),
        node("Conv", ["x", "wd", "bd"], ["y"]),
        node("QuantizeLinear", ["y", "s_out", "z_out"], ["yq"]),
        node("DequantizeLinear", ["yq", "s_out", "z_out"], ["output"])],
        "tiny_qdq",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 3, 4])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 2, 3, 3])],
        initializer=[numpy_helper.from_array(v, k) for k, v in inits.items()])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
         os.path.join(out, "onnx", "tiny-qdq-opset13.onnx"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    f32 = struct.pack("<6f", 1, -2, 3.5, 0, 1e-3, 7)
    write(os.path.join(out, "safetensors", "f32-f16.safetensors"),
          safetensors({"conv.weight": ("F32", [2, 3], f32),
                       "conv.bias": ("F16", [2], struct.pack("<2e", 0.5, -1))}))
    write(os.path.join(out, "safetensors", "bf16-f64-i64.safetensors"),
          safetensors({"a": ("BF16", [2], b"\x80\x3f\x00\x40"),
                       "b": ("F64", [1, 1], struct.pack("<d", 2.5)),
                       "n": ("I64", [], struct.pack("<q", 1000))}))
    write(os.path.join(out, "npy", "f32-2x3.npy"), npy("<f4", [2, 3], f32))
    write(os.path.join(out, "npy", "f64-v2.npy"),
          npy("<f8", [2], struct.pack("<2d", 1, 2), version=2))
    write(os.path.join(out, "npy", "scalar.npy"), npy("<f4", [], f32[:4]))
    mlir = os.path.join(out, "mlir")
    os.makedirs(mlir, exist_ok=True)
    shutil.copy(os.path.join(HERE, "..", "test", "Inputs", "tiny-model.mlir"), mlir)
    for block in ("block-resnet.mlir", "block-mobilenet.mlir", "block-convnext.mlir"):
        shutil.copy(os.path.join(HERE, "..", "test", "Dialect", block), mlir)
    onnx_seeds(out)
    qdq_seed(out)


if __name__ == "__main__":
    main()
