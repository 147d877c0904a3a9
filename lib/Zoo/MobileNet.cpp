//===- MobileNet.cpp - MobileNetV1 (Howard et al. 2017) and V2 ------------===//

#include "Families.h"

using namespace mlir;
using namespace cnnc;

static std::string key(int index, const char *rest) {
  return "features." + std::to_string(index) + rest;
}

/// MobileNetV1, width 1.0, as in the paper's Table 1: a 3x3/2 conv to 32
/// channels, then 13 depthwise-separable pairs (depthwise 3x3 + BN + ReLU,
/// pointwise 1x1 + BN + ReLU), global average pool, a 1024 -> 1000 linear
/// layer. torchvision has no V1; its parameter names are ours and follow
/// the same Sequential convention:
///   features.0.0 conv, features.0.1 BN (stem);
///   features.<i>.0 depthwise conv, features.<i>.1 its BN,
///   features.<i>.3 pointwise conv, features.<i>.4 its BN (i = 1..13);
///   classifier (the linear layer).
Value zoo::mobilenetV1(ModelBuilder &b) {
  Value x = b.conv(b.input(), key(0, ".0"), 32, {3, 2, 1});
  x = b.relu(b.batchNorm(x, key(0, ".1")));
  const struct {
    int64_t out, stride;
  } pairs[] = {{64, 1},  {128, 2},  {128, 1}, {256, 2}, {256, 1},
               {512, 2}, {512, 1},  {512, 1}, {512, 1}, {512, 1},
               {512, 1}, {1024, 2}, {1024, 1}};
  int index = 1;
  for (auto pair : pairs) {
    int64_t in = ModelBuilder::channels(x);
    x = b.conv(x, key(index, ".0"), in, {3, pair.stride, 1, in});
    x = b.relu(b.batchNorm(x, key(index, ".1")));
    x = b.conv(x, key(index, ".3"), pair.out, {1, 1, 0});
    x = b.relu(b.batchNorm(x, key(index, ".4")));
    ++index;
  }
  x = b.flatten(b.adaptiveAvgPool(x, 1, 1));
  return b.linear(x, "classifier", 1000);
}

/// torchvision.models.mobilenet_v2: inverted residual blocks (expand 1x1,
/// depthwise 3x3, linear project 1x1), ReLU6, residual where the stride is 1
/// and the width unchanged.
Value zoo::mobilenetV2(ModelBuilder &b) {
  Value x = b.conv(b.input(), key(0, ".0"), 32, {3, 2, 1});
  x = b.relu6(b.batchNorm(x, key(0, ".1")));
  const struct {
    int64_t expand, out, repeats, stride;
  } settings[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                  {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int index = 1;
  for (auto s : settings) {
    for (int64_t i = 0; i < s.repeats; ++i, ++index) {
      int64_t stride = i == 0 ? s.stride : 1;
      int64_t in = ModelBuilder::channels(x);
      int64_t hidden = in * s.expand;
      std::string conv = key(index, ".conv.");
      Value y = x;
      int layer = 0; // index inside `conv`
      if (s.expand != 1) {
        y = b.conv(y, conv + "0.0", hidden, {1, 1, 0});
        y = b.relu6(b.batchNorm(y, conv + "0.1"));
        layer = 1;
      }
      std::string dw = conv + std::to_string(layer);
      y = b.conv(y, dw + ".0", hidden, {3, stride, 1, hidden});
      y = b.relu6(b.batchNorm(y, dw + ".1"));
      y = b.conv(y, conv + std::to_string(layer + 1), s.out, {1, 1, 0});
      y = b.batchNorm(y, conv + std::to_string(layer + 2));
      x = (stride == 1 && in == s.out) ? b.add(x, y) : y;
    }
  }
  x = b.conv(x, key(index, ".0"), 1280, {1, 1, 0});
  x = b.relu6(b.batchNorm(x, key(index, ".1")));
  x = b.flatten(b.adaptiveAvgPool(x, 1, 1));
  // classifier.0 is Dropout, the identity at inference.
  return b.linear(x, "classifier.1", 1000);
}
