//===- Shapes.h - Output-size arithmetic of conv and pooling ----*- C++ -*-===//
//
// PyTorch's output-size formulas for one spatial dimension, free of MLIR so
// that the dialect, the reference interpreter and the unit tests share them.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_SUPPORT_SHAPES_H
#define CNNC_SUPPORT_SHAPES_H

#include <cstdint>
#include <optional>

namespace cnnc {

/// The window of a conv or pool along one spatial dimension.
struct Window1D {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padBegin = 0;
  int64_t padEnd = 0;
  int64_t dilation = 1;
  bool ceilMode = false;

  /// The span one output covers in the (padded) input: d * (k - 1) + 1.
  int64_t effectiveKernel() const { return dilation * (kernel - 1) + 1; }
};

/// torch.nn.Conv2d's output size, or nullopt when the parameters are invalid
/// (non-positive kernel/stride/dilation, negative padding) or the padded
/// input is smaller than the dilated kernel.
std::optional<int64_t> convOutputSize(int64_t inputSize, const Window1D &w);

/// torch.nn.MaxPool2d / AvgPool2d's output size, ceil_mode included: with
/// ceil_mode the last window must start inside the input or its left padding.
std::optional<int64_t> poolOutputSize(int64_t inputSize, const Window1D &w);

/// First input index (inclusive) of adaptive pooling's output cell `i`.
int64_t adaptiveStart(int64_t i, int64_t inputSize, int64_t outputSize);
/// One past the last input index of adaptive pooling's output cell `i`.
int64_t adaptiveEnd(int64_t i, int64_t inputSize, int64_t outputSize);

} // namespace cnnc

#endif // CNNC_SUPPORT_SHAPES_H
