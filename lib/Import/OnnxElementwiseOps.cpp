//===- OnnxElementwiseOps.cpp - Add, Sub, Mul, Div and the like ----------===//
//
// Add, Sub, Mul and Div of activations and constants. The cnn ops
// broadcast their right side, so the larger operand of Add and Mul goes
// left. What exporters make of SiLU, HardSwish, GELU and LayerNorm is
// composed again by --cnn-recompose (Recompose.td, Recompose.cpp).
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::add(const onnx::NodeProto &n) {
  return isHostArithmetic(n) ? hostArithmetic(n) : binary(n);
}

llvm::Error Importer::mul(const onnx::NodeProto &n) {
  // x * sigmoid(x) stays a mul of the sigmoid here; the recomposition
  // patterns (--cnn-recompose) make it a SiLU.
  return isHostArithmetic(n) ? hostArithmetic(n) : binary(n);
}

llvm::Error Importer::sub(const onnx::NodeProto &n) {
  return isHostArithmetic(n) ? hostArithmetic(n) : binary(n);
}

llvm::Error Importer::div(const onnx::NodeProto &n) {
  // x / sqrt(2), Erf, ... is an exact GELU: --cnn-recompose makes it one.
  return isHostArithmetic(n) ? hostArithmetic(n) : binary(n);
}

llvm::Error Importer::pow(const onnx::NodeProto &n) {
  std::optional<float> exponent =
      hasInput(n, 1) ? scalar(n.input(1)) : std::nullopt;
  if (!exponent)
    return nodeError(n, "only powers by a constant scalar are supported");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  // A square (what exported LayerNorms compute for the variance) is x * x,
  // which the LayerNorm recomposition matches.
  llvm::Expected<Value> y =
      *exponent == 2.0f
          ? inferred<cnn::MulOp>(n, *x, *x)
          : Value(cnn::PowOp::create(builder, loc, x->getType(), *x,
                                     builder.getF64FloatAttr(*exponent)));
  if (!y)
    return y.takeError();
  define(n, *y, isChannelsLast(n.input(0)));
  return llvm::Error::success();
}

llvm::Error Importer::binary(const onnx::NodeProto &n) {
  llvm::StringRef type = n.op_type();
  const bool commutes =
      type == "Add" || type == "Mul" || type == "Max" || type == "Min";
  const char *role = type == "Mul" || type == "Div" ? "scale" : "shift";
  if (n.input_size() != 2)
    return nodeError(n, "expects two inputs");
  const bool last0 = isChannelsLast(n.input(0)),
             last1 = isChannelsLast(n.input(1));
  const bool channelsLast = last0 || last1;
  Value operands[2];
  for (int i = 0; i < 2; ++i) {
    const HostTensor *c = constant(n, i);
    // A constant over an NHWC tensor's channels ([C], or [1, 1, 1, C])
    // broadcasts over the NCHW value as [C, 1, 1].
    if (channelsLast && c && !c->isInt && c->shape.size() >= 1 &&
        c->shape.back() == c->elements() && c->elements() > 1) {
      operands[i] = blob(n, n.input(i), role, {c->elements(), 1, 1}, c->floats);
      continue;
    }
    if (channelsLast && !c && !(i ? last1 : last0))
      return nodeError(n, "combines a channels-last (NHWC) tensor with an "
                          "NCHW one");
    llvm::Expected<Value> v = tensor(n, i, role);
    if (!v)
      return v.takeError();
    operands[i] = *v;
  }
  Value lhs = operands[0], rhs = operands[1];
  // The cnn ops broadcast their right side: the larger goes left where the
  // op commutes.
  if (product(shapeOf(rhs)) > product(shapeOf(lhs))) {
    if (!commutes)
      return nodeError(
          n, "its left operand " + shapeText(shapeOf(lhs)) +
                 " would broadcast into its right " + shapeText(shapeOf(rhs)) +
                 "; CNNC broadcasts only the right side of " + type);
    std::swap(lhs, rhs);
  }
  llvm::Expected<Value> y = type == "Add"   ? inferred<cnn::AddOp>(n, lhs, rhs)
                            : type == "Sub" ? inferred<cnn::SubOp>(n, lhs, rhs)
                            : type == "Mul" ? inferred<cnn::MulOp>(n, lhs, rhs)
                            : type == "Max" ? inferred<cnn::MaxOp>(n, lhs, rhs)
                            : type == "Min" ? inferred<cnn::MinOp>(n, lhs, rhs)
                                            : inferred<cnn::DivOp>(n, lhs, rhs);
  if (!y)
    return y.takeError();
  define(n, *y, channelsLast);
  return llvm::Error::success();
}
