"""The per-op harness's cases for the ops models beyond classifiers need:
the activations users write (each alone, each against torch) and
depth_to_space, registered with op_cases.py's others through graph.case.
"""
import torch
import torch.nn.functional as F

from graph import Graph, case, conv, div, mul, relu, sub, unary


def _activation(name, seed, mnemonic, fn, attrs=None, scale=4.0, lo=None):
    """Registers case `name`: `mnemonic` alone on inputs in [-scale, scale)
    (shifted to [lo, lo + 2 * scale) where the op needs positive inputs)."""
    def build():
        g = Graph((1, 3, 5, 7), seed, scale=scale)
        x = g.input
        if lo is not None:
            x = unary(g, x, "abs", torch.abs)
            x = g.op("add", [x, g.weight("lo", (1,), lo, lo)],
                     x.tensor + lo)
        return g, unary(g, x, mnemonic, fn, attrs)
    build.__name__ = name
    case(build)


# Softplus past its threshold (20), where log(1 + exp(x)) would overflow.
_activation("softplus_alone", 51, "softplus", F.softplus, scale=30.0)
_activation("softsign_alone", 52, "softsign", F.softsign)
_activation("mish_alone", 53, "mish", F.mish, scale=30.0)
_activation("exp_alone", 54, "exp", torch.exp)
_activation("log_alone", 55, "log", torch.log, lo=0.25)
_activation("neg_alone", 56, "neg", torch.neg)
_activation("reciprocal_alone", 57, "reciprocal", torch.reciprocal, lo=0.5)
_activation("leaky_relu_alone", 58, "leaky_relu",
            lambda x: F.leaky_relu(x, 0.2), {"alpha": "0.2 : f64"})
_activation("elu_alone", 59, "elu", lambda x: F.elu(x, 0.5),
            {"alpha": "0.5 : f64"})
_activation("celu_alone", 60, "celu", lambda x: F.celu(x, 2.0),
            {"alpha": "2.0 : f64"})
_activation("selu_alone", 61, "selu", F.selu)
_activation("clip_alone", 62, "clip", lambda x: torch.clamp(x, -1.5, 2.5),
            {"min": "-1.5 : f64", "max": "2.5 : f64"})
_activation("pow_alone", 63, "pow", lambda x: torch.pow(x, 1.5),
            {"exponent": "1.5 : f64"}, lo=0.1)


@case
def prelu_per_channel_and_one():
    # A conv's epilogue (slopes per output channel), then one slope for all.
    g = Graph((1, 3, 6, 7), 64)
    y = conv(g, g.input, 8, (3, 3), padding=(1, 1, 1, 1))
    slopes = g.weight("slopes", (8, 1, 1), 0.0, 0.5)
    y = g.op("prelu", [y, slopes], torch.where(y.tensor >= 0, y.tensor,
                                               slopes.tensor * y.tensor))
    one = g.weight("one", (1,), 0.25, 0.25)
    return g, g.op("prelu", [y, one], F.prelu(y.tensor, one.tensor))


@case
def mish_as_written():
    # x * tanh(softplus(x)), as PyTorch exports Mish before opset 18:
    # --cnn-recompose makes it cnn.mish at -O2.
    g = Graph((1, 3, 5, 7), 65, scale=4.0)
    gate = unary(g, unary(g, g.input, "softplus", F.softplus), "tanh",
                 torch.tanh)
    return g, mul(g, g.input, gate)


def _depth_to_space(x, b, crd):
    """ONNX DepthToSpace in torch: CRD is pixel_shuffle; DCR reads the
    channels as [b, b, C]."""
    if crd:
        return F.pixel_shuffle(x, b)
    n, cbb, h, w = x.shape
    c = cbb // (b * b)
    return x.reshape(n, b, b, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, h * b, w * b)


