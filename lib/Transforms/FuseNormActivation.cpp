//===- FuseNormActivation.cpp - Group a norm with its activation ----------===//

#include "Grouping.h"
#include "cnnc/Transforms/Passes.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNFUSENORMACTIVATION
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

struct FuseNormActivationPass
    : public cnnc::impl::CNNFuseNormActivationBase<FuseNormActivationPass> {
  void runOnOperation() override {
    SmallVector<Operation *> norms;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<BatchNormOp, LayerNormOp, GroupNormOp>(op) &&
          !llvm::isa<GroupOp>(op->getParentOp()))
        norms.push_back(op);
    });
    for (Operation *norm : norms) {
      Operation *user = soleUser(norm->getResult(0));
      if (user && isActivation(user))
        groupChain({norm, user}, GroupKind::NormActivation);
    }
  }
};

} // namespace
