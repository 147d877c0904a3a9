//===- FuzzInput.h - A fuzz input as a file --------------------*- C++ -*-===//
//
// The readers under test take paths (they map files, and an ONNX model
// finds its external data beside it), so each input is written to one file
// per process, in a directory of its own, and read back from there.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FUZZ_FUZZINPUT_H
#define CNNC_FUZZ_FUZZINPUT_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace cnnc::fuzz {

/// Writes `data` to the process's input file (named `name` in a private
/// temporary directory) and returns its path.
inline const std::string &writeInput(const uint8_t *data, size_t size,
                                     const char *name) {
  static std::string dir, path;
  if (path.empty()) {
    char pattern[] = "/tmp/cnnc-fuzz-XXXXXX";
    if (!mkdtemp(pattern))
      abort();
    dir = pattern;
    path = dir + "/" + name;
    atexit([] {
      unlink(path.c_str());
      rmdir(dir.c_str());
    });
  }
  FILE *f = fopen(path.c_str(), "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
    abort();
  return path;
}

} // namespace cnnc::fuzz

#endif // CNNC_FUZZ_FUZZINPUT_H
