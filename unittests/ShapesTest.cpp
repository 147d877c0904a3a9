//===- ShapesTest.cpp - Output-size formulas against PyTorch's ------------===//

#include "cnnc/Support/Shapes.h"

#include <gtest/gtest.h>

#include <cmath>

using cnnc::Window1D;

namespace {

Window1D makeWindow(int64_t kernel, int64_t stride, int64_t pad,
                    int64_t dilation = 1, bool ceilMode = false) {
  Window1D w;
  w.kernel = kernel;
  w.stride = stride;
  w.padBegin = pad;
  w.padEnd = pad;
  w.dilation = dilation;
  w.ceilMode = ceilMode;
  return w;
}

// torch.nn.Conv2d's documented formula, evaluated in floating point:
// floor((in + 2p - d(k-1) - 1) / s + 1).
int64_t torchConv(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
  return static_cast<int64_t>(
      std::floor(static_cast<double>(in + 2 * p - d * (k - 1) - 1) / s + 1));
}

// torch.nn.MaxPool2d's documented formula with its ceil_mode rule (the last
// window must start inside the input or the left padding).
int64_t torchPool(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d,
                  bool ceilMode) {
  double exact = static_cast<double>(in + 2 * p - d * (k - 1) - 1) / s;
  auto out =
      static_cast<int64_t>(ceilMode ? std::ceil(exact) : std::floor(exact)) + 1;
  if (ceilMode && (out - 1) * s >= in + p)
    --out;
  return out;
}

TEST(ShapesTest, KnownLayersOfTheZoo) {
  // ResNet stem: 7x7/2 pad 3, then 3x3/2 pad 1 max pool.
  EXPECT_EQ(cnnc::convOutputSize(224, makeWindow(7, 2, 3)), 112);
  EXPECT_EQ(cnnc::poolOutputSize(112, makeWindow(3, 2, 1)), 56);
  // ConvNeXt stem: 4x4/4 patchify.
  EXPECT_EQ(cnnc::convOutputSize(224, makeWindow(4, 4, 0)), 56);
  // VGG max pool 2x2/2 on an odd size, floor and ceil.
  EXPECT_EQ(cnnc::poolOutputSize(7, makeWindow(2, 2, 0)), 3);
  EXPECT_EQ(cnnc::poolOutputSize(7, makeWindow(2, 2, 0, 1, true)), 4);
  // ceil_mode may not start a window in the right padding.
  EXPECT_EQ(cnnc::poolOutputSize(4, makeWindow(2, 3, 1, 1, true)), 2);
  // Dilation 2 makes a 3x3 kernel span 5.
  EXPECT_EQ(cnnc::convOutputSize(10, makeWindow(3, 1, 0, 2)), 6);
}

TEST(ShapesTest, AsymmetricPadding) {
  Window1D w = makeWindow(3, 2, 0);
  w.padBegin = 0;
  w.padEnd = 1; // TensorFlow-style "same" padding for an even input
  EXPECT_EQ(cnnc::convOutputSize(8, w), 4);
  w.padEnd = 0;
  EXPECT_EQ(cnnc::convOutputSize(8, w), 3);
}

TEST(ShapesTest, RejectsWindowsLargerThanThePaddedInput) {
  EXPECT_FALSE(cnnc::convOutputSize(2, makeWindow(3, 1, 0)).has_value());
  EXPECT_FALSE(cnnc::convOutputSize(4, makeWindow(3, 1, 0, 2)).has_value());
  EXPECT_FALSE(cnnc::poolOutputSize(1, makeWindow(2, 2, 0)).has_value());
  EXPECT_FALSE(cnnc::convOutputSize(8, makeWindow(0, 1, 0)).has_value());
  EXPECT_FALSE(cnnc::convOutputSize(8, makeWindow(3, 0, 0)).has_value());
  EXPECT_FALSE(cnnc::convOutputSize(8, makeWindow(3, 1, -1)).has_value());
}

TEST(ShapesTest, SweepAgainstTorchFormulas) {
  for (int64_t in = 1; in <= 40; ++in)
    for (int64_t k = 1; k <= 7; ++k)
      for (int64_t s = 1; s <= 4; ++s)
        for (int64_t d = 1; d <= 3; ++d)
          for (int64_t p = 0; p <= k / 2; ++p) {
            Window1D w = makeWindow(k, s, p, d);
            bool fits = in + 2 * p >= d * (k - 1) + 1;
            auto conv = cnnc::convOutputSize(in, w);
            ASSERT_EQ(conv.has_value(), fits)
                << "in=" << in << " k=" << k << " s=" << s << " p=" << p
                << " d=" << d;
            if (!fits)
              continue;
            EXPECT_EQ(*conv, torchConv(in, k, s, p, d));
            for (bool ceilMode : {false, true}) {
              w.ceilMode = ceilMode;
              EXPECT_EQ(*cnnc::poolOutputSize(in, w),
                        torchPool(in, k, s, p, d, ceilMode))
                  << "in=" << in << " k=" << k << " s=" << s << " p=" << p
                  << " d=" << d << " ceil=" << ceilMode;
            }
          }
}

TEST(ShapesTest, AdaptiveCellsCoverTheInput) {
  // torch.nn.AdaptiveAvgPool2d: start = floor(i*In/Out),
  // end = ceil((i+1)*In/Out); cells may overlap but cover every row.
  EXPECT_EQ(cnnc::adaptiveStart(0, 10, 3), 0);
  EXPECT_EQ(cnnc::adaptiveEnd(0, 10, 3), 4);
  EXPECT_EQ(cnnc::adaptiveStart(1, 10, 3), 3);
  EXPECT_EQ(cnnc::adaptiveEnd(1, 10, 3), 7);
  EXPECT_EQ(cnnc::adaptiveStart(2, 10, 3), 6);
  EXPECT_EQ(cnnc::adaptiveEnd(2, 10, 3), 10);
  // Upsampling (VGG at a small input): 1 -> 7 repeats the single row.
  for (int64_t i = 0; i < 7; ++i) {
    EXPECT_EQ(cnnc::adaptiveStart(i, 1, 7), 0);
    EXPECT_EQ(cnnc::adaptiveEnd(i, 1, 7), 1);
  }
}

} // namespace
