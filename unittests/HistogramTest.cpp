//===- HistogramTest.cpp - Percentile and entropy calibration ranges ------===//

#include "Histogram.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace cnnc;

namespace {

/// The values 0, 1, ..., n - 1.
std::vector<float> ramp(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = float(i);
  return v;
}

TEST(Histogram, PercentileCutsBothTailsAtBinEdges) {
  // 20480 values, 10 per bin of 1: 99% keeps all but 102.4 values at each
  // end, so 10 bins go at each end (100 values), not 11.
  Histogram h(0.0f, 2048.0f);
  std::vector<float> v = ramp(20480);
  for (float &x : v)
    x /= 10.0f;
  h.add(v);
  std::array<float, 2> r = h.percentileRange(99.0);
  EXPECT_FLOAT_EQ(r[0], 0.0f); // widened to hold 0
  EXPECT_FLOAT_EQ(r[1], 2038.0f);
  std::array<float, 2> all = h.percentileRange(100.0);
  EXPECT_FLOAT_EQ(all[1], 2048.0f);
}

TEST(Histogram, PercentileOfSignedValuesHoldsZero) {
  Histogram h(-1024.0f, 1024.0f);
  std::vector<float> v = ramp(2048);
  for (float &x : v)
    x -= 1024.0f;
  h.add(v);
  std::array<float, 2> r = h.percentileRange(98.0);
  // 1% of 2048 values (20.48) from each end: 20 bins.
  EXPECT_FLOAT_EQ(r[0], -1004.0f);
  EXPECT_FLOAT_EQ(r[1], 1004.0f);
}

TEST(Histogram, EntropyIgnoresARareOutlier) {
  // Half-normal values (a ReLU's output) and one value 50 standard
  // deviations out: min-max would spend nearly all 255 steps on nothing.
  std::mt19937 rng(29);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(100000);
  for (float &x : v)
    x = std::abs(normal(rng));
  v.push_back(50.0f);
  Histogram h(0.0f, 50.0f);
  h.add(v);
  std::array<float, 2> r = h.entropyRange(255);
  EXPECT_EQ(r[0], 0.0f);
  EXPECT_GT(r[1], 2.5f);  // keeps the bulk (99% lie under 2.6)
  EXPECT_LT(r[1], 12.0f); // and drops the outlier
}

TEST(Histogram, EntropyIsNotFooledByAReluSpike) {
  // A ReLU's output: half the values exactly 0. Spread over its step, the
  // spike made every wide range look lossy and entropy kept a fifth of the
  // digits CNN's ranges (SQNR 5-7 dB); 0 is a level of its own.
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(100000);
  for (float &x : v)
    x = std::max(0.0f, normal(rng));
  Histogram h(0.0f, 4.5f);
  h.add(v);
  std::array<float, 2> r = h.entropyRange(255);
  EXPECT_GT(r[1], 2.5f);
}

TEST(Histogram, EntropyKeepsAUniformRange) {
  // Nothing to gain by clipping a uniform distribution.
  Histogram h(0.0f, 2048.0f);
  std::vector<float> v = ramp(2048 * 4);
  for (float &x : v)
    x /= 4.0f;
  h.add(v);
  std::array<float, 2> r = h.entropyRange(255);
  EXPECT_GT(r[1], 2000.0f);
}

TEST(Histogram, EmptyAndConstantValues) {
  Histogram empty(0.0f, 1.0f);
  EXPECT_FLOAT_EQ(empty.entropyRange(255)[1], 1.0f);
  Histogram zeros(0.0f, 0.0f);
  zeros.add(std::vector<float>(10, 0.0f));
  EXPECT_FLOAT_EQ(zeros.percentileRange(99.0)[1], 0.0f);
  EXPECT_FLOAT_EQ(zeros.entropyRange(255)[1], 0.0f);
}

} // namespace
