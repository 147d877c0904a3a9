//===- Toolchain.h - Compiling and joining an output's pieces --*- C++ -*-===//
//
// Private to lib/Codegen. Halide writes the kernels and its runtime for any
// target; the C wrapper, the embedded weights and the joining of the pieces
// need tools. For this machine's own architecture and OS those are the
// system's `cc` (or $CNNC_CC, with $CNNC_CFLAGS added), `ld` and
// `objcopy`; for another (arm-64-linux on x86, say)
// they are LLVM's, which handle every ELF target without a cross toolchain:
// `clang --target=...` (freestanding, so no target C library is needed),
// `ld.lld -r` and `llvm-objcopy`. Only a shared library for another target
// needs that target's own linker (`aarch64-linux-gnu-gcc`).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_TOOLCHAIN_H
#define CNNC_LIB_CODEGEN_TOOLCHAIN_H

#include "KernelCache.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace Halide {
struct Target;
} // namespace Halide

namespace cnnc::codegen {

class Toolchain {
public:
  /// The tools for `target`, or why it cannot be finished here.
  static llvm::Expected<Toolchain> forTarget(const Halide::Target &target);

  /// Whether the target is another architecture or OS than this machine's.
  bool crossCompiling() const { return !triple.empty(); }

  /// Compiles the C file `source` (which includes only HalideRuntime.h and
  /// the compiler's freestanding headers) to `object`.
  llvm::Error compileC(llvm::StringRef source, llvm::StringRef object,
                       Scratch &scratch) const;
  /// Assembles `source` to `object`.
  llvm::Error assemble(llvm::StringRef source, llvm::StringRef object) const;
  /// Joins `objects` into one relocatable object `output`, whose symbols
  /// matching `localPattern` (a glob) are then made local to it.
  llvm::Error joinObjects(const std::vector<std::string> &objects,
                          llvm::StringRef output,
                          llvm::StringRef localPattern) const;
  /// Links `object` into the shared library `output`.
  llvm::Error linkShared(llvm::StringRef object, llvm::StringRef output) const;

private:
  /// The LLVM triple of a foreign target; empty for this machine's own.
  std::string triple;
  /// What links a shared library for a foreign target
  /// (`aarch64-linux-gnu-gcc`; the NDK's clang for Android).
  std::string linker;
  bool android = false;
  /// The target string, for messages.
  std::string target;
};

/// Writes `object` as the static library `output` (LLVM's archive writer,
/// which takes objects of any target).
llvm::Error writeStaticLibrary(llvm::StringRef object, llvm::StringRef output);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_TOOLCHAIN_H
