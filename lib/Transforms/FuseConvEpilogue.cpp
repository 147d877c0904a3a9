//===- FuseConvEpilogue.cpp - Group a conv with its epilogue --------------===//

#include "Grouping.h"
#include "cnnc/Transforms/Passes.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNFUSECONVEPILOGUE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// The epilogue's stages, in the only order they may appear. A quantize
/// ends it: an f32 conv feeding int8 ones (a stem on RGB) writes u8 values,
/// not an f32 map that a stage of its own reads back to quantize.
enum Stage { Conv, Affine, Scale, Residual, Activate, Quantize };

/// Whether `mul` multiplies `value` by one factor per channel.
bool isPerChannelScale(MulOp mul, Value value) {
  if (mul.getLhs() != value)
    return false;
  auto type = llvm::cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> s =
      llvm::cast<RankedTensorType>(mul.getRhs().getType()).getShape();
  int64_t c = type.getDimSize(1);
  return (s.size() == 3 && s[0] == c && s[1] == 1 && s[2] == 1) ||
         (s.size() == 4 && s[0] == 1 && s[1] == c && s[2] == 1 && s[3] == 1);
}

/// Whether `add` is a residual: both operands of one type, `value` one of
/// them. A broadcasting add is not (its shapes differ).
bool isResidual(AddOp add, Value value) {
  return add.getLhs().getType() == add.getRhs().getType() &&
         add.getLhs() != add.getRhs();
}

/// The stage `user` would take after `value`, or Conv if it cannot join.
Stage stageOf(Operation *user, Value value) {
  if (auto bn = llvm::dyn_cast<BatchNormOp>(user))
    return bn.getInput() == value ? Affine : Conv;
  if (auto mul = llvm::dyn_cast<MulOp>(user))
    return isPerChannelScale(mul, value) ? Scale : Conv;
  if (auto add = llvm::dyn_cast<AddOp>(user))
    return isResidual(add, value) ? Residual : Conv;
  if (isActivation(user))
    return Activate;
  if (llvm::isa<QuantizeOp>(user))
    return Quantize;
  return Conv;
}

struct FuseConvEpiloguePass
    : public cnnc::impl::CNNFuseConvEpilogueBase<FuseConvEpiloguePass> {
  void runOnOperation() override {
    SmallVector<Conv2DOp> convs;
    getOperation().walk([&](Conv2DOp conv) {
      if (!llvm::isa<GroupOp>(conv->getParentOp()))
        convs.push_back(conv);
    });
    for (Conv2DOp conv : convs) {
      SmallVector<Operation *> chain = {conv};
      Stage stage = Conv;
      Value value = conv.getResult();
      while (Operation *user = soleUser(value)) {
        Stage next = stageOf(user, value);
        if (next <= stage)
          break; // not an epilogue op, or out of order
        chain.push_back(user);
        stage = next;
        value = user->getResult(0);
      }
      if (chain.size() > 1)
        groupChain(chain, GroupKind::Conv);
    }
  }
};

} // namespace
