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
  cnnc::ModelSource source;
  source.path = cnnc::fuzz::writeInput(data, size, "model.mlir");
  source.randomSeed = 1;
  llvm::Expected<cnnc::LoadedModel> model =
      cnnc::loadModel(context, sourceMgr, source);
  if (!model) {
    llvm::consumeError(model.takeError());
    return 0;
  }
  if (mlir::failed(mlir::verify(*model->module)))
    abort(); // loading gave an invalid module instead of an error
  return 0;
}
