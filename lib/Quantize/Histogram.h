//===- Histogram.h - Activation ranges from histograms ----------*- C++ -*-===//
//
// Private to lib/Quantize: the percentile and entropy calibration methods
// (ONNX Runtime's CalibrationMethod.Percentile and .Entropy), which choose
// a range narrower than min-max from a histogram of the values the
// calibration inputs gave.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_QUANTIZE_HISTOGRAM_H
#define CNNC_LIB_QUANTIZE_HISTOGRAM_H

#include "llvm/ADT/ArrayRef.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cnnc {

/// Counts of finite values in equal bins over [low, high], a range that
/// holds 0 (so that a range cut from it holds 0 too, as u8 quantization
/// needs). Values outside it (none, when it is the min-max range of the
/// same values) count in the end bins.
class Histogram {
public:
  static constexpr int kBins = 2048;
  Histogram(float low, float high);
  void add(llvm::ArrayRef<float> values);

  /// The range keeping `percentile`% of the values: (100 - percentile) / 2
  /// % cut from each tail, at bin edges, widened to hold 0.
  std::array<float, 2> percentileRange(double percentile) const;

  /// The range whose quantization to `levels` steps loses the least
  /// information (the smallest KL divergence between the histogram, with
  /// what falls outside clamped into the end bins, and its quantized
  /// form), as TensorRT's and ONNX Runtime's entropy calibration choose
  /// it. Candidates shrink both sides of 0 in proportion.
  std::array<float, 2> entropyRange(int levels) const;

private:
  float low, high;
  /// The bin holding 0.
  int zeroBin;
  std::vector<double> counts;
  double edge(int bin) const;
};

} // namespace cnnc

#endif // CNNC_LIB_QUANTIZE_HISTOGRAM_H
