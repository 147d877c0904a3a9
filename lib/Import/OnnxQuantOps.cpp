//===- OnnxQuantOps.cpp - QuantizeLinear, DequantizeLinear ---------------===//
//
// QDQ models (ONNX Runtime's quantize_static, PyTorch's exporters) say
// int8 inference as QuantizeLinear -> DequantizeLinear pairs around float
// ops. An activation's pair becomes cnn.quantize and cnn.dequantize, so the
// model's float meaning, its rounding included, is kept exactly; the
// pairs around a Conv become a cnn.qconv2d later (--cnn-qdq-to-int8).
// Weights and biases, stored as integers with a DequantizeLinear, are
// dequantized here; the Conv that reads int8 weights keeps their scales.
//
// An S8 activation (ONNX Runtime's S8S8 format) is held as u8 plus 128:
// saturate(round(x / s) + z) to [-128, 127], plus 128, is saturate(round(x
// / s) + z + 128) to [0, 255], so the shift is exact.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Quantization.h"

#include <cmath>
#include <sstream>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

namespace {

constexpr int64_t kS8Shift = 128;

/// The range of ONNX integer type `type`'s quantized values.
std::pair<int64_t, int64_t> quantizedRange(int type) {
  if (type == onnx::TensorProto::INT8)
    return {-128, 127};
  if (type == onnx::TensorProto::UINT8)
    return {0, 255};
  return {INT32_MIN, INT32_MAX};
}

/// For each element of a tensor of `shape`, the index of its slice along
/// `axis` when there are `count` of them (else 0).
int64_t sliceOf(int64_t index, llvm::ArrayRef<int64_t> shape, int64_t axis,
                size_t count) {
  if (count == 1)
    return 0;
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  return (index / inner) % shape[axis];
}

} // namespace

llvm::Expected<LinearQuantParams>
Importer::linearQuantParams(const onnx::NodeProto &n,
                            llvm::ArrayRef<int64_t> shape) {
  LinearQuantParams p;
  const HostTensor *scale = constant(n, 1);
  if (!scale || scale->isInt || scale->elements() == 0)
    return nodeError(n, "the scale must be a float constant");
  for (float s : scale->floats)
    if (!(s > 0.0f) || !std::isfinite(s))
      return nodeError(n, "scale " + (std::ostringstream() << s).str() +
                              " is not a positive finite number");
  p.scales = scale->floats;
  if (const HostTensor *zero = constant(n, 2)) {
    if (!zero->isInt || zero->dataType == 0)
      return nodeError(n, "the zero point must be an integer constant");
    if (zero->elements() != scale->elements())
      return nodeError(
          n, "the zero point has " + llvm::Twine(zero->elements()) +
                 " values; the scale " + llvm::Twine(scale->elements()));
    p.zeroPoints = zero->ints;
    p.zeroType = zero->dataType;
  } else {
    p.zeroPoints.assign(p.scales.size(), 0);
    p.zeroType = onnx::TensorProto::UINT8;
  }
  if (p.zeroType != onnx::TensorProto::UINT8 &&
      p.zeroType != onnx::TensorProto::INT8 &&
      !(p.zeroType == onnx::TensorProto::INT32 &&
        n.op_type() == "DequantizeLinear"))
    return nodeError(n, "zero point of type " +
                            onnx::TensorProto::DataType_Name(
                                onnx::TensorProto::DataType(p.zeroType)) +
                            "; CNNC reads uint8 and int8 (and int32 biases)");
  if (p.scales.size() > 1) {
    const int64_t rank = static_cast<int64_t>(shape.size());
    int64_t axis = intAttr(n, "axis", 1);
    if (axis < 0)
      axis += rank;
    if (scale->shape.size() != 1 || axis < 0 || axis >= rank ||
        shape[axis] != static_cast<int64_t>(p.scales.size()))
      return nodeError(n, llvm::Twine(p.scales.size()) +
                              " scales do not match axis " +
                              llvm::Twine(intAttr(n, "axis", 1)) +
                              " of a tensor of shape " + shapeText(shape));
    p.axis = axis;
  }
  return p;
}

