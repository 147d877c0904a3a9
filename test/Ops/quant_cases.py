"""The int8 ops' cases for op_cases.py, checked against PyTorch's own
quantized kernels (torch.quantize_per_tensor, torch.nn.quantized's conv2d
on its oneDNN engine), which round as ONNX and ONNX Runtime do. PyTorch may
round an output one step differently at an exact tie: the reference must
agree within one output step, and the compiled code must equal the
reference bit for bit (`g.int8_step`, read by op_cases.run_case).
"""
import torch

from graph import array, case, Graph

torch.backends.quantized.engine = "onednn"


def scalar_attrs(prefix, scale, zero_point):
    return {prefix + "scale": "%.9e : f32" % scale, prefix + "zero_point": "%d : i64" % zero_point}


def quantize(g, x, scale, zero_point):
    q = torch.quantize_per_tensor(x.tensor.float(), scale, zero_point, torch.quint8)
    return g.op("quantize", [x], q, scalar_attrs("", scale, zero_point))


def dequantize(g, q):
    t = q.tensor
    g.int8_step = t.q_scale()
    return g.op("dequantize", [q], t.dequantize().double(),
                scalar_attrs("", t.q_scale(), t.q_zero_point()))


def qconv(g, q, out_channels, kernel, out_scale, out_zero_point, stride=(1, 1), padding=(0, 0),
          bias=True, prefix="qconv", groups=1):
    """An int8 conv of u8 `q`: random weights quantized per output channel
    (symmetric, max |w| to 127), an f32 bias, symmetric padding. Without
    `out_scale` its output is f32: PyTorch's f64 conv of the dequantized
    values, which the int8 conv's bias, rounded to the accumulator's units,
    may miss by half of one (the case's `int8_step`)."""
    in_channels = q.tensor.shape[1] // groups
    a = (3.0 / (in_channels * kernel[0] * kernel[1])) ** 0.5
    w = (torch.rand((out_channels, in_channels) + tuple(kernel), generator=g.generator,
                    dtype=torch.float64) * 2 - 1) * a
    scales = (w.abs().amax(dim=(1, 2, 3)) / 127).float().double()
    qw = torch.quantize_per_channel(w.float(), scales, torch.zeros(out_channels, dtype=torch.long),
                                    0, torch.qint8)
    wv = g.int8_constant(qw)
    b = g.weight(prefix + ".bias", (out_channels,), -0.5, 0.5) if bias else None
    if out_scale is None:
        y = torch.nn.functional.conv2d(
            q.tensor.dequantize().double(), qw.dequantize().double(),
            b.tensor.float().double() if b else None, stride=stride, padding=padding,
            groups=groups)
        # (and the f32 products round: a tenth of a unit covers them)
        g.int8_step = (0.5 if b else 0.1) * q.tensor.q_scale() * float(scales.max())
    else:
        y = torch.nn.quantized.functional.conv2d(
            q.tensor, qw, b.tensor.float() if b else None, stride=stride, padding=padding,
            groups=groups, scale=out_scale, zero_point=out_zero_point)
    attrs = {}
    if groups != 1:
        attrs["groups"] = "%d : i64" % groups
    if tuple(stride) != (1, 1):
        attrs["stride"] = array(stride)
    if any(padding):
        attrs["padding"] = array((padding[0], padding[1], padding[0], padding[1]))
    attrs.update(scalar_attrs("input_", q.tensor.q_scale(), q.tensor.q_zero_point()))
    attrs["weight_scales"] = "array<f32: %s>" % ", ".join("%.9e" % s for s in scales.tolist())
    if out_scale is not None:
        attrs.update(scalar_attrs("output_", out_scale, out_zero_point))
    return g.op("qconv2d", [q, wv] + ([b] if b else []), y, attrs)


@case
def int8_quantize_dequantize():
    g = Graph((1, 5, 7, 9), 90, scale=2.0)
    return g, dequantize(g, quantize(g, g.input, 0.02, 128))


@case
def int8_conv_3x3_pad_bias():
    g = Graph((1, 8, 9, 11), 91)
    q = quantize(g, g.input, 0.017, 120)
    return g, dequantize(g, qconv(g, q, 16, (3, 3), 0.03, 110, padding=(1, 1)))


