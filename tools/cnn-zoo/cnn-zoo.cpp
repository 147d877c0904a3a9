//===- cnn-zoo.cpp - Print a model of the zoo as cnn dialect text ---------===//

#include "cnnc/Zoo/Zoo.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory zooCategory("cnn-zoo options");

static cl::opt<std::string> modelName(cl::Positional, cl::desc("<model>"),
                                      cl::cat(zooCategory));
static cl::opt<std::string>
    outputFile("o", cl::desc("Output file (default: stdout)"),
               cl::value_desc("file"), cl::init("-"), cl::cat(zooCategory));
static cl::opt<std::string>
    inputSize("input-size",
              cl::desc("Input height and width: N (square) or HxW"),
              cl::value_desc("N|HxW"), cl::init("224"), cl::cat(zooCategory));
static cl::opt<int64_t> batch("batch", cl::desc("Batch size"), cl::init(1),
                              cl::cat(zooCategory));
static cl::opt<bool> list("list", cl::desc("List the models and exit"),
                          cl::cat(zooCategory));

static int fail(const Twine &message) {
  WithColor::error(errs(), "cnn-zoo") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(zooCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "cnn-zoo: prints a model of the CNNC zoo as cnn dialect text\n\n"
      "Parameter names follow torchvision's state_dict(). Examples:\n"
      "  cnn-zoo --list\n"
      "  cnn-zoo resnet50 -o resnet50.mlir\n"
      "  cnn-zoo mobilenet_v2 --input-size=160x224 --batch=4 -o m.mlir\n");
  if (list) {
    for (const cnnc::ZooModelInfo &model : cnnc::zooModels())
      outs() << format("%-14s %s\n", model.name, model.summary);
    return 0;
  }
  if (modelName.empty())
    return fail("no model named (cnn-zoo --list lists them)");

  cnnc::ZooOptions options;
  if (!cnnc::parseInputSize(inputSize, options.inputHeight, options.inputWidth))
    return fail("--input-size=" + inputSize +
                " is not a size (want N or HxW, e.g. 224 or 160x224)");
  options.batch = batch;
  mlir::MLIRContext context;
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      cnnc::buildZooModel(&context, modelName, options, error);
  if (!module)
    return fail(error);
  if (failed(mlir::verify(*module)))
    return fail("internal error: the generated model does not verify");

  // ToolOutputFile deletes a partly written file unless we keep it.
  std::error_code ec;
  ToolOutputFile out(outputFile, ec, sys::fs::OF_Text);
  if (ec)
    return fail("cannot open '" + outputFile + "': " + ec.message());
  out.os() << cnnc::zooModelHeader(modelName, options);
  module->print(out.os());
  out.os() << "\n";
  out.keep();
  return 0;
}
