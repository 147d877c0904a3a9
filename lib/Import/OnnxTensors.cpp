//===- OnnxTensors.cpp - Reading an ONNX file and its tensors -------------===//

#include "OnnxTensors.h"
#include "cnnc/Support/ContainedFile.h"

#include "google/protobuf/io/coded_stream.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>
#include <cstring>

using namespace cnnc::onnximport;

llvm::Error cnnc::onnximport::readModel(llvm::StringRef path,
                                        onnx::ModelProto &model) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return failure("cannot read " + path + ": " + buffer.getError().message());
  llvm::StringRef data = (*buffer)->getBuffer();
  if (data.size() > static_cast<size_t>(INT_MAX))
    return failure(path +
                   ": larger than protobuf's 2 GB limit; store the weights "
                   "as external data (torch.onnx.export does for large "
                   "models)");
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(data.data()),
      static_cast<int>(data.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return failure(path + ": not an ONNX model (protobuf parsing failed: a "
                          "truncated or corrupt file?)");
  if (!model.has_graph() || model.graph().node_size() == 0 ||
      model.graph().output_size() == 0)
    return failure(path + ": not an ONNX model (no graph with nodes and an "
                          "output)");
  return llvm::Error::success();
}

/// The element count of `dims`, or an error if a dimension is negative or
/// the count overflows.
static llvm::Expected<int64_t>
elementCount(const google::protobuf::RepeatedField<int64_t> &dims,
             const std::string &name) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return failure("tensor '" + name + "' has a negative dimension");
    if (d != 0 && count > (int64_t(1) << 40) / d)
      return failure("tensor '" + name + "' has more than 2^40 elements");
    count *= d;
  }
  return count;
}

/// The bytes of an external-data tensor: its location, offset and length
/// keys, read from a file inside the model's folder (readContainedFile).
static llvm::Expected<std::string> externalBytes(const onnx::TensorProto &t,
                                                 llvm::StringRef modelDir,
                                                 uint64_t expected) {
  std::string location;
  uint64_t offset = 0, length = expected;
  for (const auto &entry : t.external_data()) {
    llvm::StringRef value(entry.value());
    if (entry.key() == "location")
      location = entry.value();
    else if ((entry.key() == "offset" && value.getAsInteger(10, offset)) ||
             (entry.key() == "length" && value.getAsInteger(10, length)))
      return failure("tensor '" + t.name() + "': external data " + entry.key() +
                     " '" + entry.value() + "' is not a number");
  }
  if (length != expected)
    return failure("tensor '" + t.name() + "': external data length " +
                   llvm::Twine(length) + "; its shape needs " +
                   llvm::Twine(expected) + " bytes");
  std::string bytes, error;
  if (!cnnc::readContainedFile(modelDir.str(), location, offset, length, bytes,
                               error))
    return failure("tensor '" + t.name() + "': external data " + error);
  return bytes;
}

llvm::Expected<HostTensor>
cnnc::onnximport::readTensor(const onnx::TensorProto &t,
                             llvm::StringRef modelDir) {
  llvm::Expected<int64_t> count = elementCount(t.dims(), t.name());
  if (!count)
    return count.takeError();
  HostTensor h;
  h.shape.assign(t.dims().begin(), t.dims().end());
  const int type = t.data_type();
  size_t width = 0;
  if (type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::INT32)
    width = 4;
  else if (type == onnx::TensorProto::INT64)
    width = 8;
  else if (type == onnx::TensorProto::INT8 || type == onnx::TensorProto::UINT8)
    width = 1;
  else
    return failure("tensor '" + t.name() + "' has data type " +
                   onnx::TensorProto::DataType_Name(type) +
                   "; CNNC reads FLOAT, INT64, INT32, INT8 and UINT8");
  const uint64_t bytes = static_cast<uint64_t>(*count) * width;
  std::string raw;
  bool haveRaw = false;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    llvm::Expected<std::string> data = externalBytes(t, modelDir, bytes);
    if (!data)
      return data.takeError();
    raw = std::move(*data);
    haveRaw = true;
  } else if (t.has_raw_data()) {
    if (t.raw_data().size() != bytes)
      return failure("tensor '" + t.name() + "' holds " +
                     llvm::Twine(t.raw_data().size()) +
                     " bytes of raw data; its shape needs " +
                     llvm::Twine(bytes));
    raw = t.raw_data();
    haveRaw = true;
  }
  h.isInt = type != onnx::TensorProto::FLOAT;
  h.dataType = type;
  // The values' count is checked against the shape before anything is
  // allocated: a model file's dims alone must not size an allocation.
  // ONNX keeps int8 and uint8 values in int32_data.
  const int64_t typed = type == onnx::TensorProto::FLOAT ? t.float_data_size()
                        : type == onnx::TensorProto::INT64
                            ? t.int64_data_size()
                            : t.int32_data_size();
  if (!haveRaw && typed != *count)
    return failure("tensor '" + t.name() + "' holds " + llvm::Twine(typed) +
                   " values; its shape needs " + llvm::Twine(*count));
  if (type == onnx::TensorProto::FLOAT) {
    h.floats.resize(*count);
    if (haveRaw)
      std::memcpy(h.floats.data(), raw.data(), bytes);
    else
      std::copy(t.float_data().begin(), t.float_data().end(), h.floats.begin());
    return h;
  }
  h.ints.resize(*count);
  if (haveRaw) {
    for (int64_t i = 0; i < *count; ++i) {
      if (width == 8) {
        std::memcpy(&h.ints[i], raw.data() + 8 * i, 8);
      } else if (width == 1) {
        const auto byte = static_cast<uint8_t>(raw[i]);
        h.ints[i] = type == onnx::TensorProto::INT8 ? int8_t(byte) : byte;
      } else {
        int32_t v;
        std::memcpy(&v, raw.data() + 4 * i, 4);
        h.ints[i] = v;
      }
    }
  } else if (type == onnx::TensorProto::INT64) {
    std::copy(t.int64_data().begin(), t.int64_data().end(), h.ints.begin());
  } else {
    std::copy(t.int32_data().begin(), t.int32_data().end(), h.ints.begin());
    // int32_data holds any int32; an int8 or uint8 tensor's must fit.
    const int64_t low = type == onnx::TensorProto::INT8    ? -128
                        : type == onnx::TensorProto::UINT8 ? 0
                                                           : INT32_MIN;
    const int64_t high = type == onnx::TensorProto::INT8    ? 127
                         : type == onnx::TensorProto::UINT8 ? 255
                                                            : INT32_MAX;
    for (int64_t v : h.ints)
      if (v < low || v > high)
        return failure("tensor '" + t.name() + "' holds " + llvm::Twine(v) +
                       ", out of range for " +
                       onnx::TensorProto::DataType_Name(type));
  }
  return h;
}
