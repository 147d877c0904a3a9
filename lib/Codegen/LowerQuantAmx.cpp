//===- LowerQuantAmx.cpp - A dense int8 conv on AMX tiles -----------------===//
//
// A dense int8 conv that is a stage of its own, on a CPU with AMX-INT8, is
// a Halide extern stage calling the model runtime's cnnc_k_qconv_amx
// (runtime/cnnc_qconv_amx.c): Halide 14 emits AMX only for one matrix
// product pattern, which a conv's window does not fit. This file packs the
// weights as that kernel's B tiles and passes the geometry; the kernel
// rounds as LowerQuant.cpp's stages do, so both equal the int8 reference.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Support/Quantization.h"

using namespace mlir;
using namespace cnnc::cnn;

namespace cnnc::codegen {

/// Output channels per step of the kernel (two 16-channel B tiles), and
/// bytes of an A row per tile.
constexpr int64_t kAmxChannels = 32, kAmxRowBytes = 64;

llvm::Expected<OpResult> Lowerer::lowerQConvAmx(QConv2DOp op,
                                                const Tensor &input,
                                                ArrayRef<int8_t> weight,
                                                ArrayRef<float> bias) {
  std::vector<int64_t> w = shapeOf(op.getWeight());
  const int64_t cout = w[0], cin = w[1], kh = w[2], kw = w[3];
  const int64_t cin4 = (cin + 3) / 4 * 4;
  // An A row: each tap's input channels rounded up to 4, then the row to
  // whole tiles.
  const int64_t rowBytes =
      (kh * kw * cin4 + kAmxRowBytes - 1) / kAmxRowBytes * kAmxRowBytes;
  const int64_t channels =
      (cout + kAmxChannels - 1) / kAmxChannels * kAmxChannels;
  const int64_t steps = rowBytes / kAmxRowBytes;
  const quant::Params in{op.getInputScale().convertToFloat(),
                         static_cast<int32_t>(op.getInputZeroPoint())};
  ArrayRef<float> weightScales = op.getWeightScales();
  const float outScale = outputScaleOf(op);

  // Per 16 output channels and step, a 16 x 64 B tile: row k4, byte
  // 4 * o + j holds the weight of channel o for row byte 4 * k4 + j.
  Halide::Buffer<int8_t> packed(static_cast<int>(channels * rowBytes));
  Halide::Buffer<int32_t> start(static_cast<int>(channels));
  Halide::Buffer<float> multiplier(static_cast<int>(channels));
  std::fill(packed.begin(), packed.end(), int8_t(0));
  std::fill(start.begin(), start.end(), 0);
  std::fill(multiplier.begin(), multiplier.end(), 0.0f);
  for (int64_t o = 0; o < cout; ++o) {
    int64_t sum = 0;
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx)
        for (int64_t i = 0; i < cin; ++i) {
          const int8_t value = weight[((o * cin + i) * kh + ky) * kw + kx];
          sum += value;
          const int64_t k = (ky * kw + kx) * cin4 + i;
          packed(static_cast<int>(((o / 16 * steps + k / kAmxRowBytes) * 16 +
                                   k % kAmxRowBytes / 4) *
                                      kAmxRowBytes +
                                  o % 16 * 4 + k % 4)) = value;
        }
    setChannelParams(static_cast<int>(o), o, sum, bias, in, weightScales,
                     outScale, start, multiplier);
  }
  ArrayRef<int64_t> stride = op.getStride(), pad = op.getPadding(),
                    dil = op.getDilation();
  std::vector<Halide::ExternFuncArgument> args = {
      model.activations[input.activation].param, weightParam(packed, "weight"),
      weightParam(start, "bias"), weightParam(multiplier, "multiplier")};
  for (int64_t value :
       {kh, kw, stride[0], stride[1], pad[0], pad[1], dil[0], dil[1], cin,
        input.shape[3], input.shape[2], int64_t(in.zeroPoint),
        int64_t(*op.getOutputZeroPoint()), rowBytes, channels})
    args.push_back(Halide::Expr(static_cast<int32_t>(value)));
  Halide::Func f(uniqueName("qconv_amx"));
  f.define_extern("cnnc_k_qconv_amx", args, Halide::UInt(8), argVars(4),
                  Halide::NameMangling::C);
  QuantizedConvInfo info;
  info.outChannels = cout;
  info.outW = shapeOf(op.getResult())[3];
  info.outH = shapeOf(op.getResult())[2];
  info.inChannels = static_cast<int>(cin4);
  info.amx = true;
  currentStage->quantizedConv = info;
  return OpResult{Stage::Kind::Elementwise, f};
}

} // namespace cnnc::codegen
