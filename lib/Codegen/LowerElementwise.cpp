//===- LowerElementwise.cpp - Activations, add and mul --------------------===//
//
// Activations are one Halide expression each (activate); add and mul
// broadcast their right operand NumPy-style.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

static Expr toFloat(const llvm::APFloat &value) {
  return Expr(static_cast<float>(value.convertToDouble()));
}

/// log(1 + exp(x)), which is x where exp(x) would overflow (PyTorch's
/// Softplus threshold, 20, where the two agree in float).
static Expr softplus(Expr e) {
  return Halide::select(e > 20.0f, e, Halide::log(1.0f + Halide::exp(e)));
}

/// tanh from Halide's exp, which is vectorized: Halide::tanh calls the C
/// library's scalar tanhf once per element (docs/decisions.md). Near 0,
/// where 1 - 2 / (exp(2x) + 1) cancels, its odd series to x^5.
static Expr tanhOf(Expr e) {
  Expr series = e * (1.0f - e * e * (1.0f / 3.0f - e * e * (2.0f / 15.0f)));
  Expr viaExp = 1.0f - 2.0f / (Halide::exp(2.0f * e) + 1.0f);
  return Halide::select(Halide::abs(e) < 0.02f, series, viaExp);
}

static Expr elu(Expr e, Expr alpha) {
  return Halide::select(e > 0.0f, e, alpha * (Halide::exp(e) - 1.0f));
}

/// An activation applied to `e`: the Halide form of each op with
/// ActivationOpInterface. Undefined for an activation without one, which
/// the caller reports as an error naming the op.
static Expr activate(Operation *op, Expr e) {
  return llvm::TypeSwitch<Operation *, Expr>(op)
      .Case([&](ReluOp) { return Halide::max(e, 0.0f); })
      .Case([&](Relu6Op) { return Halide::clamp(e, 0.0f, 6.0f); })
      .Case([&](SigmoidOp) { return 1.0f / (1.0f + Halide::exp(-e)); })
      .Case([&](HardswishOp) {
        return e * Halide::clamp(e + 3.0f, 0.0f, 6.0f) / 6.0f;
      })
      .Case([&](HardsigmoidOp) {
        return Halide::clamp(e + 3.0f, 0.0f, 6.0f) / 6.0f;
      })
      .Case([&](SiluOp) { return e / (1.0f + Halide::exp(-e)); })
      .Case([&](TanhOp) { return tanhOf(e); })
      .Case([&](SqrtOp) { return Halide::sqrt(e); })
      .Case([&](ErfOp) { return Halide::erf(e); })
      .Case([&](SoftplusOp) { return softplus(e); })
      .Case([&](SoftsignOp) { return e / (1.0f + Halide::abs(e)); })
      .Case([&](MishOp) { return e * tanhOf(softplus(e)); })
      .Case([&](ExpOp) { return Halide::exp(e); })
      .Case([&](LogOp) { return Halide::log(e); })
      .Case([&](AbsOp) { return Halide::abs(e); })
      .Case([&](NegOp) { return -e; })
      .Case([&](ReciprocalOp) { return 1.0f / e; })
      .Case([&](LogicalNotOp) { return Halide::select(e == 0.0f, 1.0f, 0.0f); })
      .Case([&](LeakyReluOp o) {
        return Halide::select(e >= 0.0f, e, toFloat(o.getAlpha()) * e);
      })
      .Case([&](EluOp o) { return elu(e, toFloat(o.getAlpha())); })
      .Case([&](CeluOp o) {
        Expr a = toFloat(o.getAlpha());
        return Halide::max(e, 0.0f) +
               Halide::min(a * (Halide::exp(e / a) - 1.0f), 0.0f);
      })
      .Case([&](SeluOp o) {
        return toFloat(o.getGamma()) * elu(e, toFloat(o.getAlpha()));
      })
      .Case([&](ClipOp o) {
        return Halide::clamp(e, toFloat(o.getMin()), toFloat(o.getMax()));
      })
      .Case([&](PowOp o) { return Halide::pow(e, toFloat(o.getExponent())); })
      .Case([&](GeluOp g) {
        if (g.getApproximate() == GeluApproximation::Tanh) {
          const float k = 0.7978845608028654f; // sqrt(2 / pi)
          return 0.5f * e * (1.0f + tanhOf(k * (e + 0.044715f * e * e * e)));
        }
        return 0.5f * e * (1.0f + Halide::erf(e * 0.7071067811865476f));
      })
      .Default([&](Operation *) { return Expr(); });
}

llvm::Expected<OpResult>
Lowerer::lowerActivation(ActivationOpInterface activation) {
  Operation *op = activation;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  llvm::Expected<Tensor> in = get(op, op->getOperand(0));
  if (!in)
    return in.takeError();
  std::vector<Expr> args(vars.begin(), vars.end());
  Expr value = activate(op, in->func(args));
  if (!value.defined())
    return errorAt(op,
                   "is an activation with no Halide expression (add "
                   "one to activate() in lib/Codegen/LowerElementwise.cpp)");
  Func f(uniqueName(op->getName().stripDialect()));
  f(vars) = value;
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerBinary(Operation *op) {
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  llvm::Expected<Tensor> lhs = get(op, op->getOperand(0));
  llvm::Expected<Tensor> rhs = get(op, op->getOperand(1));
  if (!lhs)
    return lhs.takeError();
  if (!rhs)
    return rhs.takeError();
  std::vector<Expr> args(vars.begin(), vars.end());
  Expr a = lhs->func(args), b = broadcastRead(*rhs, nchw);
  auto mask = [](Expr holds) { return Halide::select(holds, 1.0f, 0.0f); };
  Func f(uniqueName(op->getName().stripDialect()));
  f(vars) = isa<AddOp>(op)            ? a + b
            : isa<SubOp>(op)          ? a - b
            : isa<MulOp>(op)          ? a * b
            : isa<MaxOp>(op)          ? Halide::max(a, b)
            : isa<MinOp>(op)          ? Halide::min(a, b)
            : isa<PreluOp>(op)        ? Halide::select(a >= 0.0f, a, b * a)
            : isa<GreaterOp>(op)      ? mask(a > b)
            : isa<GreaterEqualOp>(op) ? mask(a >= b)
            : isa<LessOp>(op)         ? mask(a < b)
            : isa<LessEqualOp>(op)    ? mask(a <= b)
            : isa<EqualOp>(op)        ? mask(a == b)
                                      : a / b;
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerSelect(SelectOp select) {
  Operation *op = select;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  Expr read[3];
  for (int i = 0; i < 3; ++i) {
    llvm::Expected<Tensor> in = get(op, op->getOperand(i));
    if (!in)
      return in.takeError();
    read[i] = broadcastRead(*in, nchw);
  }
  Func f(uniqueName("select"));
  f(vars) = Halide::select(read[0] != 0.0f, read[1], read[2]);
  return OpResult{Stage::Kind::Elementwise, f};
}

Expr Lowerer::broadcastRead(const Tensor &in, llvm::ArrayRef<Expr> nchw) {
  // Aligned on the right; a dimension of size 1 reads index 0.
  std::vector<Expr> index;
  const size_t offset = nchw.size() - in.shape.size();
  for (size_t d = 0; d < in.shape.size(); ++d)
    index.push_back(in.shape[d] == 1 ? Expr(0) : nchw[d + offset]);
  return in.func(toArgs(index));
}

} // namespace cnnc::codegen
