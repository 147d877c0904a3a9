//===- cnnc.cpp - Compile a cnn model to an object file -------------------===//
//
//   cnnc MODEL.mlir -o OUT.o (--weights=W | --random-weights=S)
//        [-O0|-O1|-O2] [--target=T] [--cache-dir=D | --no-cache] [-jN]
//        [--emit=object|static-library|shared-library|mlir|stmt|html|schedule]
//        [--function=F] [--entry-name=C] [--quiet] [--verbose]
//
//===----------------------------------------------------------------------===//

#include "CompileFlags.h"
#include "ModelFlags.h"
#include "QuantizeFlags.h"
#include "cnnc/Codegen/Codegen.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Import/LoadModel.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

static cl::OptionCategory outputCategory("Output");

static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::Required,
                                       cl::cat(outputCategory));
static cl::opt<std::string>
    entryName("entry-name",
              cl::desc("C name of the entry (default: the model function's)"),
              cl::value_desc("name"), cl::cat(outputCategory));
// The name it had before cnn-run's --function and cnnc's became one flag.
static cl::alias entryNameAlias("function-name", cl::aliasopt(entryName),
                                cl::Hidden);
static cl::opt<bool>
    verbose("verbose",
            cl::desc("Print stages, distinct kernels and activation memory"),
            cl::cat(outputCategory));
static cl::opt<bool>
    tune("tune",
         cl::desc("First measure candidate schedules of each kernel here and "
                  "keep the fastest as tuning records (see --tuning)"),
         cl::cat(cnnc::compileFlagsCategory()));
enum class Emit {
  Object,
  StaticLibrary,
  SharedLibrary,
  Mlir,
  Stmt,
  Html,
  Schedule
};
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write"), cl::init(Emit::Object),
    cl::values(
        clEnumValN(Emit::Object, "object", "an object file and a header"),
        clEnumValN(Emit::StaticLibrary, "static-library",
                   "a static library and a header"),
        clEnumValN(Emit::SharedLibrary, "shared-library",
                   "a shared library and a header"),
        clEnumValN(Emit::Mlir, "mlir",
                   "the optimized IR (weight blobs elided), each stage "
                   "with its schedule (cnn.schedule)"),
        clEnumValN(Emit::Stmt, "stmt", "Halide's lowered statement"),
        clEnumValN(Emit::Html, "html", "Halide's lowered statement as HTML"),
        clEnumValN(Emit::Schedule, "schedule",
                   "the schedule chosen for each stage, in words and "
                   "as JSON")),
    cl::cat(outputCategory));

static int fail(const Twine &message) {
  WithColor::error(errs(), "cnnc") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cnnc::removeScratchOnTermination();
  // Only CNNC's options: libLLVM's own (backends, passes) are not the
  // user's business.
  cl::HideUnrelatedOptions({&cnnc::modelFlagsCategory(),
                            &cnnc::compileFlagsCategory(), &outputCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "cnnc: compiles a cnn model to native code\n\n"
      "Writes OUT and, beside it, OUT.h (the C entry points). Examples:\n"
      "  cnnc models/resnet50.mlir --weights=resnet50.safetensors -o r50.o\n"
      "  cnnc models/mobilenet_v2.mlir --random-weights=1 -O0 -o m.o\n"
      "  cnnc models/resnet18.mlir --random-weights=1 --target=host-cuda "
      "--emit=shared-library -o r18.so\n"
      "  cnnc models/vgg16.mlir --random-weights=1 --winograd=off -o v.o\n");
  Expected<unsigned> optLevel = cnnc::optLevelFromFlags(2);
  if (!optLevel)
    return cnnc::reportError("cnnc", optLevel.takeError());

  mlir::MLIRContext context;
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  cnnc::ModelSource source = cnnc::modelSourceFromFlags(/*verbose=*/false);
  Expected<cnnc::LoadedModel> model =
      cnnc::loadModel(context, sourceMgr, source);
  if (!model)
    return cnnc::reportError("cnnc", model.takeError());
  mlir::OwningOpRef<mlir::ModuleOp> &module = model->module;
  const std::string functionName = model->func.getSymName().str();
  if (Error error = cnnc::optimizeFromFlags(*module, functionName, *optLevel))
    return cnnc::reportError("cnnc", std::move(error));
  // Found again after the passes, by name.
  mlir::func::FuncOp func = cnnc::findModelFunction(*module, functionName);

  Expected<cnnc::CompileOptions> flags = cnnc::compileOptionsFromFlags();
  if (!flags)
    return fail(toString(flags.takeError()));
  cnnc::CompileOptions options = std::move(*flags);
  options.verbose = verbose;
  options.functionName = entryName;
  options.sourceName = sys::path::filename(source.path).str();
  switch (emit) {
  case Emit::Object:
    options.emit = cnnc::EmitKind::Object;
    break;
  case Emit::StaticLibrary:
    options.emit = cnnc::EmitKind::StaticLibrary;
    break;
  case Emit::SharedLibrary:
    options.emit = cnnc::EmitKind::SharedLibrary;
    break;
  case Emit::Stmt:
    options.emit = cnnc::EmitKind::Stmt;
    break;
  case Emit::Html:
    options.emit = cnnc::EmitKind::Html;
    break;
  case Emit::Schedule:
    options.emit = cnnc::EmitKind::Schedule;
    break;
  case Emit::Mlir: {
    // The optimized IR, each stage's op carrying its schedule.
    if (Error error = cnnc::annotateSchedules(func, options))
      return fail(toString(std::move(error)));
    std::error_code ec;
    ToolOutputFile out(outputFile, ec, sys::fs::OF_Text);
    if (ec)
      return fail("cannot open '" + outputFile + "': " + ec.message());
    mlir::OpPrintingFlags printing;
    printing.elideLargeResourceString(64);
    module->print(out.os(), printing);
    out.keep();
    return 0;
  }
  }
  if (tune) {
    Expected<cnnc::TuneReport> report = cnnc::tuneModel(func, options);
    if (!report)
      return fail(toString(report.takeError()));
    for (const std::string &line : report->lines)
      errs() << "  " << line << "\n";
    errs() << format("cnnc: tuned %d kernels (%d changed) in %.0f s: %.2f ms "
                     "with the defaults, %.2f ms tuned; records in %s\n",
                     report->kernels, report->changed, report->seconds,
                     report->defaultMs, report->tunedMs,
                     report->recordsPath.c_str());
    if (report->keptDefaults)
      errs() << "cnnc: the winners together were slower than the defaults; "
                "the records keep the defaults\n";
  }
  if (Error error = cnnc::compileModel(func, options, outputFile))
    return fail(toString(std::move(error)));
  return 0;
}
