//===- CompileFlags.h - Command-line flags of tools that compile -*- C++
//-*-===//
//
// cnnc and cnn-run both compile models: they share the flags for the
// target, the compile cache, worker processes and progress.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_COMMON_COMPILEFLAGS_H
#define CNNC_TOOLS_COMMON_COMPILEFLAGS_H

#include "cnnc/Codegen/Codegen.h"
#include "llvm/Support/CommandLine.h"

namespace cnnc {

/// The category the flags are listed under in --help.
llvm::cl::OptionCategory &compileFlagsCategory();

/// Compile options from the flags: target, cache, jobs, and progress when
/// stderr is a terminal and --quiet is not given.
/// Fails on a malformed flag value.
llvm::Expected<CompileOptions> compileOptionsFromFlags();

} // namespace cnnc

#endif // CNNC_TOOLS_COMMON_COMPILEFLAGS_H
