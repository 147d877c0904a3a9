//===- FuseElementwise.cpp - One stage per chain of elementwise ops -------===//

#include "Grouping.h"
#include "cnnc/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNFUSEELEMENTWISE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

bool isElementwise(Operation *op) {
  return isActivation(op) ||
         llvm::isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PreluOp, GreaterOp,
                   GreaterEqualOp, LessOp, LessEqualOp, EqualOp, QuantizeOp,
                   DequantizeOp, LookupTableOp>(op);
}

/// Moves into `chain` the chains that end in a dequantize read only by
/// `op` through an operand other than its first: a residual add of two
/// int8 branches then dequantizes both inside its stage.
void absorbOtherOperands(Operation &op, size_t chain,
                         std::vector<SmallVector<Operation *>> &chains,
                         llvm::DenseMap<Operation *, size_t> &chainEndingAt) {
  for (Value operand : op.getOperands().drop_front()) {
    Operation *def = operand.getDefiningOp();
    auto it = def ? chainEndingAt.find(def) : chainEndingAt.end();
    if (it == chainEndingAt.end() || it->second == chain ||
        !llvm::isa<DequantizeOp>(def) || soleUser(operand) != &op)
      continue;
    SmallVector<Operation *> absorbed = std::move(chains[it->second]);
    chains[it->second].clear();
    chainEndingAt.erase(it);
    chains[chain].insert(chains[chain].begin(), absorbed.begin(),
                         absorbed.end());
  }
}

struct FuseElementwisePass
    : public cnnc::impl::CNNFuseElementwiseBase<FuseElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    // Chains in program order of their first op, and the chain each
    // chain's last op ends; one walk over the function's top-level ops, so
    // linear in their number.
    std::vector<SmallVector<Operation *>> chains;
    llvm::DenseMap<Operation *, size_t> chainEndingAt;
    for (Block &block : getOperation().getBody())
      for (Operation &op : block) {
        if (!isElementwise(&op))
          continue;
        Operation *before = op.getOperand(0).getDefiningOp();
        auto it = before ? chainEndingAt.find(before) : chainEndingAt.end();
        if (it != chainEndingAt.end() &&
            soleUser(before->getResult(0)) == &op &&
            chains[it->second].size() < maxOps) {
          size_t chain = it->second;
          chainEndingAt.erase(it);
          absorbOtherOperands(op, chain, chains, chainEndingAt);
          chains[chain].push_back(&op);
          chainEndingAt[&op] = chain;
          continue;
        }
        chainEndingAt[&op] = chains.size();
        chains.push_back({&op});
      }
    for (ArrayRef<Operation *> chain : chains)
      if (chain.size() >= 2)
        groupChain(chain, GroupKind::Elementwise);
  }
};

} // namespace
