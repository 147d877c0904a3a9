//===- BindWeights.h - Replacing cnn.weight with constants ------*- C++ -*-===//
//
// Binding turns every `cnn.weight "name"` into a `cnn.constant` backed by a
// DenseResourceElementsAttr (a blob: printed IR does not inline the data
// unless asked). F32 tensors from a safetensors file are used in place from
// the mapped file; other dtypes are converted once.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_WEIGHTS_BINDWEIGHTS_H
#define CNNC_WEIGHTS_BINDWEIGHTS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace cnnc {

class SafeTensorsFile;

/// Binds every weight of `module` from `file`. A missing tensor (named, with
/// the op that wants it) or a wrong shape (both shapes) is an error on the
/// weight op. With `verbose`, tensors of the file that the model does not
/// use are listed as remarks.
mlir::LogicalResult bindWeights(mlir::ModuleOp module,
                                const SafeTensorsFile &file, bool verbose);

/// Turns the bound constants of `module` that `file` names (by their blob
/// names, as `cnn-import` prints them) back into weights and binds those
/// from `file`: an imported ONNX model's initializers overridden by a
/// checkpoint. A tensor of `file` that names no constant is an error that
/// lists it, as are the shape and dtype errors of bindWeights.
mlir::LogicalResult overrideWeights(mlir::ModuleOp module,
                                    const SafeTensorsFile &file, bool verbose);

/// Binds deterministic random weights: the same for a given seed and name
/// on every machine. Conv and linear weights are uniform with variance
/// 1 / fan_in; BatchNorm variances and norm scales lie in [0.5, 1.5];
/// means, shifts and biases in [-0.1, 0.1].
void bindRandomWeights(mlir::ModuleOp module, uint64_t seed);

} // namespace cnnc

#endif // CNNC_WEIGHTS_BINDWEIGHTS_H
