#!/usr/bin/env python3
"""Writes DIR/model.onnx, DIR/input.npy and DIR/expected.npy: the ONNX ops
PyTorch does not export this way, computed by torch (the oracle) from the
same input. Max, Min and Sum of three inputs and Mean of three (a
constant [4, 1, 1] among them), LpNormalization with p = 2 over the
channels and p = 1 over the last axis, ReduceL1 over H and W,
ReduceSumSquare and ReduceMax over the channels, ReduceSum without
axes (over every axis), and a Div whose smaller operand is on the left.

usage: onnx_reductions.py DIR
"""
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(3)
x = rng.standard_normal((1, 4, 5, 6)).astype(np.float32)
c = rng.uniform(0.1, 1.0, (4, 1, 1)).astype(np.float32)

node = helper.make_node
nodes = [
    node("Relu", ["input"], ["a"], name="relu"),
    node("Neg", ["input"], ["b"], name="neg"),
    node("Max", ["input", "a", "c"], ["max3"], name="max3"),
    node("Min", ["input", "b", "c"], ["min3"], name="min3"),
    node("Sum", ["max3", "min3", "c"], ["sum3"], name="sum3"),
    node("Mean", ["input", "a", "b"], ["mean3"], name="mean3"),
    node("LpNormalization", ["sum3"], ["lp2"], name="lp2", axis=1, p=2),
    node("LpNormalization", ["max3"], ["lp1"], name="lp1", axis=-1, p=1),
    node("ReduceL1", ["lp2"], ["l1"], name="l1", axes=[2, 3]),
    node("ReduceSumSquare", ["lp1"], ["squares"], name="squares", axes=[1]),
    node("ReduceMax", ["mean3"], ["peak"], name="peak", axes=[1]),
    node("ReduceSum", ["input"], ["total"], name="total"),
    node("Add", ["lp2", "l1"], ["s1"], name="add1"),
    node("Add", ["s1", "squares"], ["s2"], name="add2"),
    node("Add", ["s2", "peak"], ["s3"], name="add3"),
    node("Div", ["c", "max3"], ["ratio"], name="ratio"),
    node("Add", ["s3", "ratio"], ["s4"], name="add4"),
    node("Mul", ["s4", "total"], ["output"], name="scale"),
]
graph = helper.make_graph(
    nodes, "reductions",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 4, 5, 6])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 4, 5, 6])],
    [numpy_helper.from_array(c, "c")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), x)

t, k = torch.from_numpy(x).double(), torch.from_numpy(c).double()
a, b = torch.relu(t), -t
max3 = torch.maximum(torch.maximum(t, a), k)
min3 = torch.minimum(torch.minimum(t, b), k)
sum3 = max3 + min3 + k
mean3 = (t + a + b) / 3
lp2 = sum3 / sum3.norm(p=2, dim=1, keepdim=True)
lp1 = max3 / max3.norm(p=1, dim=-1, keepdim=True)
y = (lp2 + lp2.abs().sum((2, 3), keepdim=True) + (lp1 ** 2).sum(1, keepdim=True)
     + mean3.amax(1, keepdim=True) + k / max3) * t.sum()
np.save(os.path.join(out, "expected.npy"), y.float().numpy())
