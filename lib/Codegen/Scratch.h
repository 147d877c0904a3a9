//===- Scratch.h - A compile's private temporary directory ------*- C++ -*-===//
//
// Private to lib/Codegen. Every temporary file of a compile, and whatever
// the tools it runs (cc, ld, objcopy) leave beside their outputs, lives in
// one directory that is removed when the Scratch goes out of scope, and on
// SIGINT, SIGTERM or SIGHUP once removeScratchOnTermination() has run.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_SCRATCH_H
#define CNNC_LIB_CODEGEN_SCRATCH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace cnnc::codegen {

class Scratch {
public:
  Scratch() = default;
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  ~Scratch();

  /// The path of a new empty file `cnnc-XXXXXXXX.<suffix>` in the directory
  /// (created on first use under the system's temporary directory).
  llvm::Expected<std::string> make(llvm::StringRef suffix);
  /// The path of a new empty subdirectory `name` of the directory.
  llvm::Expected<std::string> makeDirectory(llvm::StringRef name);

private:
  llvm::Error ensureDirectory();
  std::string directory;
  int slot = -1;
};

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_SCRATCH_H
