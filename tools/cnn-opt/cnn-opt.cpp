//===- cnn-opt.cpp - mlir-opt with the cnn dialect and passes -------------===//
//
// Takes cnn dialect text, or an ONNX model, which is imported first (as
// cnn-import does, with its weights) and then processed as that text.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Import/OnnxImport.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  cnnc::registerCNNPasses();
  cnnc::registerCNNPipelines();

  mlir::DialectRegistry registry;
  registry.insert<cnnc::cnn::CNNDialect, mlir::func::FuncDialect>();
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "CNNC optimizer driver\n", registry);
  if (!cnnc::isOnnxFile(input))
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, input, output, registry));

  auto fail = [](const llvm::Twine &message) {
    llvm::WithColor::error(llvm::errs(), "cnn-opt") << message << "\n";
    return 1;
  };
  mlir::MLIRContext context;
  auto module = cnnc::importOnnx(context, input);
  if (!module)
    return fail(llvm::toString(module.takeError()));
  std::string text;
  llvm::raw_string_ostream os(text);
  (*module)->print(os);
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> out =
      mlir::openOutputFile(output, &error);
  if (!out)
    return fail(error);
  if (mlir::failed(mlir::MlirOptMain(
          out->os(), llvm::MemoryBuffer::getMemBufferCopy(text, input),
          registry, mlir::MlirOptMainConfig::createFromCLOptions())))
    return 1;
  out->keep();
  return 0;
}
