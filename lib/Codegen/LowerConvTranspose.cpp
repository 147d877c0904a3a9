//===- LowerConvTranspose.cpp - Transposed convolutions -------------------===//
//
// Gathered per output pixel: output (x, y) sums the input pixels whose
// scattered window covers it. With dilation 1 only the taps of its phase,
// (x + left) mod stride + k * stride, can, so the reduction runs over
// those (kw / stride of them), not over every tap of which all but one in
// stride^2 would add zero. The Func (bias, then an update summing over
// input channels and taps) is the stage's output, vectorized along output
// channels.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

llvm::Expected<OpResult>
Lowerer::lowerConvTranspose(ConvTranspose2DOp op) {
  llvm::Expected<Tensor> input = get(op, op.getInput());
  if (!input)
    return input.takeError();
  llvm::Expected<std::vector<float>> weight = constant(op, op.getWeight());
  if (!weight)
    return weight.takeError();
  std::vector<int64_t> w = shapeOf(op.getWeight());
  const int c = static_cast<int>(w[0]), og = static_cast<int>(w[1]);
  const int kh = static_cast<int>(w[2]), kw = static_cast<int>(w[3]);
  const int groups = static_cast<int>(op.getGroups()), cg = c / groups;
  const int outC = og * groups;
  // Output channels innermost: (o, i, kx, ky).
  Halide::Buffer<float> packed(og, c, kw, kh);
  for (int ci = 0; ci < c; ++ci)
    for (int co = 0; co < og; ++co)
      for (int ky = 0; ky < kh; ++ky)
        for (int kx = 0; kx < kw; ++kx)
          packed(co, ci, kx, ky) = (*weight)[((ci * og + co) * kh + ky) * kw + kx];
  Func wp = param(packed, "weight");
  llvm::Expected<Func> bias = biasOf(op, op.getBias(), outC);
  if (!bias)
    return bias.takeError();
  Func padded = zeroPadded(*input);

  const int sy = static_cast<int>(op.getStride()[0]);
  const int sx = static_cast<int>(op.getStride()[1]);
  const int dy = static_cast<int>(op.getDilation()[0]);
  const int dx = static_cast<int>(op.getDilation()[1]);
  const int top = static_cast<int>(op.getPadding()[0]);
  const int left = static_cast<int>(op.getPadding()[1]);
  Halide::Var oc = v.c, x = v.x, y = v.y, n = v.n;
  // Rounded-up channels read the last one's weights.
  Expr o = Halide::min(oc, outC - 1);
  Expr co = o % og;
  const bool phases = dx == 1 && dy == 1;
  Halide::RDom r(0, cg, 0, phases ? (kw + sx - 1) / sx : kw, 0,
                 phases ? (kh + sy - 1) / sy : kh, uniqueName("rt"));
  Expr ci = (o / og) * cg + r.x;
  // The tap, and the input pixel it reads; off-phase or outside: zero.
  Expr kx = phases ? (x + left) % sx + r.y * sx : r.y;
  Expr ky = phases ? (y + top) % sy + r.z * sy : r.z;
  Expr fromX = x + left - kx * dx, fromY = y + top - ky * dy;
  Expr valid = kx < kw && ky < kh;
  if (!phases)
    valid = valid && fromX % sx == 0 && fromY % sy == 0;
  Expr tap = wp(co, ci, Halide::min(kx, kw - 1), Halide::min(ky, kh - 1)) *
             padded(ci, fromX / sx, fromY / sy, n);
  Func f(uniqueName("conv_transpose"));
  f(oc, x, y, n) = (*bias)(oc);
  f(oc, x, y, n) += Halide::select(valid, tap, 0.0f);
  return OpResult{Stage::Kind::Elementwise, f};
}

} // namespace cnnc::codegen
