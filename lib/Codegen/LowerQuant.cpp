//===- LowerQuant.cpp - Int8 ops: quantize, dequantize, qconv2d -----------===//
//
// Every rounding step is the one Quantization.h takes, as one f32
// operation, so a compiled int8 model equals the reference interpreter bit
// for bit. An int8 conv accumulates u8 x i8 products in int32 over groups
// of 4 input channels, the shape of VNNI's vpdpbusd (and of AArch64's
// sdot); Halide picks the instruction the target has.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Quantization.h"
#include "cnnc/Weights/ConstantData.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

/// 1.5 * 2^23: a float this large has a unit in the last place of 1, so
/// adding it to a float under 2^22 in magnitude rounds that float half to
/// even, and the sum's low mantissa bits hold the integer. Halide 14 rounds
/// a 16-float vector as two 8-float halves (vroundps, extract, insert) and
/// then converts it: 5 instructions where this takes 2.
constexpr float kMagic = 12582912.0f;

Expr saturateToU8(Expr real, int32_t zeroPoint) {
  // Clamped to the integers that land in u8 before rounding, which commutes
  // with a clamp to integer bounds: the rounded sum then needs no integer
  // clamp, and its low byte is the u8 (vpmovdb). strict_float: Halide's
  // fast math would fuse this multiply with an add before it into an FMA,
  // or reassociate it, in a fused stage.
  Expr clamped = Halide::clamp(Halide::strict_float(real),
                               float(quant::kActivationMin - zeroPoint),
                               float(quant::kActivationMax - zeroPoint));
  Expr sum = Halide::strict_float(clamped + kMagic);
  return Halide::cast<uint8_t>(Halide::reinterpret<int32_t>(sum) +
                               (zeroPoint - llvm::bit_cast<int32_t>(kMagic)));
}

Expr quantized(QuantizeOp op, Expr real) {
  return saturateToU8(real *
                          quant::inverseScale(op.getScale().convertToFloat()),
                      static_cast<int32_t>(op.getZeroPoint()));
}

float outputScaleOf(QConv2DOp op) {
  return op.writesFloat() ? 1.0f : op.getOutputScale()->convertToFloat();
}

Expr convOutput(QConv2DOp op, Expr scaled) {
  // strict_float, as in saturateToU8: the reference rounds this product
  // before any epilogue op adds to it.
  return op.writesFloat()
             ? Halide::strict_float(scaled)
             : saturateToU8(scaled,
                            static_cast<int32_t>(*op.getOutputZeroPoint()));
}

llvm::Expected<OpResult> Lowerer::lowerQuantize(QuantizeOp op) {
  llvm::Expected<Tensor> in = get(op, op.getInput());
  if (!in)
    return in.takeError();
  std::vector<Halide::Var> vars = argVars(in->shape.size());
  std::vector<Expr> args(vars.begin(), vars.end());
  Func f(uniqueName("quantize"));
  f(vars) = quantized(op, in->func(args));
  return OpResult{Stage::Kind::Elementwise, f};
}

/// The real value `f` holds at `args` less its zero point, q - zeroPoint,
/// as the float that saturateToU8 rounded to it, where `f` is that
/// rounding with this zero point; an undefined Expr otherwise. A
/// dequantize after a requantization in one stage (an int8 conv's
/// epilogue chain) reads it instead of narrowing to u8 and widening back,
/// which Halide does not see to be the identity: 6 instructions per vector
/// of 16, 1 so.
static Expr roundedReal(Func f, llvm::ArrayRef<Expr> args, int32_t zeroPoint) {
  using namespace Halide::Internal;
  if (!f.defined() || f.has_update_definition() || f.outputs() != 1 ||
      f.args().size() != args.size())
    return Expr();
  const auto *cast = f.value().as<Cast>();
  if (!cast || cast->type != Halide::UInt(8))
    return Expr();
  const auto *add = cast->value.as<Add>();
  const auto *bits = add ? add->a.as<Call>() : nullptr;
  const int64_t *offset = add ? as_const_int(add->b) : nullptr;
  if (!bits || !bits->is_intrinsic(Call::reinterpret) || !offset ||
      bits->args.size() != 1 ||
      *offset != zeroPoint - llvm::bit_cast<int32_t>(kMagic))
    return Expr();
  // Exact: the sum is an integer plus kMagic, under 2^22 apart.
  Expr value = Halide::strict_float(bits->args[0] - kMagic);
  std::vector<Halide::Var> vars = f.args();
  for (size_t i = 0; i < vars.size(); ++i)
    value = substitute(vars[i].name(), args[i], value);
  return value;
}

