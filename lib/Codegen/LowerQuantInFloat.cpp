//===- LowerQuantInFloat.cpp - An int8 stem as an exact f32 conv ----------===//
//
// A dense int8 conv of at most 4 input channels (a stem on RGB) fills a
// third of each 4-channel dot product and runs without VNNI (Build.cpp).
// Its u8 inputs and i8 weights are small integers: where every partial sum
// of their products stays under 2^24, an f32 conv of those integers
// computes the int32 accumulator exactly, on the f32 conv's schedules, and
// the requantization after it is the integer conv's.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Support/Quantization.h"

#include <cstdlib>

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

bool exactInFloat(QConv2DOp op, ArrayRef<int8_t> weight) {
  std::vector<int64_t> w = shapeOf(op.getWeight());
  if (op.getGroups() != 1 || w[1] > 4)
    return false;
  const int64_t perOutput = w[1] * w[2] * w[3];
  for (int64_t o = 0; o < w[0]; ++o) {
    int64_t bound = 0;
    for (int64_t i = 0; i < perOutput; ++i)
      bound += std::abs(int64_t(weight[o * perOutput + i])) * 255;
    if (bound >= (int64_t(1) << 24))
      return false;
  }
  return true;
}

llvm::Expected<OpResult> Lowerer::lowerQConvInFloat(QConv2DOp op,
                                                    const Tensor &input,
                                                    ArrayRef<int8_t> weight,
                                                    ArrayRef<float> bias) {
  std::vector<int64_t> w = shapeOf(op.getWeight());
  std::vector<int64_t> out = shapeOf(op.getResult());
  const int64_t cout = w[0];
  ConvInfo info;
  info.outChannels = cout;
  info.inChannels = w[1];
  info.kernelH = w[2];
  info.kernelW = w[3];
  info.outW = out[3];
  info.outH = out[2];
  info.integerValues = true;
  const quant::Params in{op.getInputScale().convertToFloat(),
                         static_cast<int32_t>(op.getInputZeroPoint())};
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Tensor values{Func(uniqueName("values")), input.shape, -1};
  values.func(c, x, y, n) = Halide::cast<float>(input.func(c, x, y, n));
  info.input = values.func;
  // The padding reads the zero point, as in the integer conv.
  info.padded = zeroPadded(values, Expr(float(in.zeroPoint)));
  const int channels =
      static_cast<int>((cout + kChannelPad - 1) / kChannelPad * kChannelPad);
  Halide::Buffer<int32_t> start(channels);
  Halide::Buffer<float> multiplier(channels);
  std::fill(start.begin(), start.end(), 0);
  std::fill(multiplier.begin(), multiplier.end(), 0.0f);
  const int64_t perOutput = w[1] * w[2] * w[3];
  for (int64_t o = 0; o < cout; ++o) {
    int64_t sum = 0;
    for (int64_t i = 0; i < perOutput; ++i)
      sum += weight[o * perOutput + i];
    setChannelParams(static_cast<int>(o), o, sum, bias, in,
                     op.getWeightScales(), outputScaleOf(op), start,
                     multiplier);
  }
  // The bias joins the int32 sum after the conv, as in the integer conv.
  Func zero(uniqueName("zero"));
  zero(c) = 0.0f;
  directConv(info, std::vector<float>(weight.begin(), weight.end()), zero,
             op.getStride(), op.getPadding(), op.getDilation());
  Func startOf = param(start, "bias");
  Func multiplierOf = param(multiplier, "multiplier");
  Func result(uniqueName("requantize"));
  result(c, x, y, n) = convOutput(
      op, Halide::cast<float>(Halide::cast<int32_t>(info.conv(c, x, y, n)) +
                              startOf(c)) *
              multiplierOf(c));
  currentStage->convs.push_back(info);
  return OpResult{Stage::Kind::Conv, result};
}

} // namespace cnnc::codegen
