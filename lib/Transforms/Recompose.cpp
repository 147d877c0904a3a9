//===- Recompose.cpp - The recomposition patterns as a pass ---------------===//

#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNRECOMPOSE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {
#include "cnnc/Transforms/Recompose.inc"

using namespace cnnc::cnn;

/// The value of a one-element constant.
std::optional<float> scalarOf(Value value) {
  std::optional<std::vector<float>> values = cnnc::constantValues(value);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}

/// The operand of binary op `op` that is not `one`, if `one` is either.
Value otherOperand(Operation *op, Value one) {
  if (op->getOperand(0) == one)
    return op->getOperand(1);
  if (op->getOperand(1) == one)
    return op->getOperand(0);
  return nullptr;
}

/// `value`'s defining op if it is an OpT with no other user.
template <typename OpT> OpT soleUse(Value value) {
  auto op = value.getDefiningOp<OpT>();
  return op && value.hasOneUse() ? op : OpT();
}

/// Exact GELU as exporters write it: x * (erf(x / sqrt(2)) + 1) * 0.5,
/// each product either way round.
struct GeluFromErf : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp half,
                                PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      if (scalarOf(half->getOperand(1 - side)) != 0.5f)
        continue;
      auto times = soleUse<MulOp>(half->getOperand(side));
      if (!times)
        continue;
      for (int t = 0; t < 2; ++t) {
        Value x = times->getOperand(t);
        auto plusOne = soleUse<AddOp>(times->getOperand(1 - t));
        if (!plusOne || scalarOf(plusOne.getRhs()) != 1.0f)
          continue;
        auto erf = soleUse<ErfOp>(plusOne.getLhs());
        auto div = erf ? soleUse<DivOp>(erf.getInput()) : DivOp();
        std::optional<float> root = div ? scalarOf(div.getRhs()) : std::nullopt;
        if (!div || div.getLhs() != x || !root ||
            std::abs(*root - std::sqrt(2.0f)) > 1e-5f ||
            x.getType() != half.getType())
          continue;
        rewriter.replaceOpWithNewOp<GeluOp>(half, x.getType(), x,
                                            GeluApproximation::None);
        return success();
      }
    }
    return failure();
  }
};

/// `value` (a constant of C values, [C] or [C, 1, 1]) as a [C] constant
/// over the same data: a blob keeps its name.
Value perChannel(PatternRewriter &rewriter, Location loc, Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (!constant || type.getNumElements() != type.getDimSize(0) ||
      type.getRank() < 1)
    return nullptr;
  if (type.getRank() == 1)
    return value;
  auto flat =
      RankedTensorType::get({type.getDimSize(0)}, type.getElementType());
  Attribute data = constant.getValue();
  ElementsAttr reshaped;
  if (auto blob = llvm::dyn_cast<DenseResourceElementsAttr>(data))
    reshaped = DenseResourceElementsAttr::get(flat, blob.getRawHandle());
  else if (auto dense = llvm::dyn_cast<DenseElementsAttr>(data))
    reshaped = dense.reshape(flat);
  else
    return nullptr;
  return ConstantOp::create(rewriter, loc, flat, reshaped);
}

/// A LayerNorm over the channels as exporters write one (over an NHWC
/// tensor's last axis): d = x - mean(x), d / sqrt(mean(d * d) + eps) * w +
/// b, the means over the channels with keepdim.
struct LayerNormFromParts : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  static bool isChannelMean(ReduceMeanOp mean) {
    return mean && mean.getAxes() == llvm::ArrayRef<int64_t>{1} &&
           mean.getKeepdim();
  }
  LogicalResult matchAndRewrite(AddOp shift,
                                PatternRewriter &rewriter) const override {
    auto scale = soleUse<MulOp>(shift.getLhs());
    auto normed = scale ? soleUse<DivOp>(scale.getLhs()) : DivOp();
    if (!normed)
      return failure();
    auto centered = normed.getLhs().getDefiningOp<SubOp>();
    auto root = soleUse<SqrtOp>(normed.getRhs());
    auto plusEps = root ? soleUse<AddOp>(root.getInput()) : AddOp();
    std::optional<float> epsilon =
        plusEps ? scalarOf(plusEps.getRhs()) : std::nullopt;
    auto variance =
        plusEps ? soleUse<ReduceMeanOp>(plusEps.getLhs()) : ReduceMeanOp();
    auto square = variance ? soleUse<MulOp>(variance.getInput()) : MulOp();
    if (!centered || !epsilon || !isChannelMean(variance) || !square ||
        square.getLhs() != centered.getResult() ||
        square.getRhs() != centered.getResult())
      return failure();
    // x - mean(x), read by the square (twice) and the division only.
    Value x = centered.getLhs();
    auto mean = soleUse<ReduceMeanOp>(centered.getRhs());
    if (!isChannelMean(mean) || mean.getInput() != x ||
        llvm::range_size(centered->getUsers()) != 3 ||
        x.getType() != shift.getType() ||
        llvm::cast<RankedTensorType>(x.getType()).getRank() != 4)
      return failure();
    Value weight = perChannel(rewriter, scale.getLoc(), scale.getRhs());
    Value bias = perChannel(rewriter, shift.getLoc(), shift.getRhs());
    const int64_t channels =
        llvm::cast<RankedTensorType>(x.getType()).getDimSize(1);
    for (Value v : {weight, bias})
      if (!v ||
          llvm::cast<RankedTensorType>(v.getType()).getDimSize(0) != channels)
        return failure();
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        shift, x.getType(), x, weight, bias,
        rewriter.getF64FloatAttr(static_cast<double>(*epsilon)));
    return success();
  }
};

/// Whether `value` is a constant whose every element is `x`.
bool allEqual(Value value, float x) {
  std::optional<std::vector<float>> values = cnnc::constantValues(value);
  return values && llvm::all_of(*values, [&](float v) { return v == x; });
}

/// GroupNorm as PyTorch exports it before opset 18: the normalization with
/// unit scale and zero shift (InstanceNormalization's), then the
/// per-channel affine as Mul and Add of [C, 1, 1] constants, which become
/// the op's weight and bias.
struct GroupNormAffine : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp shift,
                                PatternRewriter &rewriter) const override {
    auto scale = soleUse<MulOp>(shift.getLhs());
    auto norm = scale ? soleUse<GroupNormOp>(scale.getLhs()) : GroupNormOp();
    if (!norm || !allEqual(norm.getWeight(), 1.0f) ||
        !allEqual(norm.getBias(), 0.0f) || shift.getType() != norm.getType())
      return failure();
    Value weight = perChannel(rewriter, scale.getLoc(), scale.getRhs());
    Value bias = perChannel(rewriter, shift.getLoc(), shift.getRhs());
    for (Value v : {weight, bias})
      if (!v || v.getType() != norm.getWeight().getType())
        return failure();
    rewriter.replaceOpWithNewOp<GroupNormOp>(
        shift, norm.getType(), norm.getInput(), weight, bias,
        norm.getGroupsAttr(), norm.getEpsilonAttr());
    return success();
  }
};

struct RecomposePass : public cnnc::impl::CNNRecomposeBase<RecomposePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateWithGenerated(patterns);
    patterns.add<GeluFromErf, GroupNormAffine, LayerNormFromParts>(
        &getContext());
    // Only the rules: the IR keeps its order and its constants where they
    // are (folding and constant CSE would hoist every weight to the top).
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace
