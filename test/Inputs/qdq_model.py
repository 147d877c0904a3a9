#!/usr/bin/env python3
"""Writes a QDQ model from an fp32 ONNX model, in ONNX Runtime's default
static-quantization format (QuantizeLinear/DequantizeLinear pairs; U8
activations per tensor, min-max; S8 weights symmetric per output channel;
int32 biases), with python3-onnx only. The activations' ranges are what
ONNX Runtime computes on the calibration inputs (ort_run.js).

Quantized: the input of every Conv and Gemm, both inputs of every Add
that reads a Conv's output (a residual; not the Adds inside an exported
LayerNorm), and every Conv's output; a Relu, or a Clip from 0, that is a Conv's only reader
is dropped and its output range taken instead (as quantize_static drops
them: the range's zero point 0 saturates what they clamped).

usage: qdq_model.py FP32.onnx CALIBRATION.npy OUT.onnx [--batch=B]
                    [--activations=u8|s8]
  B: the model's fixed batch, if any (the calibration runs in chunks of it)
"""
import argparse
import os
import subprocess
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def constant_value(graph, name):
    for t in graph.initializer:
        if t.name == name:
            return numpy_helper.to_array(t)
    for n in graph.node:
        if n.op_type == "Constant" and n.output[0] == name:
            return numpy_helper.to_array(n.attribute[0].t)
    return None


def drop_conv_activations(graph):
    """Conv -> Relu (or Clip from 0) with no other reader: the Conv writes
    the activation's output."""
    readers = {}
    for n in graph.node:
        for i in n.input:
            readers.setdefault(i, []).append(n)
    dropped = []
    for conv in graph.node:
        if conv.op_type != "Conv" or len(readers.get(conv.output[0], [])) != 1:
            continue
        act = readers[conv.output[0]][0]
        if act.op_type == "Clip":
            low = constant_value(graph, act.input[1]) if len(act.input) > 1 and act.input[1] else None
            if low is None or float(low) != 0.0:
                continue
        elif act.op_type != "Relu":
            continue
        conv.output[0] = act.output[0]
        dropped.append(act)
    for act in dropped:
        graph.node.remove(act)


def float_tensors(model):
    """The names of the model's f32 values (shape inference's types): an
    Add may be shape arithmetic on int64 tensors."""
    inferred = onnx.shape_inference.infer_shapes(model).graph
    return {v.name for v in list(inferred.value_info) + list(inferred.input) +
            list(inferred.output) if v.type.tensor_type.elem_type == onnx.TensorProto.FLOAT}


def activations_to_quantize(graph, floats):
    initializers = {t.name for t in graph.initializer}
    outputs = {o.name for o in graph.output}
    conv_outputs = {n.output[0] for n in graph.node if n.op_type == "Conv"}
    names = []
    for n in graph.node:
        wanted = []
        if n.op_type in ("Conv", "Gemm"):
            wanted = [n.input[0]]
        elif n.op_type == "Add" and any(i in conv_outputs for i in n.input):
            wanted = list(n.input)
        if n.op_type == "Conv":
            wanted.append(n.output[0])
        for name in wanted:
            if name in floats and name not in initializers and name not in outputs and \
                    constant_value(graph, name) is None and name not in names:
                names.append(name)
    return names


