//===- Families.h - One builder function per model family -------*- C++ -*-===//

#ifndef CNNC_LIB_ZOO_FAMILIES_H
#define CNNC_LIB_ZOO_FAMILIES_H

#include "cnnc/Zoo/ModelBuilder.h"

namespace cnnc::zoo {

/// torchvision's VGG config letters A, B, D, E as channel lists, 0 = max pool.
mlir::Value vgg(ModelBuilder &b, llvm::ArrayRef<int64_t> config,
                bool batchNorm);

enum class ResNetBlock { Basic, Bottleneck };
mlir::Value resnet(ModelBuilder &b, ResNetBlock block,
                   llvm::ArrayRef<int64_t> depths);

mlir::Value mobilenetV1(ModelBuilder &b);
mlir::Value mobilenetV2(ModelBuilder &b);

mlir::Value convnextTiny(ModelBuilder &b);

} // namespace cnnc::zoo

#endif // CNNC_LIB_ZOO_FAMILIES_H
