//===- FuseConvPrologue.cpp - A squeeze-excitation scale joins its conv ---===//
//
// A squeeze-excitation block ends by scaling each channel of a map by a
// value per image (`x * s`, s of shape [N, C, 1, 1]) for the pointwise conv
// after it to read. As a stage of its own the scale writes the whole map
// and the conv reads it back; inside the conv's group it is computed a row
// at a time, just before the conv reads it, and stays in cache.
//
//===----------------------------------------------------------------------===//

#include "Grouping.h"
#include "cnnc/Transforms/Passes.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNFUSECONVPROLOGUE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// Whether `mul` scales a 4-d map by one value per image and channel.
bool isChannelScale(MulOp mul) {
  auto map = llvm::cast<RankedTensorType>(mul.getLhs().getType());
  auto scale = llvm::cast<RankedTensorType>(mul.getRhs().getType());
  return map.getRank() == 4 && scale.getRank() == 4 &&
         scale.getDimSize(0) == map.getDimSize(0) &&
         scale.getDimSize(1) == map.getDimSize(1) && scale.getDimSize(2) == 1 &&
         scale.getDimSize(3) == 1 && mul.getType() == map;
}

struct FuseConvProloguePass
    : public cnnc::impl::CNNFuseConvPrologueBase<FuseConvProloguePass> {
  void runOnOperation() override {
    SmallVector<MulOp> scales;
    for (Block &block : getOperation().getBody())
      for (MulOp mul : block.getOps<MulOp>())
        if (isChannelScale(mul))
          scales.push_back(mul);

    for (MulOp mul : scales) {
      Operation *user = soleUser(mul.getResult());
      Conv2DOp conv = unitConv(user);
      if (!conv || !isPointwise(conv) || conv.getInput() != mul.getResult())
        continue;
      if (auto group = llvm::dyn_cast<GroupOp>(user)) {
        Block &body = group.getBody().front();
        mul->moveBefore(&body, body.begin());
        continue;
      }
      groupChain({mul.getOperation(), user}, GroupKind::Conv);
    }
  }
};

} // namespace
