//===- Artifacts.h - What cnnc writes besides the kernels -------*- C++ -*-===//
//
// The C header, the C wrapper (plain entry, metadata, weights binding)
// and the weights as embedded data.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_ARTIFACTS_H
#define CNNC_LIB_CODEGEN_ARTIFACTS_H

#include "Build.h"

#include <string>

namespace cnnc::codegen {

/// The header that declares the model's entry points and shapes.
std::string headerText(const Built &b, const CompileOptions &options);
/// The C wrapper around the Halide entry: binds the embedded weights and
/// adds `<name>_run`; with `exportMetadata`, `cnnc_model_metadata()` too.
std::string wrapperText(const Built &b, bool exportMetadata);
/// One line per stage: layer, ops, output shape (`1x64x56x56`) and MACs,
/// tab-separated.
std::string stageTable(const Built &b);
/// Writes the weights, in order and aligned, as one binary file.
llvm::Error writeWeights(const LoweredModel &m, llvm::StringRef path);
/// Assembly that embeds the weights file as read-only data.
std::string weightsAssembly(const std::string &name, llvm::StringRef binary);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_ARTIFACTS_H
