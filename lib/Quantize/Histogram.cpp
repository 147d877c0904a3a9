//===- Histogram.cpp - Activation ranges from histograms ------------------===//

#include "Histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace cnnc;

Histogram::Histogram(float low, float high)
    : low(std::min(low, 0.0f)), high(std::max(high, 0.0f)), counts(kBins, 0.0) {
  zeroBin = this->high > this->low
                ? std::clamp(static_cast<int>(-double(this->low) /
                                              (double(this->high) - this->low) *
                                              kBins),
                             0, kBins - 1)
                : 0;
}

double Histogram::edge(int bin) const {
  return low + (double(high) - low) * double(bin) / kBins;
}

void Histogram::add(llvm::ArrayRef<float> values) {
  if (!(high > low))
    return;
  const double perUnit = kBins / (double(high) - low);
  for (float v : values)
    if (std::isfinite(v))
      counts[std::clamp(static_cast<int>((double(v) - low) * perUnit), 0,
                        kBins - 1)] += 1.0;
}

/// [lo, hi] widened to hold 0.
static std::array<float, 2> holdingZero(double lo, double hi) {
  return {static_cast<float>(std::min(lo, 0.0)),
          static_cast<float>(std::max(hi, 0.0))};
}

std::array<float, 2> Histogram::percentileRange(double percentile) const {
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  if (!(high > low) || total == 0)
    return {low, high};
  const double tail = total * (100.0 - percentile) / 200.0;
  int start = 0, end = kBins;
  for (double cut = 0; start < end && cut + counts[start] <= tail; ++start)
    cut += counts[start];
  for (double cut = 0; end > start && cut + counts[end - 1] <= tail; --end)
    cut += counts[end - 1];
  return holdingZero(edge(start), edge(end));
}

std::array<float, 2> Histogram::entropyRange(int levels) const {
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  if (!(high > low) || total == 0)
    return {low, high};
  // before[i]: the count of bins [0, i).
  std::vector<double> before(kBins + 1, 0.0);
  std::partial_sum(counts.begin(), counts.end(), before.begin() + 1);

  // The KL divergence between the bins [start, end) with the values
  // outside clamped into the end bins (P), and P quantized to `levels`
  // steps, each step's count spread over its non-empty bins (Q).
  std::vector<double> p, q;
  auto divergence = [&](int start, int end) {
    const int n = end - start;
    p.assign(counts.begin() + start, counts.begin() + end);
    p.front() += before[start];
    p.back() += total - before[end];
    q.assign(n, 0.0);
    // 0 is a level of its own (the zero point): a ReLU's zeros stay
    // exact, and their spike is not spread over the bins of its step,
    // which would make every wide range look lossy.
    const int zero = zeroBin - start;
    for (int step = 0; step < levels; ++step) {
      const int first = step * n / levels, last = (step + 1) * n / levels;
      double sum = 0;
      int nonEmpty = 0;
      for (int i = first; i < last; ++i) {
        if (i == zero)
          continue;
        sum += counts[start + i];
        nonEmpty += p[i] > 0;
      }
      for (int i = first; i < last; ++i)
        if (p[i] > 0 && i != zero)
          q[i] = sum / nonEmpty;
    }
    q[zero] = counts[zeroBin];
    const double sumQ = std::accumulate(q.begin(), q.end(), 0.0);
    if (sumQ == 0)
      return std::numeric_limits<double>::infinity();
    double kl = 0;
    for (int i = 0; i < n; ++i) {
      if (p[i] == 0)
        continue;
      const double pi = p[i] / total;
      // A bin P has and Q lost (its step held only clamped outliers):
      // smoothed, as ONNX Runtime smooths, rather than infinite.
      const double qi = std::max(q[i] / sumQ, 1e-12);
      kl += pi * std::log(pi / qi);
    }
    return kl;
  };

  const int left = zeroBin, right = kBins - zeroBin;
  double best = std::numeric_limits<double>::infinity();
  int bestStart = 0, bestEnd = kBins, lastStart = -1, lastEnd = -1;
  // Candidates keep a fraction of each side of 0, from `levels` bins (one
  // per step) to all of them, in steps of 4 bins.
  for (int kept = levels;; kept = std::min(kept + 4, kBins)) {
    const double fraction = double(kept) / kBins;
    const int start = zeroBin - static_cast<int>(std::lround(left * fraction));
    const int end = zeroBin + static_cast<int>(std::lround(right * fraction));
    if (end - start >= levels && (start != lastStart || end != lastEnd)) {
      lastStart = start;
      lastEnd = end;
      const double kl = divergence(start, end);
      if (kl < best) {
        best = kl;
        bestStart = start;
        bestEnd = end;
      }
    }
    if (kept == kBins)
      break;
  }
  return holdingZero(edge(bestStart), edge(bestEnd));
}
