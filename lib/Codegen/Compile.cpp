//===- Compile.cpp - Ahead-of-time compilation of models ------------------===//
//
// Each distinct kernel is an object (KernelCache.h), Halide's runtime
// another; a C wrapper runs the stages in order over the arena and adds
// the plain `<name>_run(const float *, float *)` entry, the weights are
// assembled as data, and the system's tools merge or link the pieces into
// the object, library or shared library asked for. Outputs appear whole or
// not at all: everything is written to temporary files first.
//
//===----------------------------------------------------------------------===//

#include "Artifacts.h"
#include "Build.h"
#include "KernelCache.h"
#include "MemoryPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

llvm::Error runTool(llvm::StringRef name, std::vector<std::string> args) {
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName(name);
  if (!program)
    return failure("cannot find '" + name + "' on PATH (needed to " +
                   "finish the output)");
  std::vector<llvm::StringRef> argv = {*program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, argv, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return failure("'" + name + "' failed (exit " + llvm::Twine(rc) + ")" +
                   (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

/// Moves `from` to `to` (same file system or not).
llvm::Error publish(llvm::StringRef from, llvm::StringRef to) {
  if (!llvm::sys::fs::rename(from, to))
    return llvm::Error::success();
  if (std::error_code ec = llvm::sys::fs::copy_file(from, to))
    return failure("cannot write " + to + ": " + ec.message());
  return llvm::Error::success();
}

} // namespace

/// The lowered statements of every kernel, one after another.
static llvm::Error writeStatements(const Built &b, bool html,
                                   llvm::StringRef path, Scratch &scratch) {
  std::string text;
  for (const Kernel &k : b.kernels) {
    llvm::Expected<std::string> tmp = scratch.make(html ? "html" : "stmt");
    if (!tmp)
      return tmp.takeError();
    Halide::Pipeline(b.model.stages[k.stage].output)
        .compile_to_lowered_stmt(*tmp, b.arguments(k.stage),
                                 html ? Halide::HTML : Halide::Text, b.target);
    auto buffer = llvm::MemoryBuffer::getFile(*tmp);
    if (!buffer)
      return failure("cannot read " + *tmp);
    text += (*buffer)->getBuffer();
  }
  return writeFile(path, text);
}

static void printSummary(const Built &b) {
  llvm::errs() << "cnnc: " << b.model.stages.size() << " stages, "
               << b.kernels.size() << " distinct kernels; activations: arena "
               << b.arenaBytes << " bytes, peak live " << peakLiveBytes(b.model)
               << " bytes\n";
}

llvm::Error codegen::emitBuilt(const Built &b, const CompileOptions &options,
                               llvm::StringRef outputPath) {
  return guarded([&]() -> llvm::Error {
    if (options.verbose)
      printSummary(b);
    Scratch scratch;
    if (options.emit == EmitKind::Schedule) {
      std::string text = describeBuilt(b);
      if (outputPath == "-") {
        llvm::outs() << text;
        return llvm::Error::success();
      }
      llvm::Expected<std::string> tmp = scratch.make("txt");
      if (!tmp)
        return tmp.takeError();
      if (llvm::Error e = writeFile(*tmp, text))
        return e;
      return publish(*tmp, outputPath);
    }
    if (options.emit == EmitKind::Stmt || options.emit == EmitKind::Html) {
      llvm::Expected<std::string> tmp = scratch.make("stmt");
      if (!tmp)
        return tmp.takeError();
      if (llvm::Error e =
              writeStatements(b, options.emit == EmitKind::Html, *tmp, scratch))
        return e;
      return publish(*tmp, outputPath);
    }

    llvm::Expected<std::vector<std::string>> kernels =
        kernelObjects(b, options, scratch);
    if (!kernels)
      return kernels.takeError();
    llvm::Expected<std::string> wrapperSource = scratch.make("c");
    llvm::Expected<std::string> wrapperObject = scratch.make("o");
    llvm::Expected<std::string> merged = scratch.make("o");
    llvm::Expected<std::string> result = scratch.make("out");
    llvm::Expected<std::string> weightsBinary = scratch.make("bin");
    llvm::Expected<std::string> weightsSource = scratch.make("s");
    llvm::Expected<std::string> weightsObject = scratch.make("o");
    for (auto *e : {&wrapperSource, &wrapperObject, &merged, &result,
                    &weightsBinary, &weightsSource, &weightsObject})
      if (!*e)
        return e->takeError();
    if (llvm::Error e =
            writeFile(*wrapperSource,
                      wrapperText(b, options.emit == EmitKind::SharedLibrary)))
      return e;
    if (llvm::Error e = runTool("cc", {"-c", "-O2", "-std=gnu11", "-fPIC",
                                       "-I" CNNC_HALIDE_INCLUDE_DIR, "-o",
                                       *wrapperObject, *wrapperSource}))
      return e;
    // The weights: written once, embedded by the assembler.
    if (llvm::Error e = writeWeights(b.model, *weightsBinary))
      return e;
    if (llvm::Error e =
            writeFile(*weightsSource, weightsAssembly(b.name, *weightsBinary)))
      return e;
    if (llvm::Error e = runTool("cc", {"-c", "-x", "assembler", "-o",
                                       *weightsObject, *weightsSource}))
      return e;
    // One relocatable object whose kernels are private to it: two models
    // linked into one program may share kernel names.
    std::vector<std::string> link = {"-r", "-o", *merged};
    link.insert(link.end(), kernels->begin(), kernels->end());
    link.insert(link.end(), {*wrapperObject, *weightsObject});
    if (llvm::Error e = runTool("ld", link))
      return e;
    if (llvm::Error e = runTool(
            "objcopy", {"--wildcard", "--localize-symbol=cnnc_k_*", *merged}))
      return e;

    switch (options.emit) {
    case EmitKind::Object:
      if (llvm::Error e = publish(*merged, *result))
        return e;
      break;
    case EmitKind::StaticLibrary:
      llvm::sys::fs::remove(*result);
      if (llvm::Error e = runTool("ar", {"rcs", *result, *merged}))
        return e;
      break;
    case EmitKind::SharedLibrary:
      if (llvm::Error e = runTool("cc", {"-shared", "-o", *result, *merged,
                                         "-lpthread", "-ldl", "-lm"}))
        return e;
      break;
    default:
      break;
    }
    // The header goes beside the output: OUT.o -> OUT.h.
    llvm::SmallString<128> headerPath(outputPath);
    llvm::sys::path::replace_extension(headerPath, "h");
    llvm::Expected<std::string> header = scratch.make("h");
    if (!header)
      return header.takeError();
    if (llvm::Error e = writeFile(*header, headerText(b, options)))
      return e;
    if (llvm::Error e = publish(*result, outputPath))
      return e;
    return publish(*header, headerPath);
  });
}

llvm::Error cnnc::compileModel(mlir::func::FuncOp func,
                               const CompileOptions &options,
                               llvm::StringRef outputPath) {
  return guarded([&]() -> llvm::Error {
    llvm::Expected<Built> built = build(func, options);
    if (!built)
      return built.takeError();
    return emitBuilt(*built, options, outputPath);
  });
}
