//===- QuantizeFlags.h - --quantize and --calibration -----------*- C++ -*-===//
//
// cnnc and cnn-run optimize a model the same way: the folds, int8
// quantization where --quantize=int8 asks for it, then the fusions.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_COMMON_QUANTIZEFLAGS_H
#define CNNC_TOOLS_COMMON_QUANTIZEFLAGS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace cnnc {

/// Runs the optimization pipeline at `level` on `module`; with
/// --quantize=int8, quantizes @`functionName` from --calibration's inputs
/// between the folds and the fusions.
llvm::Error optimizeFromFlags(mlir::ModuleOp module,
                              llvm::StringRef functionName, unsigned level);

} // namespace cnnc

#endif // CNNC_TOOLS_COMMON_QUANTIZEFLAGS_H
