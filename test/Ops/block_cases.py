"""The per-op harness's cases for whole fused blocks (each group kind the
-O2 pipeline makes from a real model's block), registered with op_cases.py's
others through graph.case.
"""
import torch  # noqa: F401
import torch.nn.functional as F  # noqa: F401

from graph import Graph, add, batch_norm, conv, gelu, layer_norm, mul, relu, relu6, case


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