def quantized_input_conv(shape, seed, out_channels, kernel, out_scale, out_zero_point=120,
                         **conv):
    """A case of one int8 conv of the quantized input, dequantized."""
    g = Graph(shape, seed)
    q = quantize(g, g.input, 0.015, 128)
    return g, dequantize(g, qconv(g, q, out_channels, kernel, out_scale, out_zero_point, **conv))


@case
def int8_conv_stem_3_channels_stride2_batch2():
    # 3 input channels (not a whole dot product of 4), 24 outputs (not a
    # whole vector), no bias, two images: a small kernel, computed as an f32
    # conv of the integers (exact: every partial sum under 2^24).
    return quantized_input_conv((2, 3, 11, 10), 92, 24, (3, 3), 0.02, out_zero_point=100,
                                stride=(2, 2), padding=(1, 1), bias=False)


@case
def int8_conv_4_channels_7x7_stride2_folded():
    # A stem's kernel of 25 taps or more has its columns folded into the
    # input channels (7 x 4 = 28 of them) before the dot products.
    return quantized_input_conv((1, 4, 19, 18), 97, 16, (7, 7), 0.3, stride=(2, 2),
                                padding=(3, 3))


@case
def int8_conv_3_channels_5x5_strides_2_3_folded():
    # Columns folded at a column stride of 3 (a folded pixel x reads input
    # columns 3x - 1 .. 3x + 3), 15 channels: not a whole dot product.
    return quantized_input_conv((2, 3, 13, 17), 98, 24, (5, 5), 0.1, stride=(2, 3),
                                padding=(2, 1), bias=False)


@case
def int8_conv_3_channels_3x3_rows_of_32_folded():
    # A 3x3 stem on rows of whole 16-byte vectors: with VNNI its columns
    # fold too (4 per channel, the fourth a zero weight), read from a planar
    # padded copy of the input.
    return quantized_input_conv((2, 3, 9, 32), 99, 32, (3, 3), 0.05, stride=(2, 2),
                                padding=(1, 1))


@case
def int8_conv_3_channels_1x9_rows_of_32_folded():
    # A one-row kernel that folds, without padding: the folded conv is 1x1
    # at stride 1, but its folded columns past the kernel's (9 to 11) read
    # past the row, so it reads the padded copy, not the input in place.
    return quantized_input_conv((1, 3, 5, 32), 100, 16, (1, 9), 0.05)


@case
def int8_conv_chain_relu_range():
    # Two int8 convs passing u8 values; the first's output range starts at
    # 0 (zero point 0), as a ReLU folded into it leaves it.
    g = Graph((1, 16, 6, 7), 93)
    q = quantize(g, g.input, 0.02, 128)
    y = qconv(g, q, 40, (1, 1), 0.01, 0, prefix="qconv1")
    return g, dequantize(g, qconv(g, y, 8, (3, 3), 0.02, 128, padding=(1, 1), prefix="qconv2"))


@case
def int8_max_pool_and_residual():
    # What --quantize=int8 leaves of a ResNet stem and block: a max pool of
    # u8 values, and a residual add whose operands are dequantized, summed,
    # clamped and quantized again in one stage (the per-op case of the
    # fused elementwise group at -O2).
    g = Graph((1, 16, 12, 10), 94)
    q = quantize(g, g.input, 0.02, 128)
    pooled = g.op("max_pool2d", [q],
                  torch.nn.functional.max_pool2d(q.tensor, 3, 2, 1),
                  {"kernel_size": array((3, 3)), "stride": array((2, 2)),
                   "padding": array((1, 1, 1, 1))})
    y = qconv(g, pooled, 16, (3, 3), 0.03, 120, padding=(1, 1))
    a, b = y.tensor.dequantize(), pooled.tensor.dequantize()
    da = g.op("dequantize", [y], a.double(), scalar_attrs("", 0.03, 120))
    db = g.op("dequantize", [pooled], b.double(), scalar_attrs("", 0.02, 128))
    s = g.op("add", [da, db], (a + b).double())
    r = g.op("relu", [s], torch.relu(a + b).double(), unary=True)
    out = quantize(g, r, 0.025, 0)
    return g, dequantize(g, out)


@case
def int8_depthwise_3x3_stride2():
    # One channel per group (MobileNet's depthwise convs), 40 channels (not
    # a whole vector of 32), stride 2 over an odd map.
    g = Graph((1, 40, 13, 11), 95)
    q = quantize(g, g.input, 0.02, 100)
    return g, dequantize(g, qconv(g, q, 40, (3, 3), 0.015, 90, stride=(2, 2), padding=(1, 1),
                                  groups=40))


