//===- WeightPacking.cpp - Weights in the order schedules read ------------===//

#include "WeightPacking.h"

#include <algorithm>

using namespace cnnc::codegen;

void cnnc::codegen::zeroFill(Halide::Buffer<float> &buffer) {
  std::fill_n(buffer.data(), buffer.number_of_elements(), 0.0f);
}

static int roundUpToPad(int64_t count) {
  return static_cast<int>((count + kChannelPad - 1) / kChannelPad *
                          kChannelPad);
}

Halide::Buffer<float>
cnnc::codegen::packConvWeights(const std::vector<float> &oihw,
                               std::array<int64_t, 4> shape) {
  const auto [cout, cg, kh, kw] = shape;
  const int tiles = roundUpToPad(cout) / static_cast<int>(kConvWeightBlock);
  Halide::Buffer<float> packed(static_cast<int>(kConvWeightBlock),
                               static_cast<int>(cg), static_cast<int>(kw),
                               static_cast<int>(kh), tiles);
  zeroFill(packed);
  for (int64_t o = 0; o < cout; ++o)
    for (int64_t i = 0; i < cg; ++i)
      for (int64_t ky = 0; ky < kh; ++ky)
        for (int64_t kx = 0; kx < kw; ++kx)
          packed(int(o % kConvWeightBlock), int(i), int(kx), int(ky),
                 int(o / kConvWeightBlock)) =
              oihw[((o * cg + i) * kh + ky) * kw + kx];
  return packed;
}

Halide::Buffer<float>
cnnc::codegen::packDepthwiseWeights(const std::vector<float> &oihw,
                                    std::array<int64_t, 4> shape) {
  const auto [cout, cg, kh, kw] = shape;
  (void)cg;
  Halide::Buffer<float> packed(roundUpToPad(cout), static_cast<int>(kw),
                               static_cast<int>(kh));
  zeroFill(packed);
  for (int64_t o = 0; o < cout; ++o)
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx)
        packed(o, kx, ky) = oihw[(o * kh + ky) * kw + kx];
  return packed;
}

Halide::Buffer<float>
cnnc::codegen::packLinearWeights(const std::vector<float> &weight,
                                 int64_t outFeatures, int64_t inFeatures) {
  const int tiles = roundUpToPad(outFeatures) / static_cast<int>(kChannelPad);
  Halide::Buffer<float> packed(static_cast<int>(kChannelPad),
                               static_cast<int>(inFeatures), tiles);
  zeroFill(packed);
  for (int64_t i = 0; i < outFeatures; ++i)
    for (int64_t j = 0; j < inFeatures; ++j)
      packed(int(i % kChannelPad), int(j), int(i / kChannelPad)) =
          weight[i * inFeatures + j];
  return packed;
}

Halide::Buffer<float>
cnnc::codegen::packPerChannel(const std::vector<float> &values) {
  Halide::Buffer<float> packed(roundUpToPad(values.size()));
  zeroFill(packed);
  for (size_t i = 0; i < values.size(); ++i)
    packed(static_cast<int>(i)) = values[i];
  return packed;
}
