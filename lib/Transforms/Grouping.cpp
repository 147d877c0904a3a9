//===- Grouping.cpp - Helpers shared by the fusion passes -----------------===//

#include "Grouping.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

Operation *cnnc::soleUser(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  // A use inside a group counts as a use by the group.
  return value.getParentBlock()->findAncestorOpInBlock(
      **value.getUsers().begin());
}

bool cnnc::isActivation(Operation *op) {
  return llvm::isa<ActivationOpInterface>(op);
}

Conv2DOp cnnc::unitConv(Operation *op) {
  if (auto conv = llvm::dyn_cast_or_null<Conv2DOp>(op))
    return llvm::isa<GroupOp>(op->getParentOp()) ? Conv2DOp() : conv;
  if (auto group = llvm::dyn_cast_or_null<GroupOp>(op))
    if (group.getKind() == GroupKind::Conv)
      return llvm::dyn_cast<Conv2DOp>(&group.getBody().front().front());
  return Conv2DOp();
}

bool cnnc::isDepthwise(Conv2DOp conv) {
  auto input = llvm::cast<RankedTensorType>(conv.getInput().getType());
  auto weight = llvm::cast<RankedTensorType>(conv.getWeight().getType());
  int64_t groups = static_cast<int64_t>(conv.getGroups());
  return groups > 1 && groups == input.getDimSize(1) &&
         weight.getDimSize(1) == 1;
}

bool cnnc::isPointwise(Conv2DOp conv) {
  auto weight = llvm::cast<RankedTensorType>(conv.getWeight().getType());
  return weight.getDimSize(2) == 1 && weight.getDimSize(3) == 1 &&
         conv.getGroups() == 1 &&
         llvm::all_of(conv.getStride(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getPadding(), [](int64_t p) { return p == 0; });
}

GroupOp cnnc::groupChain(ArrayRef<Operation *> chain, GroupKind kind) {
  Operation *last = chain.back();
  OpBuilder builder(last);
  auto group = GroupOp::create(builder, last->getLoc(),
                               last->getResult(0).getType(), kind);
  Block *body = new Block();
  group.getBody().push_back(body);
  for (Operation *op : chain) {
    if (auto inner = llvm::dyn_cast<GroupOp>(op)) {
      // Flatten: move the inner group's ops, forward its result.
      Block &innerBody = inner.getBody().front();
      auto yield = llvm::cast<YieldOp>(innerBody.getTerminator());
      Value yielded = yield.getValue();
      while (&innerBody.front() != yield.getOperation())
        innerBody.front().moveBefore(body, body->end());
      inner.getResult().replaceAllUsesWith(yielded);
      inner.erase();
      continue;
    }
    op->moveBefore(body, body->end());
  }
  // The last op's result now lives inside: uses outside take the group's.
  Value result = body->back().getResult(0);
  result.replaceUsesWithIf(group.getResult(), [&](OpOperand &use) {
    return use.getOwner()->getParentOp() != group.getOperation();
  });
  builder.setInsertionPointToEnd(body);
  YieldOp::create(builder, group.getLoc(), result);
  return group;
}
