//===- ModelFlags.h - The flags every tool that loads a model shares -*- C++
//-*-===//
//
// One spelling for each: the model file, --weights, --random-weights,
// --input-shape, --function and -O, read into a ModelSource for loadModel
// (LoadModel.h).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_COMMON_MODELFLAGS_H
#define CNNC_TOOLS_COMMON_MODELFLAGS_H

#include "cnnc/Import/LoadModel.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

namespace cnnc {

/// The category the flags are listed under in --help.
llvm::cl::OptionCategory &modelFlagsCategory();

/// The model file, its weights and function from the flags.
ModelSource modelSourceFromFlags(bool verbose);

/// -O's level, or `byDefault` where none was given; fails above -O2.
llvm::Expected<unsigned> optLevelFromFlags(unsigned byDefault);

/// Prints `error` as `tool: error: ...`, unless it was reported already as
/// a diagnostic; returns 1, the exit code.
int reportError(llvm::StringRef tool, llvm::Error error);

} // namespace cnnc

#endif // CNNC_TOOLS_COMMON_MODELFLAGS_H
