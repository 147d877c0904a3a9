//===- OnnxLinearOps.cpp - Gemm, MatMul ----------------------------------===//
//
// Linear layers: a 2-D input times a constant weight. cnn.linear holds
// the weight as [M, K]; MatMul and Gemm with transB = 0 store [K, M].
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/QuantizeInt8.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::matMul(const onnx::NodeProto &n) {
  return isChannelsLast(n.input(0)) ? channelsLastMatMul(n) : gemm(n);
}

llvm::Error Importer::gemm(const onnx::NodeProto &n) {
  // A linear layer: [N, K] x constant weight, plus an optional bias.
  const bool isGemm = n.op_type() == "Gemm";
  const HostTensor *w = constant(n, 1);
  if (!w || w->isInt || w->shape.size() != 2)
    return nodeError(n, "the right operand must be a constant 2-D weight "
                        "(a linear layer)");
  if (isGemm && intAttr(n, "transA", 0) != 0)
    return nodeError(n, "transA is not supported");
  const float alpha = isGemm ? floatAttr(n, "alpha", 1) : 1;
  const float beta = isGemm ? floatAttr(n, "beta", 1) : 1;
  // cnn.linear wants [M, K]: Gemm's transB = 1 is that layout; MatMul and
  // transB = 0 hold [K, M].
  const bool transposed = isGemm && intAttr(n, "transB", 0) != 0;
  HostTensor weight;
  weight.shape = w->shape;
  weight.floats = w->floats;
  if (!transposed) {
    const int64_t k = w->shape[0], m = w->shape[1];
    weight.shape = {m, k};
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < m; ++j)
        weight.floats[j * k + i] = w->floats[i * m + j];
  }
  for (float &v : weight.floats)
    v *= alpha;
  Value weightValue =
      blob(n, n.input(1), "weight", weight.shape, weight.floats);
  Value bias;
  if (hasInput(n, 2)) {
    const HostTensor *b = constant(n, 2);
    if (!b || b->isInt || b->elements() != weight.shape[0])
      return nodeError(n, "the bias must be a constant of " +
                              llvm::Twine(weight.shape[0]) + " values");
    std::vector<float> values = b->floats;
    for (float &v : values)
      v *= beta;
    bias = blob(n, n.input(2), "bias", {weight.shape[0]}, values);
  }
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<Value> y = inferred<cnn::LinearOp>(n, *x, weightValue, bias);
  if (!y)
    return y.takeError();
  // Int8 weights of a QDQ model: their scales, one per output feature
  // (per tensor, or per row of [M, K] weights, Gemm's transB = 1).
  const std::vector<float> &scales = values[n.input(1)].weightScales;
  if (!scales.empty() && alpha == 1 &&
      (scales.size() == 1 ||
       (transposed &&
        static_cast<int64_t>(scales.size()) == weight.shape[0]))) {
    std::vector<float> perFeature(scales);
    if (perFeature.size() == 1)
      perFeature.assign(weight.shape[0], scales[0]);
    y->getDefiningOp()->setAttr(kWeightScalesAttr,
                                builder.getDenseF32ArrayAttr(perFeature));
  }
  define(n, *y);
  return llvm::Error::success();
}
