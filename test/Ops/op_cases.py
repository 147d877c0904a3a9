#!/usr/bin/env python3
"""The per-op harness: every op of the dialect alone, each fused group kind,
and the attributes the dialect allows, compiled through Halide and checked
against PyTorch (computed in float64) and the reference interpreter.

usage: op_cases.py --list                  the case names
       op_cases.py --coverage TD_DIR        fails unless every op is tested
       op_cases.py CASE WORKDIR             runs one case

A case builds a small model with the Graph helper below: each op is written
as `cnn` dialect text and computed with torch at the same time, so the
expected output never comes from CNNC. The case then runs
  cnn-run --engine=reference   within 1e-6 of max|torch|
  cnn-run --engine=reference -O2  the passes' rewrites (folded weights,
                               padding values) interpreted, within 1e-5
  cnn-run --engine=halide -O0  each op alone, within 1e-5
  cnn-run --engine=halide -O2  with the fusion passes (groups), within 1e-5
Every compare fails on another dtype, a wrong element count, NaN/Inf and a
shape mismatch (harness.compare).
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
# No __pycache__ beside the tests: lit would look for tests in it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "Inputs"))
import harness  # noqa: E402
from harness import compare, run  # noqa: E402
from torch_fixture import save_safetensors  # noqa: E402
from graph import (CASES, Graph, adaptive_avg_pool, case, add, avg_pool, batch_norm, conv,  # noqa: E402,F401
                   div, flatten, gelu, layer_norm, linear, max_pool, mul, reduce_mean, relu,
                   relu6, sub, unary)

REFERENCE_TOLERANCE = 1e-6
COMPILED_TOLERANCE = 1e-5


# ------------------------------------------------------------------- cases



@case
def conv_3x3_pad_bias():
    g = Graph((1, 5, 9, 11), 1)
    return g, conv(g, g.input, 6, (3, 3), padding=(1, 1, 1, 1))


@case
def conv_stride2_asymmetric_pad():
    g = Graph((1, 4, 10, 9), 2)
    return g, conv(g, g.input, 8, (3, 3), stride=(2, 2), padding=(1, 0, 2, 1))


@case
def conv_dilated():
    g = Graph((1, 4, 13, 12), 3)
    return g, conv(g, g.input, 5, (3, 3), padding=(2, 3, 2, 3), dilation=(2, 3))


@case
def conv_grouped_2():
    g = Graph((1, 8, 9, 9), 4)
    return g, conv(g, g.input, 6, (3, 3), padding=(1, 1, 1, 1), groups=2)


@case
def conv_grouped_width_8_rounded():
    # RegNet's grouped convs: groups of 8 channels, as many out as in, on 24
    # channels (not a whole vector). The output channels computed to fill
    # the last vector read the input's rounded channels without a bound;
    # the second conv reads the first's rounded output so.
    g = Graph((2, 24, 9, 9), 41)
    y = conv(g, g.input, 24, (3, 3), padding=(1, 1, 1, 1), groups=3)
    return g, conv(g, y, 24, (3, 3), stride=(2, 2), padding=(1, 1, 1, 1),
                   groups=3, prefix="second")


@case
def conv_grouped_padded_per_task():
    # Groups of a whole vector (RegNetX's 16) and of 4 (ResNeXt's): each
    # task pads its input rows into a buffer of its own, on maps of rows
    # (whole rows per task) and on a 7x7 map (blocks of rows).
    g = Graph((1, 64, 28, 27), 42)
    y = conv(g, g.input, 64, (3, 3), stride=(2, 2), padding=(1, 1, 1, 1),
             groups=4)
    y = conv(g, y, 64, (3, 3), padding=(1, 1, 1, 1), groups=16,
             prefix="second")
    return g, conv(g, y, 64, (3, 3), stride=(2, 2), padding=(1, 1, 1, 1),
                   groups=4, prefix="third")


@case
def conv_depthwise_7x7():
    g = Graph((1, 6, 11, 10), 5)
    return g, conv(g, g.input, 6, (7, 7), padding=(3, 3, 3, 3), groups=6)


@case
def conv_pointwise_no_bias_batch2():
    g = Graph((2, 16, 7, 5), 6)
    return g, conv(g, g.input, 24, (1, 1), bias=False)


@case
def conv_7x7_stride2_stem():
    g = Graph((1, 3, 23, 21), 7)
    return g, conv(g, g.input, 16, (7, 7), stride=(2, 2), padding=(3, 3, 3, 3), bias=False)


@case
def conv_rows_7_wide():
    g = Graph((1, 64, 7, 7), 8)
    return g, relu(g, conv(g, g.input, 64, (3, 3), padding=(1, 1, 1, 1)))


@case
def conv_rows_14_wide_48_channels():
    g = Graph((1, 48, 14, 14), 9)
    return g, relu(g, conv(g, g.input, 96, (1, 1)))


@case
def conv_bn_relu():
    g = Graph((1, 8, 12, 10), 10)
    return g, relu(g, batch_norm(g, conv(g, g.input, 16, (3, 3), padding=(1, 1, 1, 1), bias=False)))


@case
def conv_bn_residual_relu():
    g = Graph((2, 16, 9, 9), 11)
    y = batch_norm(g, conv(g, g.input, 16, (3, 3), padding=(1, 1, 1, 1), bias=False))
    return g, relu(g, add(g, y, g.input))


@case
def conv_bn_relu6():
    g = Graph((1, 8, 10, 10), 12, scale=3.0)
    return g, relu6(g, batch_norm(g, conv(g, g.input, 8, (1, 1), bias=False)))


@case
def conv_layer_scale():
    g = Graph((1, 8, 6, 7), 13)
    y = conv(g, g.input, 8, (1, 1))
    return g, mul(g, y, g.weight("gamma", (8, 1, 1), 0.1, 0.5))


@case
def batch_norm_alone():
    g = Graph((2, 5, 4, 3), 14)
    return g, batch_norm(g, g.input, eps=1e-3)


@case
def batch_norm_after_add_relu():
    # BatchNorm that cannot fold into a conv: the norm->activation group.
    g = Graph((1, 6, 5, 5), 15)
    return g, relu(g, batch_norm(g, add(g, g.input, g.input)))


@case
def layer_norm_alone():
    g = Graph((2, 12, 5, 3), 16, scale=2.0)
    return g, layer_norm(g, g.input)


@case
def layer_norm_gelu():
    g = Graph((1, 12, 5, 6), 17, scale=2.0)
    return g, gelu(g, layer_norm(g, g.input))


@case
def relu_alone():
    g = Graph((1, 3, 5, 7), 18)
    return g, relu(g, g.input)


@case
def relu6_alone():
    g = Graph((1, 3, 5, 7), 19, scale=5.0)
    return g, relu6(g, g.input)


@case
def sigmoid_alone():
    g = Graph((1, 3, 5, 7), 20, scale=4.0)
    return g, unary(g, g.input, "sigmoid", torch.sigmoid)


@case
def hardswish_alone():
    g = Graph((1, 3, 5, 7), 21, scale=4.0)
    return g, unary(g, g.input, "hardswish", F.hardswish)


@case
def hardsigmoid_alone():
    g = Graph((1, 3, 5, 7), 45, scale=4.0)
    return g, unary(g, g.input, "hardsigmoid", F.hardsigmoid)


@case
def silu_alone():
    g = Graph((1, 3, 5, 7), 43, scale=4.0)
    return g, unary(g, g.input, "silu", F.silu)


@case
def tanh_alone():
    g = Graph((1, 3, 5, 7), 45, scale=3.0)
    return g, unary(g, g.input, "tanh", torch.tanh)


@case
def conv_bn_silu():
    # SiLU as a conv epilogue (EfficientNet's conv -> BN -> SiLU).
    g = Graph((1, 8, 9, 7), 44)
    y = batch_norm(g, conv(g, g.input, 16, (3, 3), padding=(1, 1, 1, 1), bias=False))
    return g, unary(g, y, "silu", F.silu)


@case
def gelu_exact():
    g = Graph((1, 3, 9, 11), 22, scale=3.0)
    return g, gelu(g, g.input)


@case
def gelu_tanh():
    g = Graph((1, 3, 9, 11), 23, scale=3.0)
    return g, gelu(g, g.input, "tanh")


@case
def add_mul_broadcast():
    g = Graph((2, 4, 3, 5), 24)
    y = add(g, g.input, g.weight("shift", (4, 1, 1)))
    return g, mul(g, y, g.weight("scale", (1, 4, 1, 1)))


@case
def sub_div_broadcast():
    g = Graph((2, 4, 3, 5), 46)
    y = sub(g, g.input, g.weight("mean", (4, 1, 1)))
    return g, div(g, y, g.weight("std", (1, 4, 1, 1), 0.5, 1.5))


@case
def sqrt_erf():
    # sqrt of a square plus one: defined everywhere, like a LayerNorm's.
    g = Graph((1, 3, 5, 7), 47, scale=2.0)
    y = add(g, mul(g, g.input, g.input), g.weight("one", (1,), 1.0, 1.0))
    y = unary(g, y, "sqrt", torch.sqrt)
    return g, unary(g, y, "erf", torch.erf)


@case
def elementwise_chain():
    # -O2 groups the chain (cnn.group elementwise): one stage.
    g = Graph((1, 6, 5, 7), 49)
    y = sub(g, g.input, g.weight("mean", (6, 1, 1)))
    y = div(g, y, g.weight("std", (6, 1, 1), 0.5, 1.5))
    y = unary(g, y, "relu", torch.relu)
    return g, unary(g, y, "tanh", torch.tanh)


@case
def reduce_mean_channels_and_space():
    g = Graph((2, 6, 5, 7), 48)
    centered = sub(g, g.input, reduce_mean(g, g.input, (1,)))
    return g, reduce_mean(g, centered, (2, 3), keepdim=False)


@case
def max_pool_3x3_s2_p1():
    g = Graph((1, 4, 11, 10), 25)
    return g, max_pool(g, g.input, (3, 3), (2, 2), padding=(1, 1, 1, 1))


@case
def max_pool_ceil_mode():
    g = Graph((1, 4, 7, 9), 26)
    return g, max_pool(g, g.input, (2, 2), (2, 2), ceil_mode=True)


@case
def max_pool_dilated_padded_ceil():
    g = Graph((2, 3, 12, 11), 27)
    return g, max_pool(g, g.input, (3, 2), (2, 3), padding=(1, 1, 1, 1), dilation=(2, 2),
                       ceil_mode=True)


@case
def avg_pool_count_include_pad():
    g = Graph((1, 4, 9, 8), 28)
    return g, avg_pool(g, g.input, (3, 3), (2, 2), padding=(1, 1, 1, 1))


@case
def avg_pool_exclude_pad():
    g = Graph((1, 4, 9, 8), 29)
    return g, avg_pool(g, g.input, (3, 3), (2, 2), padding=(1, 1, 1, 1),
                       count_include_pad=False)


@case
def avg_pool_ceil_mode_padded():
    # The last window starts inside the padded input and runs past it: the
    # divisor counts padding but not positions past the padded input.
    g = Graph((1, 3, 8, 7), 30)
    return g, avg_pool(g, g.input, (3, 3), (2, 2), padding=(1, 1, 1, 1), ceil_mode=True)


@case
def avg_pool_ceil_mode_exclude_pad():
    g = Graph((1, 3, 8, 7), 31)
    return g, avg_pool(g, g.input, (3, 2), (2, 2), padding=(1, 1, 1, 1), ceil_mode=True,
                       count_include_pad=False)


@case
def adaptive_avg_pool_uneven():
    g = Graph((2, 3, 7, 9), 32)
    return g, adaptive_avg_pool(g, g.input, (3, 2))


@case
def adaptive_avg_pool_upsample():
    # VGG's 7x7 pool on a map smaller than 7x7 repeats cells.
    g = Graph((1, 3, 2, 3), 33)
    return g, adaptive_avg_pool(g, g.input, (7, 7))


@case
def head_pool_flatten_linear_softmax():
    g = Graph((2, 16, 5, 4), 34)
    y = linear(g, flatten(g, adaptive_avg_pool(g, g.input, (1, 1))), 10)
    return g, g.op("softmax", [y], torch.softmax(y.tensor, 1), {"axis": "1 : i64"})


@case
def concat_channels():
    g = Graph((1, 3, 5, 6), 35)
    y = conv(g, g.input, 5, (1, 1))
    return g, g.op("concat", [g.input, y], torch.cat([g.input.tensor, y.tensor], 1))


@case
def concat_three_inputs():
    g = Graph((2, 4, 3, 5), 40)
    y = conv(g, g.input, 6, (1, 1))
    z = relu(g, g.input)
    return g, g.op("concat", [y, g.input, z], torch.cat([y.tensor, g.input.tensor, z.tensor], 1))


@case
def concat_dense_block_in_place():
    # DenseNet's pattern on 16-channel maps (whole vectors, so the convs
    # write into the concatenations' buffer): each layer reads the
    # concatenation of all maps before it, every one a prefix of the last.
    g = Graph((2, 16, 6, 7), 82)
    maps = [g.input]
    for i in range(3):
        joined = maps[0] if i == 0 else g.op("concat", list(maps),
                                             torch.cat([m.tensor for m in maps], 1))
        maps.append(relu(g, conv(g, joined, 16, (3, 3), padding=(1, 1, 1, 1),
                                 prefix="layer%d" % i)))
    return g, g.op("concat", list(maps), torch.cat([m.tensor for m in maps], 1))


@case
def conv_240_then_depthwise():
    # MobileNetV3's 40 -> 240 expansion at 14x14 before a 5x5 depthwise
    # conv, whose 32-channel tiles widen the 240 channels to 256: a 48-
    # channel register tile on them read biases past their padding.
    g = Graph((1, 40, 14, 14), 50)
    y = relu(g, conv(g, g.input, 240, (1, 1), prefix="expand"))
    return g, conv(g, y, 240, (5, 5), padding=(2, 2, 2, 2), groups=240, prefix="dw")


@case
def slice_channels():
    # ShuffleNetV2's x.chunk(2, dim=1): both halves, then joined the other
    # way round so each half is checked.
    g = Graph((1, 40, 5, 6), 46)
    y = relu(g, g.input)
    a = g.op("slice", [y], y.tensor[:, :20], {"axis": "1 : i64", "start": "0 : i64",
                                               "end": "20 : i64"})
    b = g.op("slice", [y], y.tensor[:, 20:], {"axis": "1 : i64", "start": "20 : i64",
                                               "end": "40 : i64"})
    return g, g.op("concat", [b, a], torch.cat([b.tensor, a.tensor], 1))


@case
def slice_rows():
    g = Graph((2, 3, 9, 4), 47)
    return g, g.op("slice", [g.input], g.input.tensor[:, :, 2:7],
                   {"axis": "2 : i64", "start": "2 : i64", "end": "7 : i64"})


@case
def channel_shuffle_groups():
    # As torchvision's ShuffleNetV2 writes it (view, transpose, reshape),
    # with 2 groups on 58 channels (not a whole vector), then 29 groups.
    g = Graph((1, 58, 4, 5), 48)
    y = relu(g, g.input)
    n, c, h, w = y.tensor.shape
    shuffled = y.tensor.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
    z = g.op("channel_shuffle", [y], shuffled, {"groups": "2 : i64"})
    shuffled3 = z.tensor.view(n, 29, 2, h, w).transpose(1, 2).reshape(n, c, h, w)
    return g, g.op("channel_shuffle", [z], shuffled3, {"groups": "29 : i64"})


@case
def reshape_activation():
    g = Graph((1, 4, 5, 6), 41)
    y = relu(g, g.input)
    return g, g.op("reshape", [y], y.tensor.reshape(1, 6, 5, 4), arrow=True)


@case
def reshape_to_matrix_batch2():
    g = Graph((2, 3, 4, 5), 42)
    return g, g.op("reshape", [g.input], g.input.tensor.reshape(2, 60), arrow=True)


import block_cases  # noqa: E402,F401  (registers the fused blocks' cases)
import coverage_cases  # noqa: E402,F401  (and the coverage ops')
import quant_cases  # noqa: E402,F401  (and the int8 ops')

# ------------------------------------------------------------------ runner

# Ops that are not computations on activations: parameters, constants and
# the structure of fused groups (groups are covered by the block_* cases).
NOT_COMPUTATIONS = {"weight", "constant", "group", "yield"}


def check_coverage(td_dir):
    """Every op the dialect defines (in the .td files of `td_dir`) is used by
    at least one case: a new op without a case (and so without a check of
    its reference kernel and its lowering) fails here, named."""
    import glob
    import re
    defined = set()
    for td_path in sorted(glob.glob(os.path.join(td_dir, "*.td"))):
        with open(td_path, encoding="utf-8") as f:
            defined |= set(re.findall(r'^def CNN_\w+Op\s*:\s*CNN_\w+<"(\w+)"', f.read(), re.M))
    if not defined:
        sys.exit("no ops found in %s" % td_dir)
    used = set()
    for build in CASES.values():
        g, _ = build()
        used.update(re.findall(r"= cnn\.(\w+) ", "\n".join(g.lines)))
    missing = sorted(defined - used - NOT_COMPUTATIONS)
    if missing:
        sys.exit("ops without a case in op_cases.py: %s" % ", ".join(missing))
    print("%d ops, every one covered by the %d cases" % (len(defined), len(CASES)))


def main():
    harness.main(run_case)


def run_case():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--coverage":
        check_coverage(sys.argv[2])
        return
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        sys.exit(__doc__)
    name, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    w = lambda f: os.path.join(work, f)  # noqa: E731
    torch.set_num_threads(1)
    g, out = CASES[name]()
    with open(w("case.mlir"), "w") as f:
        f.write(g.text(out))
    print(g.text(out))
    save_safetensors({k: v.float() for k, v in g.weights.items()}, w("weights.safetensors"))
    np.save(w("input.npy"), g.input.tensor.float().numpy())
    np.save(w("torch.npy"), out.tensor.float().numpy())
    common = ["--weights=" + w("weights.safetensors"), "--input=" + w("input.npy"), "--top=0"]
    run(["cnn-run", w("case.mlir"), "--engine=reference", "--output=" + w("reference.npy")] +
        common)
    step = getattr(g, "int8_step", None)
    if step is not None:
        # Int8: PyTorch's kernels within one output step, and the compiled
        # code equal to the reference bit for bit.
        scale = float(out.tensor.abs().max()) or 1.0
        compare("reference", w("torch.npy"), w("reference.npy"), 1.01 * step / scale)
        for level in ("O0", "O2"):
            run(["cnn-run", w("case.mlir"), "--engine=halide", "-" + level,
                 "--output=" + w(level + ".npy")] + common)
            compare("halide -" + level, w("reference.npy"), w(level + ".npy"), 0.0)
        return
    compare("reference", w("torch.npy"), w("reference.npy"), REFERENCE_TOLERANCE)
    # Folding rounds the new weights to f32: the compiled tolerance.
    run(["cnn-run", w("case.mlir"), "--engine=reference", "-O2",
         "--output=" + w("reference-O2.npy")] + common)
    compare("reference -O2", w("torch.npy"), w("reference-O2.npy"), COMPILED_TOLERANCE)
    for level in ("O0", "O2"):
        run(["cnn-run", w("case.mlir"), "--engine=halide", "-" + level,
             "--output=" + w(level + ".npy")] + common)
        compare("halide -" + level, w("torch.npy"), w(level + ".npy"), COMPILED_TOLERANCE)


if __name__ == "__main__":
    main()
