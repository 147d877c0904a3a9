//===- KernelSupport.h - What the reference kernels share ------*- C++ -*-===//
//
// Private to lib/Reference: the thread split and shape helpers used by
// more than one family of kernels.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_REFERENCE_KERNELSUPPORT_H
#define CNNC_LIB_REFERENCE_KERNELSUPPORT_H

#include "cnnc/Reference/Kernels.h"

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace cnnc::reference {

/// Runs body(i) for i in [0, count) on up to `threads` threads.
template <typename Body>
void parallelFor(int64_t count, unsigned threads, Body body) {
  unsigned workers = std::max(1u, std::min<unsigned>(threads, count));
  if (workers == 1) {
    for (int64_t i = 0; i < count; ++i)
      body(i);
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (int64_t i = w; i < count; i += workers)
        body(i);
    });
  for (std::thread &t : pool)
    t.join();
}

/// The zero NCHW output of a conv of `input` by OIHW `weight` with `p`.
Tensor convOutput(const Tensor &input, const Tensor &weight,
                  const Conv2DParams &p);

/// Splits a shape around `axis` into outer x axis x inner.
void around(const std::vector<int64_t> &shape, int64_t axis, int64_t &outer,
            int64_t &inner);

} // namespace cnnc::reference

#endif // CNNC_LIB_REFERENCE_KERNELSUPPORT_H
