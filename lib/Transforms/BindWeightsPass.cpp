//===- BindWeightsPass.cpp - The --cnn-bind-weights pass ------------------===//

#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/BindWeights.h"
#include "cnnc/Weights/SafeTensors.h"

#include "mlir/IR/BuiltinOps.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNBINDWEIGHTS
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

struct BindWeightsPass
    : public cnnc::impl::CNNBindWeightsBase<BindWeightsPass> {
  using CNNBindWeightsBase::CNNBindWeightsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (file.empty() == (randomSeed < 0)) {
      module.emitError() << "--cnn-bind-weights needs exactly one of "
                            "file=W.safetensors and random-seed=S";
      return signalPassFailure();
    }
    if (randomSeed >= 0) {
      cnnc::bindRandomWeights(module, static_cast<uint64_t>(randomSeed));
      return;
    }
    auto weights = cnnc::SafeTensorsFile::open(file);
    if (!weights) {
      module.emitError() << llvm::toString(weights.takeError());
      return signalPassFailure();
    }
    if (failed(cnnc::bindWeights(module, **weights, verbose)))
      signalPassFailure();
  }
};

} // namespace
