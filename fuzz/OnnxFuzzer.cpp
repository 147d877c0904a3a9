//===- OnnxFuzzer.cpp - The ONNX importer under libFuzzer -----------------===//
//
// Any bytes as a .onnx file: importOnnx either fails with an error or gives
// a module that verifies, and that the -O2 pipeline (recompositions, folds,
// fusions) turns into a module that still verifies.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Import/OnnxImport.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A context per input: imported weights and folded constants are
  // uniqued in it, so one shared context would grow with every input.
  mlir::MLIRContext owned(mlir::MLIRContext::Threading::DISABLED);
  owned.loadDialect<cnnc::cnn::CNNDialect, mlir::func::FuncDialect>();
  owned.getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  mlir::MLIRContext *context = &owned;
  auto module = cnnc::importOnnx(
      *context, cnnc::fuzz::writeInput(data, size, "model.onnx"));
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (mlir::failed(mlir::verify(**module)))
    abort(); // the importer built invalid IR instead of reporting an error
  mlir::PassManager pm(context);
  pm.enableVerifier(false); // verified below, where invalid IR aborts
  cnnc::buildOptimizePipeline(pm, 2);
  // A pass may report an error; it must not crash or leave invalid IR.
  if (mlir::succeeded(pm.run(**module)) && mlir::failed(mlir::verify(**module)))
    abort();
  return 0;
}
