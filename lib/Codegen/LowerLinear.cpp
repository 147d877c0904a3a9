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

llvm::Expected<OpResult> Lowerer::lowerReduceMean(ReduceMeanOp mean) {
  Operation *op = mean;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> out = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, mean.getInput());
  if (!in)
    return in.takeError();
  llvm::ArrayRef<int64_t> axes = mean.getAxes();
  Halide::Region extents;
  for (int64_t a : axes)
    extents.push_back({0, static_cast<int>(in->shape[a])});
  Halide::RDom r(extents, uniqueName("rmean"));
  // The input's index in NCHW order: the reduced dimensions from `r`, the
  // others from the output's (which keeps them as 1 or drops them).
  std::vector<Expr> index;
  size_t next = 0, reduced = 0;
  int64_t count = 1;
  for (size_t d = 0; d < in->shape.size(); ++d) {
    if (llvm::is_contained(axes, static_cast<int64_t>(d))) {
      index.push_back(r[static_cast<int>(reduced++)]);
      count *= in->shape[d];
      next += mean.getKeepdim() ? 1 : 0;
    } else {
      index.push_back(out[next++]);
    }
  }
  Func f(uniqueName("reduce_mean"));
  f(vars) = Halide::sum(in->func(toArgs(index))) / static_cast<float>(count);
  return OpResult{Stage::Kind::Reduction, f};
}

} // namespace cnnc::codegen
