//===- LinearAsConv.cpp - Linear layers as 1x1 convs on a 1x1 map ---------===//
//
// Int8 quantization calibrates and rewrites convs; a linear layer with
// constant weights is the 1x1 conv of its input as an N x K x 1 x 1 map,
// so it becomes one and takes the same int8 path (kernels, calibration,
// report) instead of staying f32. The reshapes around it are views.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNLINEARASCONV
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// `value` (a 2-D tensor) as a 4-D one of 1 x 1 maps.
Value asMaps(PatternRewriter &rewriter, Location loc, Value value) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  auto maps = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1), 1, 1}, type.getElementType());
  return ReshapeOp::create(rewriter, loc, maps, value);
}

struct LinearAsConv : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp linear,
                                PatternRewriter &rewriter) const override {
    if (!constantValues(linear.getWeight()) ||
        (linear.getBias() && !constantValues(linear.getBias())))
      return rewriter.notifyMatchFailure(linear, "weights are not constant");
    auto type = llvm::cast<RankedTensorType>(linear.getResult().getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(linear, "dynamic shape");
    Location loc = linear.getLoc();
    Value input = asMaps(rewriter, loc, linear.getInput());
    Value weight = asMaps(rewriter, loc, linear.getWeight());
    auto conv =
        Conv2DOp::create(rewriter, loc, input, weight, linear.getBias(),
                         ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{0, 0, 0, 0},
                         ArrayRef<int64_t>{1, 1}, 1, DenseF32ArrayAttr());
    // A ReLU after the layer goes before the reshape, beside the conv,
    // where quantization folds it into the conv's output range.
    Operation *last = linear;
    Value result = conv.getResult();
    if (linear.getResult().hasOneUse()) {
      Operation *user = *linear.getResult().getUsers().begin();
      if (isa<ReluOp, Relu6Op>(user)) {
        OperationState state(user->getLoc(), user->getName());
        state.addOperands(result);
        state.addTypes(result.getType());
        state.addAttributes(user->getAttrs());
        result = rewriter.create(state)->getResult(0);
        last = user;
      }
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(last, type, result);
    if (last != linear)
      rewriter.eraseOp(linear);
    return success();
  }
};

struct CNNLinearAsConvPass
    : cnnc::impl::CNNLinearAsConvBase<CNNLinearAsConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LinearAsConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
