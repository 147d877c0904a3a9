//===- InferSupport.h - What the ops' type inference shares -----*- C++ -*-===//
//
// Private to lib/Dialect/CNN: operand checks used by the inferResultType of
// ops in several files.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_DIALECT_CNN_INFERSUPPORT_H
#define CNNC_LIB_DIALECT_CNN_INFERSUPPORT_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace cnnc::cnn {

using EmitErrorFn = llvm::function_ref<mlir::InFlightDiagnostic()>;

/// The operand's type if it is a ranked tensor of the given rank (-1: any).
inline mlir::FailureOr<mlir::RankedTensorType>
rankedOperand(mlir::Value value, llvm::StringRef name, int64_t rank,
              EmitErrorFn emitError) {
  auto type = llvm::dyn_cast_or_null<mlir::RankedTensorType>(
      value ? value.getType() : mlir::Type());
  if (!type || !type.hasStaticShape())
    return emitError() << name << " must be a static-shape tensor";
  if (rank >= 0 && type.getRank() != rank)
    return emitError() << name << " must have rank " << rank << ", got "
                       << type;
  return type;
}

inline mlir::RankedTensorType tensorOf(llvm::ArrayRef<int64_t> shape,
                                       mlir::Type element) {
  return mlir::RankedTensorType::get(shape, element);
}

/// A dimension index in [-rank, rank) made non-negative, or -1 if invalid.
inline int64_t normalizeDim(int64_t dim, int64_t rank) {
  if (dim < -rank || dim >= rank)
    return -1;
  return dim < 0 ? dim + rank : dim;
}

/// Whether `from` broadcasts NumPy-style into `to`: aligned on the right,
/// each dimension 1 or equal.
inline bool broadcastsInto(mlir::RankedTensorType from,
                           mlir::RankedTensorType to) {
  if (from.getRank() > to.getRank())
    return false;
  const int64_t offset = to.getRank() - from.getRank();
  for (int64_t d = 0; d < from.getRank(); ++d)
    if (from.getDimSize(d) != 1 &&
        from.getDimSize(d) != to.getDimSize(d + offset))
      return false;
  return true;
}

namespace detail {
/// The NCHW result shape of a conv of `input` by OIHW `weight` (conv2d,
/// qconv2d), after checking the channels, groups, bias and window.
mlir::FailureOr<llvm::SmallVector<int64_t, 4>>
inferConvShape(mlir::Value input, mlir::Value weight, mlir::Value bias,
               int64_t groups, llvm::ArrayRef<int64_t> stride,
               llvm::ArrayRef<int64_t> padding,
               llvm::ArrayRef<int64_t> dilation, EmitErrorFn emitError);
/// The type of a binary op: lhs's, where rhs broadcasts into it.
mlir::FailureOr<mlir::Type> inferBroadcastInto(mlir::Value lhs, mlir::Value rhs,
                                               EmitErrorFn emitError);
/// The type of a reduction of `input` over `axes` (CNN_ReduceOp); an index
/// reduction (`singleAxis`) takes one axis.
mlir::FailureOr<mlir::Type> inferReduced(mlir::Value input,
                                         llvm::ArrayRef<int64_t> axes,
                                         bool keepdim, EmitErrorFn emitError,
                                         bool singleAxis = false);
/// The type of an op along one `axis` of `input` (softmax, log_softmax).
mlir::FailureOr<mlir::Type> inferAlongAxis(mlir::Value input, int64_t axis,
                                           EmitErrorFn emitError);
/// inferConvShape for a conv op's adaptor (conv2d, qconv2d).
template <typename ConvAdaptor>
mlir::FailureOr<llvm::SmallVector<int64_t, 4>>
inferConvShapeOf(ConvAdaptor op, EmitErrorFn emitError) {
  return inferConvShape(op.getInput(), op.getWeight(), op.getBias(),
                        static_cast<int64_t>(op.getGroups()), op.getStride(),
                        op.getPadding(), op.getDilation(), emitError);
}
} // namespace detail

} // namespace cnnc::cnn

#endif // CNNC_LIB_DIALECT_CNN_INFERSUPPORT_H
