//===- PruneDeadTaps.cpp - Drop kernel taps that read only padding --------===//
//
// A dilated conv on a map smaller than its dilation (DeepLab's ASPP rates
// 12, 24 and 36 on a 28x28 or 14x14 map) has taps that fall in the zero
// padding for every output: they multiply zeros. Dropping them is exact;
// with only the centre tap left, the conv is a 1x1 conv, which the
// schedules treat as a matrix product.
//
//===----------------------------------------------------------------------===//

#include "WeightRewrites.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNPRUNEDEADTAPS
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// The first and last taps along one dimension that read the input for
/// some output: tap t reads o * stride + t * dilation - padBefore for
/// outputs o in [0, out). None if every tap reads only padding.
std::optional<std::pair<int64_t, int64_t>>
aliveTaps(int64_t in, int64_t out, int64_t kernel, int64_t stride,
          int64_t dilation, int64_t padBefore) {
  int64_t first = -1, last = -1;
  for (int64_t t = 0; t < kernel; ++t) {
    const int64_t offset = t * dilation - padBefore;
    // The first output whose read is not above the input's start.
    const int64_t o = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    if (o < out && o * stride + offset < in) {
      if (first < 0)
        first = t;
      last = t;
    }
  }
  if (first < 0)
    return std::nullopt;
  return std::pair{first, last};
}

struct PruneDeadTaps : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    // A tap over padding that is not zeros adds a constant, not nothing.
    if (conv.getPaddingValues())
      return rewriter.notifyMatchFailure(conv, "pads with values");
    auto inType = llvm::cast<RankedTensorType>(conv.getInput().getType());
    auto outType = llvm::cast<RankedTensorType>(conv.getType());
    auto weightType = llvm::cast<RankedTensorType>(conv.getWeight().getType());
    ArrayRef<int64_t> stride = conv.getStride(), dilation = conv.getDilation(),
                      padding = conv.getPadding();
    // Per spatial dimension (0: rows, 1: columns): the taps kept.
    int64_t first[2], kept[2], newPadding[4], newDilation[2];
    bool pruned = false;
    for (int d = 0; d < 2; ++d) {
      const int64_t kernel = weightType.getDimSize(2 + d);
      auto alive =
          aliveTaps(inType.getDimSize(2 + d), outType.getDimSize(2 + d), kernel,
                    stride[d], dilation[d], padding[d]);
      if (!alive)
        return rewriter.notifyMatchFailure(conv, "reads only padding");
      first[d] = alive->first;
      kept[d] = alive->second - alive->first + 1;
      pruned |= kept[d] < kernel;
      newDilation[d] = kept[d] == 1 ? 1 : dilation[d];
      // The same outputs: padding before moves with the first tap kept;
      // padding after is what the last output's window needs.
      newPadding[d] = padding[d] - first[d] * dilation[d];
      const int64_t span = newDilation[d] * (kept[d] - 1) + 1;
      newPadding[d + 2] = (outType.getDimSize(2 + d) - 1) * stride[d] + span -
                          inType.getDimSize(2 + d) - newPadding[d];
      if (newPadding[d] < 0 || newPadding[d + 2] < 0)
        return rewriter.notifyMatchFailure(conv, "would crop the input");
    }
    if (!pruned)
      return rewriter.notifyMatchFailure(conv, "every tap reads the input");
    std::optional<std::vector<float>> weight = constantValues(conv.getWeight());
    if (!weight)
      return rewriter.notifyMatchFailure(conv, "weight is not a constant");
    const int64_t outer = weightType.getDimSize(0) * weightType.getDimSize(1),
                  kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
    std::vector<float> taps;
    taps.reserve(outer * kept[0] * kept[1]);
    for (int64_t i = 0; i < outer; ++i)
      for (int64_t y = first[0]; y < first[0] + kept[0]; ++y)
        for (int64_t x = first[1]; x < first[1] + kept[1]; ++x)
          taps.push_back((*weight)[(i * kh + y) * kw + x]);
    auto tapsType = RankedTensorType::get(
        {weightType.getDimSize(0), weightType.getDimSize(1), kept[0], kept[1]},
        weightType.getElementType());
    std::string name = derivedWeightName(conv.getWeight(), ".taps", "taps");
    Value newWeight = makeConstant(rewriter, conv.getLoc(), tapsType, taps,
                                   name, isBlobConstant(conv.getWeight()));
    rewriter.replaceOpWithNewOp<Conv2DOp>(
        conv, conv.getInput(), newWeight, conv.getBias(), stride,
        ArrayRef<int64_t>(newPadding), ArrayRef<int64_t>(newDilation),
        conv.getGroups(), conv.getPaddingValuesAttr());
    return success();
  }
};

struct PruneDeadTapsPass
    : public cnnc::impl::CNNPruneDeadTapsBase<PruneDeadTapsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PruneDeadTaps>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
