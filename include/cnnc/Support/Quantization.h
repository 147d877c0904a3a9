//===- Quantization.h - The int8 arithmetic every engine shares -*- C++ -*-===//
//
// The reference interpreter, the quantization pass and code generation all
// compute quantized values through these functions, so that compiled int8
// code equals the reference bit for bit. Every step is one f32 operation
// rounded half to even (as ONNX's QuantizeLinear and ONNX Runtime's
// requantization round), so the compiled kernels reproduce it exactly with
// the same f32 operations.
//
// Activations are u8 with a zero point (asymmetric, per tensor): VNNI's
// `vpdpbusd` multiplies u8 by s8. Weights are s8, symmetric, per output
// channel, in [-127, 127] so that negating a weight never overflows.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_SUPPORT_QUANTIZATION_H
#define CNNC_SUPPORT_QUANTIZATION_H

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cnnc::quant {

/// A u8 activation's real value is `(q - zeroPoint) * scale`.
struct Params {
  float scale = 1.0f;
  int32_t zeroPoint = 0;
};

constexpr int32_t kActivationMin = 0, kActivationMax = 255;
constexpr int32_t kWeightMax = 127;

/// Rounds half to even, as `nearbyint` does in the default rounding mode.
inline float roundHalfEven(float x) { return std::nearbyint(x); }

/// The u8 parameters covering [min, max] (widened to hold 0, so that zero
/// padding and ReLU's zeros are exact), as ONNX Runtime's MinMax
/// calibration chooses them.
inline Params chooseActivationParams(float min, float max) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  Params p;
  if (!(max > min) || !std::isfinite(max - min))
    return p;
  p.scale = (max - min) / float(kActivationMax - kActivationMin);
  p.zeroPoint =
      std::clamp(int32_t(roundHalfEven(float(kActivationMin) - min / p.scale)),
                 kActivationMin, kActivationMax);
  return p;
}

/// The reciprocal a quantization multiplies by: one rounding, the same in
/// every engine (a division's result would depend on how each compiles it).
inline float inverseScale(float scale) { return 1.0f / scale; }

/// `real` rounded half to even, plus `zeroPoint`, saturated to u8: the last
/// step of quantize and requantize.
inline uint8_t roundToU8(float real, int32_t zeroPoint) {
  // The clamp before the conversion keeps it defined.
  float r = std::clamp(roundHalfEven(real), -1024.0f, 1024.0f);
  return uint8_t(
      std::clamp(int32_t(r) + zeroPoint, kActivationMin, kActivationMax));
}

/// `x` quantized to u8: round(x * (1 / scale)) + zeroPoint, saturated.
inline uint8_t quantize(float x, float inverse, int32_t zeroPoint) {
  return roundToU8(x * inverse, zeroPoint);
}

/// The real value of `q`.
inline float dequantize(int32_t q, const Params &p) {
  return float(q - p.zeroPoint) * p.scale;
}

/// The scale of an output channel's weights: its largest magnitude maps to
/// 127 (an all-zero channel gets 1).
inline float weightScale(float maxAbs) {
  return maxAbs > 0.0f && std::isfinite(maxAbs) ? maxAbs / float(kWeightMax)
                                                : 1.0f;
}

/// A weight quantized with its channel's scale.
inline int8_t quantizeWeight(float w, float scale) {
  return int8_t(
      std::clamp(int32_t(roundHalfEven(w / scale)), -kWeightMax, kWeightMax));
}

/// The f32 factor taking an int32 accumulator (input scale times weight
/// scale) to the output's scale.
inline float requantMultiplier(float inputScale, float weightScale,
                               float outputScale) {
  return float(double(inputScale) * double(weightScale) / double(outputScale));
}

/// A bias in the accumulator's units, saturated to what the accumulator
/// can hold without overflowing on the products added to it.
inline int32_t quantizeBias(float bias, float inputScale, float weightScale) {
  double q = std::nearbyint(double(bias) / (double(inputScale) * weightScale));
  return int32_t(std::clamp(q, -double(1 << 30), double(1 << 30)));
}

/// The output value of an accumulator: round(acc * multiplier) + zero
/// point, saturated to u8.
inline uint8_t requantize(int32_t acc, float multiplier, int32_t zeroPoint) {
  return roundToU8(float(acc) * multiplier, zeroPoint);
}

/// Output channels per vector of the int8 kernels' int32 accumulators.
constexpr int64_t kAccumulatorLanes = 16;

/// Whether a dense int8 conv of `in` input channels and a `kh` x `kw`
/// kernel (a stem on RGB) is computed with its kernel columns folded into
/// the channels: a dot product of 4 then holds 4 products, not 3 channels
/// and a zero. Its folded copy of the input costs more than small kernels
/// gain: ResNet-50's 7x7 stem (3 -> 64) took 0.31 ms so, 0.49 in f32 and
/// 0.73 unfolded; MobileNetV2's 3x3 (3 -> 32) 0.136, against 0.060 in f32
/// (Zen 5, docs/decisions.md).
inline bool foldsKernelColumns(int64_t groups, int64_t in, int64_t kh,
                               int64_t kw) {
  return groups == 1 && in <= 4 && kw > 1 && kh * kw >= 25;
}

/// Whether int8 code computes a conv of `groups` groups of `inPerGroup`
/// input and `outPerGroup` output channels: dense, depthwise, or groups as
/// wide in as out, in whole dot products of 4 input channels, whose output
/// channels fill a vector of accumulators or whose vector spans whole
/// groups (RegNet, ResNeXt). A vector spanning several groups reads all of
/// their inputs, multiplying the other groups' by zero weights, so narrow
/// groups cost extra multiply-adds (twice as many for RegNetY's 8).
inline bool int8GroupsFit(int64_t groups, int64_t inPerGroup,
                          int64_t outPerGroup) {
  if (groups == 1 || (inPerGroup == 1 && outPerGroup == 1))
    return true;
  return inPerGroup == outPerGroup && inPerGroup % 4 == 0 &&
         (outPerGroup % kAccumulatorLanes == 0 ||
          kAccumulatorLanes % outPerGroup == 0);
}

} // namespace cnnc::quant

#endif // CNNC_SUPPORT_QUANTIZATION_H
