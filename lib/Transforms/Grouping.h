//===- Grouping.h - Helpers shared by the fusion passes ---------*- C++ -*-===//

#ifndef CNNC_LIB_TRANSFORMS_GROUPING_H
#define CNNC_LIB_TRANSFORMS_GROUPING_H

#include "cnnc/Dialect/CNN/CNNOps.h"

namespace cnnc {

/// The op of `value`'s block that holds its single use (the user itself,
/// or the group around it), or null if it has several uses.
mlir::Operation *soleUser(mlir::Value value);

/// Whether `op` is an activation (relu, relu6, gelu, sigmoid, hardswish,
/// hardsigmoid, silu).
bool isActivation(mlir::Operation *op);

/// The conv a fusion unit computes: a bare conv, or the first conv of a
/// "conv" group; null for anything else.
cnn::Conv2DOp unitConv(mlir::Operation *op);

bool isDepthwise(cnn::Conv2DOp conv);
/// A 1x1 conv, stride 1, no padding, one group.
bool isPointwise(cnn::Conv2DOp conv);

/// Moves `chain` (ops in program order, each using the previous one's
/// result) into a new group of `kind`, placed where the last op was. Groups
/// in the chain are flattened into the new one. Returns the new group.
cnn::GroupOp groupChain(llvm::ArrayRef<mlir::Operation *> chain,
                        cnn::GroupKind kind);

} // namespace cnnc

#endif // CNNC_LIB_TRANSFORMS_GROUPING_H
