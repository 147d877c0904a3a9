//===- Interpreter.h - The reference interpreter ----------------*- C++ -*-===//
//
// A plain, obviously correct implementation of every cnn op on NCHW f32
// data: loops written for clarity, double accumulation, threads only across
// independent output channels. It is the oracle every numerical test
// compares against.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_REFERENCE_INTERPRETER_H
#define CNNC_REFERENCE_INTERPRETER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace mlir {
class Operation;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace cnnc::reference {

/// A dense row-major f32 tensor that owns its data or views a constant.
class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor of `shape`.
  explicit Tensor(std::vector<int64_t> shape);
  Tensor(std::vector<int64_t> shape, std::vector<float> data);
  /// A read-only view of `data`, which must outlive the tensor.
  static Tensor view(std::vector<int64_t> shape, const float *data);

  const std::vector<int64_t> &shape() const { return dims; }
  int64_t dim(size_t i) const { return dims[i]; }
  int64_t size() const;
  const float *data() const { return viewed ? viewed : owned.data(); }
  /// Only for owning tensors.
  float *data() { return owned.data(); }
  llvm::ArrayRef<float> values() const { return {data(), size_t(size())}; }

private:
  std::vector<int64_t> dims;
  std::vector<float> owned;
  const float *viewed = nullptr;
};

/// Called with each op and its result once the op has run (calibration
/// collects activation ranges so).
using Observer = std::function<void(mlir::Operation *op, const Tensor &result)>;

struct Options {
  /// Worker threads for the heavy ops (conv, linear); 0 picks the core count.
  unsigned threads = 0;
  Observer observe;
};

/// Runs `func` on `inputs`. The function's weights must be bound
/// (cnn.constant). An unbound weight, an input whose shape differs from the
/// signature, or an unknown op is an error naming it.
llvm::Expected<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                        llvm::ArrayRef<Tensor> inputs,
                                        const Options &options = {});

} // namespace cnnc::reference

#endif // CNNC_REFERENCE_INTERPRETER_H
