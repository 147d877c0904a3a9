//===- KernelsResize.cpp - Resize (nearest, bilinear) in double -----------===//
//
// ONNX Resize's definition: each output coordinate maps to an input
// coordinate (the coordinate transformation), rounded (nearest) or
// interpolated between its two neighbours, clamped to the edge (linear).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Reference/Kernels.h"

#include <algorithm>
#include <cmath>

using namespace cnnc;
using namespace cnnc::reference;

double reference::resizeSource(int64_t o, int64_t in, int64_t out,
                               double scale, llvm::StringRef coordinates) {
  if (coordinates == "align_corners")
    return out > 1 ? double(o) * double(in - 1) / double(out - 1) : 0.0;
  if (coordinates == "asymmetric")
    return double(o) / scale;
  if (coordinates == "pytorch_half_pixel" && out == 1)
    return 0.0;
  return (double(o) + 0.5) / scale - 0.5; // half_pixel
}

/// The nearest input index to coordinate `x`, rounded as `mode` says.
static int64_t nearestIndex(double x, int64_t in, llvm::StringRef mode) {
  double r = mode == "floor"               ? std::floor(x)
             : mode == "ceil"              ? std::ceil(x)
             : mode == "round_prefer_ceil" ? std::floor(x + 0.5)
                                           : std::ceil(x - 0.5);
  return std::clamp<int64_t>(static_cast<int64_t>(r), 0, in - 1);
}

Tensor reference::resize(const Tensor &input, int64_t outH, int64_t outW,
                         double scaleH, double scaleW, llvm::StringRef mode,
                         llvm::StringRef coordinates, llvm::StringRef nearest) {
  const int64_t n = input.dim(0), c = input.dim(1);
  const int64_t h = input.dim(2), w = input.dim(3);
  Tensor out({n, c, outH, outW});
  const bool linear = mode == "linear";
  for (int64_t plane = 0; plane < n * c; ++plane) {
    const float *in = input.data() + plane * h * w;
    float *o = out.data() + plane * outH * outW;
    for (int64_t y = 0; y < outH; ++y) {
      const double sy = resizeSource(y, h, outH, scaleH, coordinates);
      for (int64_t x = 0; x < outW; ++x) {
        const double sx = resizeSource(x, w, outW, scaleW, coordinates);
        if (!linear) {
          o[y * outW + x] = in[nearestIndex(sy, h, nearest) * w +
                               nearestIndex(sx, w, nearest)];
          continue;
        }
        const double fy = std::floor(sy), fx = std::floor(sx);
        const double ly = sy - fy, lx = sx - fx;
        auto at = [&](double yy, double xx) {
          int64_t iy = std::clamp<int64_t>(static_cast<int64_t>(yy), 0, h - 1);
          int64_t ix = std::clamp<int64_t>(static_cast<int64_t>(xx), 0, w - 1);
          return double(in[iy * w + ix]);
        };
        o[y * outW + x] = static_cast<float>(
            (1 - ly) * ((1 - lx) * at(fy, fx) + lx * at(fy, fx + 1)) +
            ly * ((1 - lx) * at(fy + 1, fx) + lx * at(fy + 1, fx + 1)));
      }
    }
  }
  return out;
}
