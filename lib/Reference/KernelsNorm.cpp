//===- KernelsNorm.cpp - Reference BatchNorm, LayerNorm, GroupNorm --------===//
//
// Double accumulation; LayerNorm and GroupNorm use the biased variance, as
// PyTorch.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"

#include <cmath>

using namespace cnnc;
using namespace cnnc::reference;

Tensor reference::batchNorm(const Tensor &input, const Tensor &weight,
                            const Tensor &bias, const Tensor &mean,
                            const Tensor &variance, double epsilon) {
  const int64_t n = input.dim(0), c = input.dim(1),
                hw = input.dim(2) * input.dim(3);
  Tensor out(input.shape());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      double scale =
          weight.data()[ch] / std::sqrt(double(variance.data()[ch]) + epsilon);
      for (int64_t i = 0; i < hw; ++i) {
        int64_t at = (b * c + ch) * hw + i;
        out.data()[at] = static_cast<float>(
            (input.data()[at] - double(mean.data()[ch])) * scale +
            bias.data()[ch]);
      }
    }
  return out;
}

Tensor reference::layerNorm(const Tensor &input, const Tensor &weight,
                            const Tensor &bias, double epsilon) {
  const int64_t n = input.dim(0), c = input.dim(1),
                hw = input.dim(2) * input.dim(3);
  Tensor out(input.shape());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < hw; ++i) {
      auto at = [&](int64_t ch) { return (b * c + ch) * hw + i; };
      double mean = 0, var = 0;
      for (int64_t ch = 0; ch < c; ++ch)
        mean += input.data()[at(ch)];
      mean /= c;
      for (int64_t ch = 0; ch < c; ++ch) {
        double d = input.data()[at(ch)] - mean;
        var += d * d;
      }
      var /= c; // biased, as torch.nn.LayerNorm
      double inv = 1.0 / std::sqrt(var + epsilon);
      for (int64_t ch = 0; ch < c; ++ch)
        out.data()[at(ch)] = static_cast<float>((input.data()[at(ch)] - mean) *
                                                    inv * weight.data()[ch] +
                                                bias.data()[ch]);
    }
  return out;
}

Tensor reference::groupNorm(const Tensor &input, const Tensor &weight,
                            const Tensor &bias, int64_t groups,
                            double epsilon) {
  const int64_t n = input.dim(0), c = input.dim(1),
                hw = input.dim(2) * input.dim(3), perGroup = c / groups;
  const int64_t count = perGroup * hw;
  Tensor out(input.shape());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t g = 0; g < groups; ++g) {
      // The group's values are contiguous in NCHW.
      const float *x = input.data() + (b * c + g * perGroup) * hw;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < count; ++i)
        mean += x[i];
      mean /= double(count);
      for (int64_t i = 0; i < count; ++i)
        var += (x[i] - mean) * (x[i] - mean);
      double inv = 1.0 / std::sqrt(var / double(count) + epsilon);
      float *y = out.data() + (b * c + g * perGroup) * hw;
      for (int64_t i = 0; i < count; ++i) {
        int64_t ch = g * perGroup + i / hw;
        y[i] = static_cast<float>((x[i] - mean) * inv * weight.data()[ch] +
                                  bias.data()[ch]);
      }
    }
  return out;
}
