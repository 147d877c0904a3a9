//===- QdqToInt8.cpp - A QDQ model's convs as int8 convs ------------------===//
//
// dequantize -> conv -> [ReLU | ReLU6] -> quantize, the conv's weights int8
// in the model (their scales in cnn.weight_scales), is what ONNX Runtime
// runs as QLinearConv: it becomes one cnn.qconv2d with the model's scales
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

struct ConvBetweenQdq : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *activation = quantize.getInput().getDefiningOp();
    Value convResult = quantize.getInput();
    if (isa_and_nonnull<ReluOp, Relu6Op>(activation)) {
      if (!activation->hasOneUse())
        return failure();
      convResult = activation->getOperand(0);
    } else {
      activation = nullptr;
    }
    auto conv = convResult.getDefiningOp<Conv2DOp>();
    if (!conv || !conv->hasOneUse() || !isQuantizable(conv))
      return rewriter.notifyMatchFailure(quantize, "not a dense conv's");
    auto dequantize = conv.getInput().getDefiningOp<DequantizeOp>();
    auto scales = conv->getAttrOfType<DenseF32ArrayAttr>(kWeightScalesAttr);
    const int64_t channels =
        llvm::cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(0);
    if (!dequantize || !scales || scales.size() != channels)
      return rewriter.notifyMatchFailure(conv, "no int8 input and weights");
    quant::Params in{dequantize.getScale().convertToFloat(),
                     int32_t(dequantize.getZeroPoint())};
    quant::Params out{quantize.getScale().convertToFloat(),
                      int32_t(quantize.getZeroPoint())};
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

struct CNNQdqToInt8Pass : cnnc::impl::CNNQdqToInt8Base<CNNQdqToInt8Pass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvBetweenQdq>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
