//===- LowerNorm.cpp - BatchNorm and LayerNorm ----------------------------===//
//
// BatchNorm that did not fold into a conv is a per-channel affine map;
// LayerNorm normalizes each pixel's channel vector in two passes.
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
  // Two passes, as the definition reads: the mean, then the biased
  // variance around it.
  Func meanF(uniqueName("ln_mean")), inv(uniqueName("ln_inv"));
  meanF(x, y, n) = Halide::sum(in->func(r, x, y, n)) / float(channels);
  Expr d = in->func(r, x, y, n) - meanF(x, y, n);
  inv(x, y, n) = 1.0f / Halide::sqrt(Halide::sum(d * d) / float(channels) +
                                     float(ln.getEpsilon().convertToDouble()));
  Func f(uniqueName("layer_norm"));
  f(c, x, y, n) =
      (in->func(c, x, y, n) - meanF(x, y, n)) * inv(x, y, n) * gb(c) + bb(c);
  currentStage->reductions.push_back(meanF);
  currentStage->reductions.push_back(inv);
  return OpResult{Stage::Kind::Reduction, f};
}

} // namespace cnnc::codegen
