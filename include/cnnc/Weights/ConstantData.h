//===- ConstantData.h - Reading and making f32 constants --------*- C++ -*-===//

#ifndef CNNC_WEIGHTS_CONSTANTDATA_H
#define CNNC_WEIGHTS_CONSTANTDATA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>
#include <vector>

namespace cnnc {

/// The f32 values of a constant attribute (dense or a loaded resource
/// blob), or nullopt if it holds no readable f32 data.
std::optional<std::vector<float>> readElements(mlir::ElementsAttr attr);

/// The values of `value` if it is a cnn.constant, looking through
/// cnn.reshape (which keeps the element order).
std::optional<std::vector<float>> constantValues(mlir::Value value);

/// Whether `value` is a cnn.constant (through reshapes) held as a blob.
bool isBlobConstant(mlir::Value value);

/// Makes a cnn.constant of `type` holding `data`: a resource blob named
/// `name` if `asBlob`, else a dense attribute that prints inline.
mlir::Value makeConstant(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::RankedTensorType type,
                         llvm::ArrayRef<float> data, llvm::StringRef name,
                         bool asBlob);

} // namespace cnnc

#endif // CNNC_WEIGHTS_CONSTANTDATA_H
