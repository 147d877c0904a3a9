//===- SafeTensorsFuzzer.cpp - The safetensors reader under libFuzzer -----===//
//
// Any bytes: open() either fails with an error or gives entries whose
// byte ranges lie in the file; converting every bindable tensor to f32
// reads only those ranges (ASan checks).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Weights/SafeTensors.h"

#include "llvm/Support/MemoryBuffer.h"

#include <vector>

using namespace cnnc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::shared_ptr<llvm::MemoryBuffer> buffer =
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.safetensors");
  auto file = SafeTensorsFile::fromBuffer(buffer);
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  for (const auto &entry : (*file)->tensors()) {
    const TensorInfo &tensor = entry.second;
    if (!isBindableFloat(tensor.dtype) || tensor.numElements() > (1 << 20))
      continue;
    std::vector<float> values(tensor.numElements());
    convertToF32(tensor, values.data());
  }
  return 0;
}
