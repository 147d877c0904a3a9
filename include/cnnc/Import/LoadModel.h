//===- LoadModel.h - A model file parsed, its weights bound ----*- C++ -*-===//
//
// What cnnc and cnn-run do first: open and parse MODEL.mlir (or import
// MODEL.onnx), bind its weights from a safetensors file or a seed, and find
// the model function.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_IMPORT_LOADMODEL_H
#define CNNC_IMPORT_LOADMODEL_H

#include "cnnc/Weights/SafeTensors.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>

namespace cnnc {

/// What to load: the model file, where its weights come from and which
/// function is the model (the tools' shared flags, ModelFlags.h).
struct ModelSource {
  std::string path;
  /// A safetensors file, or a seed for random weights (>= 0); a model
  /// whose weights are bound (an ONNX file, cnn-import's output) needs
  /// neither.
  std::string weightsFile;
  int64_t randomSeed = -1;
  /// For an ONNX model, `--input-shape`'s text (`1x3x512x512`): pins the
  /// input's shape, dynamic batch, height and width included.
  std::string inputShape;
  /// The model function's name; empty: the first function with a body.
  std::string function;
  /// List the weights file's tensors the model does not use.
  bool verbose = false;
};

/// A parsed, bound model.
struct LoadedModel {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp func;
  /// Keeps the mapped weights file alive while the module refers to it.
  std::unique_ptr<SafeTensorsFile> weights;
};

/// An error that was already reported as a diagnostic (file:line:col) to
/// the handler the caller installed on the SourceMgr: callers print
/// nothing more for it.
class ReportedError : public llvm::ErrorInfo<ReportedError> {
public:
  static char ID;
  void log(llvm::raw_ostream &os) const override {
    os << "reported as a diagnostic";
  }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }
};

/// Parses `source.path` (cnn dialect text, or an ONNX model, which carries
/// its weights) into `sourceMgr`, binds its weights and finds its function.
/// Errors name the file (and the weight, node or flag); those in the model
/// text are ReportedError.
llvm::Expected<LoadedModel> loadModel(mlir::MLIRContext &context,
                                      llvm::SourceMgr &sourceMgr,
                                      const ModelSource &source);

/// The function named `name`, or the first one with a body if `name` is
/// empty; null if there is none.
mlir::func::FuncOp findModelFunction(mlir::ModuleOp module,
                                     llvm::StringRef name);

} // namespace cnnc

#endif // CNNC_IMPORT_LOADMODEL_H
