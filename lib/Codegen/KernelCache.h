//===- KernelCache.h - Compiling a model's kernels, cached, in parallel -*- C++
//-*-===//
//
// Private to lib/Codegen. Each distinct kernel becomes an object file:
// taken from the compile cache when a valid entry exists, otherwise
// compiled (in worker processes, all cores) and stored.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_KERNELCACHE_H
#define CNNC_LIB_CODEGEN_KERNELCACHE_H

#include "Build.h"
#include "Scratch.h"

#include <string>
#include <vector>

namespace cnnc::codegen {

/// Writes `data` to `path`, or says why it could not.
llvm::Error writeFile(llvm::StringRef path, llvm::StringRef data);

/// Object files for every kernel of `b` (in Built::kernels order) and, last,
/// Halide's runtime for the target, all in `scratch`.
llvm::Expected<std::vector<std::string>>
kernelObjects(const Built &b, const CompileOptions &options, Scratch &scratch);

/// The cache directory `options` names: --cache-dir, else
/// $XDG_CACHE_HOME/cnnc, else ~/.cache/cnnc.
std::string cacheDirectory(const CompileOptions &options);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_KERNELCACHE_H
