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

#include "llvm/ADT/StringSwitch.h"

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

llvm::Error Importer::compare(const onnx::NodeProto &n) {
  if (constant(n, 0) && constant(n, 1))
    return nodeError(n, "compares two constants; only comparisons of an "
                        "activation are supported");
  return binary(n);
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

/// The comparison that holds with its operands swapped.
static llvm::StringRef swappedComparison(llvm::StringRef type) {
  return llvm::StringSwitch<llvm::StringRef>(type)
      .Case("Greater", "Less")
      .Case("Less", "Greater")
      .Case("GreaterOrEqual", "LessOrEqual")
      .Case("LessOrEqual", "GreaterOrEqual")
      .Case("Equal", "Equal")
      .Default("");
}

llvm::Expected<std::vector<int64_t>>
Importer::broadcastShapes(const onnx::NodeProto &n, llvm::ArrayRef<int64_t> a,
                          llvm::ArrayRef<int64_t> b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x != y && x != 1 && y != 1)
      return nodeError(n, "cannot broadcast " + shapeText(a) + " with " +
                              shapeText(b));
    out[i] = x == 1 ? y : x;
  }
  return out;
}

llvm::Error Importer::where(const onnx::NodeProto &n) {
  Value operands[3];
  std::vector<int64_t> shape;
  for (int i = 0; i < 3; ++i) {
    if (isChannelsLast(n.input(i)))
      return nodeError(n, "selects from a channels-last (NHWC) tensor");
    llvm::Expected<Value> v = tensor(n, i);
    if (!v)
      return v.takeError();
    operands[i] = *v;
    llvm::Expected<std::vector<int64_t>> joint =
        broadcastShapes(n, shape, shapeOf(*v));
    if (!joint)
      return joint.takeError();
    shape = std::move(*joint);
  }
  Value y = cnn::SelectOp::create(
      builder, loc, RankedTensorType::get(shape, builder.getF32Type()),
      operands[0], operands[1], operands[2]);
  define(n, y);
  return llvm::Error::success();
}

llvm::Error Importer::binary(const onnx::NodeProto &n) {
  llvm::StringRef type = n.op_type();
  const bool commutes = type == "Add" || type == "Mul" || type == "Max" ||
                        type == "Min" || type == "And" || type == "Or";
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
  // op commutes (comparisons turn around).
  if (product(shapeOf(rhs)) > product(shapeOf(lhs)) &&
      (commutes || !swappedComparison(type).empty())) {
    if (!swappedComparison(type).empty())
      type = swappedComparison(type);
    std::swap(lhs, rhs);
  }
  // c - x with the smaller c on the left is -x + c (exact, and it fuses).
  if (type == "Sub" && product(shapeOf(rhs)) > product(shapeOf(lhs))) {
    Value negated = cnn::NegOp::create(builder, loc, rhs.getType(), rhs);
    std::swap(lhs, rhs);
    lhs = negated;
    type = "Add";
  }
  // Otherwise (a [C, 1, 1] against a [1, 1, H, W], c / x) the left side is
  // expanded to the shape both broadcast to.
  llvm::Expected<std::vector<int64_t>> joint =
      broadcastShapes(n, shapeOf(lhs), shapeOf(rhs));
  if (!joint)
    return joint.takeError();
  if (*joint != shapeOf(lhs))
    lhs = cnn::ExpandOp::create(
        builder, loc, RankedTensorType::get(*joint, builder.getF32Type()), lhs);
  // And and Or of masks (1.0 or 0.0) are their product and maximum.
  llvm::Expected<Value> y =
      type == "Add"                    ? inferred<cnn::AddOp>(n, lhs, rhs)
      : type == "Sub"                  ? inferred<cnn::SubOp>(n, lhs, rhs)
      : type == "Mul" || type == "And" ? inferred<cnn::MulOp>(n, lhs, rhs)
      : type == "Max" || type == "Or"  ? inferred<cnn::MaxOp>(n, lhs, rhs)
      : type == "Min"                  ? inferred<cnn::MinOp>(n, lhs, rhs)
      : type == "Greater"              ? inferred<cnn::GreaterOp>(n, lhs, rhs)
      : type == "Less"                 ? inferred<cnn::LessOp>(n, lhs, rhs)
      : type == "GreaterOrEqual" ? inferred<cnn::GreaterEqualOp>(n, lhs, rhs)
      : type == "LessOrEqual"    ? inferred<cnn::LessEqualOp>(n, lhs, rhs)
      : type == "Equal"          ? inferred<cnn::EqualOp>(n, lhs, rhs)
                                 : inferred<cnn::DivOp>(n, lhs, rhs);
  if (!y)
    return y.takeError();
  define(n, *y, channelsLast);
  return llvm::Error::success();
}
