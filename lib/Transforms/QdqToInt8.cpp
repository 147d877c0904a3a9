//===- QdqToInt8.cpp - A QDQ model's convs as int8 convs ------------------===//
//
// dequantize -> conv -> [ReLU | ReLU6] -> quantize, the conv's weights int8
// in the model (their scales in cnn.weight_scales), is what ONNX Runtime
// runs as QLinearConv (and a linear layer between the same, as QGemm): it
// becomes one cnn.qconv2d with the model's scales and zero points
// (Passes.td). A dequantize -> conv or linear layer with int8 weights that
// nothing quantizes after becomes an int8 conv with an f32 output. Only
// exact rewrites are made: a conv whose weights need -128 stays f32.
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

/// A conv or linear layer of a QDQ model in int8: its dequantized input,
/// its weights' per-channel scales, and their int8 values.
struct Int8Form {
  DequantizeOp dequantize;
  ArrayRef<float> scales;
  std::vector<int8_t> weights;
};

/// `layer`'s int8 form where its input is dequantized and its weights
/// (`outputs` rows) carry their scales and are int8 values (recoverWeights);
/// the reason it is not, otherwise.
FailureOr<Int8Form> int8Form(Operation *layer, Value input, Value weight,
                             int64_t outputs, PatternRewriter &rewriter) {
  auto dequantize = input.getDefiningOp<DequantizeOp>();
  auto scales = layer->getAttrOfType<DenseF32ArrayAttr>(kWeightScalesAttr);
  std::optional<std::vector<float>> values = constantValues(weight);
  if (!dequantize || !scales || scales.size() != outputs || !values)
    return rewriter.notifyMatchFailure(layer, "no int8 input and weights");
  std::optional<std::vector<int8_t>> weights =
      recoverWeights(*values, scales.asArrayRef());
  if (!weights)
    return rewriter.notifyMatchFailure(layer, "weights outside [-127, 127]");
  return Int8Form{dequantize, scales.asArrayRef(), std::move(*weights)};
}

FailureOr<Int8Form> int8Form(Conv2DOp conv, PatternRewriter &rewriter) {
  if (!isQuantizable(conv))
    return rewriter.notifyMatchFailure(conv, "not a conv int8 code computes");
  return int8Form(
      conv, conv.getInput(), conv.getWeight(),
      llvm::cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(0),
      rewriter);
}

FailureOr<Int8Form> int8Form(LinearOp linear, PatternRewriter &rewriter) {
  auto inputType = llvm::cast<RankedTensorType>(linear.getInput().getType());
  if (inputType.getRank() != 2 || !inputType.hasStaticShape() ||
      (linear.getBias() && !constantValues(linear.getBias())))
    return rewriter.notifyMatchFailure(linear, "not a 2-D linear layer");
  return int8Form(
      linear, linear.getInput(), linear.getWeight(),
      llvm::cast<RankedTensorType>(linear.getWeight().getType()).getDimSize(0),
      rewriter);
}

/// The f32 value of `linear` computed as the 1x1 int8 conv it is on an
/// N x K x 1 x 1 map (cnn-linear-as-conv's form), its output u8 with `out`
/// and dequantized, or f32 without `out`. The reshapes around the conv
/// take f32 values: its input is quantized again with the parameters it
/// was dequantized with, which gives back the same integers.
Value int8Linear(PatternRewriter &rewriter, LinearOp linear,
                 const Int8Form &form, std::optional<quant::Params> out) {
  Location loc = linear.getLoc();
  auto inputType = llvm::cast<RankedTensorType>(linear.getInput().getType());
  const int64_t features =
      llvm::cast<RankedTensorType>(linear.getWeight().getType()).getDimSize(0);
  auto mapType = RankedTensorType::get(
      {inputType.getDimSize(0), inputType.getDimSize(1), 1, 1},
      inputType.getElementType());
  Value maps = ReshapeOp::create(rewriter, loc, mapType, linear.getInput());
  DequantizeOp dequantize = form.dequantize;
  auto requantized =
      QuantizeOp::create(rewriter, loc, maps, dequantize.getScaleAttr(),
                         dequantize.getZeroPointAttr());
  QConv2DOp qconv = createQLinear(
      rewriter, loc, requantized.getResult(), linear.getBias(), features,
      paramsOf(dequantize), form.scales, form.weights, out);
  Value values = qconv.getResult();
  if (out) {
    auto convType = RankedTensorType::get(
        llvm::cast<RankedTensorType>(values.getType()).getShape(),
        inputType.getElementType());
    values = DequantizeOp::create(rewriter, loc, convType, values,
                                  rewriter.getF32FloatAttr(out->scale),
                                  rewriter.getI64IntegerAttr(out->zeroPoint));
  }
  return ReshapeOp::create(rewriter, loc, linear.getType(), values);
}

