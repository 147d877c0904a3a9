//===- OnnxElementwiseOps.cpp - Add, Sub, Mul, Div and the like ----------===//
//
// Add and Mul of activations and constants. The cnn ops broadcast their
// right side, so the larger operand goes left (both commute).
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
  return isHostArithmetic(n) ? hostArithmetic(n) : onlyInsideRecomposition(n);
}

llvm::Error Importer::div(const onnx::NodeProto &n) {
  return isHostArithmetic(n) ? hostArithmetic(n) : decomposedGelu(n);
}

llvm::Error Importer::onlyInsideRecomposition(const onnx::NodeProto &n) {
  return nodeError(n, "is supported only inside a LayerNorm (ReduceMean, "
                      "Sub, Pow, ReduceMean, Add, Sqrt, Div) or an exact "
                      "GELU (Div, Erf, Add, Mul, Mul)");
}

llvm::Error Importer::binary(const onnx::NodeProto &n) {
  const bool isMul = n.op_type() == "Mul";
  const char *role = isMul ? "scale" : "shift";
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
  // The cnn ops broadcast their right side: the larger goes left (both
  // are commutative).
  if (product(shapeOf(rhs)) > product(shapeOf(lhs)))
    std::swap(lhs, rhs);
  llvm::Expected<Value> y = isMul ? inferred<cnn::MulOp>(n, lhs, rhs)
                                  : inferred<cnn::AddOp>(n, lhs, rhs);
  if (!y)
    return y.takeError();
  define(n, *y, channelsLast);
  return llvm::Error::success();
}
