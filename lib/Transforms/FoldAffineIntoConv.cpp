//===- FoldAffineIntoConv.cpp - Fold a per-channel affine into convs ------===//
//
// `(x / 255 - mean) / std` before the first conv is a chain of mul, div, add
// and sub by constants, one value per channel or one for all: together
// `a[c] * x + b[c]`. The conv reading it computes the same as a conv on `x`
// with each input channel's weights times `a[c]`, a bias plus the weights
// times `b[c]`, and padding that reads `-b[c] / a[c]` (where `a * x + b` is
// zero), so the chain's pass over the input goes away.
//
//===----------------------------------------------------------------------===//

#include "WeightRewrites.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_CNNFOLDAFFINEINTOCONV
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// `scale[c] * x + shift[c]` over the channels of `x`.
struct Affine {
  Value x;
  std::vector<double> scale, shift;
};

/// The constant `value` as one number per channel of a [N, C, H, W] tensor
/// with `channels` channels: a scalar, or a shape that broadcasts along C
/// only ([C, 1, 1], [1, C, 1, 1], ...).
std::optional<std::vector<double>> perChannel(Value value, int64_t channels) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() > 4)
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t count = 1;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    // Dimension i from the right: 1 is C's place (W, H, C, N).
    const int64_t fromRight = type.getRank() - 1 - i;
    if (shape[i] != 1 && !(fromRight == 2 && shape[i] == channels))
      return std::nullopt;
    count *= shape[i];
  }
  std::optional<std::vector<float>> data = constantValues(value);
  if (!data || static_cast<int64_t>(data->size()) != count)
    return std::nullopt;
  std::vector<double> values(channels);
  for (int64_t c = 0; c < channels; ++c)
    values[c] = (*data)[count == 1 ? 0 : c];
  return values;
}

/// One link of the chain: `op` applied with the per-channel `constant`
/// (none for neg).
struct Link {
  Operation *op;
  std::vector<double> constant;
};

/// The link `op` makes, and the operand the chain continues through: `op`
/// is a mul, div, add or sub by a per-channel constant (binary ops
/// broadcast their rhs only), or a neg.
std::optional<std::pair<Link, Value>> matchLink(Operation *op,
                                                int64_t channels) {
  if (!op || !isa<MulOp, DivOp, AddOp, SubOp, NegOp>(op))
    return std::nullopt;
  Type type = op->getResult(0).getType();
  if (isa<NegOp>(op))
    return std::pair{Link{op, {}}, op->getOperand(0)};
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (lhs.getType() != type)
    return std::nullopt;
  std::optional<std::vector<double>> k = perChannel(rhs, channels);
  if (!k)
    return std::nullopt;
  return std::pair{Link{op, std::move(*k)}, lhs};
}

/// The longest chain of links that computes `value`, each result but the
/// last used only by the next link, composed into one affine.
std::optional<Affine> matchAffine(Value value, int64_t channels) {
  SmallVector<Link> chain;
  Value x = value;
  while (x == value || x.hasOneUse()) {
    std::optional<std::pair<Link, Value>> link =
        matchLink(x.getDefiningOp(), channels);
    if (!link)
      break;
    chain.push_back(std::move(link->first));
    x = link->second;
  }
  if (chain.empty())
    return std::nullopt;
  Affine affine{x, std::vector<double>(channels, 1.0),
                std::vector<double>(channels, 0.0)};
  for (const Link &link : llvm::reverse(chain))
    for (int64_t c = 0; c < channels; ++c) {
      double &a = affine.scale[c], &b = affine.shift[c];
      if (isa<NegOp>(link.op)) {
        a = -a;
        b = -b;
      } else if (isa<MulOp>(link.op)) {
        a *= link.constant[c];
        b *= link.constant[c];
      } else if (isa<DivOp>(link.op)) {
        a /= link.constant[c];
        b /= link.constant[c];
      } else if (isa<AddOp>(link.op)) {
        b += link.constant[c];
      } else {
        b -= link.constant[c];
      }
    }
  auto finite = [](double v) { return std::isfinite(v); };
  if (!llvm::all_of(affine.scale, finite) ||
      !llvm::all_of(affine.shift, finite))
    return std::nullopt;
  return affine;
}