@case
def depth_to_space_crd_and_dcr():
    # A conv's output to pixels (ESPCN's last layer, CRD), then DCR.
    g = Graph((1, 4, 5, 6), 66)
    y = conv(g, g.input, 36, (3, 3), padding=(1, 1, 1, 1))
    y = g.op("depth_to_space", [y], _depth_to_space(y.tensor, 3, True),
             {"block_size": "3 : i64", "mode": '"crd"'})
    return g, g.op("depth_to_space", [y], _depth_to_space(y.tensor, 2, False),
                   {"block_size": "2 : i64"})


def _resize(g, x, size, mode, coordinates, nearest, torch_value):
    """cnn.resize of `x` to `size` (H, W); scales are output over input,
    as ONNX computes them from sizes."""
    h, w = x.tensor.shape[2:]
    attrs = {"scale_h": "%r : f64" % (size[0] / h), "scale_w": "%r : f64" % (size[1] / w),
             "mode": '"%s"' % mode, "coordinates": '"%s"' % coordinates,
             "nearest": '"%s"' % nearest}
    return g.op("resize", [x], torch_value, attrs, arrow=True)


@case
def resize_nearest():
    # F.interpolate's nearest: asymmetric coordinates, floor; by 2, then
    # to a size that is no multiple (5x7 -> 10x14 -> 13x19).
    g = Graph((1, 3, 5, 7), 67)
    y = _resize(g, g.input, (10, 14), "nearest", "asymmetric", "floor",
                F.interpolate(g.input.tensor, scale_factor=2.0, mode="nearest"))
    return g, _resize(g, y, (13, 19), "nearest", "asymmetric", "floor",
                      F.interpolate(y.tensor, size=(13, 19), mode="nearest"))


@case
def resize_bilinear():
    # Bilinear as torchvision's segmentation heads resize (align_corners
    # False: pytorch_half_pixel) to a fractional size, down again, then
    # with align_corners.
    g = Graph((1, 4, 6, 7), 68)
    y = _resize(g, g.input, (17, 23), "linear", "pytorch_half_pixel", "round_prefer_floor",
                F.interpolate(g.input.tensor, size=(17, 23), mode="bilinear",
                              align_corners=False))
    y = _resize(g, y, (5, 9), "linear", "half_pixel", "round_prefer_floor",
                F.interpolate(y.tensor, size=(5, 9), mode="bilinear", align_corners=False))
    return g, _resize(g, y, (11, 12), "linear", "align_corners", "round_prefer_floor",
                      F.interpolate(y.tensor, size=(11, 12), mode="bilinear",
                                    align_corners=True))


