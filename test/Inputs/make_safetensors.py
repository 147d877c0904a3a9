#!/usr/bin/env python3
"""Writes small safetensors files for the lit tests, good and broken.

usage: make_safetensors.py OUT KIND
KIND is `tiny` (the weights of tiny-model.mlir) or one of the broken kinds
below. Uses only the standard library.
"""
import json
import struct
import sys


def tensor(values):
    return struct.pack("<%df" % len(values), *values)


def write(path, header, data):
    raw = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        f.write(data)


def tiny(path, **changes):
    # conv.weight [2, 3, 1, 1], conv.bias [2], plus an unused tensor.
    w = [1, 0, 0, 0, 1, 2]  # out0 = in0, out1 = in1 + 2 * in2
    b = [0.5, -1]
    header = {
        "__metadata__": {"format": "pt"},
        "conv.weight": {"dtype": "F32", "shape": [2, 3, 1, 1], "data_offsets": [0, 24]},
        "conv.bias": {"dtype": "F32", "shape": [2], "data_offsets": [24, 32]},
        "extra": {"dtype": "F32", "shape": [1], "data_offsets": [32, 36]},
    }
    header.update(changes)
    write(path, header, tensor(w) + tensor(b) + tensor([9]))


def main():
    path, kind = sys.argv[1], sys.argv[2]
    if kind == "tiny":
        tiny(path)
    elif kind == "missing":
        tiny(path, **{"conv.bias": None})
        # json.dumps keeps a null; rewrite without the key
        header = {
            "conv.weight": {"dtype": "F32", "shape": [2, 3, 1, 1], "data_offsets": [0, 24]},
        }
        write(path, header, tensor([0] * 6))
    elif kind == "shape":
        tiny(path, **{"conv.weight": {"dtype": "F32", "shape": [3, 2, 1, 1],
                                      "data_offsets": [0, 24]}})
    elif kind == "dtype":
        # A tensor the model uses, stored as an integer type.
        tiny(path, **{"conv.bias": {"dtype": "I32", "shape": [2], "data_offsets": [24, 32]}})
    elif kind == "state_dict":
        # What PyTorch's state_dict() holds besides the weights: integer and
        # bool buffers (num_batches_tracked is I64) of every dtype the format
        # defines. The model uses none of them, so the file binds.
        header = {
            "__metadata__": {"format": "pt", "note": "extra buffers"},
            "conv.weight": {"dtype": "F32", "shape": [2, 3, 1, 1], "data_offsets": [0, 24]},
            "conv.bias": {"dtype": "F32", "shape": [2], "data_offsets": [24, 32]},
        }
        data = tensor([1, 0, 0, 0, 1, 2]) + tensor([0.5, -1])
        sizes = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
                 "I16": 2, "U16": 2, "I32": 4, "U32": 4, "I64": 8, "U64": 8}
        for dtype, size in sizes.items():
            header["bn.%s.num_batches_tracked" % dtype] = {
                "dtype": dtype, "shape": [], "data_offsets": [len(data), len(data) + size]}
            data += bytes(size)
        write(path, header, data)
    elif kind == "overflow":
        # [2^40, 2^40] x 4 bytes wraps around to 0 in 64-bit arithmetic.
        header = {"conv.weight": {"dtype": "F32", "shape": [1 << 40, 1 << 40],
                                  "data_offsets": [0, 0]}}
        write(path, header, b"")
    elif kind == "truncated":
        tiny(path)
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data[:-20])
    elif kind == "notjson":
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", 9) + b"{not json")
    elif kind == "f16":
        # The same weights stored as F16 and BF16 bind to the same values.
        w16 = struct.pack("<6e", 1, 0, 0, 0, 1, 2)
        bf16 = b"".join(struct.pack("<f", v)[2:] for v in (0.5, -1))
        header = {
            "conv.weight": {"dtype": "F16", "shape": [2, 3, 1, 1], "data_offsets": [0, 12]},
            "conv.bias": {"dtype": "BF16", "shape": [2], "data_offsets": [12, 16]},
        }
        write(path, header, w16 + bf16)
    else:
        sys.exit("unknown kind " + kind)


if __name__ == "__main__":
    main()
