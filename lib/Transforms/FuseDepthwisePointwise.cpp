//===- FuseDepthwisePointwise.cpp - Group depthwise and pointwise convs ---===//
//
// The depthwise conv of MobileNet and ConvNeXt blocks has little work per
// byte; computed per spatial tile right before the pointwise conv that
// consumes it, its result stays in cache. This pass makes that block
// explicit as one group.
//
//===----------------------------------------------------------------------===//

#include "Grouping.h"
#include "cnnc/Transforms/Passes.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNFUSEDEPTHWISEPOINTWISE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

int64_t channelsOf(Value value) {
  return llvm::cast<RankedTensorType>(value.getType()).getDimSize(1);
}

/// A pointwise unit (bare conv or conv group) that reads `value` directly.
bool isPointwiseReading(Operation *op, Value value) {
  Conv2DOp conv = unitConv(op);
  return conv && isPointwise(conv) && conv.getInput() == value;
}

struct FuseDepthwisePointwisePass
    : public cnnc::impl::CNNFuseDepthwisePointwiseBase<
          FuseDepthwisePointwisePass> {
  void runOnOperation() override {
    SmallVector<Operation *> depthwise;
    for (Block &block : getOperation().getBody())
      for (Operation &op : block)
        if (Conv2DOp conv = unitConv(&op); conv && isDepthwise(conv))
          depthwise.push_back(&op);

    for (Operation *unit : depthwise) {
      Conv2DOp dw = unitConv(unit);
      SmallVector<Operation *> chain;
      // MobileNetV2's expansion: a pointwise unit that only feeds us.
      Operation *producer = dw.getInput().getDefiningOp();
      if (producer && producer->getBlock() == unit->getBlock() &&
          unitConv(producer) && isPointwise(unitConv(producer)) &&
          soleUser(producer->getResult(0)) == unit)
        chain.push_back(producer);
      chain.push_back(unit);

      Value value = unit->getResult(0);
      int pointwise = 0;
      while (Operation *user = soleUser(value)) {
        if (auto ln = llvm::dyn_cast<LayerNormOp>(user);
            ln && pointwise == 0 && ln.getInput() == value) {
          chain.push_back(user); // ConvNeXt's norm between dw and pw
          value = user->getResult(0);
          continue;
        }
        if (!isPointwiseReading(user, value))
          break;
        chain.push_back(user);
        ++pointwise;
        bool expands = channelsOf(user->getResult(0)) > channelsOf(value);
        value = user->getResult(0);
        // After an expanding pointwise conv, its projection belongs too.
        if (pointwise == 2 || !expands)
          break;
      }
      if (pointwise == 0)
        continue; // nothing consumes the depthwise result alone
      groupChain(chain, GroupKind::DepthwisePointwise);
    }
  }
};

} // namespace
