//===- Compile.cpp - Ahead-of-time compilation of models ------------------===//
//
// Halide writes an object with its runtime inside; a small C wrapper adds
// the plain `<name>_run(const float *, float *)` entry, the weights are
// assembled as data, and the system's tools merge or link the pieces into
// the object, library or shared library asked for. Outputs appear whole or
// not at all: everything is written to temporary files first.
//
//===----------------------------------------------------------------------===//

#include "Artifacts.h"
#include "Build.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

/// Temporary files removed when this goes out of scope.
struct Scratch {
  std::vector<std::string> paths;
  ~Scratch() {
    for (const std::string &p : paths)
      llvm::sys::fs::remove(p);
  }
  llvm::Expected<std::string> make(llvm::StringRef suffix) {
    llvm::SmallString<128> path;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("cnnc", suffix, path))
      return failure("cannot create a temporary file: " + ec.message());
    paths.push_back(std::string(path));
    return std::string(path);
  }
};

llvm::Error writeFile(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return failure("cannot write " + path + ": " + ec.message());
  os << text;
  return llvm::Error::success();
}

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

llvm::Error cnnc::compileModel(mlir::func::FuncOp func,
                               const CompileOptions &options,
                               llvm::StringRef outputPath) {
  return guarded([&]() -> llvm::Error {
    llvm::Expected<Built> built = build(func, options);
    if (!built)
      return built.takeError();
    std::vector<Halide::Argument> args = {built->model.input};
    for (const auto &w : built->model.weights)
      args.push_back(w.first);
    Scratch scratch;

    if (options.emit == EmitKind::Schedule) {
      std::string text =
          "target " + built->target.to_string() + " (" +
          std::to_string(built->target.natural_vector_size<float>()) +
          " floats per vector)\n" + describeSchedule(built->model.stages);
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
      built->pipeline.compile_to_lowered_stmt(
          *tmp, args,
          options.emit == EmitKind::Html ? Halide::HTML : Halide::Text,
          built->target);
      return publish(*tmp, outputPath);
    }

    llvm::Expected<std::string> halideObject = scratch.make("o");
    llvm::Expected<std::string> wrapperSource = scratch.make("c");
    llvm::Expected<std::string> wrapperObject = scratch.make("o");
    llvm::Expected<std::string> result = scratch.make("out");
    llvm::Expected<std::string> weightsBinary = scratch.make("bin");
    llvm::Expected<std::string> weightsSource = scratch.make("s");
    llvm::Expected<std::string> weightsObject = scratch.make("o");
    for (auto *e : {&halideObject, &wrapperSource, &wrapperObject, &result,
                    &weightsBinary, &weightsSource, &weightsObject})
      if (!*e)
        return e->takeError();
    built->pipeline.compile_to_object(*halideObject, args,
                                      built->name + "_impl", built->target);
    if (llvm::Error e = writeFile(
            *wrapperSource,
            wrapperText(*built, options.emit == EmitKind::SharedLibrary)))
      return e;
    if (llvm::Error e =
            runTool("cc", {"-c", "-O2", "-fPIC", "-I" CNNC_HALIDE_INCLUDE_DIR,
                           "-o", *wrapperObject, *wrapperSource}))
      return e;
    // The weights: written once, embedded by the assembler.
    if (llvm::Error e = writeWeights(built->model, *weightsBinary))
      return e;
    if (llvm::Error e = writeFile(*weightsSource,
                                  weightsAssembly(built->name, *weightsBinary)))
      return e;
    if (llvm::Error e = runTool("cc", {"-c", "-x", "assembler", "-o",
                                       *weightsObject, *weightsSource}))
      return e;

    switch (options.emit) {
    case EmitKind::Object:
      if (llvm::Error e = runTool("ld", {"-r", "-o", *result, *halideObject,
                                         *wrapperObject, *weightsObject}))
        return e;
      break;
    case EmitKind::StaticLibrary: {
      llvm::Expected<std::string> merged = scratch.make("o");
      if (!merged)
        return merged.takeError();
      llvm::sys::fs::remove(*result);
      if (llvm::Error e = runTool("ld", {"-r", "-o", *merged, *halideObject,
                                         *wrapperObject, *weightsObject}))
        return e;
      if (llvm::Error e = runTool("ar", {"rcs", *result, *merged}))
        return e;
      break;
    }
    case EmitKind::SharedLibrary:
      if (llvm::Error e = runTool(
              "cc", {"-shared", "-o", *result, *halideObject, *wrapperObject,
                     *weightsObject, "-lpthread", "-ldl", "-lm"}))
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
    if (llvm::Error e = writeFile(*header, headerText(*built, options)))
      return e;
    if (llvm::Error e = publish(*result, outputPath))
      return e;
    return publish(*header, headerPath);
  });
}
