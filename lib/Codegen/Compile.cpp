//===- Compile.cpp - Ahead-of-time compilation of models ------------------===//
//
// Each distinct kernel is an object (KernelCache.h), Halide's runtime
// another; a C wrapper runs the stages in order over the arena and adds
// the plain `<name>_run(const float *, float *)` entry, the weights are
// assembled as data, and the target's tools (Toolchain.h) join or link the
// pieces into the object, library or shared library asked for. Outputs appear
// whole or not at all: everything is written to temporary files first.
//
//===----------------------------------------------------------------------===//

#include "Artifacts.h"
#include "Build.h"
#include "KernelCache.h"
#include "MemoryPlan.h"
#include "Toolchain.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

/// Moves `from` to `to` by a rename, so that `to` appears whole or not at
/// all, even when cnnc is killed. Across file systems the copy goes to a
/// temporary file beside `to` first.
llvm::Error publish(llvm::StringRef from, llvm::StringRef to) {
  if (!llvm::sys::fs::rename(from, to))
    return llvm::Error::success();
  llvm::SmallString<128> beside;
  int fd = -1;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(to + ".partial-%%%%%%", fd, beside))
    return failure("cannot write " + to + ": " + ec.message());
  llvm::sys::fs::closeFile(fd);
  llvm::sys::RemoveFileOnSignal(beside);
  std::error_code ec = llvm::sys::fs::copy_file(from, beside);
  if (!ec)
    ec = llvm::sys::fs::rename(beside, to);
  llvm::sys::DontRemoveFileOnSignal(beside);
  if (ec) {
    llvm::sys::fs::remove(beside);
    return failure("cannot write " + to + ": " + ec.message());
  }
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
                                 html ? Halide::HTML : Halide::Text,
                                 b.stageTarget(k.stage));
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

    // Checked first: a target that cannot be finished here fails before
    // its kernels are compiled.
    llvm::Expected<Toolchain> chain = Toolchain::forTarget(b.target);
    if (!chain)
      return chain.takeError();
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
    if (llvm::Error e =
            chain->compileC(*wrapperSource, *wrapperObject, scratch))
      return e;
    // The weights: written once, embedded by the assembler.
    if (llvm::Error e = writeWeights(b.model, *weightsBinary))
      return e;
    if (llvm::Error e =
            writeFile(*weightsSource, weightsAssembly(b.name, *weightsBinary)))
      return e;
    if (llvm::Error e = chain->assemble(*weightsSource, *weightsObject))
      return e;
    // One relocatable object whose kernels are private to it: two models
    // linked into one program may share kernel names.
    std::vector<std::string> pieces = *kernels;
    pieces.insert(pieces.end(), {*wrapperObject, *weightsObject});
    if (llvm::Error e = chain->joinObjects(pieces, *merged, "cnnc_k_*"))
      return e;

    switch (options.emit) {
    case EmitKind::Object:
      if (llvm::Error e = publish(*merged, *result))
        return e;
      break;
    case EmitKind::StaticLibrary:
      if (llvm::Error e = writeStaticLibrary(*merged, *result))
        return e;
      break;
    case EmitKind::SharedLibrary:
      if (llvm::Error e = chain->linkShared(*merged, *result))
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
