//===- OnnxActivationOps.cpp - Activations -------------------------------===//
//
// Each ONNX activation is one cnn activation op, its attributes the op's;
// Clip is ReLU6, ReLU or cnn.clip.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

/// The cnn op for ONNX activation `n` applied to `x`, or null.
static Value createActivation(OpBuilder &builder, Location loc,
                              const onnx::NodeProto &n, Value x) {
  Type type = x.getType();
  auto f64 = [&](const char *name, double value) {
    return builder.getF64FloatAttr(
        floatAttr(n, name, static_cast<float>(value)));
  };
  llvm::StringRef op = n.op_type();
  if (op == "Relu")
    return cnn::ReluOp::create(builder, loc, type, x);
  if (op == "Sigmoid")
    return cnn::SigmoidOp::create(builder, loc, type, x);
  if (op == "HardSwish")
    return cnn::HardswishOp::create(builder, loc, type, x);
  if (op == "Tanh")
    return cnn::TanhOp::create(builder, loc, type, x);
  if (op == "Sqrt")
    return cnn::SqrtOp::create(builder, loc, type, x);
  if (op == "Erf")
    return cnn::ErfOp::create(builder, loc, type, x);
  if (op == "Softplus")
    return cnn::SoftplusOp::create(builder, loc, type, x);
  if (op == "Mish")
    return cnn::MishOp::create(builder, loc, type, x);
  if (op == "Softsign")
    return cnn::SoftsignOp::create(builder, loc, type, x);
  if (op == "Exp")
    return cnn::ExpOp::create(builder, loc, type, x);
  if (op == "Log")
    return cnn::LogOp::create(builder, loc, type, x);
  if (op == "Abs")
    return cnn::AbsOp::create(builder, loc, type, x);
  if (op == "Neg")
    return cnn::NegOp::create(builder, loc, type, x);
  if (op == "Reciprocal")
    return cnn::ReciprocalOp::create(builder, loc, type, x);
  if (op == "Not")
    return cnn::LogicalNotOp::create(builder, loc, type, x);
  if (op == "LeakyRelu")
    return cnn::LeakyReluOp::create(builder, loc, type, x, f64("alpha", 0.01));
  if (op == "Elu")
    return cnn::EluOp::create(builder, loc, type, x, f64("alpha", 1.0));
  if (op == "Celu")
    return cnn::CeluOp::create(builder, loc, type, x, f64("alpha", 1.0));
  if (op == "Selu")
    return cnn::SeluOp::create(builder, loc, type, x,
                               f64("alpha", 1.67326319217681884765625),
                               f64("gamma", 1.05070102214813232421875));
  return nullptr;
}

llvm::Error Importer::activation(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  Value y = createActivation(builder, loc, n, *x);
  if (!y && n.op_type() == "HardSigmoid") {
    if (std::abs(floatAttr(n, "alpha", 0.2f) - 1.0f / 6) >= 1e-6f ||
        floatAttr(n, "beta", 0.5f) != 0.5f)
      return nodeError(n, "only PyTorch's hardsigmoid (alpha 1/6, beta 0.5) "
                          "is supported");
    y = cnn::HardsigmoidOp::create(builder, loc, x->getType(), *x);
  }
  if (!y)
    return nodeError(n, "has no activation op (a row without a case in "
                        "createActivation)");
  define(n, y, isChannelsLast(n.input(0)));
  return llvm::Error::success();
}

llvm::Error Importer::prelu(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<Value> slope = tensor(n, 1, "scale");
  if (!slope)
    return slope.takeError();
  llvm::Expected<Value> y = inferred<cnn::PreluOp>(n, *x, *slope);
  if (!y)
    return y.takeError();
  define(n, *y);
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
  const double inf = std::numeric_limits<double>::infinity();
  if (lo == 0.0f && hi == 6.0f)
    y = cnn::Relu6Op::create(builder, loc, x->getType(), *x);
  else if (lo == 0.0f && !hi)
    y = cnn::ReluOp::create(builder, loc, x->getType(), *x);
  else if (!lo && !hi)
    y = *x; // no bounds: the identity
  else
    y = cnn::ClipOp::create(builder, loc, x->getType(), *x,
                            builder.getF64FloatAttr(lo ? *lo : -inf),
                            builder.getF64FloatAttr(hi ? *hi : inf));
  define(n, y, isChannelsLast(n.input(0)));
  return llvm::Error::success();
}
