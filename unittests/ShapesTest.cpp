//===- ShapesTest.cpp - Output-size formulas on known layers -------------===//

#include "cnnc/Support/Shapes.h"

#include <gtest/gtest.h>

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

// The sweep against PyTorch's own output sizes is a lit test
// (test/Dialect/shapes-vs-torch.test): PyTorch computes them at test time.

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
