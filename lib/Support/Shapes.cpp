//===- Shapes.cpp - Output-size arithmetic of conv and pooling ------------===//

#include "cnnc/Support/Shapes.h"

namespace cnnc {

static bool isValid(const Window1D &w) {
  return w.kernel > 0 && w.stride > 0 && w.dilation > 0 && w.padBegin >= 0 &&
         w.padEnd >= 0;
}

/// How far the window can slide over the padded input, or nullopt if the
/// window is invalid or does not fit.
static std::optional<int64_t> slidingSpan(int64_t inputSize,
                                          const Window1D &w) {
  if (!isValid(w) || inputSize <= 0)
    return std::nullopt;
  int64_t span = inputSize + w.padBegin + w.padEnd - w.effectiveKernel();
  if (span < 0)
    return std::nullopt;
  return span;
}

std::optional<int64_t> convOutputSize(int64_t inputSize, const Window1D &w) {
  std::optional<int64_t> span = slidingSpan(inputSize, w);
  if (!span)
    return std::nullopt;
  return *span / w.stride + 1;
}

std::optional<int64_t> poolOutputSize(int64_t inputSize, const Window1D &w) {
  std::optional<int64_t> found = slidingSpan(inputSize, w);
  if (!found)
    return std::nullopt;
  int64_t span = *found;
  int64_t out =
      (w.ceilMode ? (span + w.stride - 1) / w.stride : span / w.stride) + 1;
  // PyTorch drops a last window that would start in the right padding.
  if (w.ceilMode && (out - 1) * w.stride >= inputSize + w.padBegin)
    --out;
  return out;
}

int64_t adaptiveStart(int64_t i, int64_t inputSize, int64_t outputSize) {
  return (i * inputSize) / outputSize;
}

int64_t adaptiveEnd(int64_t i, int64_t inputSize, int64_t outputSize) {
  return ((i + 1) * inputSize + outputSize - 1) / outputSize;
}

} // namespace cnnc
