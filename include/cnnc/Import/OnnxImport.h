//===- OnnxImport.h - ONNX models into the cnn dialect ----------*- C++ -*-===//
//
// What PyTorch's torch.onnx.export writes, translated into the cnn
// dialect: initializers become bound constants, so the model compiles with
// no weights file. Every unsupported op is reported at once, before any
// translation, with its node name and the model's opset.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_IMPORT_ONNXIMPORT_H
#define CNNC_IMPORT_ONNXIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <vector>

namespace cnnc {

struct OnnxImportOptions {
  /// Pins the graph input's shape (dynamic dimensions such as a symbolic
  /// batch); empty: the shape the file gives, which must then be static.
  std::vector<int64_t> inputShape;
};

/// `--input-shape`'s text, `1x3x224x224`: positive dimensions up to 2^20.
llvm::Expected<std::vector<int64_t>> parseInputShape(llvm::StringRef text);

/// Whether `path` names an ONNX model (by its extension).
bool isOnnxFile(llvm::StringRef path);

/// Translates the ONNX model at `path` into a module holding one func.func,
/// named after the file, taking the graph's input and returning its
/// output. Errors name the file and the node.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnx(mlir::MLIRContext &context, llvm::StringRef path,
           const OnnxImportOptions &options = {});

/// Prints the ONNX op types CNNC translates, as a Markdown table: each
/// op's opsets and what it becomes (`cnn-import --list-ops`,
/// docs/onnx-ops.md).
void printSupportedOnnxOps(llvm::raw_ostream &os);

} // namespace cnnc

#endif // CNNC_IMPORT_ONNXIMPORT_H
