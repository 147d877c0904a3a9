#!/usr/bin/env python3
"""Prints a cnn module whose conv and pool result types are the output
shapes PyTorch itself computes, over a sweep of sizes, kernels, strides,
paddings, dilations and ceil_mode. cnn-opt verifies every op's declared
result type against the dialect's inference, so any disagreement with
PyTorch is a verifier error naming the op.

usage: torch_shapes.py > sweep.mlir
"""
import torch
import torch.nn.functional as F


def shape(t):
    return "x".join(str(d) for d in t.shape)


def main():
    lines = []
    count = 0
    for size in range(1, 17):
        x = torch.zeros(1, 1, size, size + 3)
        for k in range(1, 6):
            for s in range(1, 4):
                for p in range(0, k // 2 + 1):
                    for d in (1, 2):
                        if size + 2 * p < d * (k - 1) + 1:
                            continue  # torch rejects it; so does the dialect
                        pads = "array<i64: %d, %d, %d, %d>" % (p, p, p, p)
                        common = ("kernel_size = array<i64: %d, %d>, stride = array<i64: %d, %d>, "
                                  "padding = %s" % (k, k, s, s, pads))
                        for ceil in (False, True):
                            y = F.max_pool2d(x, k, s, p, d, ceil_mode=ceil)
                            lines.append(
                                "%%m%d = cnn.max_pool2d %%x%d {%s, dilation = array<i64: %d, %d>, "
                                "ceil_mode = %s} : (tensor<%sxf32>) -> tensor<%sxf32>"
                                % (count, size, common, d, d, str(ceil).lower(), shape(x),
                                   shape(y)))
                            count += 1
                            if d == 1:
                                y = F.avg_pool2d(x, k, s, p, ceil_mode=ceil)
                                lines.append(
                                    "%%a%d = cnn.avg_pool2d %%x%d {%s, ceil_mode = %s} : "
                                    "(tensor<%sxf32>) -> tensor<%sxf32>"
                                    % (count, size, common, str(ceil).lower(), shape(x), shape(y)))
                                count += 1
                        w = torch.zeros(1, 1, k, k)
                        y = F.conv2d(F.pad(x, (p, p, p, p)), w, stride=s, dilation=d)
                        lines.append(
                            "%%c%d = cnn.conv2d %%x%d, %%w%d {stride = array<i64: %d, %d>, "
                            "padding = %s, dilation = array<i64: %d, %d>} : "
                            "(tensor<%sxf32>, tensor<1x1x%dx%dxf32>) -> tensor<%sxf32>"
                            % (count, size, k, s, s, pads, d, d, shape(x), k, k, shape(y)))
                        count += 1
    args = ", ".join("%%x%d: tensor<1x1x%dx%dxf32>" % (n, n, n + 3) for n in range(1, 17))
    args += ", " + ", ".join("%%w%d: tensor<1x1x%dx%dxf32>" % (k, k, k) for k in range(1, 6))
    print("// %d ops, result types from PyTorch %s" % (count, torch.__version__))
    print("func.func @sweep(%s) {" % args)
    for line in lines:
        print("  " + line)
    print("  return\n}")


if __name__ == "__main__":
    main()
