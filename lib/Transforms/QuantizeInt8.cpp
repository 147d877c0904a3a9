//===- QuantizeInt8.cpp - Calibrated convs as int8 convs ------------------===//
//
// Each conv with calibrated input and output ranges becomes quantize ->
// qconv2d -> dequantize (Passes.td). Weights are quantized here, once, with
// Quantization.h's rounding; the f32 bias stays, and every engine
// quantizes it with the same function.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Transforms/QuantizeInt8.h"
#include "WeightRewrites.h"
#include "cnnc/Support/Quantization.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_CNNQUANTIZEINT8
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

bool cnnc::isQuantizable(Conv2DOp conv) {
  auto weight = llvm::cast<RankedTensorType>(conv.getWeight().getType());
  const int64_t groups = static_cast<int64_t>(conv.getGroups());
  return quant::int8GroupsFit(groups, weight.getDimSize(1),
                              weight.getDimSize(0) / groups) &&
         !conv.getPaddingValues() &&
         constantValues(conv.getWeight()).has_value() &&
         (!conv.getBias() || constantValues(conv.getBias()).has_value());
}

Value cnnc::quantizedOutput(Conv2DOp conv) {
  Value result = conv.getResult();
  if (result.hasOneUse()) {
    Operation *user = *result.getUsers().begin();
    if (isa<ReluOp, Relu6Op>(user) && user->getBlock() == conv->getBlock())
      return user->getResult(0);
  }
  return result;
}

/// A cnn.qconv2d of `weights` shaped `weightShape`.
static QConv2DOp buildQConv(OpBuilder &builder, Location loc, Value input,
                            ArrayRef<int64_t> weightShape, Value bias,
                            DenseI64ArrayAttr stride, DenseI64ArrayAttr padding,
                            DenseI64ArrayAttr dilation, IntegerAttr groups,
                            const quant::Params &in,
                            ArrayRef<float> weightScales,
                            ArrayRef<int8_t> weights,
                            std::optional<quant::Params> out) {
  auto i8 = RankedTensorType::get(weightShape, builder.getIntegerType(8));
  auto weightOp =
      ConstantOp::create(builder, loc, i8, DenseElementsAttr::get(i8, weights));
  return QConv2DOp::create(
      builder, loc, input, weightOp.getResult(), bias, stride, padding,
      dilation, groups, builder.getF32FloatAttr(in.scale),
      builder.getI64IntegerAttr(in.zeroPoint),
      builder.getDenseF32ArrayAttr(weightScales),
      out ? builder.getF32FloatAttr(out->scale) : FloatAttr(),
      out ? builder.getI64IntegerAttr(out->zeroPoint) : IntegerAttr());
}

QConv2DOp cnnc::createQConv(OpBuilder &builder, Conv2DOp conv, Value input,
                            const quant::Params &in,
                            ArrayRef<float> weightScales,
                            ArrayRef<int8_t> weights,
                            std::optional<quant::Params> out) {
  auto weightType = llvm::cast<RankedTensorType>(conv.getWeight().getType());
  return buildQConv(builder, conv.getLoc(), input, weightType.getShape(),
                    conv.getBias(), conv.getStrideAttr(), conv.getPaddingAttr(),
                    conv.getDilationAttr(), conv.getGroupsAttr(), in,
                    weightScales, weights, out);
}

QConv2DOp cnnc::createQLinear(OpBuilder &builder, Location loc, Value input,
                              Value bias, int64_t features,
                              const quant::Params &in,
                              ArrayRef<float> weightScales,
                              ArrayRef<int8_t> weights,
                              std::optional<quant::Params> out) {
  const int64_t inputs =
      llvm::cast<RankedTensorType>(input.getType()).getDimSize(1);
  return buildQConv(builder, loc, input, {features, inputs, 1, 1}, bias,
                    builder.getDenseI64ArrayAttr({1, 1}),
                    builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
                    builder.getDenseI64ArrayAttr({1, 1}),
                    builder.getI64IntegerAttr(1), in, weightScales, weights,
                    out);
}

namespace {

/// The u8 parameters of the range attribute `name` on `op`.
std::optional<quant::Params> rangeParams(Operation *op, StringRef name) {
  auto range = op->getAttrOfType<DenseF32ArrayAttr>(name);
  if (!range || range.size() != 2 || !std::isfinite(range[0]) ||
      !std::isfinite(range[1]) || range[0] > range[1])
    return std::nullopt;
  return quant::chooseActivationParams(range[0], range[1]);
}

struct QuantizeConv : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    std::optional<quant::Params> in = rangeParams(conv, kInputRangeAttr);
    std::optional<quant::Params> out = rangeParams(conv, kOutputRangeAttr);
    if (!in || !out || !isQuantizable(conv))
      return rewriter.notifyMatchFailure(conv, "no calibrated int8 form");
    auto weightType = llvm::cast<RankedTensorType>(conv.getWeight().getType());
    std::vector<float> weight = *constantValues(conv.getWeight());
    const int64_t channels = weightType.getDimSize(0);
    const int64_t perChannel = weightType.getNumElements() / channels;
    std::vector<float> scales(channels);
    std::vector<int8_t> quantized(weight.size());
    for (int64_t o = 0; o < channels; ++o) {
      float maxAbs = 0.0f;
      for (int64_t i = 0; i < perChannel; ++i)
        maxAbs = std::max(maxAbs, std::abs(weight[o * perChannel + i]));
      scales[o] = quant::weightScale(maxAbs);
      for (int64_t i = 0; i < perChannel; ++i)
        quantized[o * perChannel + i] =
            quant::quantizeWeight(weight[o * perChannel + i], scales[o]);
    }

