//===- LowerPool.cpp - Max, average and adaptive pooling ------------------===//
//
// PyTorch's semantics: padded positions never win a max, the average's
// divisor follows count_include_pad, adaptive cells may overlap.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Shapes.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

llvm::Expected<OpResult> Lowerer::lowerMaxPool(MaxPool2DOp pool) {
  Operation *op = pool;
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  llvm::Expected<Tensor> in = get(op, pool.getInput());
  if (!in)
    return in.takeError();
  // Padded positions never win: -inf, or 0 on a u8 (quantized) map.
  const bool u8 = in->func.output_types().front() == Halide::UInt(8);
  Func padded = zeroPadded(*in,
                           u8 ? Expr(uint8_t(0))
                              : Expr(-std::numeric_limits<float>::infinity()),
                           /*spatialOnly=*/true);
  ArrayRef<int64_t> ks = pool.getKernelSize(), s = pool.getStride(),
                    p = pool.getPadding(), dl = pool.getDilation();
  Halide::RDom r(0, int(ks[1]), 0, int(ks[0]), uniqueName("rmax"));
  Func f(uniqueName("max_pool"));
  f(c, x, y, n) =
      Halide::maximum(padded(c, x * int(s[1]) + r.x * int(dl[1]) - int(p[1]),
                             y * int(s[0]) + r.y * int(dl[0]) - int(p[0]), n));
  return OpResult{Stage::Kind::Reduction, f};
}

llvm::Expected<OpResult> Lowerer::lowerAvgPool(AvgPool2DOp pool) {
  Operation *op = pool;
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  llvm::Expected<Tensor> in = get(op, pool.getInput());
  if (!in)
    return in.takeError();
  Func padded = zeroPadded(*in, Expr(0.0f), /*spatialOnly=*/true);
  ArrayRef<int64_t> ks = pool.getKernelSize(), s = pool.getStride(),
                    p = pool.getPadding();
  const int h = int(in->shape[2]), w = int(in->shape[3]);
  Halide::RDom r(0, int(ks[1]), 0, int(ks[0]), uniqueName("ravg"));
  Expr sum = Halide::sum(padded(c, x * int(s[1]) + r.x - int(p[1]),
                                y * int(s[0]) + r.y - int(p[0]), n));
  // PyTorch's divisor: the window clipped to the padded input, or to the
  // input without count_include_pad.
  Expr x0 = x * int(s[1]) - int(p[1]), y0 = y * int(s[0]) - int(p[0]);
  Expr x1 = Halide::min(x0 + int(ks[1]), w + int(p[3]));
  Expr y1 = Halide::min(y0 + int(ks[0]), h + int(p[2]));
  Expr count = (x1 - x0) * (y1 - y0);
  if (!pool.getCountIncludePad())
    count = (Halide::min(x1, w) - Halide::max(x0, 0)) *
            (Halide::min(y1, h) - Halide::max(y0, 0));
  Func f(uniqueName("avg_pool"));
  f(c, x, y, n) = sum / Halide::cast<float>(count);
  return OpResult{Stage::Kind::Reduction, f};
}

llvm::Expected<OpResult>
Lowerer::lowerAdaptiveAvgPool(AdaptiveAvgPool2DOp pool) {
  Operation *op = pool;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  llvm::Expected<Tensor> in = get(op, pool.getInput());
  if (!in)
    return in.takeError();
  const int h = int(in->shape[2]), w = int(in->shape[3]);
  const int oh = int(shape[2]), ow = int(shape[3]);
  int maxH = 1, maxW = 1;
  for (int i = 0; i < oh; ++i)
    maxH = std::max<int>(maxH, adaptiveEnd(i, h, oh) - adaptiveStart(i, h, oh));
  for (int i = 0; i < ow; ++i)
    maxW = std::max<int>(maxW, adaptiveEnd(i, w, ow) - adaptiveStart(i, w, ow));
  Expr y0 = (y * h) / oh, y1 = ((y + 1) * h + oh - 1) / oh;
  Expr x0 = (x * w) / ow, x1 = ((x + 1) * w + ow - 1) / ow;
  Halide::RDom r(0, maxW, 0, maxH, uniqueName("radapt"));
  Expr inside = x0 + r.x < x1 && y0 + r.y < y1;
  Expr value = in->func(c, Halide::min(x0 + r.x, w - 1),
                        Halide::min(y0 + r.y, h - 1), n);
  Func f(uniqueName("adaptive_avg_pool"));
  f(c, x, y, n) = Halide::sum(Halide::select(inside, value, 0.0f)) /
                  Halide::cast<float>((x1 - x0) * (y1 - y0));
  return OpResult{Stage::Kind::Reduction, f};
}

} // namespace cnnc::codegen
