//===- Kernels.h - Reference kernels of the cnn ops -------------*- C++ -*-===//
//
// One function per op, free of MLIR, so unit tests can check each against
// hand-computed values. Semantics are PyTorch's.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_REFERENCE_KERNELS_H
#define CNNC_REFERENCE_KERNELS_H

#include "cnnc/Reference/Interpreter.h"
#include "cnnc/Support/Quantization.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <optional>
#include <vector>

namespace cnnc::reference {

struct Conv2DParams {
  std::array<int64_t, 2> stride = {1, 1};
  /// top, left, bottom, right
  std::array<int64_t, 4> padding = {0, 0, 0, 0};
  std::array<int64_t, 2> dilation = {1, 1};
  int64_t groups = 1;
  /// What the padding reads, per input channel; empty: zeros.
  std::vector<float> paddingValues;
};

struct Pool2DParams {
  std::array<int64_t, 2> kernel = {1, 1};
  std::array<int64_t, 2> stride = {1, 1};
  std::array<int64_t, 4> padding = {0, 0, 0, 0};
  std::array<int64_t, 2> dilation = {1, 1};
  bool ceilMode = false;
  bool countIncludePad = true;
};

Tensor conv2d(const Tensor &input, const Tensor &weight, const Tensor *bias,
              const Conv2DParams &params, unsigned threads = 1);
/// A transposed conv (weight [C, O / groups, kh, kw]) to `outSize`.
Tensor convTranspose2d(const Tensor &input, const Tensor &weight,
                       const Tensor *bias, const Conv2DParams &params,
                       std::array<int64_t, 2> outSize);
Tensor batchNorm(const Tensor &input, const Tensor &weight, const Tensor &bias,
                 const Tensor &mean, const Tensor &variance, double epsilon);
/// Normalizes each pixel's channel vector (biased variance).
Tensor layerNorm(const Tensor &input, const Tensor &weight, const Tensor &bias,
                 double epsilon);
/// torch.nn.GroupNorm: each image's `groups` consecutive channel groups
/// normalized over their channels and H x W (biased variance), then scaled
/// and shifted per channel.
Tensor groupNorm(const Tensor &input, const Tensor &weight, const Tensor &bias,
                 int64_t groups, double epsilon);
/// `f` of every element (computed in double, rounded to f32).
Tensor activation(const Tensor &input, llvm::function_ref<double(double)> f);
/// `lhs op rhs` with rhs broadcast NumPy-style into lhs's shape.
Tensor add(const Tensor &lhs, const Tensor &rhs);
Tensor mul(const Tensor &lhs, const Tensor &rhs);
Tensor sub(const Tensor &lhs, const Tensor &rhs);
Tensor div(const Tensor &lhs, const Tensor &rhs);
Tensor maximum(const Tensor &lhs, const Tensor &rhs);
Tensor minimum(const Tensor &lhs, const Tensor &rhs);
/// 1.0 where `holds(lhs, rhs)`, else 0.0, rhs broadcast like a binary op's.
Tensor mask(const Tensor &lhs, const Tensor &rhs,
            llvm::function_ref<bool(float, float)> holds);
/// `onTrue` where `condition` is not 0, else `onFalse`, each broadcast
/// into `shape`.
Tensor select(const Tensor &condition, const Tensor &onTrue,
              const Tensor &onFalse, llvm::ArrayRef<int64_t> shape);
/// `input` broadcast NumPy-style into `shape` (torch.expand).
Tensor expand(const Tensor &input, llvm::ArrayRef<int64_t> shape);
/// PReLU: `x >= 0 ? x : slope * x`, the slope broadcast like a rhs.
Tensor prelu(const Tensor &input, const Tensor &slope);
/// What `reduce` computes (torch.mean, sum, amax, amin, norm p=1 and 2,
/// sum of squares).
enum class Reduction { Mean, Sum, Max, Min, L1, L2, SumSquare, ArgMax, ArgMin };
/// A reduction over `axes` (ascending), kept as dimensions of size 1 or not.
/// ArgMax and ArgMin take one axis and give the index of the first maximum
/// or minimum along it (a NaN counts as the maximum, as in torch.argmax).
Tensor reduce(const Tensor &input, llvm::ArrayRef<int64_t> axes, bool keepdim,
              Reduction kind);
Tensor maxPool2d(const Tensor &input, const Pool2DParams &params);
Tensor avgPool2d(const Tensor &input, const Pool2DParams &params);
Tensor adaptiveAvgPool2d(const Tensor &input, int64_t height, int64_t width);
Tensor linear(const Tensor &input, const Tensor &weight, const Tensor *bias,
              unsigned threads = 1);
/// Softmax along `axis`, or its logarithm (computed as x - max - log sum).
Tensor softmax(const Tensor &input, int64_t axis, bool log = false);
Tensor concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis);
/// Elements [start, end) along `axis`.
Tensor slice(const Tensor &input, int64_t axis, int64_t start, int64_t end);
/// Output channel i * groups + g is input channel g * (C / groups) + i.
Tensor channelShuffle(const Tensor &input, int64_t groups);
/// DepthToSpace with block size `b`: CRD (PixelShuffle) or DCR order.
Tensor depthToSpace(const Tensor &input, int64_t b, bool crd);
/// Padding of H and W ([top, left, bottom, right]): `constant` with
/// `value`, `reflect` (the edge once) or `edge`.
Tensor pad(const Tensor &input, llvm::ArrayRef<int64_t> padding,
           llvm::StringRef mode, float value);
