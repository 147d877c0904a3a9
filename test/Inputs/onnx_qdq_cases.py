#!/usr/bin/env python3
"""Writes small QDQ models node by node into DIR, for the importer's
checks (test/Import/onnx-qdq.test):

  weights-in-graph.onnx  f32 weights quantized in the graph (QuantizeLinear
                         of a constant, then DequantizeLinear, as PyTorch's
                         exporters write them), S8 activations, a ReLU
                         between the conv and its QuantizeLinear; with
                         DIR/input.npy
  gemm.onnx              two linear layers as ONNX Runtime's static
                         quantization writes them (U8 activations, S8
                         weights per row and per tensor, int32 biases): a
                         ReLU before the second's input QuantizeLinear,
                         the second's output f32
  per-axis.onnx          an activation quantized per channel
  zero-scale.onnx        a scale of 0
  int16-zero-point.onnx  a zero point of type int16
  float-dequantize.onnx  a DequantizeLinear of an f32 activation
  mixed-types.onnx       quantized to int8, dequantized as uint8
  out-of-range.onnx      an int8 initializer holding 300 (in int32_data)
  nan-weight.onnx        f32 weights with a NaN quantized in the graph
  int32-activation.onnx  an activation dequantized with an int32 zero point

usage: onnx_qdq_cases.py DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(29)
node = helper.make_node


def save(name, nodes, initializers, output_shape):
    graph = helper.make_graph(
        nodes, name.replace("-", "_"),
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 6, 6])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, output_shape)],
        initializer=[numpy_helper.from_array(v, k) if isinstance(v, np.ndarray) else v
                     for k, v in initializers.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(out, name + ".onnx"))


def scalar(value, dtype):
    return np.array(value, dtype)


weights = rng.standard_normal((8, 3, 3, 3)).astype(np.float32) * 0.3
save("weights-in-graph", [
    node("QuantizeLinear", ["input", "in_scale", "in_zero"], ["xq"]),
    node("DequantizeLinear", ["xq", "in_scale", "in_zero"], ["x"]),
    node("QuantizeLinear", ["w", "w_scale", "w_zero"], ["wq"], axis=0),
    node("DequantizeLinear", ["wq", "w_scale", "w_zero"], ["wd"], axis=0),
    node("Conv", ["x", "wd", "b"], ["y"], name="conv", pads=[1, 1, 1, 1]),
    node("Relu", ["y"], ["r"]),
    node("QuantizeLinear", ["r", "out_scale", "out_zero"], ["rq"]),
    node("DequantizeLinear", ["rq", "out_scale", "out_zero"], ["output"]),
], {
    "in_scale": scalar(0.03, np.float32), "in_zero": scalar(-5, np.int8),
    "w": weights,
    "w_scale": (np.abs(weights).reshape(8, -1).max(1) / 127).astype(np.float32),
    "w_zero": np.zeros(8, np.int8),
    "b": rng.standard_normal(8).astype(np.float32) * 0.1,
    "out_scale": scalar(0.02, np.float32), "out_zero": scalar(-128, np.int8),
}, [1, 8, 6, 6])
np.save(os.path.join(out, "input.npy"),
        rng.standard_normal((1, 3, 6, 6)).astype(np.float32) * 1.5)

w1 = rng.integers(-127, 128, (40, 108)).astype(np.int8)
w1_scale = (rng.random(40) * 0.004 + 0.001).astype(np.float32)
w2 = rng.integers(-127, 128, (10, 40)).astype(np.int8)
save("gemm", [
    node("Flatten", ["input"], ["flat"]),
    node("QuantizeLinear", ["flat", "in_scale", "in_zero"], ["xq"]),
    node("DequantizeLinear", ["xq", "in_scale", "in_zero"], ["x"]),
    node("DequantizeLinear", ["w1", "w1_scale", "w1_zero"], ["w1d"], axis=0),
    node("DequantizeLinear", ["b1", "b1_scale", "b1_zero"], ["b1d"], axis=0),
    node("Gemm", ["x", "w1d", "b1d"], ["y"], name="fc1", transB=1),
    node("Relu", ["y"], ["r"]),
    node("QuantizeLinear", ["r", "mid_scale", "mid_zero"], ["rq"]),
    node("DequantizeLinear", ["rq", "mid_scale", "mid_zero"], ["rd"]),
    node("DequantizeLinear", ["w2", "w2_scale", "w2_zero"], ["w2d"]),
    node("Gemm", ["rd", "w2d"], ["output"], name="fc2", transB=1),
], {
    "in_scale": scalar(0.025, np.float32), "in_zero": scalar(131, np.uint8),
    "w1": w1, "w1_scale": w1_scale, "w1_zero": np.zeros(40, np.int8),
    "b1": rng.integers(-2000, 2000, 40).astype(np.int32),
    "b1_scale": (w1_scale * np.float32(0.025)).astype(np.float32),
    "b1_zero": np.zeros(40, np.int32),
    "mid_scale": scalar(0.05, np.float32), "mid_zero": scalar(0, np.uint8),
    "w2": w2, "w2_scale": scalar(0.003, np.float32), "w2_zero": scalar(0, np.int8),
}, [1, 10])

pair = [node("QuantizeLinear", ["input", "s", "z"], ["q"], name="quantize", axis=1),
        node("DequantizeLinear", ["q", "s", "z"], ["output"], name="dequantize", axis=1)]
save("per-axis", pair, {"s": np.full(3, 0.1, np.float32), "z": np.zeros(3, np.uint8)},
     [1, 3, 6, 6])
save("zero-scale", pair, {"s": scalar(0.0, np.float32), "z": scalar(0, np.uint8)},
     [1, 3, 6, 6])
save("int16-zero-point", pair, {"s": scalar(0.1, np.float32), "z": scalar(0, np.int16)},
     [1, 3, 6, 6])
save("float-dequantize", [node("DequantizeLinear", ["input", "s", "z"], ["output"],
                               name="dequantize")],
     {"s": scalar(0.1, np.float32), "z": scalar(0, np.uint8)}, [1, 3, 6, 6])
save("mixed-types", [
    node("QuantizeLinear", ["input", "s", "z8"], ["q"], name="quantize"),
    node("DequantizeLinear", ["q", "s", "zu8"], ["output"], name="dequantize"),
], {"s": scalar(0.1, np.float32), "z8": scalar(0, np.int8), "zu8": scalar(0, np.uint8)},
    [1, 3, 6, 6])
save("out-of-range", [
    node("DequantizeLinear", ["w", "s"], ["wd"], name="weights"),
    node("Conv", ["input", "wd"], ["output"], name="conv"),
], {"w": helper.make_tensor("w", TensorProto.INT8, [1, 3, 1, 1], [1, 300, 2]),
    "s": scalar(0.1, np.float32)}, [1, 1, 6, 6])
save("nan-weight", [
    node("QuantizeLinear", ["w", "s", "z"], ["wq"], name="weights"),
    node("DequantizeLinear", ["wq", "s", "z"], ["wd"]),
    node("Conv", ["input", "wd"], ["output"], name="conv"),
], {"w": np.array([1.0, np.nan, 2.0], np.float32).reshape(1, 3, 1, 1),
    "s": scalar(0.1, np.float32), "z": scalar(0, np.int8)}, [1, 1, 6, 6])
save("int32-activation", [
    node("QuantizeLinear", ["input", "s", "z"], ["q"], name="quantize"),
    node("DequantizeLinear", ["q", "s", "z32"], ["output"], name="dequantize"),
], {"s": scalar(0.1, np.float32), "z": scalar(0, np.uint8), "z32": scalar(0, np.int32)},
    [1, 3, 6, 6])
