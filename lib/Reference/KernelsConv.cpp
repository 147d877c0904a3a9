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

Tensor reference::conv2d(const Tensor &input, const Tensor &weight,
                         const Tensor *bias, const Conv2DParams &p,
                         unsigned threads) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  const int64_t o = weight.dim(0), cg = weight.dim(1), kh = weight.dim(2),
                kw = weight.dim(3);
  const int64_t og = o / p.groups;
  Window1D wy{kh, p.stride[0], p.padding[0], p.padding[2], p.dilation[0]};
  Window1D wx{kw, p.stride[1], p.padding[1], p.padding[3], p.dilation[1]};
  const int64_t oh = *convOutputSize(h, wy), ow = *convOutputSize(w, wx);
  Tensor out({n, o, oh, ow});
  const float *in = input.data(), *wt = weight.data();
  float *res = out.data();

  parallelFor(n * o, threads, [&](int64_t job) {
    int64_t b = job / o, oc = job % o, group = oc / og;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        double acc = bias ? bias->data()[oc] : 0.0;
        for (int64_t ci = 0; ci < cg; ++ci) {
          int64_t ic = group * cg + ci;
          for (int64_t ky = 0; ky < kh; ++ky) {
            int64_t iy = y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
            if (iy < 0 || iy >= h)
              continue; // zero padding
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ix = x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              if (ix < 0 || ix >= w)
                continue;
              acc += double(in[((b * c + ic) * h + iy) * w + ix]) *
                     double(wt[((oc * cg + ci) * kh + ky) * kw + kx]);
            }
          }
        }
        res[((b * o + oc) * oh + y) * ow + x] = static_cast<float>(acc);
      }
  });
  return out;
}
