//===- Random.cpp - A portable deterministic random generator -------------===//

#include "cnnc/Support/Random.h"

namespace cnnc {

Random::Random(uint64_t seed, std::string_view name) : state(seed) {
  // FNV-1a over the name, folded into the seed.
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  state ^= hash;
}

uint64_t Random::next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

float Random::uniform(float lo, float hi) {
  float unit = static_cast<float>(next() >> 40) * (1.0f / 16777216.0f);
  return lo + (hi - lo) * unit;
}

} // namespace cnnc