llvm::Error Importer::quantizeLinear(const onnx::NodeProto &n) {
  auto it = values.find(n.input(0));
  if (it == values.end())
    return nodeError(n, "input '" + n.input(0) + "' is not defined");
  const bool isConstant = !it->second.value && it->second.host;
  std::vector<int64_t> shape =
      isConstant ? it->second.host->shape : shapeOf(it->second.value);
  llvm::Expected<LinearQuantParams> p = linearQuantParams(n, shape);
  if (!p)
    return p.takeError();

  if (isConstant) {
    // Float weights quantized in the graph (PyTorch's exports): the
    // integers, computed here as ONNX says, x / scale rounded half to even.
    const HostTensor &x = *it->second.host;
    if (x.isInt)
      return nodeError(n, "quantizes an integer tensor");
    auto [low, high] = quantizedRange(p->zeroType);
    HostTensor q;
    q.isInt = true;
    q.dataType = p->zeroType;
    q.shape = x.shape;
    q.ints.reserve(x.floats.size());
    for (size_t i = 0; i < x.floats.size(); ++i) {
      if (std::isnan(x.floats[i]))
        return nodeError(n, "quantizes a NaN (element " + llvm::Twine(i) +
                                " of '" + n.input(0) + "')");
      size_t c = sliceOf(i, x.shape, p->axis, p->scales.size());
      double r = quant::roundHalfEven(x.floats[i] / p->scales[c]);
      q.ints.push_back(static_cast<int64_t>(
          std::clamp(r + double(p->zeroPoints[c]), double(low), double(high))));
    }
    values[n.output(0)].host = std::move(q);
    return llvm::Error::success();
  }

  if (p->scales.size() != 1)
    return nodeError(n, "quantizes an activation per axis; CNNC quantizes "
                        "activations per tensor (one scale)");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  const bool s8 = p->zeroType == onnx::TensorProto::INT8;
  auto q = cnn::QuantizeOp::create(
      builder, loc, *x, builder.getF32FloatAttr(p->scales[0]),
      builder.getI64IntegerAttr(p->zeroPoints[0] + (s8 ? kS8Shift : 0)));
  // Elementwise: an NHWC tensor's quantized form is NHWC too.
  define(n, q.getResult(), isChannelsLast(n.input(0)));
  values[n.output(0)].shiftedFromS8 = s8;
  return llvm::Error::success();
}

llvm::Error Importer::dequantizeLinear(const onnx::NodeProto &n) {
  auto it = values.find(n.input(0));
  if (it == values.end())
    return nodeError(n, "input '" + n.input(0) + "' is not defined");
  const Entry &input = it->second;
  const bool isConstant = !input.value && input.host;
  std::vector<int64_t> shape =
      isConstant ? input.host->shape : shapeOf(input.value);
  llvm::Expected<LinearQuantParams> p = linearQuantParams(n, shape);
  if (!p)
    return p.takeError();

  if (isConstant) {
    const HostTensor &q = *input.host;
    if (!q.isInt)
      return nodeError(n, "dequantizes a float tensor");
    if (q.dataType != 0 && q.dataType != p->zeroType && constant(n, 2))
      return nodeError(n, "the data's type and the zero point's differ");
    HostTensor x;
    x.shape = q.shape;
    x.floats.reserve(q.ints.size());
    bool zeroPointsZero = true;
    for (int64_t z : p->zeroPoints)
      zeroPointsZero &= z == 0;
    for (size_t i = 0; i < q.ints.size(); ++i) {
      size_t c = sliceOf(i, q.shape, p->axis, p->scales.size());
      x.floats.push_back(float(q.ints[i] - p->zeroPoints[c]) * p->scales[c]);
    }
    // Symmetric int8 weights: what an int8 conv can read as they are.
    const bool int8Data =
        q.dataType == onnx::TensorProto::INT8 ||
        (q.dataType == 0 && p->zeroType == onnx::TensorProto::INT8);
    Entry &out = values[n.output(0)];
    out.host = std::move(x);
    if (int8Data && zeroPointsZero && (p->scales.size() == 1 || p->axis == 0))
      out.weightScales = p->scales;
    return llvm::Error::success();
  }

  auto type = llvm::dyn_cast<RankedTensorType>(input.value.getType());
  if (!type || !type.getElementType().isUnsignedInteger(8))
    return nodeError(n, "input '" + n.input(0) +
                            "' is not a quantized activation (the output of "
                            "a QuantizeLinear)");
  if (p->scales.size() != 1)
    return nodeError(n, "dequantizes an activation per axis; CNNC quantizes "
                        "activations per tensor (one scale)");
  if (p->zeroType == onnx::TensorProto::INT32)
    return nodeError(n, "dequantizes an activation with an int32 zero point; "
                        "activations are uint8 or int8");
  const bool s8 = p->zeroType == onnx::TensorProto::INT8;
  if (s8 != input.shiftedFromS8)
    return nodeError(n, "its zero point's type (" +
                            llvm::Twine(s8 ? "int8" : "uint8") +
                            ") is not the one its input was quantized to");
  auto x = cnn::DequantizeOp::create(
      builder, loc, input.value, builder.getF32FloatAttr(p->scales[0]),
      builder.getI64IntegerAttr(p->zeroPoints[0] + (s8 ? kS8Shift : 0)));
  define(n, x.getResult(), input.channelsLast);
  return llvm::Error::success();
}