struct ConvBetweenQdq : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *activation;
    Value convResult = beforeActivation(quantize, activation);
    auto conv = convResult ? convResult.getDefiningOp<Conv2DOp>() : Conv2DOp();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(quantize, "not a dense conv's");
    FailureOr<Int8Form> form = int8Form(conv, rewriter);
    if (failed(form))
      return failure();
    const quant::Params out = paramsOf(quantize);
    if (!outputRangeSaturates(activation, out))
      return rewriter.notifyMatchFailure(conv, "activation beyond the range");
    QConv2DOp qconv = createQConv(rewriter, conv, form->dequantize.getInput(),
                                  paramsOf(form->dequantize), form->scales,
                                  form->weights, out);
    rewriter.replaceOp(quantize, qconv.getResult());
    if (activation)
      rewriter.eraseOp(activation);
    rewriter.eraseOp(conv);
    return success();
  }
};

/// dequantize -> linear -> [ReLU | ReLU6] -> quantize, the linear layer's
/// weights int8 in the model: an int8 1x1 conv with a u8 output, whose
/// value is dequantized, reshaped and quantized as the model did.
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
    FailureOr<Int8Form> form = int8Form(linear, rewriter);
    if (failed(form))
      return failure();
    const quant::Params out = paramsOf(quantize);
    if (!outputRangeSaturates(activation, out))
      return rewriter.notifyMatchFailure(linear, "activation beyond the range");
    Value flat = int8Linear(rewriter, linear, *form, out);
    rewriter.modifyOpInPlace(quantize, [&] { quantize->setOperand(0, flat); });
    if (activation)
      rewriter.eraseOp(activation);
    rewriter.eraseOp(linear);
    return success();
  }
};

/// `conv` as an int8 conv with an f32 output.
Value floatOutput(PatternRewriter &rewriter, Conv2DOp conv,
                  const Int8Form &form) {
  DequantizeOp dequantize = form.dequantize;
  return createQConv(rewriter, conv, dequantize.getInput(),
                     paramsOf(dequantize), form.scales, form.weights,
                     std::nullopt)
      .getResult();
}

/// `linear` as an int8 1x1 conv with an f32 output.
Value floatOutput(PatternRewriter &rewriter, LinearOp linear,
                  const Int8Form &form) {
  return int8Linear(rewriter, linear, form, std::nullopt);
}

/// A dequantize -> conv or linear layer that the patterns above left, its
/// weights int8 in the model (a classifier's last layer, which ONNX
/// Runtime runs as a QGemm with a float output, or a conv whose result
/// has f32 readers): int8 with an f32 output, the exact value of the f32
/// layer on the dequantized values.
template <typename Op> struct LayerToFloat : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;

  LogicalResult matchAndRewrite(Op layer,
                                PatternRewriter &rewriter) const override {
    FailureOr<Int8Form> form = int8Form(layer, rewriter);
    if (failed(form))
      return failure();
    rewriter.replaceOp(layer, floatOutput(rewriter, layer, *form));
    return success();
  }
};

struct CNNQdqToInt8Pass : cnnc::impl::CNNQdqToInt8Base<CNNQdqToInt8Pass> {
  void runOnOperation() override {
    // Layers whose output the model quantizes first, so that they write
    // u8; the rest then write f32.
    RewritePatternSet quantized(&getContext());
    quantized.add<ConvBetweenQdq, LinearBetweenQdq>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(quantized))))
      return signalPassFailure();
    RewritePatternSet toFloat(&getContext());
    toFloat.add<LayerToFloat<Conv2DOp>, LayerToFloat<LinearOp>>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(toFloat))))
      return signalPassFailure();
  }
};

} // namespace
