//===- Profile.h - Per-stage profiles of compiled models --------*- C++ -*-===//

#ifndef CNNC_TOOLS_COMMON_PROFILE_H
#define CNNC_TOOLS_COMMON_PROFILE_H

#include "cnnc/Codegen/Codegen.h"
#include "llvm/Support/raw_ostream.h"

namespace cnnc {

/// One row per stage in run order: layer, ops, output shape, median time,
/// share of the total, GFLOP/s and share of `peakGflops`; then the sum of
/// the rows beside `latencySeconds`, the median of whole runs.
/// `runs[i][s]`: seconds of stage s in run i.
void printProfile(llvm::raw_ostream &os, const std::vector<StageInfo> &stages,
                  const std::vector<std::vector<double>> &runs,
                  double latencySeconds, double peakGflops, bool json);

} // namespace cnnc

#endif // CNNC_TOOLS_COMMON_PROFILE_H
