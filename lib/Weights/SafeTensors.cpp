//===- SafeTensors.cpp - A memory-mapped safetensors reader ---------------===//

#include "cnnc/Weights/SafeTensors.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cstring>

using namespace llvm;
using namespace cnnc;

size_t cnnc::dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return 4;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

StringRef cnnc::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "F32";
  case DType::F16:
    return "F16";
  case DType::BF16:
    return "BF16";
  case DType::F64:
    return "F64";
  }
  llvm_unreachable("unknown dtype");
}

int64_t TensorInfo::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static Error failure(StringRef path, const Twine &message) {
  return createStringError(inconvertibleErrorCode(), path + ": " + message);
}

Expected<std::unique_ptr<SafeTensorsFile>>
SafeTensorsFile::open(StringRef path) {
  // Maps the file (MemoryBuffer maps files of a page or more).
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return failure(path,
                   "cannot open weights file: " + buffer.getError().message());
  return fromBuffer(std::shared_ptr<MemoryBuffer>(std::move(*buffer)));
}

/// One header entry: checks its fields and offsets against the data size.
static Expected<TensorInfo> parseEntry(StringRef path, StringRef name,
                                       const json::Value &value,
                                       ArrayRef<char> data) {
  const json::Object *entry = value.getAsObject();
  if (!entry)
    return failure(path, "header entry '" + name + "' is not a JSON object");
  TensorInfo info;
  info.name = name.str();

  std::optional<StringRef> dtype = entry->getString("dtype");
  if (!dtype)
    return failure(path, "tensor '" + name + "' has no \"dtype\" string");
  if (*dtype == "F32")
    info.dtype = DType::F32;
  else if (*dtype == "F16")
    info.dtype = DType::F16;
  else if (*dtype == "BF16")
    info.dtype = DType::BF16;
  else if (*dtype == "F64")
    info.dtype = DType::F64;
  else
    return failure(path, "tensor '" + name + "' has unsupported dtype " +
                             *dtype + " (supported: F32, F16, BF16, F64)");

  const json::Array *shape = entry->getArray("shape");
  if (!shape)
    return failure(path, "tensor '" + name + "' has no \"shape\" array");
  for (const json::Value &dim : *shape) {
    std::optional<int64_t> size = dim.getAsInteger();
    if (!size || *size < 0)
      return failure(path, "tensor '" + name +
                               "' has a shape entry that is not a "
                               "non-negative integer");
    info.shape.push_back(*size);
  }

  const json::Array *offsets = entry->getArray("data_offsets");
  if (!offsets || offsets->size() != 2)
    return failure(path, "tensor '" + name +
                             "' has no \"data_offsets\" pair [begin, end]");
  std::optional<int64_t> begin = (*offsets)[0].getAsInteger();
  std::optional<int64_t> end = (*offsets)[1].getAsInteger();
  if (!begin || !end || *begin < 0 || *end < *begin)
    return failure(path, "tensor '" + name +
                             "' has invalid data_offsets (need 0 <= begin "
                             "<= end)");
  if (static_cast<uint64_t>(*end) > data.size())
    return failure(path, "tensor '" + name + "' data_offsets [" +
                             Twine(*begin) + ", " + Twine(*end) +
                             "] run past the end of the data (" +
                             Twine(data.size()) +
                             " bytes): the file is truncated or corrupt");
  uint64_t expected = info.numElements() * dtypeSize(info.dtype);
  if (static_cast<uint64_t>(*end - *begin) != expected)
    return failure(path, "tensor '" + name + "' holds " + Twine(*end - *begin) +
                             " bytes, but its shape "
                             "and dtype need " +
                             Twine(expected));
  info.bytes = data.slice(*begin, *end - *begin);
  return info;
}

Expected<std::unique_ptr<SafeTensorsFile>>
SafeTensorsFile::fromBuffer(std::shared_ptr<MemoryBuffer> buffer) {
  StringRef path = buffer->getBufferIdentifier();
  StringRef bytes = buffer->getBuffer();
  if (bytes.size() < 8)
    return failure(path, "too short for a safetensors file (" +
                             Twine(bytes.size()) + " bytes)");
  uint64_t headerSize =
      support::endian::read64le(reinterpret_cast<const void *>(bytes.data()));
  if (headerSize > bytes.size() - 8)
    return failure(path, "header length " + Twine(headerSize) +
                             " runs past the end of the file (" +
                             Twine(bytes.size()) + " bytes)");
  StringRef header = bytes.substr(8, headerSize);
  ArrayRef<char> data(bytes.data() + 8 + headerSize,
                      bytes.size() - 8 - headerSize);

  Expected<json::Value> parsed = json::parse(header);
  if (!parsed)
    return failure(path,
                   "header is not valid JSON: " + toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return failure(path, "header is not a JSON object");

  auto file = std::unique_ptr<SafeTensorsFile>(new SafeTensorsFile());
  file->buffer = buffer;
  for (const auto &[key, value] : *root) {
    if (key == "__metadata__")
      continue;
    Expected<TensorInfo> info = parseEntry(path, key, value, data);
    if (!info)
      return info.takeError();
    file->entries.emplace(key.str(), std::move(*info));
  }

  // No two tensors may share bytes.
  std::vector<const TensorInfo *> byOffset;
  for (const auto &entry : file->entries)
    if (!entry.second.bytes.empty())
      byOffset.push_back(&entry.second);
  std::sort(byOffset.begin(), byOffset.end(),
            [](const TensorInfo *a, const TensorInfo *b) {
              return a->bytes.data() < b->bytes.data();
            });
  for (size_t i = 1; i < byOffset.size(); ++i) {
    const TensorInfo *prev = byOffset[i - 1], *next = byOffset[i];
    if (prev->bytes.data() + prev->bytes.size() > next->bytes.data())
      return failure(path, "tensors '" + prev->name + "' and '" + next->name +
                               "' have overlapping data_offsets");
  }
  return std::move(file);
}

const TensorInfo *SafeTensorsFile::lookup(StringRef name) const {
  auto it = entries.find(name.str());
  return it == entries.end() ? nullptr : &it->second;
}

void cnnc::convertToF32(const TensorInfo &tensor, float *out) {
  const char *in = tensor.bytes.data();
  int64_t n = tensor.numElements();
  switch (tensor.dtype) {
  case DType::F32:
    std::memcpy(out, in, n * sizeof(float));
    return;
  case DType::F64:
    for (int64_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, in + i * 8, 8);
      out[i] = static_cast<float>(v);
    }
    return;
  case DType::BF16:
    // bfloat16 is the top half of an IEEE f32.
    for (int64_t i = 0; i < n; ++i) {
      uint32_t bits = uint32_t(support::endian::read16le(in + i * 2)) << 16;
      std::memcpy(&out[i], &bits, 4);
    }
    return;
  case DType::F16:
    for (int64_t i = 0; i < n; ++i) {
      APInt bits(16, support::endian::read16le(in + i * 2));
      APFloat half(APFloat::IEEEhalf(), bits);
      out[i] = half.convertToFloat();
    }
    return;
  }
}
