//===- Profile.cpp - Per-stage profiles of compiled models ----------------===//

#include "Profile.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace cnnc {

static double median(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

static std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

void printProfile(llvm::raw_ostream &os, const std::vector<StageInfo> &stages,
                  const std::vector<std::vector<double>> &runs,
                  double latencySeconds, double peakGflops, bool json) {
  std::vector<double> seconds(stages.size());
  double total = 0;
  for (size_t s = 0; s < stages.size(); ++s) {
    std::vector<double> samples;
    for (const std::vector<double> &run : runs)
      samples.push_back(run[s]);
    seconds[s] = median(samples);
    total += seconds[s];
  }
  auto gflops = [&](size_t s) {
    return seconds[s] > 0 ? 2.0 * stages[s].macs / seconds[s] / 1e9 : 0.0;
  };
  if (json) {
    llvm::json::Array rows;
    for (size_t s = 0; s < stages.size(); ++s)
      rows.push_back(llvm::json::Object{
          {"layer", stages[s].layer},
          {"ops", stages[s].ops},
          {"shape", stages[s].shape},
          {"ms", seconds[s] * 1e3},
          {"share", total > 0 ? seconds[s] / total : 0.0},
          {"gflops", gflops(s)},
          {"peak_share", peakGflops > 0 ? gflops(s) / peakGflops : 0.0},
          {"macs", stages[s].macs}});
    os << llvm::formatv("{0:2}\n",
                        llvm::json::Value(llvm::json::Object{
                            {"stages", std::move(rows)},
                            {"total_ms", total * 1e3},
                            {"latency_ms", latencySeconds * 1e3},
                            {"peak_gflops", peakGflops},
                            {"runs", static_cast<int64_t>(runs.size())}}));
    return;
  }
  size_t width = 5;
  for (const StageInfo &s : stages)
    width = std::max(width, s.layer.size());
  os << llvm::format("%-*s  %-24s %-16s %9s %6s %8s %6s\n",
                     static_cast<int>(width), "layer", "ops", "output", "ms",
                     "share", "GFLOP/s", "%peak");
  for (size_t s = 0; s < stages.size(); ++s) {
    std::string ops = stages[s].ops;
    if (ops.size() > 24)
      ops = ops.substr(0, 21) + "...";
    os << llvm::format("%-*s  %-24s %-16s %9.3f %5.1f%% %8.1f %5.1f%%\n",
                       static_cast<int>(width), stages[s].layer.c_str(),
                       ops.c_str(), shapeText(stages[s].shape).c_str(),
                       seconds[s] * 1e3,
                       total > 0 ? 100 * seconds[s] / total : 0.0, gflops(s),
                       peakGflops > 0 ? 100 * gflops(s) / peakGflops : 0.0);
  }
  os << llvm::format("stages: %.3f ms in all (medians over %zu runs); "
                     "measured latency %.3f ms; peak %.0f GFLOP/s\n",
                     total * 1e3, runs.size(), latencySeconds * 1e3,
                     peakGflops);
}

} // namespace cnnc
