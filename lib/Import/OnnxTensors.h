//===- OnnxTensors.h - Reading an ONNX file and its tensors -----*- C++ -*-===//
//
// Private to lib/Import. The model is parsed with Debian's libonnx
// (protobuf); tensors are read from raw_data, the typed fields or external
// data files beside the model, with every size checked against the shape.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_IMPORT_ONNXTENSORS_H
#define CNNC_LIB_IMPORT_ONNXTENSORS_H

#include "onnx/onnx_pb.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cnnc::onnximport {

inline llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A constant tensor on the host: f32 data, or integers held as i64
/// (shapes, axes; a QDQ model's int8, uint8 and int32 tensors).
struct HostTensor {
  std::vector<int64_t> shape;
  bool isInt = false;
  /// The ONNX data type it was read as (onnx::TensorProto::DataType), or 0
  /// for one computed here. A QDQ zero point's type says u8 or s8.
  int dataType = 0;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  int64_t elements() const {
    return isInt ? static_cast<int64_t>(ints.size())
                 : static_cast<int64_t>(floats.size());
  }
};

/// Parses the model file at `path`, or says why it is not an ONNX model.
llvm::Error readModel(llvm::StringRef path, onnx::ModelProto &model);

/// The values of `tensor` (f32, or i64 / i32 / i8 / u8 as i64); external
/// data is read
/// relative to `modelDir`. Errors name the tensor.
llvm::Expected<HostTensor> readTensor(const onnx::TensorProto &tensor,
                                      llvm::StringRef modelDir);

// Data movement on host tensors (OnnxHostTensors.cpp): the constants
// exporters build in the graph (a detector's grid from arange, Expand,
// Unsqueeze, Concat, Cast). Results are limited to kMaxHostElements, so
// a model file cannot make the importer allocate without bound.
constexpr int64_t kMaxHostElements = int64_t(1) << 24;

/// `t` broadcast with `shape` NumPy-style (ONNX Expand).
llvm::Expected<HostTensor> expandHost(const HostTensor &t,
                                      llvm::ArrayRef<int64_t> shape);
/// `parts` joined along `axis` (in range; shapes checked).
llvm::Expected<HostTensor> concatHost(llvm::ArrayRef<const HostTensor *> parts,
                                      int64_t axis);
/// ONNX Range of three scalars (all integers, or all f32).
llvm::Expected<HostTensor> rangeHost(const HostTensor &start,
                                     const HostTensor &limit,
                                     const HostTensor &delta);
/// `t` with its dimensions permuted (ONNX Transpose).
llvm::Expected<HostTensor> transposeHost(const HostTensor &t,
                                         llvm::ArrayRef<int64_t> perm);
/// ONNX Slice of `t` (starts, ends, optional axes and steps, any sign).
llvm::Expected<HostTensor> sliceHost(const HostTensor &t,
                                     llvm::ArrayRef<int64_t> starts,
                                     llvm::ArrayRef<int64_t> ends,
                                     llvm::ArrayRef<int64_t> axes,
                                     llvm::ArrayRef<int64_t> steps);
/// `t` as f32 (`toFloat`) or integers (truncated toward zero).
llvm::Expected<HostTensor> castHost(const HostTensor &t, bool toFloat);

} // namespace cnnc::onnximport

#endif // CNNC_LIB_IMPORT_ONNXTENSORS_H
