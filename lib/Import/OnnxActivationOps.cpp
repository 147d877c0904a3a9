//===- OnnxActivationOps.cpp - Activations -------------------------------===//
//
// Each ONNX activation is one cnn activation op; Clip is ReLU6 or ReLU.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::activation(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  Type type = x->getType();
  Value y;
  if (n.op_type() == "Relu")
    y = cnn::ReluOp::create(builder, loc, type, *x);
  else if (n.op_type() == "Sigmoid")
    y = cnn::SigmoidOp::create(builder, loc, type, *x);
  else if (n.op_type() == "HardSwish")
    y = cnn::HardswishOp::create(builder, loc, type, *x);
  else if (n.op_type() == "Tanh")
    y = cnn::TanhOp::create(builder, loc, type, *x);
  else if (n.op_type() == "Sqrt")
    y = cnn::SqrtOp::create(builder, loc, type, *x);
  else if (n.op_type() == "Erf")
    y = cnn::ErfOp::create(builder, loc, type, *x);
  else if (std::abs(floatAttr(n, "alpha", 0.2f) - 1.0f / 6) < 1e-6f &&
           floatAttr(n, "beta", 0.5f) == 0.5f)
    y = cnn::HardsigmoidOp::create(builder, loc, type, *x);
  else
    return nodeError(n, "only PyTorch's hardsigmoid (alpha 1/6, beta 0.5) "
                        "is supported");
  define(n, y, isChannelsLast(n.input(0)));
  return llvm::Error::success();
}

llvm::Error Importer::clip(const onnx::NodeProto &n) {
  // Opset 11 moved min and max from attributes to inputs.
  std::optional<float> lo, hi;
  if (opset < 11) {
    if (attribute(n, "min"))
      lo = floatAttr(n, "min", 0);
    if (attribute(n, "max"))
      hi = floatAttr(n, "max", 0);
  } else {
    for (int i = 1; i <= 2; ++i) {
      if (!hasInput(n, i))
        continue;
      const HostTensor *c = constant(n, i);
      if (!c || c->isInt || c->floats.size() != 1)
        return nodeError(n, "min and max must be constant scalars");
      (i == 1 ? lo : hi) = c->floats[0];
    }
  }
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  Value y;
  if (lo == 0.0f && hi == 6.0f)
    y = cnn::Relu6Op::create(builder, loc, x->getType(), *x);
  else if (lo == 0.0f && !hi)
    y = cnn::ReluOp::create(builder, loc, x->getType(), *x);
  else
    return nodeError(n, "only Clip(0, 6) (ReLU6) and Clip(0) (ReLU) are "
                        "supported; got min " +
                            (lo ? std::to_string(*lo) : "none") + ", max " +
                            (hi ? std::to_string(*hi) : "none"));
  define(n, y);
  return llvm::Error::success();
}
