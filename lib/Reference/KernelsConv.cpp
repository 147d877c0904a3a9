//===- KernelsConv.cpp - Reference convolution ----------------------------===//
//
// Plain index arithmetic, double accumulation; threads split output
// channels, so results do not depend on the thread count.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"
#include "cnnc/Support/Shapes.h"

using namespace cnnc;
using namespace cnnc::reference;

Tensor reference::convOutput(const Tensor &input, const Tensor &weight,
                             const Conv2DParams &p) {
  Window1D wy{weight.dim(2), p.stride[0], p.padding[0], p.padding[2],
              p.dilation[0]};
  Window1D wx{weight.dim(3), p.stride[1], p.padding[1], p.padding[3],
              p.dilation[1]};
  return Tensor({input.dim(0), weight.dim(0), *convOutputSize(input.dim(2), wy),
                 *convOutputSize(input.dim(3), wx)});
}

Tensor reference::conv2d(const Tensor &input, const Tensor &weight,
                         const Tensor *bias, const Conv2DParams &p,
                         unsigned threads) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  const int64_t o = weight.dim(0), cg = weight.dim(1), kh = weight.dim(2),
                kw = weight.dim(3);
  const int64_t og = o / p.groups;
  Tensor out = convOutput(input, weight, p);
  const int64_t oh = out.dim(2), ow = out.dim(3);
  const float *in = input.data(), *wt = weight.data();
  float *res = out.data();

  const bool zeroPadding = p.paddingValues.empty();

  parallelFor(n * o, threads, [&](int64_t job) {
    int64_t b = job / o, oc = job % o, group = oc / og;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        double acc = bias ? bias->data()[oc] : 0.0;
        for (int64_t ci = 0; ci < cg; ++ci) {
          int64_t ic = group * cg + ci;
          const double padding = zeroPadding ? 0.0 : p.paddingValues[ic];
          for (int64_t ky = 0; ky < kh; ++ky) {
            int64_t iy = y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
            const bool rowInside = iy >= 0 && iy < h;
            if (!rowInside && zeroPadding)
              continue;
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ix = x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              const bool inside = rowInside && ix >= 0 && ix < w;
              if (!inside && zeroPadding)
                continue;
              const double value =
                  inside ? double(in[((b * c + ic) * h + iy) * w + ix])
                         : padding;
              acc += value * double(wt[((oc * cg + ci) * kh + ky) * kw + kx]);
            }
          }
        }
        res[((b * o + oc) * oh + y) * ow + x] = static_cast<float>(acc);
      }
  });
  return out;
}

Tensor reference::convTranspose2d(const Tensor &input, const Tensor &weight,
                                  const Tensor *bias, const Conv2DParams &p,
                                  std::array<int64_t, 2> outSize) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  const int64_t og = weight.dim(1), kh = weight.dim(2), kw = weight.dim(3);
  const int64_t cg = c / p.groups, outC = og * p.groups;
  const int64_t oh = outSize[0], ow = outSize[1];
  std::vector<double> acc(n * outC * oh * ow, 0.0);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ci = 0; ci < c; ++ci) {
      const int64_t g = ci / cg;
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
          const double v = input.data()[((b * c + ci) * h + y) * w + x];
          for (int64_t co = 0; co < og; ++co)
            for (int64_t ky = 0; ky < kh; ++ky) {
              const int64_t oy =
                  y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
              if (oy < 0 || oy >= oh)
                continue;
              for (int64_t kx = 0; kx < kw; ++kx) {
                const int64_t ox =
                    x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
                if (ox < 0 || ox >= ow)
                  continue;
                acc[((b * outC + g * og + co) * oh + oy) * ow + ox] +=
                    v * weight.data()[((ci * og + co) * kh + ky) * kw + kx];
              }
            }
        }
    }
  Tensor out({n, outC, oh, ow});
  for (int64_t i = 0; i < out.size(); ++i) {
    const int64_t co = (i / (oh * ow)) % outC;
    out.data()[i] =
        static_cast<float>(acc[i] + (bias ? bias->data()[co] : 0.0));
  }
  return out;
}
