#!/usr/bin/env python3
"""Writes DIR/model.onnx (SpaceToDepth, blocksize 2, of a [1, 3, 6, 8]
input: ONNX's DCR order, which PyTorch does not write), DIR/input.npy and
DIR/expected.npy (the ONNX definition in numpy: the oracle).

usage: onnx_space_to_depth.py DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
graph = helper.make_graph(
    [helper.make_node("SpaceToDepth", ["input"], ["output"], name="s2d", blocksize=2)],
    "space_to_depth",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 6, 8])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 12, 3, 4])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
x = np.random.default_rng(1).standard_normal((1, 3, 6, 8)).astype(np.float32)
np.save(os.path.join(out, "input.npy"), x)
blocks = x.reshape(1, 3, 3, 2, 4, 2).transpose(0, 3, 5, 1, 2, 4)
np.save(os.path.join(out, "expected.npy"), blocks.reshape(1, 12, 3, 4))
