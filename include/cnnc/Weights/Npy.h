//===- Npy.h - NumPy .npy files of f32 in C order ---------------*- C++ -*-===//

#ifndef CNNC_WEIGHTS_NPY_H
#define CNNC_WEIGHTS_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace cnnc {

struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Reads a version 1-3 .npy file holding little-endian f32 ('<f4') in C
/// order; anything else is an error naming what the file holds.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Writes an f32 C-order .npy file. The file appears whole or not at all
/// (it is written to a temporary file and renamed).
llvm::Error writeNpy(llvm::StringRef path, llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<float> data);

} // namespace cnnc

#endif // CNNC_WEIGHTS_NPY_H
