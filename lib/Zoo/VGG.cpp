//===- VGG.cpp - VGG-11/13/16/19, with and without BatchNorm --------------===//
//
// torchvision.models.vgg: `features` is a Sequential of conv 3x3 (+BN) +
// ReLU per channel entry and a 2x2 max pool per "M"; the classifier is
// Linear(512*7*7, 4096), ReLU, Dropout, Linear(4096, 4096), ReLU, Dropout,
// Linear(4096, 1000) after a 7x7 adaptive average pool.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace mlir;
using namespace cnnc;

Value zoo::vgg(ModelBuilder &b, ArrayRef<int64_t> config, bool batchNorm) {
  Value x = b.input();
  int index = 0; // the Sequential index, as in the state_dict keys
  for (int64_t channels : config) {
    if (channels == 0) {
      x = b.maxPool(x, "features." + std::to_string(index), 2, 2);
      index += 1;
      continue;
    }
    ConvSpec spec{3, 1, 1, 1, /*bias=*/true};
    x = b.conv(x, "features." + std::to_string(index), channels, spec);
    if (batchNorm)
      x = b.batchNorm(x, "features." + std::to_string(index + 1));
    x = b.relu(x);
    index += batchNorm ? 3 : 2;
  }
  x = b.adaptiveAvgPool(x, 7, 7);
  x = b.flatten(x);
  // Dropout is the identity at inference.
  x = b.relu(b.linear(x, "classifier.0", 4096));
  x = b.relu(b.linear(x, "classifier.3", 4096));
  return b.linear(x, "classifier.6", 1000);
}
