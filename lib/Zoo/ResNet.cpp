//===- ResNet.cpp - ResNet-18/34 (basic) and 50/101 (bottleneck) ----------===//
//
// torchvision.models.resnet (v1.5: the bottleneck's stride is on its 3x3
// conv). Every conv is followed by BatchNorm; a block whose stride or width
// changes gets a projection shortcut `downsample.{0: 1x1 conv, 1: BN}`.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace mlir;
using namespace cnnc;

static Value convBn(ModelBuilder &b, Value x, const std::string &prefix,
                    const std::string &conv, const std::string &bn, int64_t out,
                    ConvSpec spec) {
  x = b.conv(x, prefix + conv, out, spec);
  return b.batchNorm(x, prefix + bn);
}

/// x -> 3x3 -> 3x3, plus the shortcut.
static Value basicBlock(ModelBuilder &b, Value x, const std::string &prefix,
                        int64_t planes, int64_t stride) {
  Value y =
      b.relu(convBn(b, x, prefix, "conv1", "bn1", planes, {3, stride, 1}));
  y = convBn(b, y, prefix, "conv2", "bn2", planes, {3, 1, 1});
  Value shortcut = x;
  if (stride != 1 || ModelBuilder::channels(x) != planes)
    shortcut = convBn(b, x, prefix, "downsample.0", "downsample.1", planes,
                      {1, stride, 0});
  return b.relu(b.add(y, shortcut));
}

/// x -> 1x1 (narrow) -> 3x3 (stride) -> 1x1 (4x wide), plus the shortcut.
static Value bottleneck(ModelBuilder &b, Value x, const std::string &prefix,
                        int64_t planes, int64_t stride) {
  const int64_t expansion = 4;
  Value y = b.relu(convBn(b, x, prefix, "conv1", "bn1", planes, {1, 1, 0}));
  y = b.relu(convBn(b, y, prefix, "conv2", "bn2", planes, {3, stride, 1}));
  y = convBn(b, y, prefix, "conv3", "bn3", planes * expansion, {1, 1, 0});
  Value shortcut = x;
  if (stride != 1 || ModelBuilder::channels(x) != planes * expansion)
    shortcut = convBn(b, x, prefix, "downsample.0", "downsample.1",
                      planes * expansion, {1, stride, 0});
  return b.relu(b.add(y, shortcut));
}

Value zoo::resnet(ModelBuilder &b, ResNetBlock block,
                  ArrayRef<int64_t> depths) {
  Value x = b.relu(convBn(b, b.input(), "", "conv1", "bn1", 64, {7, 2, 3}));
  x = b.maxPool(x, "maxpool", 3, 2, 1);
  const int64_t planes[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    for (int64_t i = 0; i < depths[stage]; ++i) {
      int64_t stride = (stage > 0 && i == 0) ? 2 : 1;
      std::string prefix =
          "layer" + std::to_string(stage + 1) + "." + std::to_string(i) + ".";
      x = block == ResNetBlock::Basic
              ? basicBlock(b, x, prefix, planes[stage], stride)
              : bottleneck(b, x, prefix, planes[stage], stride);
    }
  }
  x = b.flatten(b.adaptiveAvgPool(x, 1, 1));
  return b.linear(x, "fc", 1000);
}
