//===- LowerConv.cpp - Convolutions -----------------------------*- C++ -*-===//
//
// A conv is a reduction over input channels and kernel taps into a Func
// initialised with the bias, reading weights repacked by WeightPacking.h
// with output channels innermost (depthwise: channels, then taps).
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "WeightPacking.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

/// The conv's reduction Func, described in `info` for its schedule.
llvm::Expected<Func> Lowerer::convReduction(Conv2DOp op, ConvInfo &info) {
  llvm::Expected<Tensor> input = get(op, op.getInput());
  if (!input)
    return input.takeError();
  llvm::Expected<std::vector<float>> weight = constant(op, op.getWeight());
  if (!weight)
    return weight.takeError();
  std::vector<int64_t> w = shapeOf(op.getWeight());
  std::vector<int64_t> out = shapeOf(op.getResult());
  const int64_t cout = w[0], cg = w[1], kh = w[2], kw = w[3];
  const int64_t groups = static_cast<int64_t>(op.getGroups());
  const int64_t og = cout / groups;
  ArrayRef<int64_t> stride = op.getStride(), pad = op.getPadding(),
                    dil = op.getDilation();
  info.outChannels = cout;
  info.inChannels = cg;
  info.kernelW = kw;
  info.kernelH = kh;
  info.outW = out[3];
  info.outH = out[2];
  info.depthwise = groups > 1 && cg == 1 && og == 1;

  info.input = input->func;
  Func padded = zeroPadded(*input);
  info.padded = padded;
  Func conv(uniqueName("conv"));
  std::vector<float> biasValues(cout, 0.0f);
  if (Value bias = op.getBias()) {
    llvm::Expected<std::vector<float>> b = constant(op, bias);
    if (!b)
      return b.takeError();
    biasValues = std::move(*b);
  }
  Func biasBuffer = perChannel(biasValues, "bias");
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  if (info.depthwise) {
    Func wp =
        param(packDepthwiseWeights(*weight, {cout, cg, kh, kw}), "weight");
    info.weights = wp;
    info.r = Halide::RDom(0, static_cast<int>(kw), 0, static_cast<int>(kh),
                          uniqueName("rdw"));
    Halide::RDom &r = info.r;
    Expr ix = x * int(stride[1]) + r.x * int(dil[1]) - int(pad[1]);
    Expr iy = y * int(stride[0]) + r.y * int(dil[0]) - int(pad[0]);
    conv(c, x, y, n) = biasBuffer(c);
    conv(c, x, y, n) += wp(c, r.x, r.y) * padded(c, ix, iy, n);
  } else {
    Func tiles = param(packConvWeights(*weight, {cout, cg, kh, kw}), "weight");
    // Read as (o, i, kx, ky); schedules' channel tiles divide kChannelPad or
    // start at multiples of a vector, so a vector never spans two tiles.
    Func wp(uniqueName("weights"));
    wp(c, x, y, n) = tiles(c % int(kChannelPad), x, y, n, c / int(kChannelPad));
    info.weights = wp;
    info.r = Halide::RDom(0, static_cast<int>(cg), 0, static_cast<int>(kw), 0,
                          static_cast<int>(kh), uniqueName("rconv"));
    Halide::RDom &r = info.r;
    Expr ix = x * int(stride[1]) + r.y * int(dil[1]) - int(pad[1]);
    Expr iy = y * int(stride[0]) + r.z * int(dil[0]) - int(pad[0]);
    Expr ic = groups == 1 ? Expr(r.x) : (c / int(og)) * int(cg) + r.x;
    conv(c, x, y, n) = biasBuffer(c);
    conv(c, x, y, n) += wp(c, r.x, r.y, r.z) * padded(ic, ix, iy, n);
  }
  info.conv = conv;
  return conv;
}

llvm::Expected<OpResult> Lowerer::lowerConv(Conv2DOp op) {
  ConvInfo info;
  llvm::Expected<Func> f = convReduction(op, info);
  if (!f)
    return f.takeError();
  currentStage->convs.push_back(info);
  return OpResult{Stage::Kind::Conv, *f};
}

} // namespace cnnc::codegen