def _conv_transpose(g, x, out_channels, kernel, stride=1, padding=0, output_padding=0,
                    dilation=1, groups=1, prefix="up"):
    c = x.tensor.shape[1]
    w = g.weight(prefix + ".weight", (c, out_channels // groups, kernel, kernel), -0.3, 0.3)
    b = g.weight(prefix + ".bias", (out_channels,))
    pair = lambda v: "array<i64: %d, %d>" % (v, v)  # noqa: E731
    attrs = {"stride": pair(stride), "padding": "array<i64: %d, %d, %d, %d>" % ((padding,) * 4),
             "output_padding": pair(output_padding), "dilation": pair(dilation),
             "groups": "%d : i64" % groups}
    return g.op("conv_transpose2d", [x, w, b],
                F.conv_transpose2d(x.tensor, w.tensor, b.tensor, stride, padding,
                                   output_padding, groups, dilation), attrs)


@case
def conv_transpose_unet_and_decoder():
    # U-Net's 2x2 stride-2 up-convolution, then a decoder's 3x3 stride 2
    # with padding 1 and output_padding 1 (exactly twice the size).
    g = Graph((1, 8, 5, 6), 69)
    y = _conv_transpose(g, g.input, 6, 2, stride=2, prefix="up1")
    return g, _conv_transpose(g, y, 4, 3, stride=2, padding=1, output_padding=1, prefix="up2")


@case
def conv_transpose_overlapping_taps():
    # DCGAN's 4x4 stride 2 padding 1, stride 3 with a 5x5 kernel and
    # padding 2 (kernels that are not multiples of the stride), and a
    # 1x1 stride 2 whose odd rows and columns are the bias alone: each
    # becomes phase convs (--cnn-conv-transpose-as-shuffle at -O1 and -O2).
    g = Graph((1, 6, 4, 5), 76)
    y = _conv_transpose(g, g.input, 5, 4, stride=2, padding=1, prefix="up1")
    y = _conv_transpose(g, y, 4, 5, stride=3, padding=2, prefix="up2")
    return g, _conv_transpose(g, y, 3, 1, stride=2, prefix="up3")


@case
def conv_transpose_groups_dilation():
    # Groups, and dilation (every tap tested for its phase).
    g = Graph((1, 4, 6, 5), 70)
    return g, _conv_transpose(g, g.input, 6, 3, stride=2, padding=2, dilation=2, groups=2)


def _group_norm(g, x, groups, prefix, eps=1e-5):
    c = x.tensor.shape[1]
    w = g.weight(prefix + ".weight", (c,), 0.5, 1.5)
    b = g.weight(prefix + ".bias", (c,), -0.2, 0.2)
    y = F.group_norm(x.tensor, groups, w.tensor, b.tensor, eps)
    return g.op("group_norm", [x, w, b], y,
                {"groups": "%d : i64" % groups, "epsilon": "%.6e : f64" % eps})


@case
def group_norm_groups_and_instance():
    # Two images (statistics per image); one group of all channels; four
    # groups of a conv's output with SiLU after (fused at -O2); one
    # channel per group (InstanceNorm2d).
    g = Graph((2, 8, 9, 7), 66, scale=3.0)
    y = _group_norm(g, g.input, 1, "gn1")
    y = conv(g, y, 16, (3, 3), padding=(1, 1, 1, 1))
    y = unary(g, _group_norm(g, y, 4, "gn4"), "silu", F.silu)
    return g, _group_norm(g, y, 16, "inorm")


@case
def group_norm_channels_past_vectors():
    # 12 channels in 2 groups, 6 in 3: the output's channels rounded up to
    # whole vectors must not read past the last group (PixelUnshuffle of an
    # RGB image gives 12).
    g = Graph((1, 3, 8, 6), 71)
    y = g.op("space_to_depth", [g.input], F.pixel_unshuffle(g.input.tensor, 2),
             {"block_size": "2 : i64", "mode": '"crd"'})
    y = conv(g, _group_norm(g, y, 2, "gn12"), 6, (1, 1))
    return g, _group_norm(g, y, 3, "gn6")


@case
def group_norm_large_offset_map():
    # 32 channels of 48x40 in 8 groups, centred at 20 with spread 1: the
    # variance must not cancel away (sums in double).
    g = Graph((1, 32, 48, 40), 67, scale=1.0)
    x = g.op("add", [g.input, g.weight("offset", (1,), 20.0, 20.0)],
             g.input.tensor + 20.0)
    return g, _group_norm(g, x, 8, "gn", eps=1e-6)


def _space_to_depth(x, b, crd):
    """space_to_depth in torch: CRD is pixel_unshuffle; DCR (ONNX's) puts
    the block position before the channel."""
    if crd:
        return F.pixel_unshuffle(x, b)
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4)
    return blocks.reshape(n, c * b * b, h // b, w // b)


@case
def space_to_depth_crd_and_dcr():
    # PixelUnshuffle of the input (CRD), a conv, then DCR by 3.
    g = Graph((1, 3, 12, 18), 68)
    y = g.op("space_to_depth", [g.input], _space_to_depth(g.input.tensor, 2, True),
             {"block_size": "2 : i64", "mode": '"crd"'})
    y = conv(g, y, 5, (3, 3), padding=(1, 1, 1, 1))
    return g, g.op("space_to_depth", [y], _space_to_depth(y.tensor, 3, False),
                   {"block_size": "3 : i64"})


@case
def transpose_detector_head():
    # A detector head's layout: [N, A * K, H, W] viewed as [N, A, K, H, W],
    # permuted to [N, A, H, W, K], flattened to boxes [N, A * H * W, K],
    # then [N, K, boxes].
    g = Graph((1, 27, 4, 5), 69)
    y = relu(g, g.input)
    y = g.op("reshape", [y], y.tensor.reshape(1, 3, 9, 4, 5), arrow=True)
    y = g.op("transpose", [y], y.tensor.permute(0, 1, 3, 4, 2).contiguous(),
             {"perm": "array<i64: 0, 1, 3, 4, 2>"})
    y = g.op("reshape", [y], y.tensor.reshape(1, 60, 9), arrow=True)
    return g, g.op("transpose", [y], y.tensor.permute(0, 2, 1).contiguous(),
                   {"perm": "array<i64: 0, 2, 1>"})


@case
def aspp_dead_taps():
    # DeepLab's ASPP on a 6x5 map: rate 2 keeps every tap, rate 5 its
    # middle column (3x1), rate 12 only the centre (a 1x1 conv), after
    # --cnn-prune-dead-taps at -O1 and -O2; the reference runs them as
    # written.
    g = Graph((1, 8, 6, 5), 70)
    branches = [conv(g, g.input, 4, (3, 3), padding=(r, r, r, r), dilation=(r, r),
                     prefix="aspp%d" % r) for r in (2, 5, 12)]
    return g, g.op("concat", branches, torch.cat([b.tensor for b in branches], 1),
                   {"axis": "1 : i64"})


@case
def max_min_broadcast():
    # torch.maximum of two activations, then torch.minimum with a
    # per-channel constant and with one value.
    g = Graph((1, 4, 5, 6), 72)
    y = conv(g, g.input, 4, (1, 1))
    z = g.op("max", [g.input, y], torch.maximum(g.input.tensor, y.tensor))
    c = g.weight("cap", (4, 1, 1), 0.0, 1.0)
    z = g.op("min", [z, c], torch.minimum(z.tensor, c.tensor))
    one = g.weight("floor", (1,), -0.5, -0.5)
    return g, g.op("max", [z, one], torch.maximum(z.tensor, one.tensor))


def _reduce(g, x, mnemonic, value, axes, keepdim=True):
    attrs = {"axes": "array<i64: %s>" % ", ".join(str(a) for a in axes)}
    if not keepdim:
        attrs["keepdim"] = "false"
    return g.op(mnemonic, [x], value, attrs)


@case
def argmax_and_argmin():
    # A segmentation head's class map (argmax over the channels, without
    # keepdim: rank 3) of a map shifted by per-row indices (argmin along W,
    # kept). The indices are f32 values.
    g = Graph((2, 6, 5, 7), 74)
    x = g.input.tensor
    low = _reduce(g, g.input, "argmin", x.argmin(3, keepdim=True).to(x.dtype),
                  (3,))
    y = g.op("add", [g.input, low], x + low.tensor)
    return g, _reduce(g, y, "argmax", y.tensor.argmax(1).to(x.dtype), (1,),
                      False)


@case
def reductions_over_channels_and_space():
    # CBAM's channel maximum, a channel norm and minimum, a spatial sum,
    # and the L1 norm and sum of squares over H and W without keepdim.
    g = Graph((2, 6, 5, 7), 73)
    x = g.input.tensor
    top = _reduce(g, g.input, "reduce_max", x.amax(1, keepdim=True), (1,))
    low = _reduce(g, g.input, "reduce_min", x.amin(1, keepdim=True), (1,))
    norm = _reduce(g, g.input, "reduce_l2", x.norm(dim=1, keepdim=True), (1,))
    y = g.op("add", [g.input, top], x + top.tensor)
    y = g.op("sub", [y, low], y.tensor - low.tensor)
    y = g.op("mul", [y, norm], y.tensor * norm.tensor)
    s = _reduce(g, y, "reduce_sum", y.tensor.sum((2, 3), keepdim=True), (2, 3))
    y = g.op("div", [y, s], y.tensor / s.tensor)
    l1 = _reduce(g, y, "reduce_l1", y.tensor.abs().sum((2, 3)), (2, 3), False)
    sq = _reduce(g, y, "reduce_sum_square", (y.tensor ** 2).sum((2, 3)),
                 (2, 3), False)
    return g, g.op("add", [l1, sq], l1.tensor + sq.tensor)


@case
def log_softmax_and_expand():
    # log_softmax over channels and over the last axis, and F.normalize's
    # norm expanded to its input before the division.
    g = Graph((1, 5, 4, 6), 74, scale=8.0)
    x = g.input
    y = g.op("log_softmax", [x], F.log_softmax(x.tensor, 1), {"axis": "1 : i64"})
    y = g.op("log_softmax", [y], F.log_softmax(y.tensor, -1), {"axis": "-1 : i64"})
    norm = _reduce(g, y, "reduce_l2", y.tensor.norm(dim=1, keepdim=True), (1,))
    wide = g.op("expand", [norm], norm.tensor.expand(1, 5, 4, 6), arrow=True)
    return g, g.op("div", [y, wide], y.tensor / wide.tensor)


@case
def comparisons_and_select():
    # torch.where of comparisons with a tensor, a per-channel constant and
    # one value, a mask's negation, and a branch broadcast from [C, 1, 1].
    g = Graph((1, 4, 5, 6), 75)
    x = g.input
    y = conv(g, x, 4, (1, 1))
    c = g.weight("threshold", (4, 1, 1), -0.5, 0.5)
    one = g.weight("one", (1,), 0.25, 0.25)
    gt = g.op("greater", [x, y], (x.tensor > y.tensor).double())
    le = g.op("less_equal", [x, c], (x.tensor <= c.tensor).double())
    eq = g.op("equal", [x, x], (x.tensor == x.tensor).double())
    lt = g.op("less", [y, one], (y.tensor < one.tensor).double())
    ge = g.op("greater_equal", [y, c], (y.tensor >= c.tensor).double())
    both = g.op("mul", [gt, le], gt.tensor * le.tensor)
    either = g.op("max", [lt, ge], torch.maximum(lt.tensor, ge.tensor))
    not_either = unary(g, either, "logical_not", lambda t: (t == 0).double())
    z = g.op("select", [both, x, y], torch.where(both.tensor != 0, x.tensor, y.tensor))
    z = g.op("select", [not_either, z, c],
             torch.where(not_either.tensor != 0, z.tensor, c.tensor))
    return g, g.op("mul", [z, eq], z.tensor * eq.tensor)


@case
def pad_reflect_edge_constant():
    # Reflection (the edge once), replication and constant padding,
    # asymmetric, then a conv reading the reflected map.
    g = Graph((1, 3, 5, 6), 77)
    x = g.input
    y = g.op("pad", [x], F.pad(x.tensor, (2, 1, 3, 4), mode="reflect"),
             {"padding": "array<i64: 3, 2, 4, 1>", "mode": '"reflect"'})
    y = g.op("pad", [y], F.pad(y.tensor, (1, 0, 0, 2), mode="replicate"),
             {"padding": "array<i64: 0, 1, 2, 0>", "mode": '"edge"'})
    y = g.op("pad", [y], F.pad(y.tensor, (1, 1, 2, 2), value=0.5),
             {"padding": "array<i64: 2, 1, 2, 1>", "value": "0.5 : f64"})
    return g, conv(g, y, 4, (3, 3))


@case
def normalized_input_conv():
    # Input normalization, (x * 0.5 - mean) / std, before a padded stride-2
    # conv: -O2 folds it into the conv (weights, bias and padding values).
    g = Graph((1, 3, 7, 9), 81)
    half = g.weight("half", (1,), 0.5, 0.5)
    mean = g.weight("mean", (1, 3, 1, 1), 0.3, 0.6)
    std = g.weight("std", (1, 3, 1, 1), 0.2, 0.3)
    y = div(g, sub(g, mul(g, g.input, half), mean), std)
    return g, conv(g, y, 8, (3, 3), stride=(2, 2), padding=(1, 1, 1, 1))
