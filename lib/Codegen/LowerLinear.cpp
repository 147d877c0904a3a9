//===- LowerLinear.cpp - The classifier head: linear and softmax ----------===//
//
// Linear weights are read in tiles of kChannelPad outputs (WeightPacking.h)
// so a tile streams one contiguous block; softmax subtracts the row maximum.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "WeightPacking.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

llvm::Expected<OpResult> Lowerer::lowerLinear(LinearOp linear) {
  Operation *op = linear;
  Halide::Var n = v.n, k = v.k;
  llvm::Expected<Tensor> in = get(op, linear.getInput());
  if (!in)
    return in.takeError();
  auto weight = constant(op, linear.getWeight());
  if (!weight)
    return weight.takeError();
  std::vector<int64_t> ws = shapeOf(linear.getWeight());
  const int64_t m = ws[0], kk = ws[1];
  Func wp = param(packLinearWeights(*weight, m, kk), "fc_weight");
  std::vector<float> biasValues(m, 0.0f);
  if (Value bias = linear.getBias()) {
    auto b = constant(op, bias);
    if (!b)
      return b.takeError();
    biasValues = std::move(*b);
  }
  Func bb = perChannel(biasValues, "fc_bias");
  Halide::RDom r(0, static_cast<int>(kk), uniqueName("rfc"));
  Func acc(uniqueName("linear"));
  acc(k, n) = bb(k);
  acc(k, n) +=
      wp(k % int(kChannelPad), r, k / int(kChannelPad)) * in->func(r, n);
  currentStage->linear = acc;
  currentStage->linearDomain = r;
  return OpResult{Stage::Kind::Linear, acc};
}

llvm::Expected<OpResult> Lowerer::lowerSoftmax(SoftmaxOp softmax) {
  Operation *op = softmax;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  llvm::Expected<Tensor> in = get(op, softmax.getInput());
  if (!in)
    return in.takeError();
  int64_t axis = static_cast<int64_t>(softmax.getAxis());
  if (axis < 0)
    axis += shape.size();
  // Reduce over the axis: the other args stay.
  size_t pos = argPosition(shape.size(), axis);
  Halide::RDom r(0, static_cast<int>(shape[axis]), uniqueName("rsoft"));
  std::vector<Expr> rargs(vars.begin(), vars.end());
  rargs[pos] = r;
  std::vector<Halide::Var> rest;
  for (size_t i = 0; i < vars.size(); ++i)
    if (i != pos)
      rest.push_back(vars[i]);
  std::vector<Expr> restArgs(rest.begin(), rest.end());
  Func top(uniqueName("softmax_max")), sum(uniqueName("softmax_sum"));
  top(rest) = Halide::maximum(in->func(rargs));
  sum(rest) = Halide::sum(Halide::exp(in->func(rargs) - top(restArgs)));
  Func f(uniqueName("softmax"));
  std::vector<Expr> args(vars.begin(), vars.end());
  f(vars) = Halide::exp(in->func(args) - top(restArgs)) / sum(restArgs);
  currentStage->reductions.push_back(top);
  currentStage->reductions.push_back(sum);
  return OpResult{Stage::Kind::Reduction, f};
}

} // namespace cnnc::codegen
