//===- ConvTransposeAsShuffle.cpp - Up-convs as a 1x1 conv + PixelShuffle -===//
//
// A transposed conv whose kernel equals its stride (a U-Net's 2x2, stride 2
// up-conv) writes each output pixel from exactly one input pixel and one
// kernel tap: output (o, y * s + i, x * s + j) is the sum over c of
// input (c, y, x) * W(c, o, i, j). That is a 1x1 conv to O * s * s
// channels, channel (o * s + i) * s + j, then depth_to_space in CRD order,
// and the 1x1 conv runs on the dense conv schedules. Exact.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNCONVTRANSPOSEASSHUFFLE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

struct UpConvAsShuffle : OpRewritePattern<ConvTranspose2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTranspose2DOp up,
                                PatternRewriter &rewriter) const override {
    auto weightType = llvm::cast<RankedTensorType>(up.getWeight().getType());
    const int64_t in = weightType.getDimSize(0), out = weightType.getDimSize(1);
    const int64_t s = weightType.getDimSize(2);
    ArrayRef<int64_t> stride = up.getStride();
    if (weightType.getDimSize(3) != s || stride[0] != s || stride[1] != s)
      return rewriter.notifyMatchFailure(up, "kernel and stride differ");
    if (up.getGroups() != 1 ||
        llvm::any_of(up.getPadding(), [](int64_t p) { return p != 0; }) ||
        llvm::any_of(up.getOutputPadding(), [](int64_t p) { return p != 0; }) ||
        llvm::any_of(up.getDilation(), [](int64_t d) { return d != 1; }))
      return rewriter.notifyMatchFailure(
          up, "groups, padding, output padding or dilation");
    std::optional<std::vector<float>> weight = constantValues(up.getWeight());
    if (!weight)
      return rewriter.notifyMatchFailure(up, "weight is not a constant");
    std::optional<std::vector<float>> bias;
    if (Value b = up.getBias()) {
      bias = constantValues(b);
      if (!bias)
        return rewriter.notifyMatchFailure(up, "bias is not a constant");
    }
    // [C, O, s, s] to [O * s * s, C, 1, 1], row (o * s + i) * s + j.
    const int64_t taps = s * s, rows = out * taps;
    std::vector<float> dense(rows * in);
    for (int64_t c = 0; c < in; ++c)
      for (int64_t row = 0; row < rows; ++row)
        dense[row * in + c] = (*weight)[c * rows + row];
    std::string name = "upconv";
    if (auto constant = up.getWeight().getDefiningOp<ConstantOp>())
      if (auto blob =
              llvm::dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
        name = blob.getRawHandle().getKey().str();
    const bool asBlob = isBlobConstant(up.getWeight());
    Location loc = up.getLoc();
    Value denseWeight = makeConstant(
        rewriter, loc,
        RankedTensorType::get({rows, in, 1, 1}, weightType.getElementType()),
        dense, name + ".dense", asBlob);
    Value denseBias;
    if (bias) {
      std::vector<float> repeated(rows);
      for (int64_t row = 0; row < rows; ++row)
        repeated[row] = (*bias)[row / taps];
      denseBias = makeConstant(
          rewriter, loc,
          RankedTensorType::get({rows}, weightType.getElementType()), repeated,
          name + ".dense_bias", asBlob);
    }
    auto inType = llvm::cast<RankedTensorType>(up.getInput().getType());
    auto convType =
        RankedTensorType::get({inType.getDimSize(0), rows, inType.getDimSize(2),
                               inType.getDimSize(3)},
                              inType.getElementType());
    auto conv = Conv2DOp::create(
        rewriter, loc, convType, up.getInput(), denseWeight, denseBias,
        ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{0, 0, 0, 0},
        ArrayRef<int64_t>{1, 1}, uint64_t(1));
    rewriter.replaceOpWithNewOp<DepthToSpaceOp>(up, up.getType(),
                                                conv.getResult(), uint64_t(s),
                                                rewriter.getStringAttr("crd"));
    return success();
  }
};

struct ConvTransposeAsShufflePass
    : public cnnc::impl::CNNConvTransposeAsShuffleBase<
          ConvTransposeAsShufflePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<UpConvAsShuffle>(&getContext());
    // Constants stay where they are (folding and constant CSE would hoist
    // every weight to the top).
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