llvm::Expected<OpResult> Lowerer::lowerDequantize(DequantizeOp op) {
  llvm::Expected<Tensor> in = get(op, op.getInput());
  if (!in)
    return in.takeError();
  std::vector<Halide::Var> vars = argVars(in->shape.size());
  std::vector<Expr> args(vars.begin(), vars.end());
  const auto zeroPoint = static_cast<int32_t>(op.getZeroPoint());
  Expr real =
      in->activation < 0 ? roundedReal(in->func, args, zeroPoint) : Expr();
  if (!real.defined())
    real =
        Halide::cast<float>(Halide::cast<int32_t>(in->func(args)) - zeroPoint);
  Func f(uniqueName("dequantize"));
  f(vars) = Halide::strict_float(real * op.getScale().convertToFloat());
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerLookupTable(LookupTableOp op) {
  llvm::Expected<Tensor> in = get(op, op.getInput());
  if (!in)
    return in.takeError();
  const bool toU8 =
      getElementTypeOrSelf(op.getResult().getType()).isUnsignedInteger(8);
  // A stage that is this lookup alone calls the model runtime's kernel
  // (runtime/cnnc_lookup_table.c), whose table instructions Halide 14 does
  // not emit.
  if (options.runtimeTableLookups && in->activation >= 0 &&
      in->shape.size() == 4 && !llvm::isa<GroupOp>(op->getParentOp())) {
    Halide::Buffer<> values(toU8 ? Halide::UInt(8) : Halide::Float(32), 256);
    for (int i = 0; i < 256; ++i) {
      const float value = op.getTable()[i];
      if (toU8)
        values.as<uint8_t>()(i) = static_cast<uint8_t>(value);
      else
        values.as<float>()(i) = value;
    }
    Halide::ImageParam table = weightParam(values, "table");
    Func f(uniqueName("lookup"));
    f.define_extern("cnnc_k_lookup_table",
                    {model.activations[in->activation].param, table},
                    values.type(), argVars(4), Halide::NameMangling::C);
    return OpResult{Stage::Kind::Elementwise, f};
  }
  // A weight of the kernel, not part of its code: stages that differ only
  // in their tables share a kernel.
  Halide::Buffer<float> values(256);
  std::copy(op.getTable().begin(), op.getTable().end(), values.begin());
  Func table = param(values, "table");
  std::vector<Halide::Var> vars = argVars(in->shape.size());
  std::vector<Expr> args(vars.begin(), vars.end());
  Expr y = table(Halide::cast<int32_t>(in->func(args)));
  if (toU8)
    y = Halide::cast<uint8_t>(y);
  Func f(uniqueName("lookup"));
  f(vars) = y;
  return OpResult{Stage::Kind::Elementwise, f};
}

/// Entry `index` of an int8 conv's per-channel parameters, for output
/// channel `o` whose weights sum to `weightSum`: the bias in accumulator
/// units minus the input zero point times that sum (the padding reads the
/// zero point too, so this holds at every pixel), and the requantization
/// multiplier.
void setChannelParams(int index, int64_t o, int64_t weightSum,
                      ArrayRef<float> bias, const quant::Params &in,
                      ArrayRef<float> weightScales, float outScale,
                      Halide::Buffer<int32_t> &start,
                      Halide::Buffer<float> &multiplier) {
  const int32_t b =
      bias.empty() ? 0
                   : quant::quantizeBias(bias[o], in.scale, weightScales[o]);
  start(index) = b - in.zeroPoint * static_cast<int32_t>(weightSum);
  multiplier(index) =
      quant::requantMultiplier(in.scale, weightScales[o], outScale);
}

/// The i8 values of a constant weight.
static std::optional<std::vector<int8_t>> int8Values(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  auto dense = constant ? llvm::dyn_cast<DenseElementsAttr>(constant.getValue())
                        : DenseElementsAttr();
  if (!dense || !dense.getElementType().isInteger(8))
    return std::nullopt;
  std::vector<int8_t> values;
  for (const llvm::APInt &v : dense.getValues<llvm::APInt>())
    values.push_back(static_cast<int8_t>(v.getSExtValue()));
  if (dense.isSplat())
    values.resize(dense.getNumElements(), values.front());
  return values;
}

/// Whether a dense int8 conv of `cin` input channels, `cout` outputs and
/// `taps` kernel taps runs faster on AMX tiles than as VNNI dot products.
/// Narrow convs do not: the tiles compute 32 output channels and 64 bytes
/// of each window at a time, and their accumulators go through memory
/// before the requantization, where VNNI's stay in registers
/// (MobileNetV2's 16 -> 96 on 112x112: 0.23 ms on tiles, 0.17 with VNNI;
/// docs/decisions.md).
static bool amxPays(int64_t cin, int64_t cout, int64_t taps) {
  return cout >= 32 && taps * cin >= 64;
}

bool Lowerer::qconvOnAmx(QConv2DOp op) {
  std::vector<int64_t> w = shapeOf(op.getWeight());
  auto input = values.find(op.getInput());
  // The runtime's AMX kernel writes u8.
  return options.amxConvs && !op.writesFloat() && op.getGroups() == 1 &&
         input != values.end() && input->second.activation >= 0 &&
         input->second.shape.size() == 4 && amxPays(w[1], w[0], w[2] * w[3]);
}

bool Lowerer::foldsColumns(int64_t groups, llvm::ArrayRef<int64_t> w,
                           int64_t inW) const {
  if (quant::foldsKernelColumns(groups, w[1], w[2], w[3]))
    return true;
  // MobileNetV2's QDQ 3x3 stem: 0.061 -> 0.033 ms with VNNI; AVX2's
  // vpmaddwd took 0.174, its f32 form 0.132 (docs/decisions.md).
  return options.foldSmallStems && groups == 1 && w[1] <= 4 && w[3] > 1 &&
         w[2] * w[3] >= 9 && inW % 16 == 0;
}

llvm::Expected<OpResult> Lowerer::lowerQConv(QConv2DOp op) {
  std::vector<int64_t> w = shapeOf(op.getWeight());
  const int64_t groups = static_cast<int64_t>(op.getGroups());
  const bool depthwise = groups > 1 && w[1] == 1 && w[0] == groups;
  if (!quant::int8GroupsFit(groups, w[1], w[0] / groups))
    return errorAt(op, "has " + std::to_string(groups) + " groups of " +
                           std::to_string(w[1]) + " input and " +
                           std::to_string(w[0] / groups) +
                           " output channels, which int8 code generation "
                           "does not compile");
  llvm::Expected<Tensor> input = get(op, op.getInput());
  if (!input)
    return input.takeError();
  std::optional<std::vector<int8_t>> weight = int8Values(op.getWeight());
  if (!weight)
    return errorAt(op, "needs constant i8 weights");
  std::vector<float> bias;
  if (op.getBias()) {
    std::optional<std::vector<float>> b = constantValues(op.getBias());
    if (!b)
      return errorAt(op, "needs a constant bias");
    bias = std::move(*b);
  }
  if (depthwise)
    return lowerQDepthwise(op, *input, *weight, bias);
  // Lowering a group with an AMX conv at its head (lowerGroup) makes the
  // conv a stage of its own first.
  if (qconvOnAmx(op) && (!llvm::isa<GroupOp>(op->getParentOp()) ||
                         &op->getBlock()->front() == op.getOperation()))
    return lowerQConvAmx(op, *input, *weight, bias);
  SmallVector<int64_t, 2> stride(op.getStride()), pad(op.getPadding()),
      dil(op.getDilation());
  const bool fold = foldsColumns(groups, w, input->shape[3]);
  if (!fold && exactInFloat(op, *weight))
    return lowerQConvInFloat(op, *input, *weight, bias);
  const int64_t sourceChannels = w[1];
  // The kernel's columns folded into the input channels: folded channel
  // i * foldedWidth + kx of output pixel x is input channel i at column
  // x * stride + kx * dilation - pad, read by a one-column kernel (`ix`
  // below, whose stride, dilation and padding stay the input's). The
  // kernel's columns are rounded up to whole dot products of 4 (with zero
  // weights), so that each one reads 4 neighbouring columns of one channel:
  // from a planar input, one load.
  const int64_t foldedWidth = (w[3] + 3) / 4 * 4;
  if (fold) {
    const int64_t cout = w[0], cg = w[1], kh = w[2], kw = w[3];
    std::vector<int8_t> folded(cout * cg * foldedWidth * kh, 0);
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t i = 0; i < cg; ++i)
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx)
            folded[(o * cg * foldedWidth + i * foldedWidth + kx) * kh + ky] =
                (*weight)[((o * cg + i) * kh + ky) * kw + kx];
    *weight = std::move(folded);
    w = {cout, cg * foldedWidth, kh, 1};
  }
  std::vector<int64_t> out = shapeOf(op.getResult());
  const int64_t cout = w[0], cg = w[1], kh = w[2], kw = w[3];
  const int64_t og = cout / groups;
  // Weights in tiles of the register tile's output channels, so that a
  // tile's dot-product steps read one contiguous stream.
  const Int8Tile registerTile =
      chooseInt8Tile(cout, out[3], groups == 1 ? 0 : og);
  const int channelTile = registerTile.channels;
  const int64_t tiles = (cout + channelTile - 1) / channelTile;
  const int64_t padded = tiles * channelTile;
  // The input channels a tile of output channels reads, from the first of
  // its first group: a tile is inside one group or spans whole groups
  // (int8GroupsFit), whose inputs it reads together, the other groups'
  // meeting zero weights.
  const int64_t span = groups == 1         ? cg
                       : channelTile >= og ? channelTile / og * cg
                                           : cg;
  auto firstInput = [&](int64_t tile) {
    return groups == 1 ? 0 : tile * channelTile / og * cg;
  };
  const int64_t groups4 = (span + 3) / 4;
  const quant::Params in{op.getInputScale().convertToFloat(),
                         static_cast<int32_t>(op.getInputZeroPoint())};
  const float outScale = outputScaleOf(op);
  ArrayRef<float> weightScales = op.getWeightScales();

  // (k, o in tile, input channel group, kx, ky, tile): input channel
  // 4 * group + k of output o; zeros past the channels.
  Halide::Buffer<int8_t> packed(4, channelTile, static_cast<int>(groups4),
                                static_cast<int>(kw), static_cast<int>(kh),
                                static_cast<int>(tiles));
  std::fill(packed.begin(), packed.end(), int8_t(0));
  Halide::Buffer<int32_t> start(static_cast<int>(padded));
  Halide::Buffer<float> multiplier(static_cast<int>(padded));
  std::fill(start.begin(), start.end(), 0);
  std::fill(multiplier.begin(), multiplier.end(), 0.0f);
  for (int64_t o = 0; o < cout; ++o) {
    int64_t sum = 0;
    const int64_t tile = o / channelTile, group = o / og;
    for (int64_t j = 0; j < span; ++j) {
      const int64_t i = firstInput(tile) + j - group * cg;
      if (i < 0 || i >= cg)
        continue;
      for (int64_t ky = 0; ky < kh; ++ky)
        for (int64_t kx = 0; kx < kw; ++kx) {
          int8_t value = (*weight)[((o * cg + i) * kh + ky) * kw + kx];
          sum += value;
          packed(static_cast<int>(j % 4), static_cast<int>(o % channelTile),
                 static_cast<int>(j / 4), static_cast<int>(kx),
                 static_cast<int>(ky), static_cast<int>(tile)) = value;
        }
    }
    setChannelParams(static_cast<int>(o), o, sum, bias, in, weightScales,
                     outScale, start, multiplier);
  }

  Func weights = param(packed, "weight");
  Func startOf = param(start, "bias");
  Func multiplierOf = param(multiplier, "multiplier");
  // The padding reads the zero point. Channels are bounded only where a
  // last group of 4 would read past them.
  Halide::Region bounds(4);
  if (sourceChannels % 4 != 0)
    bounds[0] = Halide::Range(0, static_cast<int>(sourceChannels));
  bounds[1] = Halide::Range(0, static_cast<int>(input->shape[3]));
  bounds[2] = Halide::Range(0, static_cast<int>(input->shape[2]));
  Func exterior = Halide::BoundaryConditions::constant_exterior(
      input->func, Halide::cast<uint8_t>(in.zeroPoint), bounds);
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  // A padded copy of the input, which the schedule computes first: the
  // dot products then read it without a boundary select per load. A 1x1
  // stride-1 conv without padding reads no border: it reads its input in
  // place (a map narrower than a register tile is widened to one by the
  // memory plan). A folded conv reads its padded copy.
  const bool direct = !fold && kh == 1 && kw == 1 && cg % 4 == 0 &&
                      llvm::all_of(stride, [](int64_t s) { return s == 1; }) &&
                      llvm::all_of(pad, [](int64_t p) { return p == 0; });
  Func paddedInput(uniqueName("padded"));
  paddedInput(c, x, y, n) =
      direct ? input->func(c, x, y, n) : exterior(c, x, y, n);

  Halide::RDom r(0, 4, 0, static_cast<int>(groups4), 0, static_cast<int>(kw), 0,
                 static_cast<int>(kh), uniqueName("rq"));
  // A folded dot product reads 4 columns of one channel; folded columns
  // past the kernel's meet zero weights (and the padding's zero point).
  const int perChannel = static_cast<int>(foldedWidth / 4);
  Expr column = fold ? r.y % perChannel * 4 + r.x : Expr(r.z);
  Expr ix = x * int(stride[1]) + column * int(dil[1]) - int(pad[1]);
  Expr iy = y * int(stride[0]) + r.w * int(dil[0]) - int(pad[0]);
  // The accumulator has the channel tile as a dimension of its own,
  // (channel in tile, x, y, n, tile), so the weights are read without a
  // modulo: through `c % tile`, Halide assembled one of four weight vectors
  // byte by byte.
  Halide::Var tile("qtile");
  Func acc(uniqueName("qconv"));
  // A consumer may widen this activation past the padded channels (the
  // memory plan sizes it to what the consumer computes): those channels
  // read the last tile's parameters and are never used.
  Expr lastTile = static_cast<int>(tiles - 1);
  Expr inTile = Halide::min(tile, lastTile);
  Expr first = groups == 1 ? Expr(0) : inTile * channelTile / int(og) * int(cg);
  acc(c, x, y, n, tile) = startOf(inTile * channelTile + c);
  Expr channelIn = fold ? r.y / perChannel : first + r.y * 4 + r.x;
  acc(c, x, y, n, tile) +=
      Halide::cast<int32_t>(paddedInput(channelIn, ix, iy, n)) *
      Halide::cast<int32_t>(weights(r.x, c, r.y, r.z, r.w, inTile));
  Func result(uniqueName("requantize"));
  result(c, x, y, n) = convOutput(
      op, Halide::cast<float>(acc(c % channelTile, x, y, n, c / channelTile)) *
              multiplierOf(Halide::min(c, static_cast<int>(padded - 1))));
  QuantizedConvInfo info;
  info.accumulator = acc;
  info.paddedInput = paddedInput;
  info.r = r;
  info.outChannels = cout;
  info.outW = out[3];
  info.outH = out[2];
  info.channelTile = channelTile;
  info.pixels = registerTile.pixels;
  info.inChannels = static_cast<int>(groups == 1 ? 4 * groups4 : cg * groups);
  info.readsInputDirectly = direct;
  info.foldedColumns = fold;
  info.inW = input->shape[3];
  info.inputActivation = input->activation;
  currentStage->quantizedConv = info;
  return OpResult{Stage::Kind::Elementwise, result};
}

