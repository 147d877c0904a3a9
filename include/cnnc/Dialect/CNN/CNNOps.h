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
#include <cmath>

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