/// Its inverse, PixelUnshuffle (CRD) or ONNX SpaceToDepth (DCR).
Tensor spaceToDepth(const Tensor &input, int64_t b, bool crd);
/// Result dimension i is input dimension perm[i].
Tensor transpose(const Tensor &input, llvm::ArrayRef<int64_t> perm);
/// The input coordinate output coordinate `o` reads along an axis of `in`
/// (resized to `out`, by `scale`): ONNX Resize's coordinate
/// transformation `coordinates`.
double resizeSource(int64_t o, int64_t in, int64_t out, double scale,
                    llvm::StringRef coordinates);
/// ONNX Resize of H and W to outH x outW: `mode` nearest (rounded as
/// `nearest` says) or linear (bilinear, clamped to the edge).
Tensor resize(const Tensor &input, int64_t outH, int64_t outW, double scaleH,
              double scaleW, llvm::StringRef mode, llvm::StringRef coordinates,
              llvm::StringRef nearest);
/// A qconv2d's quantization: its input's and output's u8 parameters and
/// one scale per output channel of its i8 weights; no output parameters
/// for an f32 output.
struct QConvParams {
  quant::Params input;
  std::optional<quant::Params> output;
  std::vector<float> weightScales;
};
/// u8 values (held as f32) of `input` quantized with `p`.
Tensor quantize(const Tensor &input, const quant::Params &p);
/// The real values of the u8 values `input`.
Tensor dequantize(const Tensor &input, const quant::Params &p);
/// `table[q]` for every u8 value `q` of `input`.
Tensor lookupTable(const Tensor &input, llvm::ArrayRef<float> table);
/// An int8 conv (cnn.qconv2d): u8 input, i8 weight values, f32 bias; the
/// u8 output (or the f32 accumulator's value), exactly as Quantization.h
/// rounds.
Tensor qconv2d(const Tensor &input, const Tensor &weight, const Tensor *bias,
               const Conv2DParams &params, const QConvParams &quant,
               unsigned threads = 1);
/// The same elements under a new shape (flatten and reshape).
Tensor reshape(const Tensor &input, std::vector<int64_t> shape);

} // namespace cnnc::reference

#endif // CNNC_REFERENCE_KERNELS_H
