//===- OnnxReduceOps.cpp - Reductions, LpNormalization, variadic ops ------===//
//
// ReduceSum/Max/Min/L1/L2/SumSquare over any axes become the cnn.reduce_*
// ops, ArgMax and ArgMin cnn.argmax and cnn.argmin; LpNormalization is a
// reduce_l1 or reduce_l2 and a div; Max, Min, Sum and Mean of more than two
// inputs are chains of the binary ops.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Expected<std::vector<int64_t>>
Importer::axesOf(const onnx::NodeProto &n) {
  if (!hasInput(n, 1))
    return ints(n, "axes", {});
  const HostTensor *given = constant(n, 1);
  if (!given || !given->isInt)
    return nodeError(n, "its axes must be a constant integer tensor");
  return given->ints;
}

llvm::Expected<int64_t> Importer::axisAttr(const onnx::NodeProto &n,
                                           int64_t rank, int64_t fallback) {
  const int64_t axis = intAttr(n, "axis", fallback);
  if (axis < -rank || axis >= rank)
    return nodeError(n, "axis " + llvm::Twine(axis) +
                            " is out of range for rank " + llvm::Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

/// The axes of a Reduce* node in [0, rank), ascending: the `axes`
/// attribute, or (ReduceSum from opset 13) its second input; none means
/// every axis unless `noop_with_empty_axes` says the node does nothing.
llvm::Expected<std::vector<int64_t>>
Importer::reductionAxes(const onnx::NodeProto &n, int64_t rank) {
  llvm::Expected<std::vector<int64_t>> given = axesOf(n);
  if (!given)
    return given.takeError();
  std::vector<int64_t> axes = std::move(*given);
  if (axes.empty()) {
    if (intAttr(n, "noop_with_empty_axes", 0) != 0)
      return nodeError(n, "noop_with_empty_axes without axes (an identity) "
                          "is not supported");
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  for (int64_t &a : axes) {
    if (a < -rank || a >= rank)
      return nodeError(n, "axis " + llvm::Twine(a) +
                              " is out of range for rank " + llvm::Twine(rank));
    a = a < 0 ? a + rank : a;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return nodeError(n, "names an axis twice");
  return axes;
}

llvm::Error Importer::reduce(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  const int64_t rank = static_cast<int64_t>(shapeOf(*x).size());
  llvm::Expected<std::vector<int64_t>> axes = reductionAxes(n, rank);
  if (!axes)
    return axes.takeError();
  bool keepdims = intAttr(n, "keepdims", 1) != 0;
  const bool channelsLast = isChannelsLast(n.input(0));
  if (channelsLast) {
    // The last axis of the NHWC view is the channels of the NCHW value.
    if (*axes != std::vector<int64_t>{3} || !keepdims)
      return nodeError(n, "reduces a channels-last (NHWC) tensor other than "
                          "over its last axis with keepdims");
    *axes = {1};
  }
  llvm::StringRef type = n.op_type();
  llvm::Expected<Value> y =
      type == "ReduceSum"   ? inferred<cnn::ReduceSumOp>(n, *x, *axes, keepdims)
      : type == "ReduceMax" ? inferred<cnn::ReduceMaxOp>(n, *x, *axes, keepdims)
      : type == "ReduceMin" ? inferred<cnn::ReduceMinOp>(n, *x, *axes, keepdims)
      : type == "ReduceL1"  ? inferred<cnn::ReduceL1Op>(n, *x, *axes, keepdims)
      : type == "ReduceL2"
          ? inferred<cnn::ReduceL2Op>(n, *x, *axes, keepdims)
          : inferred<cnn::ReduceSumSquareOp>(n, *x, *axes, keepdims);
  if (!y)
    return y.takeError();
  define(n, *y, channelsLast);
  return llvm::Error::success();
}

llvm::Error Importer::argReduce(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<int64_t> axis =
      axisAttr(n, static_cast<int64_t>(shapeOf(*x).size()), 0);
  if (!axis)
    return axis.takeError();
  // Where values tie, ONNX takes the first index unless select_last_index;
  // the last would be a reversed scan no exporter asks for.
  if (intAttr(n, "select_last_index", 0) != 0)
    return nodeError(n, "select_last_index=1 (the last of equal values) is "
                        "not supported");
  const bool keepdims = intAttr(n, "keepdims", 1) != 0;
  llvm::ArrayRef<int64_t> axes(*axis);
  llvm::Expected<Value> y =
      n.op_type() == "ArgMax" ? inferred<cnn::ArgMaxOp>(n, *x, axes, keepdims)
                              : inferred<cnn::ArgMinOp>(n, *x, axes, keepdims);
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::lpNormalization(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  if (isChannelsLast(n.input(0)))
    return nodeError(n, "normalizes a channels-last (NHWC) tensor");
  llvm::Expected<int64_t> axis =
      axisAttr(n, static_cast<int64_t>(shapeOf(*x).size()), -1);
  if (!axis)
    return axis.takeError();
  const int64_t p = intAttr(n, "p", 2);
  if (p != 1 && p != 2)
    return nodeError(n, "p must be 1 or 2, not " + llvm::Twine(p));
  // ONNX divides by the norm as it is (no epsilon): a zero vector gives
  // NaN, as it does in ONNX Runtime.
  llvm::ArrayRef<int64_t> axes(*axis);
  llvm::Expected<Value> norm =
      p == 1 ? inferred<cnn::ReduceL1Op>(n, *x, axes, true)
             : inferred<cnn::ReduceL2Op>(n, *x, axes, true);
  if (!norm)
    return norm.takeError();
  llvm::Expected<Value> y = inferred<cnn::DivOp>(n, *x, *norm);
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::variadic(const onnx::NodeProto &n) {
  llvm::StringRef type = n.op_type();
  if (n.input_size() == 2 && (type == "Max" || type == "Min"))
    return binary(n);
  if (n.input_size() < 1)
    return nodeError(n, "has no inputs");
  std::vector<Value> operands;
  for (int i = 0; i < n.input_size(); ++i) {
    if (isChannelsLast(n.input(i)))
      return nodeError(n, "combines channels-last (NHWC) tensors");
    llvm::Expected<Value> v = tensor(n, i);
    if (!v)
      return v.takeError();
    operands.push_back(*v);
  }
  // The cnn ops broadcast their right side: start from the largest.
  std::stable_sort(operands.begin(), operands.end(), [](Value a, Value b) {
    return product(shapeOf(a)) > product(shapeOf(b));
  });
  Value acc = operands.front();
  for (Value next : llvm::ArrayRef(operands).drop_front()) {
    llvm::Expected<Value> y = type == "Max" ? inferred<cnn::MaxOp>(n, acc, next)
                              : type == "Min"
                                  ? inferred<cnn::MinOp>(n, acc, next)
                                  : inferred<cnn::AddOp>(n, acc, next);
    if (!y)
      return y.takeError();
    acc = *y;
  }
  if (type == "Mean") {
    const float share = 1.0f / static_cast<float>(operands.size());
    Value scale = blob(n, n.output(0) + ".share", "", {1}, {share});
    llvm::Expected<Value> y = inferred<cnn::MulOp>(n, acc, scale);
    if (!y)
      return y.takeError();
    acc = *y;
  }
  define(n, acc);
  return llvm::Error::success();
}
