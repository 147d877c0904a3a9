//===- LoadModel.h - Parsing a model file and binding its weights -*- C++
//-*-===//
//
// What cnnc and cnn-run do first: open and parse MODEL.mlir, then bind its
// weights from a safetensors file or a seed.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_IMPORT_LOADMODEL_H
#define CNNC_IMPORT_LOADMODEL_H

#include "cnnc/Weights/SafeTensors.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>

namespace cnnc {

/// Parses `path` (cnn dialect text, or an ONNX model, which carries its
/// weights) into `sourceMgr` and binds its weights from `weightsFile` or
/// `randomSeed` (>= 0); a model whose weights are bound needs neither. On
/// failure returns null: with `error` set for a problem that has no place in
/// the model file (an unreadable file, a bad weights file), or with `error`
/// empty when the problem was reported as a diagnostic (file:line:col) to the
/// handler the caller installed on `sourceMgr`. `weights` keeps the mapped file
/// alive.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(mlir::MLIRContext &context, llvm::SourceMgr &sourceMgr,
          llvm::StringRef path, llvm::StringRef weightsFile, int64_t randomSeed,
          bool verbose, std::unique_ptr<SafeTensorsFile> &weights,
          std::string &error);

/// The function named `name`, or the first one with a body if `name` is
/// empty; null if there is none.
mlir::func::FuncOp findModelFunction(mlir::ModuleOp module,
                                     llvm::StringRef name);

} // namespace cnnc

#endif // CNNC_IMPORT_LOADMODEL_H