    Value output = quantizedOutput(conv);
    Operation *last = output.getDefiningOp();
    auto quantizeOp =
        QuantizeOp::create(rewriter, conv.getLoc(), conv.getInput(),
                           rewriter.getF32FloatAttr(in->scale),
                           rewriter.getI64IntegerAttr(in->zeroPoint));
    QConv2DOp qconv = createQConv(rewriter, conv, quantizeOp.getResult(), *in,
                                  scales, quantized, *out);
    if (Attribute layer = conv->getAttr(kLayerAttr))
      qconv->setAttr(kLayerAttr, layer);
    auto dequantize =
        DequantizeOp::create(rewriter, conv.getLoc(), qconv.getResult(),
                             rewriter.getF32FloatAttr(out->scale),
                             rewriter.getI64IntegerAttr(out->zeroPoint));
    rewriter.replaceOp(last, dequantize.getResult());
    if (last != conv)
      rewriter.eraseOp(conv);
    return success();
  }
};

/// Makes every other reader of a quantized value read it dequantized, as
/// ONNX Runtime's QDQ models do: a residual then adds the u8 values the
/// next int8 conv reads, and no f32 copy of the map is kept beside them.
void shareQuantizedValues(func::FuncOp func) {
  SmallVector<QuantizeOp> quantizes;
  func.walk([&](QuantizeOp q) { quantizes.push_back(q); });
  for (QuantizeOp q : quantizes) {
    Value x = q.getInput();
    SmallVector<OpOperand *> others;
    for (OpOperand &use : x.getUses())
      if (!isa<QuantizeOp>(use.getOwner()))
        others.push_back(&use);
    if (others.empty())
      continue;
    // Right after the value, so that the dequantized form dominates
    // readers that came before the conv the quantize was made for.
    if (Operation *def = x.getDefiningOp())
      q->moveAfter(def);
    else
      q->moveBefore(&x.getParentBlock()->front());
    OpBuilder b(q->getContext());
    b.setInsertionPointAfter(q);
    auto dequantize =
        DequantizeOp::create(b, q.getLoc(), x.getType(), q.getResult(),
                             q.getScaleAttr(), q.getZeroPointAttr());
    for (OpOperand *use : others)
      use->set(dequantize.getResult());
  }
}

/// quantize(max_pool(x)) -> max_pool(quantize(x)): quantizing is monotonic,
/// so the maximum of the quantized values is the quantized maximum, bit
/// for bit (the padding's -inf and u8's 0 never win a window with a value
/// in it). An f32 stem then writes u8 values from its epilogue, and the
/// pool reads a quarter of the bytes: ResNet-50's stem, pool and quantize
/// (docs/decisions.md).
struct QuantizeBeforeMaxPool : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto pool = quantize.getInput().getDefiningOp<MaxPool2DOp>();
    // Every reader of the pool quantizes it alike (one quantize per int8
    // conv that reads it, until CSE merges them).
    auto alike = [&](Operation *user) {
      auto other = llvm::dyn_cast<QuantizeOp>(user);
      return other && other.getScaleAttr() == quantize.getScaleAttr() &&
             other.getZeroPointAttr() == quantize.getZeroPointAttr();
    };
    if (!pool || !llvm::all_of(pool->getUsers(), alike))
      return rewriter.notifyMatchFailure(quantize,
                                         "not a max pool quantized alike");
    // Where the pool was: before every reader.
    rewriter.setInsertionPointAfter(pool);
    auto early = QuantizeOp::create(rewriter, quantize.getLoc(),
                                    pool.getInput(), quantize.getScaleAttr(),
                                    quantize.getZeroPointAttr());
    Operation *quantizedPool = rewriter.clone(*pool);
    quantizedPool->setOperand(0, early.getResult());
    quantizedPool->getResult(0).setType(quantize.getType());
    for (Operation *user : llvm::to_vector(pool->getUsers()))
      rewriter.replaceOp(user, quantizedPool->getResults());
    rewriter.eraseOp(pool);
    return success();
  }
};

struct CNNQuantizeInt8Pass
    : cnnc::impl::CNNQuantizeInt8Base<CNNQuantizeInt8Pass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<QuantizeConv>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      return signalPassFailure();
    shareQuantizedValues(getOperation());
    RewritePatternSet pools(&getContext());
    pools.add<QuantizeBeforeMaxPool>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(pools))))
      return signalPassFailure();
  }
};

} // namespace
