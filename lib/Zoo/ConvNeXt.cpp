//===- ConvNeXt.cpp - ConvNeXt-Tiny ---------------------------------------===//
//
// torchvision.models.convnext_tiny: a 4x4/4 patchify stem with LayerNorm,
// four stages of CNBlocks (depths 3, 3, 9, 3; widths 96, 192, 384, 768)
// joined by LayerNorm + 2x2/2 conv downsampling, then global average pool,
// LayerNorm and the classifier. Stochastic depth is the identity at
// inference. A block's nn.Linear layers act on channels-last data; here they
// are 1x1 convs whose stored [O, I] weights are reshaped.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace mlir;
using namespace cnnc;

/// x + layer_scale * (pw 4C->C . GELU . pw C->4C . LayerNorm . dw 7x7)(x)
static Value block(ModelBuilder &b, Value x, const std::string &prefix) {
  int64_t dim = ModelBuilder::channels(x);
  Value y = b.conv(x, prefix + "block.0", dim, {7, 1, 3, dim, /*bias=*/true});
  y = b.layerNorm(y, prefix + "block.2");
  y = b.gelu(b.linearAsConv(y, prefix + "block.3", 4 * dim));
  y = b.linearAsConv(y, prefix + "block.5", dim);
  y = b.layerScale(y, prefix + "layer_scale");
  return b.add(y, x);
}

Value zoo::convnextTiny(ModelBuilder &b) {
  const int64_t depths[] = {3, 3, 9, 3};
  const int64_t widths[] = {96, 192, 384, 768};
  Value x =
      b.conv(b.input(), "features.0.0", widths[0], {4, 4, 0, 1, /*bias=*/true});
  x = b.layerNorm(x, "features.0.1");
  int index = 1;
  for (int stage = 0; stage < 4; ++stage) {
    if (stage > 0) {
      std::string down = "features." + std::to_string(index++) + ".";
      x = b.layerNorm(x, down + "0");
      x = b.conv(x, down + "1", widths[stage], {2, 2, 0, 1, /*bias=*/true});
    }
    std::string stagePrefix = "features." + std::to_string(index++) + ".";
    for (int64_t i = 0; i < depths[stage]; ++i)
      x = block(b, x, stagePrefix + std::to_string(i) + ".");
  }
  x = b.adaptiveAvgPool(x, 1, 1);
  x = b.layerNorm(x, "classifier.0");
  x = b.flatten(x);
  return b.linear(x, "classifier.2", 1000);
}
