//===- Target.cpp - Resolving host, host-cuda and such --------------------===//
//
// `host` is this machine, with a safe AVX-512 feature set where the CPU
// has one; a GPU target keeps an AVX2 host part, so that its object also
// runs on the GPU machine.
//
//===----------------------------------------------------------------------===//

#include "Build.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

using namespace cnnc;
using namespace cnnc::codegen;

/// Whether this CPU runs AVX-512 (Halide 14 reads Zen 4 as Sapphire Rapids
/// and would enable AMX, which it lacks; docs/measurements.md).
static bool hostHasAvx512() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq");
#else
  return false;
#endif
}

bool codegen::targetHasVnni(llvm::StringRef requested,
                            const Halide::Target &resolved) {
  if (resolved.has_feature(Halide::Target::AVX512_SapphireRapids))
    return true;
  // The host's own target: VNNI where this CPU has it (Zen 4 and 5,
  // Sapphire Rapids). Halide 14 names it only with Sapphire Rapids' AMX,
  // so it is added per int8 kernel rather than to the host's target.
  if (requested != "host" ||
      !resolved.has_feature(Halide::Target::AVX512_Skylake))
    return false;
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

/// Whether this CPU has AMX-INT8 and the OS keeps its tile state (XCR0's
/// XTILECFG and XTILEDATA); Linux also wants each process to ask for it,
/// which the model runtime does (runtime/cnnc_qconv_amx.c).
static bool hostHasAmx() {
#if defined(__x86_64__) && defined(__linux__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(d & (1u << 24)) ||
      !(d & (1u << 25)))
    return false;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
    return false;
  unsigned low = 0, high = 0;
  __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (low & (3u << 17)) == (3u << 17);
#else
  return false;
#endif
}

bool codegen::targetHasAmx(llvm::StringRef requested,
                           const Halide::Target &resolved) {
  if (resolved.arch != Halide::Target::X86 ||
      resolved.os != Halide::Target::Linux || resolved.has_gpu_feature())
    return false;
  if (resolved.has_feature(Halide::Target::AVX512_SapphireRapids))
    return true;
  return requested == "host" && hostHasAmx();
}

llvm::Expected<std::string> cnnc::resolveTarget(llvm::StringRef target) {
  std::string host =
      hostHasAvx512()
          ? "x86-64-linux-avx-avx2-avx512-avx512_skylake-avx512_cannonlake-"
            "f16c-fma-sse41"
          : Halide::get_host_target().to_string();
  std::string result = target.str();
  if (target == "host") {
    result = host;
  } else if (target.starts_with("host-")) {
    llvm::StringRef features = target.drop_front(4);
    const bool gpu = features.contains("-cuda") || features.contains("-opencl");
    // A GPU object's host part only launches kernels, and it must also run
    // on the GPU machine, whose CPU may lack AVX-512.
    if (gpu && hostHasAvx512())
      host = "x86-64-linux-avx-avx2-f16c-fma-sse41";
    result = host + features.str();
    // Volta's PTX unless asked otherwise: the driver compiles it for newer
    // GPUs, and LLVM 14's default (sm_20) lacks what Halide's CUDA code
    // can use there.
    if (features.contains("-cuda") && !features.contains("cuda_capability"))
      result += "-cuda_capability_70";
  }
  if (!Halide::Target::validate_target_string(result))
    return failure("unknown target '" + target +
                   "' (a Halide target string, or host, host-cuda, "
                   "host-opencl)");
  return result;
}
