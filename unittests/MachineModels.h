//===- MachineModels.h - CPU models the schedule tests call ---*- C++ -*-===//
//
// The CPUs this project's machines have come with (docs/measurements.md),
// an 8-core one and AVX2, and a conv shape builder, for the chooser's
// tests.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_UNITTESTS_MACHINEMODELS_H
#define CNNC_UNITTESTS_MACHINEMODELS_H

#include "SchedulePlan.h"

namespace cnnc::codegen::testing {

inline CpuModel machine(int64_t l1Kb, int64_t l2Kb, int cores,
                        int registers = 32, int lanes = 16) {
  CpuModel cpu;
  cpu.vectorRegisters = registers;
  cpu.lanes = lanes;
  cpu.l1Bytes = l1Kb << 10;
  cpu.l2Bytes = l2Kb << 10;
  cpu.cores = cores;
  return cpu;
}

// AVX-512 on 2 cores, as the machine kind has come.
inline const CpuModel kZen4 = machine(32, 1024, 2);
inline const CpuModel kSapphireRapids = machine(48, 2048, 2);
inline const CpuModel kZen5 = machine(48, 1024, 2);
// The Zen 4's cores, eight of them.
inline const CpuModel kEightCores = machine(32, 1024, 8);
// AVX2: 16 registers of 8 floats.
inline const CpuModel kAvx2 = machine(48, 2048, 2, 16, 8);

/// An `in` -> `out` conv with a `kernel` square kernel on `size`-square
/// maps (Winograd's F(m x m) over its tiles when `winograd` is m).
inline ConvShape conv(int64_t in, int64_t out, int64_t kernel, int64_t size,
                      int winograd = 0) {
  ConvShape c;
  c.inChannels = in;
  c.outChannels = out;
  c.kernelW = c.kernelH = kernel;
  c.outW = c.outH = size;
  c.winogradM = winograd;
  c.winogradTilesX = c.winogradTilesY =
      winograd ? (size + winograd - 1) / winograd : 0;
  return c;
}

} // namespace cnnc::codegen::testing

#endif // CNNC_UNITTESTS_MACHINEMODELS_H
