//===- CpuModel.cpp - Registers from the target, caches from the host -----===//

#include "CpuModel.h"
#include "cnnc/Support/ByteSize.h"

#include "Halide.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"

#include <optional>
#include <thread>

using namespace cnnc::codegen;

/// The contents of a small text file, trimmed, or nothing.
static std::optional<std::string> readText(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
  if (!buffer)
    return std::nullopt;
  return (*buffer)->getBuffer().trim().str();
}

/// Reads cpu0's L1 data and L2 sizes from sysfs, keeping `model`'s where a
/// value is missing (containers may hide sysfs).
static void readHostCaches(CpuModel &model) {
  const std::string base = "/sys/devices/system/cpu/cpu0/cache/index";
  for (int i = 0; i < 8; ++i) {
    std::string dir = base + std::to_string(i) + "/";
    auto level = readText(dir + "level"), type = readText(dir + "type"),
         size = readText(dir + "size");
    if (!level || !type || !size)
      break;
    int64_t bytes = cnnc::parseByteSize(*size);
    if (!bytes)
      continue;
    if (*level == "1" && *type != "Instruction") {
      model.l1Bytes = bytes;
      model.fromHost = true;
    } else if (*level == "2") {
      model.l2Bytes = bytes;
      model.fromHost = true;
    }
  }
}

/// The host CPU's marketing name from /proc/cpuinfo, else LLVM's name for
/// its microarchitecture.
static std::string hostCpuName() {
  if (auto info = readText("/proc/cpuinfo")) {
    llvm::StringRef rest(*info);
    while (!rest.empty()) {
      auto [line, next] = rest.split('\n');
      rest = next;
      auto [key, value] = line.split(':');
      if (key.trim() == "model name")
        return value.trim().str();
    }
  }
  return llvm::sys::getHostCPUName().str();
}

CpuModel cnnc::codegen::cpuModelFor(const Halide::Target &target,
                                    int64_t l1Bytes, int64_t l2Bytes,
                                    int cores) {
  CpuModel model;
  model.lanes = target.natural_vector_size<float>();
  const bool arm64 = target.arch == Halide::Target::ARM && target.bits == 64;
  model.vectorRegisters =
      arm64 || target.has_feature(Halide::Target::AVX512) ? 32 : 16;
  // Typical per-core caches of the architecture: a client x86 core or an
  // Arm Cortex-A7x.
  if (target.arch == Halide::Target::ARM) {
    model.l1Bytes = 64 << 10;
    model.l2Bytes = 512 << 10;
  }
  const Halide::Target host = Halide::get_host_target();
  if (target.arch == host.arch && target.bits == host.bits) {
    model.name = hostCpuName();
    readHostCaches(model);
    if (unsigned n = std::thread::hardware_concurrency())
      model.cores = static_cast<int>(n);
  } else {
    model.name =
        "generic " +
        Halide::Target(target.os, target.arch, target.bits).to_string();
  }
  if (l1Bytes > 0 && l2Bytes > 0) {
    model.l1Bytes = l1Bytes;
    model.l2Bytes = l2Bytes;
    model.fromHost = false;
  }
  if (cores > 0) {
    model.cores = cores;
    model.fromHost = false;
  }
  return model;
}

std::string CpuModel::describe() const {
  return std::to_string(vectorRegisters) + " vector registers of " +
         std::to_string(lanes) + " floats, L1 " +
         std::to_string(l1Bytes >> 10) + " KB, L2 " +
         std::to_string(l2Bytes >> 10) + " KB, " + std::to_string(cores) +
         " cores" + (fromHost ? " (this machine's)" : " (given or assumed)");
}