llvm::Expected<OpResult> Lowerer::lowerQDepthwise(QConv2DOp op,
                                                  const Tensor &input,
                                                  ArrayRef<int8_t> weight,
                                                  ArrayRef<float> bias) {
  std::vector<int64_t> w = shapeOf(op.getWeight());
  const int64_t channels = w[0], kh = w[2], kw = w[3];
  // Whole vectors of channels: a consumer may widen the output to them
  // (they read the last channel's parameters and are never used).
  const int64_t padded = (channels + kInt8DepthwiseLanes - 1) /
                         kInt8DepthwiseLanes * kInt8DepthwiseLanes;
  const quant::Params in{op.getInputScale().convertToFloat(),
                         static_cast<int32_t>(op.getInputZeroPoint())};
  const float outScale = outputScaleOf(op);
  ArrayRef<float> weightScales = op.getWeightScales();
  // (channel, kx, ky), and per channel setChannelParams' two values.
  Halide::Buffer<int8_t> packed(static_cast<int>(padded), static_cast<int>(kw),
                                static_cast<int>(kh));
  Halide::Buffer<int32_t> start(static_cast<int>(padded));
  Halide::Buffer<float> multiplier(static_cast<int>(padded));
  std::fill(packed.begin(), packed.end(), int8_t(0));
  for (int64_t c = 0; c < padded; ++c) {
    const int64_t o = std::min(c, channels - 1);
    int64_t sum = 0;
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx) {
        const int8_t value = weight[(o * kh + ky) * kw + kx];
        sum += value;
        if (c < channels)
          packed(static_cast<int>(c), static_cast<int>(kx),
                 static_cast<int>(ky)) = value;
      }
    setChannelParams(static_cast<int>(c), o, sum, bias, in, weightScales,
                     outScale, start, multiplier);
  }
  Func weights = param(packed, "weight");
  Func startOf = param(start, "bias");
  Func multiplierOf = param(multiplier, "multiplier");

  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Halide::Region bounds(4);
  bounds[1] = Halide::Range(0, static_cast<int>(input.shape[3]));
  bounds[2] = Halide::Range(0, static_cast<int>(input.shape[2]));
  Func paddedInput(uniqueName("padded"));
  paddedInput(c, x, y, n) = Halide::BoundaryConditions::constant_exterior(
      input.func, Halide::cast<uint8_t>(in.zeroPoint), bounds)(c, x, y, n);
  ArrayRef<int64_t> stride = op.getStride(), pad = op.getPadding(),
                    dil = op.getDilation();
  Halide::RDom r(0, static_cast<int>(kw), 0, static_cast<int>(kh),
                 uniqueName("rq"));
  Expr ix = x * int(stride[1]) + r.x * int(dil[1]) - int(pad[1]);
  Expr iy = y * int(stride[0]) + r.y * int(dil[0]) - int(pad[0]);
  Expr inChannel = Halide::min(c, static_cast<int>(padded - 1));
  Func acc(uniqueName("qdepthwise"));
  acc(c, x, y, n) = startOf(inChannel);
  // A u8 times an i8 fits 16 bits (255 * 127): one 16-bit multiply per
  // tap, widened into the int32 sum.
  acc(c, x, y, n) += Halide::cast<int32_t>(
      Halide::cast<int16_t>(paddedInput(c, ix, iy, n)) *
      Halide::cast<int16_t>(weights(inChannel, r.x, r.y)));
  Func result(uniqueName("requantize"));
  result(c, x, y, n) = convOutput(op, Halide::cast<float>(acc(c, x, y, n)) *
                                          multiplierOf(inChannel));
  QuantizedConvInfo info;
  info.accumulator = acc;
  info.paddedInput = paddedInput;
  info.r = r;
  info.outChannels = channels;
  info.outW = shapeOf(op.getResult())[3];
  info.channelTile = kInt8DepthwiseLanes;
  info.pixels = 4;
  info.outH = shapeOf(op.getResult())[2];
  info.inChannels = static_cast<int>(channels);
  info.depthwise = true;
  currentStage->quantizedConv = info;
  return OpResult{Stage::Kind::Elementwise, result};
}

} // namespace cnnc::codegen
