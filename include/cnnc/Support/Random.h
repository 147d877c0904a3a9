//===- Random.h - A portable deterministic random generator -----*- C++ -*-===//
//
// SplitMix64 with integer-only state updates, so the same seed gives the
// same numbers on every machine and compiler (std:: distributions do not
// promise that).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_SUPPORT_RANDOM_H
#define CNNC_SUPPORT_RANDOM_H

#include <cstdint>
#include <string_view>

namespace cnnc {

class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}
  /// A generator for one named stream: the seed mixed with the name's hash.
  Random(uint64_t seed, std::string_view name);

  uint64_t next();
  /// Uniform in [lo, hi), from 24 random bits (exact in f32).
  float uniform(float lo, float hi);

private:
  uint64_t state;
};

} // namespace cnnc

#endif // CNNC_SUPPORT_RANDOM_H
