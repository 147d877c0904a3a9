//===- cnn-opt.cpp - mlir-opt with the cnn dialect and passes -------------===//

#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  cnnc::registerCNNPasses();
  cnnc::registerCNNPipelines();

  mlir::DialectRegistry registry;
  registry.insert<cnnc::cnn::CNNDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "CNNC optimizer driver\n", registry));
}
