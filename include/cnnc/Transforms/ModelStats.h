//===- ModelStats.h - The lecture's arithmetic, computed --------*- C++ -*-===//
//
// Parameters, multiply-accumulates and receptive fields of a model function.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_MODELSTATS_H
#define CNNC_TRANSFORMS_MODELSTATS_H

#include "mlir/IR/Operation.h"

#include <array>
#include <string>
#include <vector>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace cnnc {

/// One layer op's figures.
struct LayerStats {
  mlir::Operation *op = nullptr;
  /// The layer's name: its first parameter's name without the last
  /// component ("layer1.0.conv1" for "layer1.0.conv1.weight"), or "".
  std::string layer;
  std::vector<int64_t> shape;
  int64_t params = 0;
  int64_t macs = 0;
  /// Receptive field and jump (stride product), height then width.
  std::array<int64_t, 2> receptiveField = {1, 1};
  std::array<int64_t, 2> jump = {1, 1};
};

struct ModelStats {
  std::vector<LayerStats> layers;
  int64_t params = 0;
  int64_t macs = 0;
  /// The most bytes of activations alive at once: the input and the
  /// results of top-level ops (a fused group's inner values are the
  /// group's business), each alive from its op to its last top-level user.
  int64_t peakActivationBytes = 0;
  /// The top-level op during which that peak is reached.
  mlir::Operation *peakAt = nullptr;
};

/// Computes the figures of every layer op of `func` (ops that are not
/// parameters, constants, or computed from those alone).
ModelStats computeModelStats(mlir::func::FuncOp func);

} // namespace cnnc

#endif // CNNC_TRANSFORMS_MODELSTATS_H
