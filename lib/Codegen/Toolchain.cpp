//===- Toolchain.cpp - Compiling and joining an output's pieces -----------===//

#include "Toolchain.h"
#include "Build.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <cstdlib>

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

/// The first of `names` on PATH (LLVM's tools may carry a version suffix).
llvm::Expected<std::string> findTool(std::vector<std::string> names,
                                     llvm::StringRef purpose) {
  for (const std::string &name : names)
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name))
      return *path;
  return failure("cannot find '" + names.front() + "' on PATH (needed to " +
                 purpose + ")");
}

/// `name`, then `name-22` down to `name-14`: Debian installs LLVM's tools
/// under versioned names, with the unversioned one for the default.
std::vector<std::string> llvmToolNames(llvm::StringRef name) {
  std::vector<std::string> names = {name.str()};
  for (int version = 22; version >= 14; --version)
    names.push_back(name.str() + "-" + std::to_string(version));
  return names;
}

llvm::Error run(const std::vector<std::string> &names, llvm::StringRef purpose,
                const std::vector<std::string> &args) {
  llvm::Expected<std::string> program = findTool(names, purpose);
  if (!program)
    return program.takeError();
  std::vector<llvm::StringRef> argv = {*program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, argv, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return failure("'" + llvm::sys::path::filename(*program) +
                   "' failed (exit " + llvm::Twine(rc) + ")" +
                   (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

/// This machine's C compiler: $CNNC_CC, else `cc`.
std::string hostCompiler() {
  const char *cc = std::getenv("CNNC_CC");
  return cc && *cc ? cc : "cc";
}

/// `args` after the flags in $CNNC_CFLAGS (space-separated): how the
/// sanitizer build compiles the wrappers with ASan and UBSan too.
std::vector<std::string> withHostFlags(std::vector<std::string> args) {
  llvm::SmallVector<llvm::StringRef> flags;
  if (const char *env = std::getenv("CNNC_CFLAGS"))
    llvm::StringRef(env).split(flags, ' ', -1, /*KeepEmpty=*/false);
  std::vector<std::string> all(flags.begin(), flags.end());
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

/// How a foreign ELF target (Linux or Android) is named: its LLVM triple
/// for clang, and the prefix of its GNU tools (`aarch64-linux-gnu`, which
/// Debian's cross compilers carry). Both empty for other targets.
struct ElfNames {
  std::string triple, toolPrefix;
};

ElfNames elfNames(const Halide::Target &t) {
  std::string llvmArch, gnuArch;
  if (t.arch == Halide::Target::X86)
    llvmArch = gnuArch = t.bits == 64 ? "x86_64" : "i686";
  else if (t.arch == Halide::Target::ARM && t.bits == 64)
    llvmArch = gnuArch = "aarch64";
  else if (t.arch == Halide::Target::ARM)
    llvmArch = "armv7a", gnuArch = "arm";
  else if (t.arch == Halide::Target::RISCV && t.bits == 64)
    llvmArch = gnuArch = "riscv64";
  const bool arm32 = gnuArch == "arm";
  std::string system;
  if (t.os == Halide::Target::Linux)
    system = arm32 ? "-linux-gnueabihf" : "-linux-gnu";
  else if (t.os == Halide::Target::Android)
    system = arm32 ? "-linux-androideabi" : "-linux-android";
  if (llvmArch.empty() || system.empty())
    return {};
  return {llvmArch + system, gnuArch + system};
}

} // namespace

llvm::Expected<Toolchain> Toolchain::forTarget(const Halide::Target &target) {
  Toolchain chain;
  chain.target = target.to_string();
  Halide::Target host = Halide::get_host_target();
  if (target.arch == host.arch && target.bits == host.bits &&
      target.os == host.os)
    return chain;
  ElfNames names = elfNames(target);
  chain.triple = names.triple;
  chain.android = target.os == Halide::Target::Android;
  chain.linker = names.toolPrefix + (chain.android ? "-clang" : "-gcc");
  if (chain.triple.empty())
    return failure("cannot cross-compile for '" + chain.target +
                   "': cnnc writes objects for other Linux and Android "
                   "targets (x86, ARM, RISC-V) only; compile on that system "
                   "instead");
  return chain;
}

llvm::Error Toolchain::compileC(llvm::StringRef source, llvm::StringRef object,
                                Scratch &scratch) const {
  if (!crossCompiling())
    return run({hostCompiler()}, "compile the model's C wrapper",
               withHostFlags({"-c", "-O2", "-std=gnu11", "-fPIC",
                              "-I" CNNC_HALIDE_INCLUDE_DIR, "-o", object.str(),
                              source.str()}));
  // No target C library is installed: the wrapper needs none, but
  // HalideRuntime.h includes <string.h>, so a declaration of what it may
  // use stands in for it.
  llvm::Expected<std::string> shims = scratch.makeDirectory("include");
  if (!shims)
    return shims.takeError();
  llvm::SmallString<128> stringHeader(*shims);
  llvm::sys::path::append(stringHeader, "string.h");
  if (llvm::Error e = writeFile(stringHeader,
                                "#include <stddef.h>\n"
                                "void *memcpy(void *, const void *, size_t);\n"
                                "void *memset(void *, int, size_t);\n"))
    return e;
  return run(llvmToolNames("clang"),
             "compile the model's C wrapper for " + triple,
             {"--target=" + triple, "-c", "-O2", "-std=gnu11", "-fPIC",
              "-ffreestanding", "-nostdlibinc", "-I" + *shims,
              "-I" CNNC_HALIDE_INCLUDE_DIR, "-o", object.str(), source.str()});
}

llvm::Error Toolchain::assemble(llvm::StringRef source,
                                llvm::StringRef object) const {
  if (!crossCompiling())
    return run({hostCompiler()}, "assemble the weights",
               {"-c", "-x", "assembler", "-o", object.str(), source.str()});
  return run(llvmToolNames("clang"), "assemble the weights for " + triple,
             {"--target=" + triple, "-c", "-x", "assembler", "-o", object.str(),
              source.str()});
}

llvm::Error Toolchain::joinObjects(const std::vector<std::string> &objects,
                                   llvm::StringRef output,
                                   llvm::StringRef localPattern) const {
  std::vector<std::string> link = {"-r", "-o", output.str()};
  link.insert(link.end(), objects.begin(), objects.end());
  const std::string localize = "--localize-symbol=" + localPattern.str();
  if (!crossCompiling()) {
    if (llvm::Error e = run({"ld"}, "join the objects", link))
      return e;
    return run({"objcopy"}, "join the objects",
               {"--wildcard", localize, output.str()});
  }
  if (llvm::Error e =
          run(llvmToolNames("ld.lld"), "join the objects for " + triple, link))
    return e;
  return run(llvmToolNames("llvm-objcopy"), "join the objects for " + triple,
             {"--wildcard", localize, output.str()});
}

llvm::Error Toolchain::linkShared(llvm::StringRef object,
                                  llvm::StringRef output) const {
  std::vector<std::string> args = {
      "-shared", "-o", output.str(), object.str(), "-lpthread", "-ldl", "-lm"};
  if (!crossCompiling())
    return run({hostCompiler()}, "link the shared library",
               withHostFlags(args));
  // A shared library links against the target's C library: that needs the
  // target's own toolchain.
  if (llvm::sys::findProgramByName(linker))
    return run({linker}, "link the shared library", args);
  return failure(
      "a shared library for '" + target + "' needs the target's linker '" +
      linker + "', which is not on PATH (" +
      (android ? "it comes with the Android NDK"
               : "Debian packages it as gcc-" +
                     llvm::StringRef(linker).drop_back(4).str()) +
      "); an object or static library needs none and links on the target");
}

llvm::Error codegen::writeStaticLibrary(llvm::StringRef object,
                                        llvm::StringRef output) {
  llvm::Expected<llvm::NewArchiveMember> member =
      llvm::NewArchiveMember::getFile(object, /*Deterministic=*/true);
  if (!member)
    return member.takeError();
  llvm::SmallString<64> name(llvm::sys::path::filename(output));
  llvm::sys::path::replace_extension(name, "o");
  member->MemberName = name;
  return llvm::writeArchive(output, {std::move(*member)},
                            llvm::SymtabWritingMode::NormalSymtab,
                            llvm::object::Archive::K_GNU,
                            /*Deterministic=*/true, /*Thin=*/false);
}
