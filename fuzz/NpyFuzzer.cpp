//===- NpyFuzzer.cpp - The C++ .npy reader under libFuzzer ----------------===//
//
// Any bytes: readNpy either fails with an error or returns exactly as many
// values as its shape has elements.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"
#include "cnnc/Weights/Npy.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto array = cnnc::readNpy(cnnc::fuzz::writeInput(data, size, "input.npy"));
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  uint64_t elements = 1;
  for (int64_t d : array->shape)
    elements *= static_cast<uint64_t>(d);
  if (elements != array->data.size())
    abort(); // the reader returned data that does not fill its shape
  return 0;
}
