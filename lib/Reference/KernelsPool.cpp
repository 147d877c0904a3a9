//===- KernelsPool.cpp - Reference pooling --------------------------------===//
//
// PyTorch's semantics: padded positions never win a max; the average's
// divisor follows count_include_pad; adaptive cells may overlap.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"
#include "cnnc/Support/Shapes.h"

#include <cmath>
#include <limits>

using namespace cnnc;
using namespace cnnc::reference;

static Window1D window(const Pool2DParams &p, int dim) {
  Window1D w;
  w.kernel = p.kernel[dim];
  w.stride = p.stride[dim];
  w.padBegin = p.padding[dim];
  w.padEnd = p.padding[dim + 2];
  w.dilation = p.dilation[dim];
  w.ceilMode = p.ceilMode;
  return w;
}

/// The zero-filled output of pooling `input` with `p`.
static Tensor poolOutput(const Tensor &input, const Pool2DParams &p) {
  return Tensor({input.dim(0), input.dim(1),
                 *poolOutputSize(input.dim(2), window(p, 0)),
                 *poolOutputSize(input.dim(3), window(p, 1))});
}

Tensor reference::maxPool2d(const Tensor &input, const Pool2DParams &p) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  Tensor out = poolOutput(input, p);
  const int64_t oh = out.dim(2), ow = out.dim(3);
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        // Padded positions never win.
        float best = -std::numeric_limits<float>::infinity();
        for (int64_t ky = 0; ky < p.kernel[0]; ++ky) {
          int64_t iy = y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
          if (iy < 0 || iy >= h)
            continue;
          for (int64_t kx = 0; kx < p.kernel[1]; ++kx) {
            int64_t ix = x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
            if (ix < 0 || ix >= w)
              continue;
            best = std::max(best, input.data()[(plane * h + iy) * w + ix]);
          }
        }
        out.data()[(plane * oh + y) * ow + x] = best;
      }
  return out;
}

Tensor reference::avgPool2d(const Tensor &input, const Pool2DParams &p) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  Tensor out = poolOutput(input, p);
  const int64_t oh = out.dim(2), ow = out.dim(3);
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        // As PyTorch: the window is clipped to the padded input for the
        // count_include_pad divisor, and to the input for the sum.
        int64_t y0 = y * p.stride[0] - p.padding[0];
        int64_t x0 = x * p.stride[1] - p.padding[1];
        int64_t y1 = std::min(y0 + p.kernel[0], h + p.padding[2]);
        int64_t x1 = std::min(x0 + p.kernel[1], w + p.padding[3]);
        int64_t padded = (y1 - y0) * (x1 - x0);
        y0 = std::max<int64_t>(y0, 0);
        x0 = std::max<int64_t>(x0, 0);
        y1 = std::min(y1, h);
        x1 = std::min(x1, w);
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += input.data()[(plane * h + iy) * w + ix];
        int64_t divisor = p.countIncludePad ? padded : (y1 - y0) * (x1 - x0);
        out.data()[(plane * oh + y) * ow + x] =
            static_cast<float>(sum / double(divisor));
      }
  return out;
}

Tensor reference::adaptiveAvgPool2d(const Tensor &input, int64_t oh,
                                    int64_t ow) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  Tensor out({n, c, oh, ow});
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        int64_t y0 = adaptiveStart(y, h, oh), y1 = adaptiveEnd(y, h, oh);
        int64_t x0 = adaptiveStart(x, w, ow), x1 = adaptiveEnd(x, w, ow);
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += input.data()[(plane * h + iy) * w + ix];
        out.data()[(plane * oh + y) * ow + x] =
            static_cast<float>(sum / double((y1 - y0) * (x1 - x0)));
      }
  return out;
}