/// conv(a * x + b)  ==>  conv'(x) with weights w * a, bias + sum(w * b) and
/// padding reading (p - b) / a, where p is what the conv's padding read.
struct FoldAffineIntoConv : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    Value input = conv.getInput();
    // Where another op reads the affine too, it stays: folding saves nothing.
    if (!llvm::all_of(input.getUsers(),
                      [](Operation *user) { return isa<Conv2DOp>(user); }))
      return rewriter.notifyMatchFailure(conv, "the input has other users");
    auto inType = llvm::cast<RankedTensorType>(input.getType());
    const int64_t channels = inType.getDimSize(1);
    std::optional<Affine> affine = matchAffine(input, channels);
    if (!affine)
      return rewriter.notifyMatchFailure(conv, "input is not an affine");
    std::optional<std::vector<float>> weight = constantValues(conv.getWeight());
    if (!weight)
      return rewriter.notifyMatchFailure(conv, "weight is not a constant");
    auto weightType = llvm::cast<RankedTensorType>(conv.getWeight().getType());
    const int64_t outChannels = weightType.getDimSize(0),
                  perGroup = weightType.getDimSize(1),
                  taps = weightType.getDimSize(2) * weightType.getDimSize(3);
    std::vector<double> bias(outChannels, 0.0);
    if (Value b = conv.getBias()) {
      std::optional<std::vector<float>> values = constantValues(b);
      if (!values)
        return rewriter.notifyMatchFailure(conv, "bias is not a constant");
      bias.assign(values->begin(), values->end());
    }

    const bool shifted =
        llvm::any_of(affine->shift, [](double b) { return b != 0.0; });
    // Padding keeps its meaning only if it reads where the affine is p.
    const bool padded =
        llvm::any_of(conv.getPadding(), [](int64_t p) { return p != 0; });
    std::vector<float> paddingValues;
    if (padded && (shifted || conv.getPaddingValues())) {
      std::vector<double> before(channels, 0.0);
      if (std::optional<ArrayRef<float>> values = conv.getPaddingValues())
        before.assign(values->begin(), values->end());
      for (int64_t c = 0; c < channels; ++c) {
        if (affine->scale[c] == 0.0)
          return rewriter.notifyMatchFailure(conv, "no padding value maps "
                                                   "to the conv's padding");
        const double value = (before[c] - affine->shift[c]) / affine->scale[c];
        if (!std::isfinite(value))
          return rewriter.notifyMatchFailure(conv, "a padding value overflows");
        paddingValues.push_back(static_cast<float>(value));
      }
    }

    const int64_t outPerGroup = outChannels / conv.getGroups();
    std::vector<float> newWeight(weight->size());
    for (int64_t o = 0; o < outChannels; ++o)
      for (int64_t i = 0; i < perGroup; ++i) {
        const int64_t c = (o / outPerGroup) * perGroup + i;
        for (int64_t t = 0; t < taps; ++t) {
          const size_t at = (o * perGroup + i) * taps + t;
          newWeight[at] = static_cast<float>((*weight)[at] * affine->scale[c]);
          bias[o] += (*weight)[at] * affine->shift[c];
        }
      }

    Location loc = conv.getLoc();
    const bool asBlob = isBlobConstant(conv.getWeight());
    std::string name = derivedWeightName(conv.getWeight(), ".affine", "affine");
    Value weightValue =
        makeConstant(rewriter, loc, weightType, newWeight, name, asBlob);
    Value biasValue;
    if (conv.getBias() || shifted) {
      std::vector<float> biasValues(bias.begin(), bias.end());
      biasValue = makeConstant(
          rewriter, loc,
          RankedTensorType::get({outChannels}, rewriter.getF32Type()),
          biasValues, name + ".bias", asBlob);
    }
    DenseF32ArrayAttr padding =
        paddingValues.empty() ? DenseF32ArrayAttr()
                              : rewriter.getDenseF32ArrayAttr(paddingValues);
    rewriter.replaceOpWithNewOp<Conv2DOp>(
        conv, affine->x, weightValue, biasValue, conv.getStride(),
        conv.getPadding(), conv.getDilation(), conv.getGroups(), padding);
    return success();
  }
};

struct FoldAffineIntoConvPass
    : public cnnc::impl::CNNFoldAffineIntoConvBase<FoldAffineIntoConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldAffineIntoConv>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
