"""The per-op harness's cases for whole fused blocks (each group kind the
-O2 pipeline makes from a real model's block), registered with op_cases.py's
others through graph.case.
"""
import torch  # noqa: F401
import torch.nn.functional as F  # noqa: F401

from graph import (Graph, adaptive_avg_pool, add, batch_norm, conv, gelu, layer_norm, mul,
                   relu, relu6, unary, case)


@case
def block_mobilenet_v1_pair():
    g = Graph((1, 16, 57, 57), 36)
    y = relu(g, batch_norm(g, conv(g, g.input, 16, (3, 3), stride=(2, 2),
                                     padding=(1, 1, 1, 1), groups=16, bias=False,
                                     prefix="dw"), prefix="dw_bn"))
    return g, relu(g, batch_norm(g, conv(g, y, 32, (1, 1), bias=False, prefix="pw"),
                                 prefix="pw_bn"))


@case
def block_mobilenet_v2_inverted_residual_56():
    g = Graph((1, 24, 56, 56), 37)
    y = relu6(g, batch_norm(g, conv(g, g.input, 144, (1, 1), bias=False, prefix="expand"),
                            prefix="expand_bn"))
    y = relu6(g, batch_norm(g, conv(g, y, 144, (3, 3), padding=(1, 1, 1, 1), groups=144,
                                    bias=False, prefix="dw"), prefix="dw_bn"))
    y = batch_norm(g, conv(g, y, 24, (1, 1), bias=False, prefix="project"),
                   prefix="project_bn")
    return g, add(g, y, g.input)


@case
def block_convnext_56():
    g = Graph((1, 32, 56, 56), 38)
    y = conv(g, g.input, 32, (7, 7), padding=(3, 3, 3, 3), groups=32, prefix="dwconv")
    y = layer_norm(g, y)
    y = gelu(g, conv(g, y, 128, (1, 1), prefix="pwconv1"))
    y = conv(g, y, 32, (1, 1), prefix="pwconv2")
    y = mul(g, y, g.weight("layer_scale", (32, 1, 1), 0.1, 0.5))
    return g, add(g, y, g.input)


@case
def block_convnext_7_batch2():
    g = Graph((2, 48, 7, 7), 39)
    y = conv(g, g.input, 48, (7, 7), padding=(3, 3, 3, 3), groups=48, prefix="dwconv")
    y = gelu(g, conv(g, layer_norm(g, y), 192, (1, 1), prefix="pwconv1"))
    y = mul(g, conv(g, y, 48, (1, 1), prefix="pwconv2"),
            g.weight("layer_scale", (48, 1, 1), 0.1, 0.5))
    return g, add(g, y, g.input)


def squeeze_excitation_block(g, channels, hidden, out_channels):
    """EfficientNet's MBConv tail: SiLU depthwise conv, the channel scale
    (pool, two 1x1 convs, sigmoid) and the projection reading the scaled
    map, which --cnn-fuse-conv-prologue computes inside the projection's
    stage."""
    y = unary(g, conv(g, g.input, channels, (3, 3), padding=(1, 1, 1, 1),
                      groups=channels, prefix="dw"), "silu", F.silu)
    s = unary(g, conv(g, adaptive_avg_pool(g, y, (1, 1)), hidden, (1, 1), prefix="fc1"),
              "silu", F.silu)
    s = unary(g, conv(g, s, channels, (1, 1), prefix="fc2"), "sigmoid", torch.sigmoid)
    return conv(g, mul(g, y, s), out_channels, (1, 1), prefix="project")


@case
def block_squeeze_excitation_56():
    # A task per output row: the scale computed a row at a time.
    g = Graph((1, 144, 56, 56), 40)
    return g, squeeze_excitation_block(g, 144, 6, 24)


@case
def block_squeeze_excitation_7_batch2():
    # Blocked: the scale computed whole first, one value per image.
    g = Graph((2, 72, 7, 7), 41)
    return g, squeeze_excitation_block(g, 72, 8, 40)
