//===- QdqToInt8.cpp - A QDQ model's convs as int8 convs ------------------===//
//
// dequantize -> conv -> [ReLU | ReLU6] -> quantize, the conv's weights int8
// in the model (their scales in cnn.weight_scales), is what ONNX Runtime
// runs as QLinearConv (and a linear layer between the same, as QGemm): it
// becomes one cnn.qconv2d with the model's scales
// and zero points (Passes.td). Only exact rewrites are made: a conv whose
// weights need -128, or whose activation the output range does not
// saturate, stays f32 between its quantize and dequantize.
//
//===----------------------------------------------------------------------===//

#include "WeightRewrites.h"
#include "cnnc/Support/Quantization.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Transforms/QuantizeInt8.h"
#include "cnnc/Weights/ConstantData.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_CNNQDQTOINT8
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

/// `weight` (OIHW) as the int8 values it was dequantized from with
/// `scales`, or nothing when one falls outside [-127, 127] (qconv2d's
/// range) or is not an integer multiple of its scale.
std::optional<std::vector<int8_t>> recoverWeights(ArrayRef<float> weight,
                                                  ArrayRef<float> scales) {
  const size_t perChannel = weight.size() / scales.size();
  std::vector<int8_t> quantized(weight.size());
  for (size_t i = 0; i < weight.size(); ++i) {
    const float scale = scales[i / perChannel];
    const float q = quant::roundHalfEven(weight[i] / scale);
    if (std::abs(q) > float(quant::kWeightMax) || q * scale != weight[i])
      return std::nullopt;
    quantized[i] = int8_t(q);
  }
  return quantized;
}

/// Whether quantizing with `out` after `activation` equals quantizing
/// without it: the activation's clamps lie at or beyond the u8 range.
bool outputRangeSaturates(Operation *activation, const quant::Params &out) {
  if (!activation)
    return true;
  if (out.zeroPoint != 0)
    return false;
  if (isa<ReluOp>(activation))
    return true;
  return quant::quantize(6.0f, quant::inverseScale(out.scale), 0) ==
         quant::kActivationMax;
}

/// The scale and zero point of a quantize or dequantize.
template <typename Op> quant::Params paramsOf(Op op) {
  return {op.getScale().convertToFloat(), int32_t(op.getZeroPoint())};
}

/// What `quantize` quantizes, looking through a ReLU or ReLU6 that is its
/// input (returned in `activation`, else null there); null where that
/// activation has other readers.
Value beforeActivation(QuantizeOp quantize, Operation *&activation) {
  activation = quantize.getInput().getDefiningOp();
  if (!isa_and_nonnull<ReluOp, Relu6Op>(activation)) {
    activation = nullptr;
    return quantize.getInput();
  }
  return activation->hasOneUse() ? activation->getOperand(0) : Value();
}

struct ConvBetweenQdq : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *activation;
    Value convResult = beforeActivation(quantize, activation);
    auto conv = convResult ? convResult.getDefiningOp<Conv2DOp>() : Conv2DOp();
    if (!conv || !conv->hasOneUse() || !isQuantizable(conv))
      return rewriter.notifyMatchFailure(quantize, "not a dense conv's");
    auto dequantize = conv.getInput().getDefiningOp<DequantizeOp>();
    auto scales = conv->getAttrOfType<DenseF32ArrayAttr>(kWeightScalesAttr);
    const int64_t channels =
        llvm::cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(0);
    if (!dequantize || !scales || scales.size() != channels)
      return rewriter.notifyMatchFailure(conv, "no int8 input and weights");
    const quant::Params in = paramsOf(dequantize), out = paramsOf(quantize);
    if (!outputRangeSaturates(activation, out))
      return rewriter.notifyMatchFailure(conv, "activation beyond the range");
    std::optional<std::vector<int8_t>> weights =
        recoverWeights(*constantValues(conv.getWeight()), scales.asArrayRef());
    if (!weights)
      return rewriter.notifyMatchFailure(conv, "weights outside [-127, 127]");
    QConv2DOp qconv = createQConv(rewriter, conv, dequantize.getInput(), in,
                                  scales.asArrayRef(), *weights, out);
    rewriter.replaceOp(quantize, qconv.getResult());
    if (activation)
      rewriter.eraseOp(activation);
    rewriter.eraseOp(conv);
    return success();
  }
};

