//===- OnnxFuzzer.cpp - The ONNX importer under libFuzzer -----------------===//
//
// Any bytes as a .onnx file: importOnnx either fails with an error or gives
// a module that verifies.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Import/OnnxImport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *c = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    c->loadDialect<cnnc::cnn::CNNDialect, mlir::func::FuncDialect>();
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
    return c;
  }();
  auto module = cnnc::importOnnx(
      *context, cnnc::fuzz::writeInput(data, size, "model.onnx"));
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (mlir::failed(mlir::verify(**module)))
    abort(); // the importer built invalid IR instead of reporting an error
  return 0;
}