@case
def int8_depthwise_5x5_relu_range_batch2():
    # EfficientNet's 5x5 depthwise convs, two images, output from 0.
    g = Graph((2, 24, 9, 9), 96)
    q = quantize(g, g.input, 0.02, 128)
    return g, dequantize(g, qconv(g, q, 24, (5, 5), 0.01, 0, padding=(2, 2), groups=24))


@case
def int8_conv_3x3_float_output_relu():
    # A QDQ model's conv whose result nothing quantizes: an f32 output,
    # the accumulator times its scale, and at -O2 a ReLU in its stage.
    g = Graph((1, 12, 8, 9), 104)
    q = quantize(g, g.input, 0.02, 118)
    y = qconv(g, q, 20, (3, 3), None, None, padding=(1, 1))
    return g, g.op("relu", [y], torch.relu(y.tensor), unary=True)


@case
def int8_depthwise_float_output_stride2():
    # The same for a depthwise conv, without a bias.
    g = Graph((1, 24, 11, 9), 105)
    q = quantize(g, g.input, 0.02, 100)
    return g, qconv(g, q, 24, (3, 3), None, None, stride=(2, 2), padding=(1, 1), groups=24,
                    bias=False)


@case
def int8_linear_float_output_batch2():
    # A QDQ classifier's last layer (ONNX Runtime's QGemm with a float
    # output) as the 1x1 conv on a 1x1 map it is lowered to: 100 outputs,
    # not a whole register tile.
    g = Graph((2, 300, 1, 1), 106)
    q = quantize(g, g.input, 0.03, 128)
    return g, qconv(g, q, 100, (1, 1), None, None)


@case
def int8_grouped_groups_of_8():
    # RegNetY's groups of 8 channels: a vector of 16 output channels spans
    # two groups; 5 groups (40 channels, not a whole vector).
    g = Graph((1, 40, 9, 11), 101)
    q = quantize(g, g.input, 0.02, 110)
    return g, dequantize(g, qconv(g, q, 40, (3, 3), 0.012, 100, padding=(1, 1), groups=5))


@case
def int8_grouped_groups_of_32_stride2():
    # ResNeXt's wider groups: a group of 32 is one or two vectors; stride 2.
    g = Graph((1, 64, 11, 9), 102)
    q = quantize(g, g.input, 0.02, 128)
    return g, dequantize(g, qconv(g, q, 64, (3, 3), 0.01, 120, stride=(2, 2),
                                  padding=(1, 1), groups=2))


@case
def int8_grouped_groups_of_4_and_16_batch2():
    # ResNeXt's narrowest groups (4 channels, four per vector), then
    # RegNetX's 16 (a vector each), two images.
    g = Graph((2, 32, 8, 7), 103)
    q = quantize(g, g.input, 0.02, 100)
    q = qconv(g, q, 32, (3, 3), 0.015, 90, padding=(1, 1), groups=8, prefix="qconv1")
    return g, dequantize(g, qconv(g, q, 32, (3, 3), 0.01, 110, padding=(1, 1),
                                  groups=2, prefix="qconv2"))


@case
def int8_silu_between_quantized():
    # An activation with no int8 form between two quantized values: the
    # reference evaluates dequantize -> SiLU -> quantize per element, and
    # compiled code reads the same 256 values from a table
    # (--cnn-quantized-tables).
    g = Graph((1, 16, 7, 9), 97, scale=3.0)
    q = quantize(g, g.input, 0.05, 128)
    x = dequantize(g, q)
    t = x.tensor.float()
    y = g.op("silu", [x], torch.nn.functional.silu(t).double(), unary=True)
    return g, dequantize(g, quantize(g, y, 0.03, 20))


@case
def int8_lookup_table():
    # A table of 256 f32 values read by u8 values: PyTorch's sigmoid of
    # each dequantized value, indexed by the quantized input.
    g = Graph((1, 8, 5, 6), 98, scale=3.0)
    q = quantize(g, g.input, 0.05, 128)
    table = torch.sigmoid((torch.arange(256, dtype=torch.float32) - 128) * 0.05)
    y = table[q.tensor.int_repr().long()]
    return g, g.op("lookup_table", [q], y.double(),
                   {"table": "array<f32: %s>" % ", ".join("%.9e" % v for v in table.tolist())})
