//===- Memory.h - How much memory a model may take --------------*- C++ -*-===//
//
// Weights and activations are sized before anything is allocated: a model
// that cannot fit is an error naming what is too large, not an abort from
// the allocator halfway through.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_SUPPORT_MEMORY_H
#define CNNC_SUPPORT_MEMORY_H

#include <cstdint>
#include <string>

namespace cnnc {

/// The bytes a model may use: $CNNC_MEMORY_LIMIT (a byte size: `512M`,
/// `8G`) where set, else the smaller of this machine's physical memory and
/// its cgroup's limit (a container's).
uint64_t memoryLimit();

/// Empty if `bytes` fit within memoryLimit(), else a message saying that
/// `what` (plural: "the weights", "the input's 12 values") take them and
/// how much there is.
std::string checkFitsInMemory(uint64_t bytes, const std::string &what);

/// `a * b` and `a + b`, or UINT64_MAX where they overflow (sizes computed
/// from shapes).
uint64_t saturatingMultiply(uint64_t a, uint64_t b);
uint64_t saturatingAdd(uint64_t a, uint64_t b);

/// Bytes of an f32 tensor of `shape`, saturating.
template <typename Shape> uint64_t f32Bytes(const Shape &shape) {
  uint64_t bytes = sizeof(float);
  for (int64_t d : shape)
    bytes = saturatingMultiply(bytes, d < 0 ? 0 : static_cast<uint64_t>(d));
  return bytes;
}

} // namespace cnnc

#endif // CNNC_SUPPORT_MEMORY_H
