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
/// not an f32 map that a stage of its own reads back to quantize. An int8
/// conv's epilogue starts with the dequantize of its u8 result: the stage
/// then requantizes and dequantizes each value in registers (the same
/// arithmetic as two stages, so the same values) and a residual add,
/// activation and quantize follow without a pass over memory of their own.
enum Stage { Conv, Dequantize, Affine, Scale, Residual, Activate, Quantize };

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
  if (llvm::isa<DequantizeOp>(user))
    return Dequantize;
  return Conv;
}

/// The dequantize that gives residual `add` its operand other than
/// `value`, if the add is its only user: it joins the group, so that the
/// stage reads the other branch's u8 values, not an f32 copy of them that
/// a stage of its own would write.
DequantizeOp otherDequantize(AddOp add, Value value) {
  Value other = add.getLhs() == value ? add.getRhs() : add.getLhs();
  auto dequantize = other.getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize->hasOneUse() ||
      dequantize->getBlock() != add->getBlock())
    return DequantizeOp();
  return dequantize;
}

/// The ops of `head`'s epilogue, `head` first, in program order. `head`
/// is a conv with an f32 result, whose epilogue starts at any stage, or an
/// int8 conv with a u8 result, whose epilogue must start with its
/// dequantize.
SmallVector<Operation *> epilogueChain(Operation *head) {
  SmallVector<Operation *> chain = {head};
  auto qconv = llvm::dyn_cast<QConv2DOp>(head);
  const bool int8 = qconv && !qconv.writesFloat();
  Stage stage = Conv;
  Value value = head->getResult(0);
  while (Operation *user = soleUser(value)) {
    Stage next = stageOf(user, value);
    if (next <= stage || (next == Dequantize) != (int8 && stage == Conv))
      break; // not an epilogue op, or out of order
    if (auto add = llvm::dyn_cast<AddOp>(user); add && int8)
      if (DequantizeOp other = otherDequantize(add, value))
        chain.push_back(other);
    chain.push_back(user);
    stage = next;
    value = user->getResult(0);
  }
  return chain;
}

struct FuseConvEpiloguePass
    : public cnnc::impl::CNNFuseConvEpilogueBase<FuseConvEpiloguePass> {
  void runOnOperation() override {
    SmallVector<Operation *> convs;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<Conv2DOp, QConv2DOp>(op) &&
          !llvm::isa<GroupOp>(op->getParentOp()))
        convs.push_back(op);
    });
    for (Operation *conv : convs) {
      SmallVector<Operation *> chain = epilogueChain(conv);
      if (chain.size() > 1)
        groupChain(chain, GroupKind::Conv);
    }
  }
};

} // namespace
