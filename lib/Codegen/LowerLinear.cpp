//===- LowerLinear.cpp - Linear, softmax and reductions -------------------===//
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

llvm::Expected<OpResult> Lowerer::lowerSoftmax(Operation *op, int64_t axis,
                                               bool log) {
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  llvm::Expected<Tensor> in = get(op, op->getOperand(0));
  if (!in)
    return in.takeError();
  if (axis < 0)
    axis += shape.size();
  // The row statistics keep every argument (the axis's unused, read at 0)
  // so stage schedules can name the same loops in them as in the output.
  size_t pos = argPosition(shape.size(), axis);
  Halide::RDom r(0, static_cast<int>(shape[axis]), uniqueName("rsoft"));
  std::vector<Expr> rargs(vars.begin(), vars.end()), row = rargs;
  rargs[pos] = r;
  row[pos] = 0;
  Func top(uniqueName("softmax_max")), sum(uniqueName("softmax_sum"));
  top(vars) = Halide::maximum(in->func(rargs));
  sum(vars) = Halide::sum(Halide::exp(in->func(rargs) - top(row)));
  Func f(uniqueName(log ? "log_softmax" : "softmax"));
  std::vector<Expr> args(vars.begin(), vars.end());
  Expr shifted = in->func(args) - top(row);
  f(vars) =
      log ? shifted - Halide::log(sum(row)) : Halide::exp(shifted) / sum(row);
  currentStage->reductions.push_back(top);
  currentStage->reductions.push_back(sum);
  return OpResult{Stage::Kind::Reduction, f};
}

llvm::Expected<OpResult> Lowerer::lowerReduce(Operation *op,
                                              llvm::ArrayRef<int64_t> axes,
                                              bool keepdim, Reduction kind) {
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> out = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, op->getOperand(0));
  if (!in)
    return in.takeError();
  Halide::Region extents;
  for (int64_t a : axes)
    extents.push_back({0, static_cast<int>(in->shape[a])});
  Halide::RDom r(extents, uniqueName("rreduce"));
  // The input's index in NCHW order: the reduced dimensions from `r`, the
  // others from the output's (which keeps them as 1 or drops them).
  std::vector<Expr> index;
  size_t next = 0, reduced = 0;
  int64_t count = 1;
  for (size_t d = 0; d < in->shape.size(); ++d) {
    if (llvm::is_contained(axes, static_cast<int64_t>(d))) {
      index.push_back(r[static_cast<int>(reduced++)]);
      count *= in->shape[d];
      next += keepdim ? 1 : 0;
    } else {
      index.push_back(out[next++]);
    }
  }
  Expr x = in->func(toArgs(index));
  Expr value;
  switch (kind) {
  case Reduction::Mean:
    value = Halide::sum(x) / static_cast<float>(count);
    break;
  case Reduction::Sum:
    value = Halide::sum(x);
    break;
  case Reduction::Max:
    value = Halide::maximum(x);
    break;
  case Reduction::Min:
    value = Halide::minimum(x);
    break;
  case Reduction::L1:
    value = Halide::sum(Halide::abs(x));
    break;
  case Reduction::L2:
    value = Halide::sqrt(Halide::sum(x * x));
    break;
  case Reduction::SumSquare:
    value = Halide::sum(x * x);
    break;
  case Reduction::ArgMax:
  case Reduction::ArgMin: {
    // The first extreme along the one axis (Halide's inline argmax keeps
    // the first of equal values, as torch.argmax does), as an f32 index.
    Halide::Tuple found =
        kind == Reduction::ArgMax ? Halide::argmax(x) : Halide::argmin(x);
    value = Halide::cast<float>(found[0]);
    break;
  }
  }
  Func f(uniqueName(op->getName().stripDialect()));
  f(vars) = value;
  return OpResult{Stage::Kind::Reduction, f};
}

} // namespace cnnc::codegen
