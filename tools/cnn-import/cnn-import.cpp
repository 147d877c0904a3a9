//===- cnn-import.cpp - An ONNX model as cnn dialect text -----------------===//
//
//   cnn-import MODEL.onnx -o MODEL.mlir [--input-shape=NxCxHxW]
//   cnn-import --list-ops
//
// The output carries the weights (initializers) as resource blobs, so cnnc
// and cnn-run compile it with no weights file. cnnc and cnn-run also take
// MODEL.onnx directly when its input shape is static.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Import/OnnxImport.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

static cl::OptionCategory importCategory("cnn-import options");
static cl::opt<std::string> modelFile(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::cat(importCategory));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"),
                                       cl::cat(importCategory));
static cl::opt<bool>
    listOps("list-ops",
            cl::desc("Print the ONNX op types CNNC translates (a Markdown "
                     "table: opsets, what each becomes) and exit"),
            cl::cat(importCategory));
static cl::opt<std::string>
    inputShape("input-shape",
               cl::desc("Pins the input's shape, dynamic dimensions included"),
               cl::value_desc("NxCxHxW"), cl::cat(importCategory));
static cl::opt<bool>
    elide("elide-weights",
          cl::desc("Print weights as placeholders (to read the IR; it does "
                   "not compile)"),
          cl::cat(importCategory));

static int fail(const Twine &message) {
  WithColor::error(errs(), "cnn-import") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&importCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "cnn-import: translates an ONNX model into the cnn dialect\n\n"
      "Examples:\n"
      "  cnn-import resnet18.onnx -o resnet18.mlir\n"
      "  cnn-import model.onnx --input-shape=1x3x224x224 -o model.mlir\n"
      "  cnnc resnet18.mlir -o resnet18.o\n"
      "  cnn-import --list-ops\n");
  if (listOps) {
    cnnc::printSupportedOnnxOps(outs());
    return 0;
  }
  if (modelFile.empty() || outputFile.empty())
    return fail("give a model and -o OUTPUT (or --list-ops)");
  cnnc::OnnxImportOptions options;
  if (!inputShape.empty()) {
    auto shape = cnnc::parseInputShape(inputShape);
    if (!shape)
      return fail(toString(shape.takeError()));
    options.inputShape = std::move(*shape);
  }
  mlir::MLIRContext context;
  auto module = cnnc::importOnnx(context, modelFile, options);
  if (!module)
    return fail(toString(module.takeError()));
  if (failed(mlir::verify(**module)))
    return 1; // reported with the node's name
  std::error_code ec;
  ToolOutputFile out(outputFile, ec, sys::fs::OF_Text);
  if (ec)
    return fail("cannot open '" + outputFile + "': " + ec.message());
  mlir::OpPrintingFlags flags;
  if (elide)
    flags.elideLargeResourceString(64);
  (*module)->print(out.os(), flags);
  out.os().flush();
  if (out.os().has_error())
    return fail("cannot write '" + outputFile + "'");
  out.keep();
  return 0;
}
