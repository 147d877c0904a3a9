//===- LowerConv.cpp - Convolutions -----------------------------*- C++ -*-===//
//
// A conv is a reduction over input channels and kernel taps into a Func
// initialised with the bias, reading weights repacked by WeightPacking.h
// with output channels innermost (depthwise: channels, then taps). Stride-1
// 3x3 dense convs may instead go through Winograd's transforms (Winograd.h).
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "WeightPacking.h"
#include "Winograd.h"
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
  info.groups = groups;

  info.input = input->func;
  info.prologue = input->activation < 0;
  // Where each output channel reads input channels of its own group and
  // there are as many of each, the input needs no bound on its channels:
  // output channels past the last, computed to fill a vector, read the
  // input's rounded channels, which the memory plan allocates and its
  // producer writes (the conv's output is as long as its input). With a
  // bound, a vector of output channels of several groups read its input
  // lane by lane (RegNetY's 104-channel grouped conv: 18 GFLOP/s).
  const bool ownChannels =
      info.depthwise ||
      (groups > 1 && cg == og && shapeOf(op.getInput())[1] == cout);
  std::optional<ArrayRef<float>> paddingValues = op.getPaddingValues();
  Func padded = paddingValues
                    ? paddedPerChannel(
                          *input,
                          perChannel(std::vector<float>(paddingValues->begin(),
                                                        paddingValues->end()),
                                     "padding"),
                          ownChannels)
                    : zeroPadded(*input, Expr(0.0f), ownChannels);
  info.padded = padded;
  llvm::Expected<Func> biasBuffer = biasOf(op, op.getBias(), cout);
  if (!biasBuffer)
    return biasBuffer.takeError();
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  if (info.depthwise) {
    Func conv(uniqueName("conv"));
    Func wp =
        param(packDepthwiseWeights(*weight, {cout, cg, kh, kw}), "weight");
    info.weights = wp;
    info.r = Halide::RDom(0, static_cast<int>(kw), 0, static_cast<int>(kh),
                          uniqueName("rdw"));
    Halide::RDom &r = info.r;
    Expr ix = x * int(stride[1]) + r.x * int(dil[1]) - int(pad[1]);
    Expr iy = y * int(stride[0]) + r.y * int(dil[0]) - int(pad[0]);
    conv(c, x, y, n) = (*biasBuffer)(c);
    conv(c, x, y, n) += wp(c, r.x, r.y) * padded(c, ix, iy, n);
    info.conv = conv;
  } else if (int m = winogradTile(op, info)) {
    winogradConv(info, *weight, m, pad[1], pad[0]);
    Func conv(uniqueName("conv"));
    conv(c, x, y, n) =
        (*biasBuffer)(c) +
        info.winograd.output(c, x / m + (y / m) * int(info.winograd.tilesX),
                             x % m, y % m, n);
    info.conv = conv;
  } else {
    directConv(info, *weight, *biasBuffer, stride, pad, dil);
  }
  return info.conv;
}

void Lowerer::directConv(ConvInfo &info, const std::vector<float> &weight,
                         Func bias, ArrayRef<int64_t> stride,
                         ArrayRef<int64_t> pad, ArrayRef<int64_t> dil) {
  const int64_t cout = info.outChannels, cg = info.inChannels,
                kh = info.kernelH, kw = info.kernelW;
  const int64_t og = cout / info.groups;
  Func tiles = param(packConvWeights(weight, {cout, cg, kh, kw}), "weight");
  // Read as (o, i, kx, ky); a vector never spans two blocks: channel
  // tiles start at multiples of a vector, which divides the block.
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Func wp(uniqueName("weights"));
  wp(c, x, y, n) =
      tiles(c % int(kConvWeightBlock), x, y, n, c / int(kConvWeightBlock));
  info.weights = wp;
  info.r = Halide::RDom(0, static_cast<int>(cg), 0, static_cast<int>(kw), 0,
                        static_cast<int>(kh), uniqueName("rconv"));
  Halide::RDom &r = info.r;
  Expr ix = x * int(stride[1]) + r.y * int(dil[1]) - int(pad[1]);
  Expr iy = y * int(stride[0]) + r.z * int(dil[0]) - int(pad[0]);
  Expr ic = info.groups == 1 ? Expr(r.x) : (c / int(og)) * int(cg) + r.x;
  Func conv(uniqueName("conv"));
  conv(c, x, y, n) = bias(c);
  conv(c, x, y, n) += wp(c, r.x, r.y, r.z) * info.padded(ic, ix, iy, n);
  info.conv = conv;
}

