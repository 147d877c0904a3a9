//===- MlirFuzzer.cpp - Loading `cnn` MLIR text under libFuzzer -----------===//
//
// Any bytes as a model file: cnnc::loadModel (parse, verify, bind seeded
// random weights, as cnnc --random-weights does) either reports an error
// or gives a verified module.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Import/LoadModel.h"
#include "cnnc/Weights/SafeTensors.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<cnnc::SafeTensorsFile> weights;
  std::string error;
  auto module = cnnc::loadModel(
      context, sourceMgr, cnnc::fuzz::writeInput(data, size, "model.mlir"), "",
      /*randomSeed=*/1, /*verbose=*/false, weights, error);
  if (module && mlir::failed(mlir::verify(*module)))
    abort(); // loading gave an invalid module instead of an error
  return 0;
}
