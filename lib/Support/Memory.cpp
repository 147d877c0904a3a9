//===- Memory.cpp - How much memory a model may take ----------------------===//

#include "cnnc/Support/Memory.h"
#include "cnnc/Support/ByteSize.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

uint64_t cnnc::saturatingMultiply(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a)
    return UINT64_MAX;
  return a * b;
}

uint64_t cnnc::saturatingAdd(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t cnnc::memoryLimit() {
  if (const char *env = std::getenv("CNNC_MEMORY_LIMIT"))
    if (int64_t limit = parseByteSize(env))
      return static_cast<uint64_t>(limit);
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  uint64_t limit = pages > 0 && pageSize > 0
                       ? saturatingMultiply(pages, pageSize)
                       : UINT64_MAX;
  // cgroup v2: a number of bytes, or "max".
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  uint64_t cgroupLimit = 0;
  if (cgroup >> cgroupLimit && cgroupLimit > 0)
    limit = std::min(limit, cgroupLimit);
  return limit;
}

static std::string humanBytes(uint64_t bytes) {
  const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 6) {
    value /= 1024;
    ++unit;
  }
  char text[64];
  std::snprintf(text, sizeof text, unit ? "%.1f %s" : "%.0f %s", value,
                units[unit]);
  return text;
}

std::string cnnc::checkFitsInMemory(uint64_t bytes, const std::string &what) {
  uint64_t limit = memoryLimit();
  if (bytes <= limit)
    return "";
  return what + " take" +
         (bytes == UINT64_MAX ? " more than 2^64 bytes"
                              : " " + humanBytes(bytes)) +
         ", more than the " + humanBytes(limit) +
         " of memory here (physical memory or the cgroup's limit; "
         "CNNC_MEMORY_LIMIT sets it)";
}
