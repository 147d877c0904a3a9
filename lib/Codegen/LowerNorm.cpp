//===- LowerNorm.cpp - BatchNorm, LayerNorm and GroupNorm -----------------===//
//
// BatchNorm that did not fold into a conv is a per-channel affine map;
// LayerNorm normalizes each pixel's channel vector in two passes; GroupNorm
// reduces each group of each image once, then is a per-channel affine map.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include <cmath>

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

llvm::Expected<OpResult> Lowerer::lowerBatchNorm(BatchNormOp bn) {
  Operation *op = bn;
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  llvm::Expected<Tensor> in = get(op, bn.getInput());
  if (!in)
    return in.takeError();
  auto g = constant(op, bn.getWeight()), b = constant(op, bn.getBias()),
       m = constant(op, bn.getMean()), var = constant(op, bn.getVariance());
  for (auto *e : {&g, &b, &m, &var})
    if (!*e)
      return e->takeError();
  double eps = bn.getEpsilon().convertToDouble();
  std::vector<float> scale(g->size()), shift(g->size());
  for (size_t i = 0; i < g->size(); ++i) {
    double s = (*g)[i] / std::sqrt(double((*var)[i]) + eps);
    scale[i] = static_cast<float>(s);
    shift[i] = static_cast<float>((*b)[i] - (*m)[i] * s);
  }
  Func sb = perChannel(scale, "bn_scale"), hb = perChannel(shift, "bn_shift");
  Func f(uniqueName("batch_norm"));
  f(c, x, y, n) = in->func(c, x, y, n) * sb(c) + hb(c);
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerLayerNorm(LayerNormOp ln) {
  Operation *op = ln;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  llvm::Expected<Tensor> in = get(op, ln.getInput());
  if (!in)
    return in.takeError();
  auto g = constant(op, ln.getWeight()), b = constant(op, ln.getBias());
  if (!g)
    return g.takeError();
  if (!b)
    return b.takeError();
  Func gb = perChannel(*g, "ln_weight"), bb = perChannel(*b, "ln_bias");
  const int channels = static_cast<int>(shape[1]);
  Halide::RDom r(0, channels, uniqueName("rln"));
  Func meanF(uniqueName("ln_mean")), inv(uniqueName("ln_inv"));
  Func f(uniqueName("layer_norm"));
  // Two passes, as the definition reads: the mean, then the biased
  // variance around it. A stage of its own (an int8 model's LayerNorm,
  // quantized by the next stage; a downsampling one) computes as the
  // reference interpreter does: in double, in the same order, without
  // fast math (Stage::strictFloat). In f32 the two engines now and then
  // landed a ulp apart and quantized to neighbouring steps: one ConvNeXt-T
  // input in five moved its int8 output by 6% of its maximum.
  const bool inDouble =
      options.doubleLayerNorms && !llvm::isa<GroupOp>(op->getParentOp());
  const Halide::Type t = inDouble ? Halide::Float(64) : Halide::Float(32);
  auto constantOf = [&](double value) { return Halide::cast(t, Expr(value)); };
  const Expr count = constantOf(channels);
  Expr xr = Halide::cast(t, in->func(r, x, y, n));
  meanF(x, y, n) = Halide::sum(xr) / count;
  Expr d = xr - meanF(x, y, n);
  inv(x, y, n) = constantOf(1.0) /
                 Halide::sqrt(Halide::sum(d * d) / count +
                              constantOf(ln.getEpsilon().convertToDouble()));
  f(c, x, y, n) = Halide::cast<float>(
      (Halide::cast(t, in->func(c, x, y, n)) - meanF(x, y, n)) * inv(x, y, n) *
          Halide::cast(t, gb(c)) +
      Halide::cast(t, bb(c)));
  if (inDouble)
    currentStage->strictFloat = true;
  currentStage->reductions.push_back(meanF);
  currentStage->reductions.push_back(inv);
  return OpResult{Stage::Kind::Reduction, f};
}

llvm::Expected<OpResult> Lowerer::lowerGroupNorm(GroupNormOp gn) {
  Operation *op = gn;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  llvm::Expected<Tensor> in = get(op, gn.getInput());
  if (!in)
    return in.takeError();
  auto g = constant(op, gn.getWeight()), b = constant(op, gn.getBias());
  if (!g)
    return g.takeError();
  if (!b)
    return b.takeError();
  Func gb = perChannel(*g, "gn_weight"), bb = perChannel(*b, "gn_bias");
  const int groups = static_cast<int>(gn.getGroups());
  const int perGroup = static_cast<int>(shape[1]) / groups;
  const double count = double(perGroup) * double(shape[2] * shape[3]);
  // One pass in f32 (OpenCL devices need not have doubles): sums of
  // d = x - pivot and d^2, with the group's first value as the pivot so
  // that E[d^2] - E[d]^2 does not cancel on data far from zero, summed per
  // row and then over rows so that no sum grows long. `c` indexes the
  // group in these Funcs.
  const int height = static_cast<int>(shape[2]);
  Func pivot(uniqueName("gn_pivot"));
  pivot(c, n) = in->func(c * perGroup, 0, 0, n);
  Halide::RDom row(0, perGroup, 0, static_cast<int>(shape[3]),
                   uniqueName("rgn_row"));
  Expr d = in->func(c * perGroup + row.x, row.y, y, n) - pivot(c, n);
  Func rowSums(uniqueName("gn_row_sums"));
  rowSums(c, y, n) = Halide::Tuple(0.0f, 0.0f);
  rowSums(c, y, n) =
      Halide::Tuple(rowSums(c, y, n)[0] + d, rowSums(c, y, n)[1] + d * d);
  Halide::RDom rows(0, height, uniqueName("rgn"));
  Func sums(uniqueName("gn_sums"));
  sums(c, n) = Halide::Tuple(0.0f, 0.0f);
  sums(c, n) = Halide::Tuple(sums(c, n)[0] + rowSums(c, rows, n)[0],
                             sums(c, n)[1] + rowSums(c, rows, n)[1]);
  // Per channel and image: y = x * scale + shift.
  // Channels past the last (the output's channels rounded up to whole
  // vectors) take the last group's statistics.
  Expr group = Halide::min(c / perGroup, groups - 1);
  Expr meanD = sums(group, n)[0] / float(count);
  Expr variance =
      Halide::max(sums(group, n)[1] / float(count) - meanD * meanD, 0.0f);
  Expr scale =
      gb(c) / Halide::sqrt(variance + float(gn.getEpsilon().convertToDouble()));
  Expr shift = bb(c) - (pivot(group, n) + meanD) * scale;
  Func affine(uniqueName("gn_affine"));
  affine(c, n) = Halide::Tuple(scale, shift);
  Func f(uniqueName("group_norm"));
  f(c, x, y, n) = in->func(c, x, y, n) * affine(c, n)[0] + affine(c, n)[1];
  for (Func stat : {pivot, rowSums, sums, affine})
    currentStage->imageStatistics.push_back(stat);
  return OpResult{Stage::Kind::Reduction, f};
}

} // namespace cnnc::codegen
