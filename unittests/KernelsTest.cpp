//===- KernelsTest.cpp - Reference kernels against hand-computed values ---===//

#include "cnnc/Reference/Kernels.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cnnc::reference;

namespace {

Tensor make(std::vector<int64_t> shape, std::vector<float> values) {
  return Tensor(std::move(shape), std::move(values));
}

void expectValues(const Tensor &t, std::vector<int64_t> shape,
                  std::vector<float> expected, float tolerance = 1e-6f) {
  ASSERT_EQ(t.shape(), shape);
  ASSERT_EQ(t.size(), static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data()[i], expected[i], tolerance) << "element " << i;
}

TEST(KernelsTest, ConvAsymmetricPadding) {
  // [[1, 2], [3, 4]] with a 2x2 ones kernel, padded only bottom and right.
  Tensor in = make({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor w = make({1, 1, 2, 2}, {1, 1, 1, 1});
  Conv2DParams p;
  p.padding = {0, 0, 1, 1};
  expectValues(conv2d(in, w, nullptr, p), {1, 1, 2, 2}, {10, 6, 7, 4});
}

TEST(KernelsTest, ConvDilationAndStride) {
  // 1..9 in 3x3; a dilated 2x2 ones kernel takes the corners.
  Tensor in = make({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = make({1, 1, 2, 2}, {1, 1, 1, 1});
  Conv2DParams p;
  p.dilation = {2, 2};
  expectValues(conv2d(in, w, nullptr, p), {1, 1, 1, 1}, {20});
  // Stride 2 with padding 1 and a 1x1 kernel picks rows/cols -1+..: (0,0)
  // reads padding, (0,1) reads in[0][1]... here a 3x3 kernel of ones.
  Tensor ones = make({1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  Conv2DParams q;
  q.stride = {2, 2};
  q.padding = {1, 1, 1, 1};
  // Windows centred on (0,0), (0,2), (2,0), (2,2).
  expectValues(conv2d(in, ones, nullptr, q), {1, 1, 2, 2},
               {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9});
}

TEST(KernelsTest, ConvGroupsNeitherOneNorC) {
  // Four channels in two groups; each output sees its group's two channels.
  Tensor in = make({1, 4, 1, 1}, {1, 2, 3, 4});
  Tensor w = make({2, 2, 1, 1}, {1, 10, 100, 1000});
  Tensor b = make({2}, {0.5f, -1});
  Conv2DParams p;
  p.groups = 2;
  expectValues(conv2d(in, w, &b, p), {1, 2, 1, 1}, {21.5f, 4299});
}

TEST(KernelsTest, Depthwise) {
  Tensor in = make({1, 2, 1, 2}, {1, 2, 3, 4});
  Tensor w = make({2, 1, 1, 2}, {1, -1, 2, 2});
  Conv2DParams p;
  p.groups = 2;
  expectValues(conv2d(in, w, nullptr, p), {1, 2, 1, 1}, {1 - 2, 2 * 3 + 2 * 4});
}

TEST(KernelsTest, MaxPoolCeilMode) {
  Tensor in = make({1, 1, 1, 5}, {1, 5, 2, 8, 3});
  Pool2DParams p;
  p.kernel = {1, 2};
  p.stride = {1, 2};
  expectValues(maxPool2d(in, p), {1, 1, 1, 2}, {5, 8});
  p.ceilMode = true;
  expectValues(maxPool2d(in, p), {1, 1, 1, 3}, {5, 8, 3});
}

TEST(KernelsTest, MaxPoolPaddingNeverWins) {
  Tensor in = make({1, 1, 1, 2}, {-5, -7});
  Pool2DParams p;
  p.kernel = {1, 3};
  p.stride = {1, 1};
  p.padding = {0, 1, 0, 1};
  expectValues(maxPool2d(in, p), {1, 1, 1, 2}, {-5, -5});
}

TEST(KernelsTest, AvgPoolCountIncludePad) {
  Tensor in = make({1, 1, 2, 2}, {1, 2, 3, 4});
  Pool2DParams p;
  p.kernel = {2, 2};
  p.stride = {2, 2};
  p.padding = {1, 1, 1, 1};
  expectValues(avgPool2d(in, p), {1, 1, 2, 2}, {0.25f, 0.5f, 0.75f, 1.0f});
  p.countIncludePad = false;
  expectValues(avgPool2d(in, p), {1, 1, 2, 2}, {1, 2, 3, 4});
}

TEST(KernelsTest, AvgPoolCeilModeWindowPastTheInput) {
  // The last window starts at column 2 and only column 2 exists: PyTorch
  // divides by 1 even with count_include_pad, since no padding is there.
  Tensor in = make({1, 1, 1, 3}, {1, 2, 3});
  Pool2DParams p;
  p.kernel = {1, 2};
  p.stride = {1, 2};
  p.ceilMode = true;
  expectValues(avgPool2d(in, p), {1, 1, 1, 2}, {1.5f, 3});
}

TEST(KernelsTest, AdaptiveAvgPoolNonDivisible) {
  // 5 -> 3 cells: [0, 2), [1, 4), [3, 5).
  Tensor in = make({1, 1, 1, 5}, {1, 2, 3, 4, 5});
  expectValues(adaptiveAvgPool2d(in, 1, 3), {1, 1, 1, 3}, {1.5f, 3, 4.5f});
  // 1 -> 2 repeats the single value.
  Tensor one = make({1, 1, 1, 1}, {7});
  expectValues(adaptiveAvgPool2d(one, 2, 2), {1, 1, 2, 2}, {7, 7, 7, 7});
}

TEST(KernelsTest, ActivationAppliesItsFunctionToEveryElement) {
  Tensor in = make({1, 4}, {-1, 0, 1, 7});
  // The activations' own formulas are ActivationOpInterface::evaluate,
  // tested in OpInferenceTest; the kernel applies one in double.
  expectValues(activation(in, [](double x) { return 2 * x + 0.5; }), {1, 4},
               {-1.5f, 0.5f, 2.5f, 14.5f});
}

TEST(KernelsTest, LayerNormOverChannelsWithEpsilon) {
  // Channels [1, 3] at one pixel: mean 2, variance 1; eps 1 divides by sqrt 2.
  Tensor in = make({1, 2, 1, 1}, {1, 3});
  Tensor w = make({2}, {2, 1});
  Tensor b = make({2}, {0, 10});
  const float r = 0.70710678f;
  expectValues(layerNorm(in, w, b, 1.0), {1, 2, 1, 1}, {-2 * r, 10 + r});
}

TEST(KernelsTest, BatchNorm) {
  // (3 - 1) / sqrt(3 + 1) * 2 + 0.5
  Tensor in = make({1, 1, 1, 1}, {3});
  expectValues(batchNorm(in, make({1}, {2}), make({1}, {0.5f}), make({1}, {1}),
                         make({1}, {3}), 1.0),
               {1, 1, 1, 1}, {2.5f});
}

TEST(KernelsTest, BroadcastLayerScaleAndResidual) {
  Tensor x = make({1, 2, 1, 2}, {1, 2, 3, 4});
  expectValues(mul(x, make({2, 1, 1}, {10, 100})), {1, 2, 1, 2},
               {10, 20, 300, 400});
  expectValues(add(x, x), {1, 2, 1, 2}, {2, 4, 6, 8});
}

TEST(KernelsTest, LinearSoftmaxConcat) {
  Tensor x = make({1, 2}, {1, 2});
  Tensor w = make({2, 2}, {1, 1, 2, -1});
  Tensor b = make({2}, {0, 1});
  expectValues(linear(x, w, &b), {1, 2}, {3, 1});
  expectValues(softmax(make({1, 2}, {0, std::log(3.0f)}), -1), {1, 2},
               {0.25f, 0.75f});
  Tensor a = make({1, 1, 1, 2}, {1, 2}), c = make({1, 2, 1, 2}, {3, 4, 5, 6});
  expectValues(concat({&a, &c}, 1), {1, 3, 1, 2}, {1, 2, 3, 4, 5, 6});
}

} // namespace
