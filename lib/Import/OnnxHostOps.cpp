//===- OnnxHostOps.cpp - Constants and shape arithmetic ------------------===//
//
// Integer tensors computed here, never in the model: the shapes exporters
// compute (Shape, Gather, Concat, Add, Sub, Mul, Div) for a Reshape to
// read as a constant, and the constants they build in the graph (Range,
// Expand, ConstantOfShape, Concat and Cast of constants: a detector's
// grid, F.pad's pads). Squeeze, Unsqueeze, Reshape, Slice and Transpose
// of constants are their handlers' host paths.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include <algorithm>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::hostOp(const onnx::NodeProto &n) {
  llvm::StringRef type = n.op_type();
  HostTensor result;
  if (type == "Constant") {
    const onnx::AttributeProto *value = attribute(n, "value");
    if (!value || !value->has_t())
      return nodeError(n, "only tensor constants ('value') are supported");
    llvm::Expected<HostTensor> h = readTensor(value->t(), modelDir);
    if (!h)
      return nodeError(n, llvm::toString(h.takeError()));
    result = std::move(*h);
  } else if (type == "Shape") {
    auto it = values.find(n.input(0));
    if (it == values.end())
      return nodeError(n, "input '" + n.input(0) + "' is not defined");
    std::vector<int64_t> shape =
        it->second.value ? shapeOf(it->second.value) : it->second.host->shape;
    // Opset 15's start and end take a part of it.
    const int64_t rank = static_cast<int64_t>(shape.size());
    auto position = [&](int64_t p) {
      return std::clamp<int64_t>(p < 0 ? p + rank : p, 0, rank);
    };
    const int64_t start = position(intAttr(n, "start", 0));
    const int64_t end = std::max(start, position(intAttr(n, "end", rank)));
    result.isInt = true;
    result.ints.assign(shape.begin() + start, shape.begin() + end);
    result.shape = {end - start};
  } else if (type == "Gather") {
    const HostTensor *data = constant(n, 0), *index = constant(n, 1);
    if (!data || !index || !data->isInt || !index->isInt ||
        data->shape.size() != 1 || intAttr(n, "axis", 0) != 0)
      return nodeError(n, "only gathers from constant 1-D shapes are "
                          "supported (shape arithmetic)");
    result.isInt = true;
    result.shape = index->shape;
    for (int64_t i : index->ints) {
      int64_t size = static_cast<int64_t>(data->ints.size());
      if (i < -size || i >= size)
        return nodeError(n, "index " + llvm::Twine(i) + " is out of range");
      result.ints.push_back(data->ints[i < 0 ? i + size : i]);
    }
  } else if (type == "Range") {
    const HostTensor *start = constant(n, 0), *limit = constant(n, 1),
                     *delta = constant(n, 2);
    if (!start || !limit || !delta || start->elements() != 1 ||
        limit->elements() != 1 || delta->elements() != 1)
      return nodeError(n, "only ranges of constant scalars are supported");
    llvm::Expected<HostTensor> r = rangeHost(*start, *limit, *delta);
    if (!r)
      return nodeError(n, llvm::toString(r.takeError()));
    result = std::move(*r);
  } else if (type == "Expand") {
    const HostTensor *data = constant(n, 0), *shape = constant(n, 1);
    if (!data || !shape || !shape->isInt)
      return nodeError(n, "only expansions of constants to a constant shape "
                          "are supported");
    llvm::Expected<HostTensor> r = expandHost(*data, shape->ints);
    if (!r)
      return nodeError(n, llvm::toString(r.takeError()));
    result = std::move(*r);
  } else if (type == "ConstantOfShape") {
    const HostTensor *shape = constant(n, 0);
    if (!shape || !shape->isInt)
      return nodeError(n, "only a constant shape is supported");
    HostTensor fill;
    fill.shape = {1};
    fill.floats = {0.0f};
    if (const onnx::AttributeProto *value = attribute(n, "value")) {
      llvm::Expected<HostTensor> v = readTensor(value->t(), modelDir);
      if (!v)
        return nodeError(n, llvm::toString(v.takeError()));
      if (v->elements() != 1)
        return nodeError(n, "its value must hold one element");
      fill = std::move(*v);
      fill.shape = {1};
    }
    llvm::Expected<HostTensor> r = expandHost(fill, shape->ints);
    if (!r)
      return nodeError(n, llvm::toString(r.takeError()));
    result = std::move(*r);
  } else { // Cast
    const HostTensor *data = constant(n, 0);
    const int64_t to = intAttr(n, "to", 0);
    const bool toFloat = to == onnx::TensorProto::FLOAT;
    if (!data || (!toFloat && to != onnx::TensorProto::INT64 &&
                  to != onnx::TensorProto::INT32))
      return nodeError(n, "only casts of constants to float32, int32 or "
                          "int64 are supported");
    llvm::Expected<HostTensor> r = castHost(*data, toFloat);
    if (!r)
      return nodeError(n, llvm::toString(r.takeError()));
    result = std::move(*r);
  }
  values[n.output(0)].host = std::move(result);
  return llvm::Error::success();
}

bool Importer::isHostArithmetic(const onnx::NodeProto &n) {
  return n.input_size() == 2 && constant(n, 0) && constant(n, 0)->isInt &&
         constant(n, 1) && constant(n, 1)->isInt;
}

llvm::Error Importer::hostArithmetic(const onnx::NodeProto &n) {
  const HostTensor &a = *constant(n, 0), &b = *constant(n, 1);
  // Scalars ([] or [1]) broadcast; otherwise the shapes match.
  const int64_t size = std::max(a.elements(), b.elements());
  if ((a.elements() != size && a.elements() != 1) ||
      (b.elements() != size && b.elements() != 1))
    return nodeError(n, "integer operands of different sizes");
  HostTensor result;
  result.isInt = true;
  result.shape = a.elements() == size ? a.shape : b.shape;
  for (int64_t i = 0; i < size; ++i) {
    int64_t x = a.ints[a.elements() == 1 ? 0 : i];
    int64_t y = b.ints[b.elements() == 1 ? 0 : i];
    llvm::StringRef op = n.op_type();
    if (op == "Div" && y == 0)
      return nodeError(n, "integer division by zero");
    // Checked: a model file's integers may overflow.
    int64_t z = 0;
    const bool overflow =
        op == "Add"   ? llvm::AddOverflow(x, y, z)
        : op == "Sub" ? llvm::SubOverflow(x, y, z)
        : op == "Mul" ? llvm::MulOverflow(x, y, z)
                      : (x == std::numeric_limits<int64_t>::min() && y == -1) ||
                            (z = x / y, false);
    if (overflow)
      return nodeError(n, "integer " + op + " of " + llvm::Twine(x) + " and " +
                              llvm::Twine(y) + " overflows");
    result.ints.push_back(z);
  }
  values[n.output(0)].host = std::move(result);
  return llvm::Error::success();
}
