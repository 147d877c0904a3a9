//===- SafeTensors.h - A memory-mapped safetensors reader -------*- C++ -*-===//
//
// The format: an 8-byte little-endian header length N, N bytes of JSON
// mapping tensor names to {dtype, shape, data_offsets: [begin, end]}
// (offsets relative to the end of the header), then the raw little-endian
// data. The file is memory-mapped; tensors are read in place.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_WEIGHTS_SAFETENSORS_H
#define CNNC_WEIGHTS_SAFETENSORS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cnnc {

/// Every element type the safetensors format defines. A file may hold any
/// of them (PyTorch saves BatchNorm's `num_batches_tracked` as I64); only the
/// floating-point ones can be bound to a model's weights.
enum class DType {
  Bool,
  U8,
  I8,
  F8E4M3,
  F8E5M2,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  I64,
  U64,
  F64,
};

/// Bytes per element of `dtype`.
size_t dtypeSize(DType dtype);
/// The format's name of `dtype` ("F32", "I64", ...).
llvm::StringRef dtypeName(DType dtype);
/// Whether convertToF32 takes tensors of `dtype` (F16, BF16, F32, F64).
bool isBindableFloat(DType dtype);

struct TensorInfo {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  /// The tensor's bytes inside the mapped file.
  llvm::ArrayRef<char> bytes;

  int64_t numElements() const;
};

class SafeTensorsFile {
public:
  /// Maps and validates `path`: header length, JSON, every entry's fields,
  /// dtype (any the format defines), offsets in range, not overlapping, and
  /// matching the shape (sizes computed with overflow checks).
  static llvm::Expected<std::unique_ptr<SafeTensorsFile>>
  open(llvm::StringRef path);
  /// The same for bytes already in memory (`name` is used in messages).
  static llvm::Expected<std::unique_ptr<SafeTensorsFile>>
  fromBuffer(std::shared_ptr<llvm::MemoryBuffer> buffer);

  const TensorInfo *lookup(llvm::StringRef name) const;
  const std::map<std::string, TensorInfo> &tensors() const { return entries; }
  llvm::StringRef path() const { return buffer->getBufferIdentifier(); }
  /// Keeps the mapping alive for as long as the holder needs it.
  std::shared_ptr<llvm::MemoryBuffer> mapping() const { return buffer; }

private:
  std::shared_ptr<llvm::MemoryBuffer> buffer;
  std::map<std::string, TensorInfo> entries;
};

/// Converts a tensor's elements to f32 (F16, BF16 and F64 are converted;
/// F32 is copied, which also handles unaligned data). The tensor's dtype
/// must satisfy isBindableFloat.
void convertToF32(const TensorInfo &tensor, float *out);

} // namespace cnnc

#endif // CNNC_WEIGHTS_SAFETENSORS_H
