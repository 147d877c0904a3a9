//===- SafeTensors.cpp - A memory-mapped safetensors reader ---------------===//

#include "cnnc/Weights/SafeTensors.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstring>
#include <optional>

using namespace llvm;
using namespace cnnc;

namespace {
struct DTypeInfo {
  DType dtype;
  const char *name;
  size_t size;
};
// The format's dtypes, as its specification spells them.
constexpr DTypeInfo dtypeTable[] = {
    {DType::Bool, "BOOL", 1},      {DType::U8, "U8", 1},
    {DType::I8, "I8", 1},          {DType::F8E4M3, "F8_E4M3", 1},
    {DType::F8E5M2, "F8_E5M2", 1}, {DType::I16, "I16", 2},
    {DType::U16, "U16", 2},        {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},      {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},        {DType::F32, "F32", 4},
    {DType::I64, "I64", 8},        {DType::U64, "U64", 8},
    {DType::F64, "F64", 8},
};

const DTypeInfo &infoOf(DType dtype) {
  for (const DTypeInfo &info : dtypeTable)
    if (info.dtype == dtype)
      return info;
  llvm_unreachable("unknown dtype");
}

std::optional<DType> parseDType(StringRef name) {
  for (const DTypeInfo &info : dtypeTable)
    if (name == info.name)
      return info.dtype;
  return std::nullopt;
}
} // namespace

size_t cnnc::dtypeSize(DType dtype) { return infoOf(dtype).size; }

StringRef cnnc::dtypeName(DType dtype) { return infoOf(dtype).name; }

bool cnnc::isBindableFloat(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16 ||
         dtype == DType::F64;
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
  std::optional<DType> parsed = parseDType(*dtype);
  if (!parsed)
    return failure(path, "tensor '" + name + "' has unknown dtype \"" + *dtype +
                             "\" (not one the safetensors format "
                             "defines)");
  info.dtype = *parsed;

  const json::Array *shape = entry->getArray("shape");
  if (!shape)
    return failure(path, "tensor '" + name + "' has no \"shape\" array");
  // The byte size, computed with overflow checks: a shape such as
  // [2^40, 2^40] must not wrap around to a small number.
  int64_t expected = dtypeSize(info.dtype);
  for (const json::Value &dim : *shape) {
    std::optional<int64_t> size = dim.getAsInteger();
    if (!size || *size < 0)
      return failure(path, "tensor '" + name +
                               "' has a shape entry that is not a "
                               "non-negative integer");
    if (llvm::MulOverflow(expected, *size, expected))
      return failure(path, "tensor '" + name +
                               "' has a shape whose byte size overflows 64 "
                               "bits");
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
  if (*end - *begin != expected)
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
  // An empty tensor's buffers may be null, which memcpy must not see even
  // for no bytes (UBSan, through the safetensors fuzzer).
  if (n == 0)
    return;
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
  default:
    llvm_unreachable("convertToF32 takes floating-point tensors only");
  }
}
