#!/usr/bin/env python3
"""Writes DIR/model.onnx (GlobalMaxPool of a [1, 3, 5, 7] input, as other
exporters than PyTorch write it), DIR/input.npy and DIR/expected.npy
(numpy's max over H and W: the oracle).

usage: onnx_global_max_pool.py DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
graph = helper.make_graph(
    [helper.make_node("GlobalMaxPool", ["input"], ["output"], name="pool")],
    "global_max_pool",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 5, 7])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, 1, 1])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
x = np.random.default_rng(1).standard_normal((1, 3, 5, 7)).astype(np.float32)
np.save(os.path.join(out, "input.npy"), x)
np.save(os.path.join(out, "expected.npy"), x.max(axis=(2, 3), keepdims=True))
