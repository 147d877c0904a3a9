//===- Peak.cpp - The machine's fp32 peak, measured -----------------------===//
//
// Twelve independent FMA chains per core, in the widest vectors the CPU
// has (AVX-512, AVX2, or NEON's 4 lanes), so that FMA latency is hidden.
// Each ISA's loop is compiled for it and chosen at run time.
//
//===----------------------------------------------------------------------===//

#include "Profile.h"

#include <chrono>
#include <thread>

namespace cnnc {
namespace {

constexpr int kChains = 12;
constexpr long kIterations = 40000000;

typedef float Vec16 __attribute__((vector_size(64)));
typedef float Vec8 __attribute__((vector_size(32)));
typedef float Vec4 __attribute__((vector_size(16)));

/// FLOPs done; the result is kept so the loop is not removed.
template <typename Vec>
__attribute__((always_inline)) inline double chains(float *sink) {
  constexpr int lanes = sizeof(Vec) / sizeof(float);
  Vec a, b, c[kChains];
  for (int l = 0; l < lanes; ++l) {
    a[l] = 0.999999f;
    b[l] = 1e-7f;
  }
  for (int i = 0; i < kChains; ++i)
    c[i] = a * static_cast<float>(i);
  for (long it = 0; it < kIterations; ++it)
    for (int i = 0; i < kChains; ++i)
      c[i] = c[i] * a + b;
  float sum = 0;
  for (int i = 0; i < kChains; ++i)
    for (int l = 0; l < lanes; ++l)
      sum += c[i][l];
  *sink = sum;
  return 2.0 * lanes * kChains * kIterations;
}

#if defined(__x86_64__)
__attribute__((target("avx512f,fma"))) double avx512(float *sink) {
  return chains<Vec16>(sink);
}
__attribute__((target("avx2,fma"))) double avx2(float *sink) {
  return chains<Vec8>(sink);
}
#endif
double generic(float *sink) { return chains<Vec4>(sink); }

double (*widest())(float *) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return avx2;
#endif
  return generic;
}

} // namespace

double measurePeakGflops() {
  double (*measure)(float *) = widest();
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  std::vector<float> sinks(threads);
  std::vector<double> flops(threads);
  auto start = std::chrono::steady_clock::now();
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] { flops[t] = measure(&sinks[t]); });
  for (std::thread &w : workers)
    w.join();
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  double total = 0;
  for (double f : flops)
    total += f;
  return total / took.count() / 1e9;
}

} // namespace cnnc
