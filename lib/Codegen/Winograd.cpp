//===- Winograd.cpp - Transforms and weights of F(m x m, 3 x 3) -----------===//

#include "Winograd.h"
#include "WeightPacking.h"

#include <cassert>

using namespace cnnc::codegen;

const WinogradTransform &cnnc::codegen::winogradTransform(int m) {
  // Interpolation points 0, 1, -1 (m = 2) and 0, 1, -1, 2, -2 (m = 4), and
  // infinity: the smallest points keep the transforms' rounding error low.
  static const WinogradTransform f2{
      2,
      4,
      {1, 0, -1, 0, /**/ 0, 1, 1, 0, /**/ 0, -1, 1, 0, /**/ 0, 1, 0, -1},
      {1, 0, 0, /**/ 0.5, 0.5, 0.5, /**/ 0.5, -0.5, 0.5, /**/ 0, 0, 1},
      {1, 1, 1, 0, /**/ 0, 1, -1, -1}};
  static const WinogradTransform f4{
      4,
      6,
      {4, 0, -5, 0,  1, 0, /**/ 0, -4, -4, 1,  1, 0, /**/
       0, 4, -4, -1, 1, 0, /**/ 0, -2, -1, 2,  1, 0, /**/
       0, 2, -1, -2, 1, 0, /**/ 0, 4,  0,  -5, 0, 1},
      {1.0 / 4, 0, 0, /**/ -1.0 / 6, -1.0 / 6, -1.0 / 6,              /**/
       -1.0 / 6, 1.0 / 6, -1.0 / 6, /**/ 1.0 / 24, 1.0 / 12, 1.0 / 6, /**/
       1.0 / 24, -1.0 / 12, 1.0 / 6, /**/ 0, 0, 1},
      {1, 1, 1, 1, 1, 0, /**/ 0, 1, -1, 2, -2, 0, /**/
       0, 1, 1, 4, 4, 0, /**/ 0, 1, -1, 8, -8, 1}};
  assert((m == 2 || m == 4) && "no transform for this tile size");
  return m == 2 ? f2 : f4;
}

Halide::Buffer<float>
cnnc::codegen::packWinogradWeights(const std::vector<float> &oihw,
                                   int64_t outChannels, int64_t inChannels,
                                   const WinogradTransform &t) {
  const int alpha = t.alpha;
  const int64_t pad = kChannelPad;
  const int tiles = static_cast<int>((outChannels + pad - 1) / pad);
  Halide::Buffer<float> packed(
      static_cast<int>(pad), static_cast<int>(inChannels), alpha, alpha, tiles);
  zeroFill(packed);
  // In double, rounded once: G holds sixths and twenty-fourths.
  std::vector<double> gx(3 * alpha);
  for (int64_t o = 0; o < outChannels; ++o)
    for (int64_t i = 0; i < inChannels; ++i) {
      const float *g = &oihw[(o * inChannels + i) * 9];
      // gx = g G^T: rows ky, columns ax.
      for (int ky = 0; ky < 3; ++ky)
        for (int a = 0; a < alpha; ++a) {
          double sum = 0;
          for (int kx = 0; kx < 3; ++kx)
            sum += t.filter[a * 3 + kx] * g[ky * 3 + kx];
          gx[ky * alpha + a] = sum;
        }
      for (int ay = 0; ay < alpha; ++ay)
        for (int ax = 0; ax < alpha; ++ax) {
          double sum = 0;
          for (int ky = 0; ky < 3; ++ky)
            sum += t.filter[ay * 3 + ky] * gx[ky * alpha + ax];
          packed(int(o % pad), int(i), ax, ay, int(o / pad)) =
              static_cast<float>(sum);
        }
    }
  return packed;
}

std::vector<Halide::Expr>
cnnc::codegen::transformRows(const std::vector<double> &matrix, int rows,
                             int width,
                             const std::function<Halide::Expr(int)> &term) {
  std::vector<Halide::Expr> values;
  for (int i = 0; i < rows; ++i) {
    Halide::Expr sum;
    for (int k = 0; k < width; ++k) {
      const double a = matrix[i * width + k];
      if (a == 0)
        continue;
      Halide::Expr value = term(k);
      if (a != 1 && a != -1)
        value = static_cast<float>(a) * value;
      if (!sum.defined())
        sum = a == -1 ? -value : value;
      else
        sum = a == -1 ? sum - value : sum + value;
    }
    values.push_back(sum.defined() ? sum : Halide::Expr(0.0f));
  }
  return values;
}

int cnnc::codegen::chooseWinogradTile(const ConvInfo &info, bool every) {
  const int64_t pixels = info.outW * info.outH;
  // 28x28 maps and larger have 49 tiles of 4x4 or more: enough to reuse
  // each point's weights; on 14x14 and 7x7 maps F(2x2) with four times
  // the tiles was faster (figures in docs/decisions.md).
  const int m = pixels >= 28 * 28 ? 4 : 2;
  if (every || (pixels >= 7 * 7 && info.inChannels >= 16))
    return m;
  return 0;
}