/// dequantize -> linear -> [ReLU | ReLU6] -> quantize, the linear layer's
/// weights int8 in the model: the 1x1 int8 conv it is on an N x K x 1 x 1
/// map (cnn-linear-as-conv's form). The reshapes around the conv take f32
/// values: its input is quantized again with the parameters it was
/// dequantized with, which gives back the same integers, and its output
/// dequantized, reshaped and quantized as the model did.
struct LinearBetweenQdq : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *activation;
    Value linearResult = beforeActivation(quantize, activation);
    auto linear =
        linearResult ? linearResult.getDefiningOp<LinearOp>() : LinearOp();
    if (!linear || !linear->hasOneUse())
      return rewriter.notifyMatchFailure(quantize, "not a linear layer's");
    auto dequantize = linear.getInput().getDefiningOp<DequantizeOp>();
    auto scales = linear->getAttrOfType<DenseF32ArrayAttr>(kWeightScalesAttr);
    auto inputType = llvm::cast<RankedTensorType>(linear.getInput().getType());
    auto weightType =
        llvm::cast<RankedTensorType>(linear.getWeight().getType());
    const int64_t features = weightType.getDimSize(0);
    std::optional<std::vector<float>> weight =
        constantValues(linear.getWeight());
    if (!dequantize || !scales || scales.size() != features ||
        inputType.getRank() != 2 || !inputType.hasStaticShape() || !weight ||
        (linear.getBias() && !constantValues(linear.getBias())))
      return rewriter.notifyMatchFailure(linear, "no int8 input and weights");
    const quant::Params in = paramsOf(dequantize), out = paramsOf(quantize);
    if (!outputRangeSaturates(activation, out))
      return rewriter.notifyMatchFailure(linear, "activation beyond the range");
    std::optional<std::vector<int8_t>> weights =
        recoverWeights(*weight, scales.asArrayRef());
    if (!weights)
      return rewriter.notifyMatchFailure(linear, "weights outside [-127, 127]");

    Location loc = linear.getLoc();
    auto mapType = RankedTensorType::get(
        {inputType.getDimSize(0), inputType.getDimSize(1), 1, 1},
        inputType.getElementType());
    Value maps = ReshapeOp::create(rewriter, loc, mapType, linear.getInput());
    auto requantized =
        QuantizeOp::create(rewriter, loc, maps, dequantize.getScaleAttr(),
                           dequantize.getZeroPointAttr());
    QConv2DOp qconv =
        createQLinear(rewriter, loc, requantized.getResult(), linear.getBias(),
                      features, in, scales.asArrayRef(), *weights, out);
    auto convType = RankedTensorType::get(
        llvm::cast<RankedTensorType>(qconv.getResult().getType()).getShape(),
        inputType.getElementType());
    auto values = DequantizeOp::create(
        rewriter, loc, convType, qconv.getResult(), quantize.getScaleAttr(),
        quantize.getZeroPointAttr());
    Value flat = ReshapeOp::create(rewriter, loc, linearResult.getType(),
                                   values.getResult());
    rewriter.modifyOpInPlace(quantize, [&] { quantize->setOperand(0, flat); });
    if (activation)
      rewriter.eraseOp(activation);
    rewriter.eraseOp(linear);
    return success();
  }
};

struct CNNQdqToInt8Pass : cnnc::impl::CNNQdqToInt8Base<CNNQdqToInt8Pass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvBetweenQdq, LinearBetweenQdq>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
