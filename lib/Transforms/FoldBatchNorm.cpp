//===- FoldBatchNorm.cpp - Fold BatchNorm and layer scale into convs ------===//

#include "WeightRewrites.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_CNNFOLDBATCHNORM
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// A conv whose weight (and bias, if any) are constants, with the data.
struct ConstantConv {
  Conv2DOp conv;
  std::vector<float> weight;
  std::vector<float> bias; // zeros when the conv has none
  int64_t outChannels = 0;
};

std::optional<ConstantConv> matchConstantConv(Value value) {
  auto conv = value.getDefiningOp<Conv2DOp>();
  if (!conv || !conv.getResult().hasOneUse())
    return std::nullopt;
  std::optional<std::vector<float>> weight = constantValues(conv.getWeight());
  if (!weight)
    return std::nullopt;
  ConstantConv result;
  result.conv = conv;
  result.weight = std::move(*weight);
  result.outChannels =
      llvm::cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(0);
  if (Value bias = conv.getBias()) {
    std::optional<std::vector<float>> values = constantValues(bias);
    if (!values)
      return std::nullopt;
    result.bias = std::move(*values);
  } else {
    result.bias.assign(result.outChannels, 0.0f);
  }
  return result;
}

/// Replaces `replaced` by a copy of the conv with new weight and bias.
void rewriteConv(PatternRewriter &rewriter, Operation *replaced,
                 const ConstantConv &c, ArrayRef<float> weight,
                 ArrayRef<float> bias, bool withBias, StringRef suffix) {
  Conv2DOp conv = c.conv;
  Location loc = replaced->getLoc();
  bool asBlob = isBlobConstant(conv.getWeight());
  auto weightType = llvm::cast<RankedTensorType>(conv.getWeight().getType());
  std::string name =
      derivedWeightName(conv.getWeight(), suffix, "folded" + suffix.str());
  Value newWeight =
      makeConstant(rewriter, loc, weightType, weight, name, asBlob);
  Value newBias;
  if (withBias)
    newBias = makeConstant(
        rewriter, loc,
        RankedTensorType::get({c.outChannels}, rewriter.getF32Type()), bias,
        name + ".bias", asBlob);
  auto folded =
      Conv2DOp::create(rewriter, loc, conv.getInput(), newWeight, newBias,
                       conv.getStride(), conv.getPadding(), conv.getDilation(),
                       conv.getGroups(), conv.getPaddingValuesAttr());
  rewriter.replaceOp(replaced, folded.getResult());
  rewriter.eraseOp(conv);
}

/// The conv's weight and bias after multiplying output channel o by
/// scale[o] and adding shift[o].
std::pair<std::vector<float>, std::vector<float>>
scaleChannels(const ConstantConv &c, ArrayRef<double> scale,
              ArrayRef<double> shift) {
  int64_t perOutput = c.weight.size() / c.outChannels;
  std::vector<float> weight(c.weight.size()), bias(c.outChannels);
  for (int64_t o = 0; o < c.outChannels; ++o) {
    for (int64_t i = 0; i < perOutput; ++i)
      weight[o * perOutput + i] =
          static_cast<float>(c.weight[o * perOutput + i] * scale[o]);
    bias[o] = static_cast<float>(c.bias[o] * scale[o] + shift[o]);
  }
  return {std::move(weight), std::move(bias)};
}

/// conv -> batch_norm  ==>  conv with w * g / sqrt(v + eps) and
/// beta + (b - m) * g / sqrt(v + eps).
struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    std::optional<ConstantConv> c = matchConstantConv(bn.getInput());
    if (!c)
      return rewriter.notifyMatchFailure(bn, "input is not a constant conv");
    auto gamma = constantValues(bn.getWeight());
    auto beta = constantValues(bn.getBias());
    auto mean = constantValues(bn.getMean());
    auto var = constantValues(bn.getVariance());
    if (!gamma || !beta || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "statistics are not constants");
    double eps = bn.getEpsilon().convertToDouble();
    // b' = beta + (b - m) * s = b * s + (beta - m * s)
    std::vector<double> scale(c->outChannels), shift(c->outChannels);
    for (int64_t o = 0; o < c->outChannels; ++o) {
      scale[o] = (*gamma)[o] / std::sqrt(double((*var)[o]) + eps);
      shift[o] = (*beta)[o] - (*mean)[o] * scale[o];
    }
    auto [weight, bias] = scaleChannels(*c, scale, shift);
    rewriteConv(rewriter, bn, *c, weight, bias, /*withBias=*/true, ".bn");
    return success();
  }
};

/// conv -> mul by a per-channel constant  ==>  conv with w * s and b * s.
struct FoldScaleIntoConv : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    std::optional<ConstantConv> c = matchConstantConv(mul.getLhs());
    if (!c)
      return rewriter.notifyMatchFailure(mul, "lhs is not a constant conv");
    auto scaleType = llvm::cast<RankedTensorType>(mul.getRhs().getType());
    // [C, 1, 1] or [1, C, 1, 1]: one factor per output channel.
    ArrayRef<int64_t> shape = scaleType.getShape();
    bool perChannel =
        (shape.size() == 3 && shape[0] == c->outChannels && shape[1] == 1 &&
         shape[2] == 1) ||
        (shape.size() == 4 && shape[0] == 1 && shape[1] == c->outChannels &&
         shape[2] == 1 && shape[3] == 1);
    if (!perChannel)
      return rewriter.notifyMatchFailure(mul, "not a per-channel scale");
    auto scale = constantValues(mul.getRhs());
    if (!scale)
      return rewriter.notifyMatchFailure(mul, "scale is not a constant");
    std::vector<double> factors(scale->begin(), scale->end());
    std::vector<double> zero(c->outChannels, 0.0);
    auto [weight, bias] = scaleChannels(*c, factors, zero);
    rewriteConv(rewriter, mul, *c, weight, bias,
                /*withBias=*/bool(c->conv.getBias()), ".scaled");
    return success();
  }
};

struct FoldBatchNormPass
    : public cnnc::impl::CNNFoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv, FoldScaleIntoConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
