//===- Artifacts.h - What cnnc writes besides the kernels -------*- C++ -*-===//
//
// The C header, the C wrapper (tables, runtime, stage sequence)
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
/// The C wrapper around the kernels: the model's tables, the runtime every
/// model carries (runtime/cnnc_model_runtime.c) and the stage sequence;
/// with `exportMetadata`, `cnnc_model_info()` too.
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
