#!/usr/bin/env python3
"""Writes ONNX models of ArgMin and ArgMax as PyTorch does not export them,
with numpy as the oracle:

  DIR/argmin.onnx   ArgMin along the last axis (keepdims), [1, 4, 5, 1]
  DIR/input.npy, DIR/expected.npy (the indices as float32)
  DIR/last.onnx     ArgMax with select_last_index=1 (unsupported)
  DIR/axis.onnx     ArgMax along axis 4 of a rank-4 tensor (invalid)

usage: onnx_argmin.py DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
x = np.random.default_rng(5).standard_normal((1, 4, 5, 6)).astype(np.float32)


def save(name, node, shape):
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 4, 5, 6])],
        [helper.make_tensor_value_info("output", TensorProto.INT64, shape)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(out, name + ".onnx"))


save("argmin", helper.make_node("ArgMin", ["input"], ["output"], name="argmin",
                                axis=-1, keepdims=1), [1, 4, 5, 1])
save("last", helper.make_node("ArgMax", ["input"], ["output"], name="last",
                              axis=1, select_last_index=1), [1, 1, 5, 6])
save("axis", helper.make_node("ArgMax", ["input"], ["output"], name="far",
                              axis=4), [1, 4, 5, 6])
np.save(os.path.join(out, "input.npy"), x)
np.save(os.path.join(out, "expected.npy"),
        np.argmin(x, axis=-1)[..., None].astype(np.float32))
