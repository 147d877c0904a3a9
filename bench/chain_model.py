#!/usr/bin/env python3
"""Writes OUT.onnx: a 1x8x16x16 input through N chained elementwise nodes
(Relu, Sigmoid, Tanh, Add of a constant, in turn), a graph as long as a
hostile or generated model might be.

usage: chain_model.py N OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

count, path = int(sys.argv[1]), sys.argv[2]
kinds = ["Relu", "Sigmoid", "Tanh", "Add"]
nodes, value = [], "input"
one = numpy_helper.from_array(np.array(0.5, np.float32), "half")
for i in range(count):
    kind = kinds[i % len(kinds)]
    out = "v%d" % i if i + 1 < count else "output"
    inputs = [value, "half"] if kind == "Add" else [value]
    nodes.append(helper.make_node(kind, inputs, [out], name="n%d" % i))
    value = out
graph = helper.make_graph(
    nodes, "chain",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 8, 16, 16])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 8, 16, 16])],
    initializer=[one])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
onnx.save(model, path)