int Lowerer::winogradTile(Conv2DOp op, ConvInfo &info) const {
  if (op.getGroups() != 1 || info.kernelW != 3 || info.kernelH != 3 ||
      llvm::any_of(op.getStride(), [](int64_t s) { return s != 1; }) ||
      llvm::any_of(op.getDilation(), [](int64_t d) { return d != 1; }))
    return 0;
  // Inside a depthwise->pointwise block, inner convs are computed per strip
  // of rows, which the transforms' whole-layer phases do not fit.
  if (auto group = llvm::dyn_cast<GroupOp>(op->getParentOp()))
    if (group.getKind() == GroupKind::DepthwisePointwise)
      return 0;
  info.winogradEligible = true;
  // The stage this conv ends up in is the next one appended.
  auto forced = options.winogradByStage.find(int(model.stages.size()));
  if (forced != options.winogradByStage.end())
    return forced->second;
  if (options.winogradForAll >= 0)
    return options.winogradForAll;
  if (options.winograd == WinogradMode::Off)
    return 0;
  return chooseWinogradTile(info, options.winograd == WinogradMode::All);
}

void Lowerer::winogradConv(ConvInfo &info, const std::vector<float> &weight,
                           int m, int64_t padX, int64_t padY) {
  const WinogradTransform &tr = winogradTransform(m);
  const int alpha = tr.alpha;
  WinogradFuncs &w = info.winograd;
  w.m = m;
  w.tilesX = (info.outW + m - 1) / m;
  w.tilesY = (info.outH + m - 1) / m;
  const int tilesX = static_cast<int>(w.tilesX);
  Halide::Var c = v.c, n = v.n, t = w.t, ax = w.ax, ay = w.ay;
  Func padded = info.padded;
  Expr x0 = (t % tilesX) * m - int(padX), y0 = (t / tilesX) * m - int(padY);

  // V = B^T d B, one axis at a time: rows of B^T pick few inputs.
  w.inputX = Func(uniqueName("winograd_input_x"));
  w.inputX(c, t, ax, ay, n) =
      Halide::mux(ax, transformRows(tr.inputT, alpha, alpha, [&](int u) {
                    return padded(c, x0 + u, y0 + ay, n);
                  }));
  w.input = Func(uniqueName("winograd_input"));
  w.input(c, t, ax, ay, n) =
      Halide::mux(ay, transformRows(tr.inputT, alpha, alpha, [&](int u) {
                    return w.inputX(c, t, ax, u, n);
                  }));

  // M = sum over input channels of U V, for every point (ax, ay).
  Func u =
      param(packWinogradWeights(weight, info.outChannels, info.inChannels, tr),
            "weight");
  info.weights = u;
  w.r = Halide::RDom(0, static_cast<int>(info.inChannels), uniqueName("rwg"));
  w.accumulator = Func(uniqueName("winograd_product"));
  w.accumulator(c, t, ax, ay, n) = 0.0f;
  w.accumulator(c, t, ax, ay, n) +=
      u(c % int(kChannelPad), w.r, ax, ay, c / int(kChannelPad)) *
      w.input(w.r, t, ax, ay, n);
  w.product = Func(uniqueName("winograd_products"));
  w.product(c, t, ax, ay, n) = w.accumulator(c, t, ax, ay, n);

  // Y = A^T M A.
  w.outputX = Func(uniqueName("winograd_output_x"));
  w.outputX(c, t, ax, ay, n) =
      Halide::mux(ax, transformRows(tr.outputT, m, alpha, [&](int a) {
                    return w.product(c, t, a, ay, n);
                  }));
  w.output = Func(uniqueName("winograd_output"));
  w.output(c, t, ax, ay, n) =
      Halide::mux(ay, transformRows(tr.outputT, m, alpha, [&](int a) {
                    return w.outputX(c, t, ax, a, n);
                  }));
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
