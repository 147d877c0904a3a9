#!/usr/bin/env python3
"""Writes DIR/model.onnx at opset 18 (what PyTorch 2's dynamo exporter
writes; Debian's PyTorch 1.13 and ONNX 1.12 stop at 17, so it is written
node by node and not checked by onnx.checker), DIR/input.npy and
DIR/expected.npy computed by torch from the same input: GroupNormalization
(scale and bias per group), Mish, ReduceMean and ReduceMax with their axes
as an input, Split by num_outputs into uneven chunks, Resize and Pad at 18.

usage: onnx_opset18.py DIR
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(18)
x = rng.standard_normal((1, 8, 6, 6)).astype(np.float32) * 2 + 0.5
scale = rng.uniform(0.5, 1.5, 2).astype(np.float32)
bias = rng.uniform(-0.5, 0.5, 2).astype(np.float32)

constants = {
    "scale": scale, "bias": bias,
    "channel_axis": np.array([1], np.int64),
    "space_axes": np.array([2, 3], np.int64),
    "scales": np.array([1, 1, 2, 2], np.float32),
    "pads": np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64),
}
node = helper.make_node
nodes = [
    node("GroupNormalization", ["input", "scale", "bias"], ["g"], name="gn",
         num_groups=2, epsilon=1e-5),
    node("Mish", ["g"], ["m"], name="mish"),
    node("ReduceMean", ["m", "channel_axis"], ["mean"], name="mean"),
    node("ReduceMax", ["m", "space_axes"], ["peak"], name="peak"),
    node("Sub", ["m", "mean"], ["centered"], name="sub"),
    node("Add", ["centered", "peak"], ["shifted"], name="add"),
    node("Split", ["shifted"], ["p0", "p1", "p2"], name="split", axis=1,
         num_outputs=3),
    node("Concat", ["p2", "p0", "p1"], ["joined"], name="concat", axis=1),
    node("Resize", ["joined", "", "scales"], ["up"], name="resize",
         mode="nearest", antialias=0, keep_aspect_ratio_policy="stretch"),
    node("Pad", ["up", "pads"], ["padded"], name="pad"),
    node("AveragePool", ["padded"], ["output"], name="pool",
         kernel_shape=[3, 3], count_include_pad=1),
]
graph = helper.make_graph(
    nodes, "opset18",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 8, 6, 6])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 8, 12, 12])],
    [numpy_helper.from_array(v, k) for k, v in constants.items()])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), x)

t = torch.from_numpy(x).double()
weight = torch.from_numpy(scale).double().repeat_interleave(4)
shift = torch.from_numpy(bias).double().repeat_interleave(4)
m = F.mish(F.group_norm(t, 2, weight, shift, 1e-5))
y = m - m.mean(1, keepdim=True) + m.amax((2, 3), keepdim=True)
p0, p1, p2 = torch.split(y, 3, dim=1)  # 3, 3 and 2 channels
y = F.interpolate(torch.cat((p2, p0, p1), 1), scale_factor=2, mode="nearest")
y = F.avg_pool2d(F.pad(y, (1, 1, 1, 1)), 3, stride=1)
np.save(os.path.join(out, "expected.npy"), y.float().numpy())
