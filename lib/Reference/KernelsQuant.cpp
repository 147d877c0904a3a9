//===- KernelsQuant.cpp - Reference int8 kernels --------------------------===//
//
// Quantized values are held in f32 tensors (u8 and i8 values are exact
// there); accumulation is in int64, requantization through
// Quantization.h, the functions code generation's kernels mirror.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"
#include "cnnc/Support/Shapes.h"

#include <algorithm>

using namespace cnnc;
using namespace cnnc::reference;

Tensor reference::quantize(const Tensor &input, const quant::Params &p) {
  Tensor out(input.shape());
  const float inverse = quant::inverseScale(p.scale);
  for (int64_t i = 0; i < input.size(); ++i)
    out.data()[i] = quant::quantize(input.data()[i], inverse, p.zeroPoint);
  return out;
}

Tensor reference::dequantize(const Tensor &input, const quant::Params &p) {
  Tensor out(input.shape());
  for (int64_t i = 0; i < input.size(); ++i)
    out.data()[i] = quant::dequantize(static_cast<int32_t>(input.data()[i]), p);
  return out;
}

Tensor reference::lookupTable(const Tensor &input,
                              llvm::ArrayRef<float> table) {
  Tensor out(input.shape());
  for (int64_t i = 0; i < input.size(); ++i) {
    // u8 values held in f32; clamped (NaN to 0), so that no input reads
    // past the table.
    const float v = input.data()[i];
    const float index = v >= 0.0f ? std::min(v, float(table.size() - 1)) : 0.0f;
    out.data()[i] = table[static_cast<size_t>(index)];
  }
  return out;
}

Tensor reference::qconv2d(const Tensor &input, const Tensor &weight,
                          const Tensor *bias, const Conv2DParams &p,
                          const QConvParams &q, unsigned threads) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  const int64_t o = weight.dim(0), cg = weight.dim(1), kh = weight.dim(2),
                kw = weight.dim(3);
  const int64_t og = o / p.groups;
  Tensor out = convOutput(input, weight, p);
  const int64_t oh = out.dim(2), ow = out.dim(3);
  const float *in = input.data(), *wt = weight.data();

  parallelFor(n * o, threads, [&](int64_t job) {
    const int64_t b = job / o, oc = job % o, group = oc / og;
    const float wScale = q.weightScales[oc];
    const int64_t start =
        bias ? quant::quantizeBias(bias->data()[oc], q.input.scale, wScale) : 0;
    // An f32 output is the accumulator times its scale: a multiplier to
    // a scale of 1.
    const float multiplier = quant::requantMultiplier(
        q.input.scale, wScale, q.output ? q.output->scale : 1.0f);
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        // The padding reads the zero point: a real 0 contributes nothing.
        int64_t acc = start;
        for (int64_t ci = 0; ci < cg; ++ci) {
          const int64_t ic = group * cg + ci;
          for (int64_t ky = 0; ky < kh; ++ky) {
            const int64_t iy =
                y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t kx = 0; kx < kw; ++kx) {
              const int64_t ix =
                  x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              if (ix < 0 || ix >= w)
                continue;
              const int64_t value =
                  static_cast<int64_t>(in[((b * c + ic) * h + iy) * w + ix]) -
                  q.input.zeroPoint;
              acc += value * static_cast<int64_t>(
                                 wt[((oc * cg + ci) * kh + ky) * kw + kx]);
            }
          }
        }
        out.data()[((b * o + oc) * oh + y) * ow + x] =
            q.output ? quant::requantize(static_cast<int32_t>(acc), multiplier,
                                         q.output->zeroPoint)
                     : float(static_cast<int32_t>(acc)) * multiplier;
      }
  });
  return out;
}