def measure_ranges(model, names, calibration, batch, work):
    """Each tensor's (min, max) over the calibration inputs, as ONNX Runtime
    computes them."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    first = len(probe.graph.output)
    for name in names:
        probe.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    path = os.path.join(work, "probe.onnx")
    onnx.save(probe, path)
    subprocess.run(["node", os.path.join(HERE, "ort_run.js"), path, calibration,
                    str(batch), os.path.join(work, "ranges")], check=True)
    ranges = {}
    for i, name in enumerate(names):
        values = np.load(os.path.join(work, "ranges", "%d.npy" % (first + i)))
        ranges[name] = (float(values.min()), float(values.max()))
    return ranges


def activation_params(low, high, signed):
    low, high = min(low, 0.0), max(high, 0.0)
    scale = np.float32((high - low) / 255.0) if high > low else np.float32(1.0)
    qmin = -128 if signed else 0
    zero = int(np.clip(np.rint(qmin - low / scale), qmin, qmin + 255))
    return scale, zero


def quantize_weight(w, axis):
    """Symmetric int8 per slice along `axis`: scales and the integers."""
    moved = np.moveaxis(w, axis, 0)
    peak = np.abs(moved.reshape(moved.shape[0], -1)).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return scale, q


class Writer:
    def __init__(self, graph, ranges, signed):
        self.graph, self.ranges, self.signed = graph, ranges, signed
        self.nodes, self.params = [], {}

    def initializer(self, name, array):
        self.graph.initializer.append(numpy_helper.from_array(array, name))
        return name

    def qdq(self, name):
        """Q and DQ of activation `name`, appended to the node list."""
        scale, zero = activation_params(*self.ranges[name], self.signed)
        self.params[name] = scale
        zero_type = np.int8 if self.signed else np.uint8
        s = self.initializer(name + "_scale", np.array(scale, np.float32))
        z = self.initializer(name + "_zero_point", np.array(zero, zero_type))
        self.nodes.append(helper.make_node("QuantizeLinear", [name, s, z], [name + "_quantized"]))
        self.nodes.append(helper.make_node("DequantizeLinear", [name + "_quantized", s, z],
                                           [name + "_dequantized"]))

    def weight(self, node, index, axis):
        w = constant_value(self.graph, node.input[index])
        scale, q = quantize_weight(w, axis)
        base = node.input[index]
        out = base + "_dequantized_%s" % node.output[0]
        self.nodes.append(helper.make_node(
            "DequantizeLinear",
            [self.initializer(out + "_int8", q), self.initializer(out + "_scale", scale),
             self.initializer(out + "_zero_point", np.zeros(scale.shape, np.int8))],
            [out], axis=axis))
        node.input[index] = out
        return scale

    def bias(self, node, index, input_scale, weight_scales):
        b = constant_value(self.graph, node.input[index])
        scale = (np.float32(input_scale) * weight_scales).astype(np.float32)
        q = np.rint(b / scale).astype(np.int32)
        out = node.input[index] + "_dequantized_%s" % node.output[0]
        self.nodes.append(helper.make_node(
            "DequantizeLinear",
            [self.initializer(out + "_int32", q), self.initializer(out + "_scale", scale),
             self.initializer(out + "_zero_point", np.zeros(scale.shape, np.int32))],
            [out], axis=0))
        node.input[index] = out


def write(model, ranges, signed):
    graph = model.graph
    w = Writer(graph, ranges, signed)
    quantized = set(ranges)
    for name in (i.name for i in graph.input):
        if name in quantized:
            w.qdq(name)
    for node in list(graph.node):
        readers_of = [i for i in node.input if i in quantized]
        for i, name in enumerate(node.input):
            if name in quantized:
                node.input[i] = name + "_dequantized"
        if node.op_type in ("Conv", "Gemm") and readers_of and \
                constant_value(graph, node.input[1]) is not None:
            axis = 0
            if node.op_type == "Gemm":
                trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
                axis = 0 if trans_b else 1
            scales = w.weight(node, 1, axis)
            if len(node.input) > 2 and node.input[2] and \
                    constant_value(graph, node.input[2]) is not None:
                w.bias(node, 2, w.params[readers_of[0]], scales)
        w.nodes.append(node)
        for name in node.output:
            if name in quantized:
                w.qdq(name)
    del graph.node[:]
    graph.node.extend(w.nodes)
    # The fp32 weights (now read through their int8 copies) and the dropped
    # Clips' bounds.
    used = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
    for t in [t for t in graph.initializer if t.name not in used]:
        graph.initializer.remove(t)
    for n in [n for n in graph.node if n.op_type == "Constant" and n.output[0] not in used]:
        graph.node.remove(n)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("calibration")
    p.add_argument("output")
    p.add_argument("--batch", type=int, default=0)
    p.add_argument("--activations", choices=("u8", "s8"), default="u8")
    args = p.parse_args()
    model = onnx.load(args.model)
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if opset < 13:
        raise SystemExit("%s: opset %d; per-channel DequantizeLinear needs 13" %
                         (args.model, opset))
    floats = float_tensors(model)
    drop_conv_activations(model.graph)
    names = activations_to_quantize(model.graph, floats)
    with tempfile.TemporaryDirectory() as work:
        ranges = measure_ranges(onnx.load(args.model), names, args.calibration,
                                args.batch, work)
    write(model, ranges, args.activations == "s8")
    onnx.checker.check_model(model)
    onnx.save(model, args.output)
    print("wrote %s: %d activations quantized" % (args.output, len(names)))


if __name__ == "__main__":
    main()
