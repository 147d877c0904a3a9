//===- CpuModel.h - What CPU schedules know of the CPU ----------*- C++ -*-===//
//
// The numbers the CPU schedules derive their tiles, blocks and task counts
// from, instead of constants measured on one chip: the register file comes
// from the target, the caches and cores from the host when the target is
// the host's architecture (sysfs), else from typical values for that
// architecture.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_CPUMODEL_H
#define CNNC_LIB_CODEGEN_CPUMODEL_H

#include <cstdint>
#include <string>

namespace Halide {
struct Target;
} // namespace Halide

namespace cnnc::codegen {

struct CpuModel {
  /// The CPU's name (`lscpu`'s model name); tuning records are kept by it.
  std::string name;
  /// Vector registers: 32 with AVX-512 or on AArch64, else 16.
  int vectorRegisters = 16;
  /// Floats per vector.
  int lanes = 4;
  /// Per-core data caches.
  int64_t l1Bytes = 32 << 10;
  int64_t l2Bytes = 1 << 20;
  /// Cores the kernels' tasks spread over: this machine's when the target
  /// is its architecture, else an assumed 4; `--cores` pins it.
  int cores = 4;
  /// Whether the caches and cores were read from this machine.
  bool fromHost = false;

  /// Accumulators a register tile may hold: three quarters of the
  /// registers, the rest for the broadcast input and loaded weights.
  int maxAccumulators() const { return vectorRegisters * 3 / 4; }
  /// In words, for `--emit=schedule` and the kernels' keys.
  std::string describe() const;
};

/// The CPU model for code compiled for `target`; caches of `l1Bytes` and
/// `l2Bytes` where those are not 0 (`cnnc --caches`), `cores` cores where
/// that is not 0 (`cnnc --cores`).
CpuModel cpuModelFor(const Halide::Target &target, int64_t l1Bytes = 0,
                     int64_t l2Bytes = 0, int cores = 0);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_CPUMODEL_H
