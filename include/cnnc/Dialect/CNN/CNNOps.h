//===- CNNOps.h - Operations of the cnn dialect -----------------*- C++ -*-===//

#ifndef CNNC_DIALECT_CNN_CNNOPS_H
#define CNNC_DIALECT_CNN_CNNOPS_H

#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace cnnc::cnn {
/// What a parameter operand is, from the op that uses it.
enum class ParameterRole {
  Kernel,   ///< conv and linear weights: fan-in scaled
  Scale,    ///< norm weights, layer scales
  Shift,    ///< biases, norm shifts
  Mean,     ///< a running mean: a buffer, not a learnable parameter
  Variance, ///< a running variance: a buffer, positive
};

/// Whether parameters in `role` are buffers (not learnable).
inline bool isBuffer(ParameterRole role) {
  return role == ParameterRole::Mean || role == ParameterRole::Variance;
}

/// A kernel for rank >= 2, a shift otherwise.
ParameterRole defaultParameterRole(mlir::Type type);

/// A window sliding over height and width.
struct SpatialWindow {
  std::array<int64_t, 2> kernel = {1, 1};
  std::array<int64_t, 2> stride = {1, 1};
  std::array<int64_t, 2> dilation = {1, 1};
};
} // namespace cnnc::cnn

#include "cnnc/Dialect/CNN/CNNEnums.h.inc"
#include "cnnc/Dialect/CNN/CNNInterfaces.h.inc"

namespace cnnc::cnn {
/// Marks ops whose result type is computed by their `inferResultType`; the
/// methods it declares are defined by ODS (see CNNOps.td).
template <typename ConcreteType>
class InferredResultType
    : public mlir::OpTrait::TraitBase<ConcreteType, InferredResultType> {};
} // namespace cnnc::cnn

#define GET_OP_CLASSES
#include "cnnc/Dialect/CNN/CNNOps.h.inc"

#endif // CNNC_DIALECT_CNN_CNNOPS_H
