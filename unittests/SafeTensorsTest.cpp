//===- SafeTensorsTest.cpp - The safetensors reader on crafted files ------===//

#include "cnnc/Weights/SafeTensors.h"

#include "llvm/Support/Endian.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace cnnc;

namespace {

/// A safetensors file: 8-byte header length, the header, then `data`.
std::shared_ptr<llvm::MemoryBuffer> craft(const std::string &header,
                                          const std::string &data) {
  std::string bytes(8, '\0');
  llvm::support::endian::write64le(bytes.data(), header.size());
  bytes += header + data;
  return std::shared_ptr<llvm::MemoryBuffer>(
      llvm::MemoryBuffer::getMemBufferCopy(bytes, "crafted.safetensors"));
}

std::string floats(std::initializer_list<float> values) {
  std::string bytes(values.size() * 4, '\0');
  std::memcpy(bytes.data(), values.begin(), bytes.size());
  return bytes;
}

/// The error message of opening `buffer`, or "" if it opened.
std::string errorOf(std::shared_ptr<llvm::MemoryBuffer> buffer) {
  auto file = SafeTensorsFile::fromBuffer(std::move(buffer));
  if (file)
    return "";
  return llvm::toString(file.takeError());
}

TEST(SafeTensorsTest, ReadsF32InPlace) {
  auto file = SafeTensorsFile::fromBuffer(
      craft(R"({"__metadata__":{"format":"pt"},)"
            R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
            R"("b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}})",
            floats({1.5f, -2.0f, 3.25f})));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  const TensorInfo *a = (*file)->lookup("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2}));
  float out[2];
  convertToF32(*a, out);
  EXPECT_EQ(out[0], 1.5f);
  EXPECT_EQ(out[1], -2.0f);
  EXPECT_EQ((*file)->lookup("b")->numElements(), 1);
  EXPECT_EQ((*file)->lookup("missing"), nullptr);
  EXPECT_EQ((*file)->tensors().size(), 2u);
}

TEST(SafeTensorsTest, ConvertsF16BF16AndF64) {
  // F16 1.0 = 0x3C00, -2.5 = 0xC100; BF16 1.0 = 0x3F80, 0.5 = 0x3F00.
  std::string data("\x00\x3C\x00\xC1\x80\x3F\x00\x3F", 8);
  double d[2] = {0.25, -1e10};
  data.append(reinterpret_cast<const char *>(d), 16);
  auto file = SafeTensorsFile::fromBuffer(
      craft(R"({"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},)"
            R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},)"
            R"("d":{"dtype":"F64","shape":[2],"data_offsets":[8,24]}})",
            data));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  float out[2];
  convertToF32(*(*file)->lookup("h"), out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -2.5f);
  convertToF32(*(*file)->lookup("b"), out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 0.5f);
  convertToF32(*(*file)->lookup("d"), out);
  EXPECT_EQ(out[0], 0.25f);
  EXPECT_EQ(out[1], -1e10f);
}

TEST(SafeTensorsTest, ReadsEveryDtypeOfTheFormat) {
  // A state_dict holds non-float buffers (num_batches_tracked is I64): the
  // file opens, sizes are checked, and only the float ones convert.
  const char *names[] = {"BOOL", "U8",  "I8",  "F8_E4M3", "F8_E5M2",
                         "I16",  "U16", "F16", "BF16",    "I32",
                         "U32",  "F32", "I64", "U64",     "F64"};
  const size_t sizes[] = {1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8};
  std::string header = "{", data;
  for (size_t i = 0; i < std::size(names); ++i) {
    header += std::string(i ? "," : "") + "\"t" + std::to_string(i) +
              "\":{\"dtype\":\"" + names[i] +
              "\",\"shape\":[3],"
              "\"data_offsets\":[" +
              std::to_string(data.size()) + "," +
              std::to_string(data.size() + 3 * sizes[i]) + "]}";
    data.append(3 * sizes[i], '\0');
  }
  auto file = SafeTensorsFile::fromBuffer(craft(header + "}", data));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  for (size_t i = 0; i < std::size(names); ++i) {
    const TensorInfo *t = (*file)->lookup("t" + std::to_string(i));
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(dtypeName(t->dtype), names[i]);
    EXPECT_EQ(dtypeSize(t->dtype), sizes[i]);
    EXPECT_EQ(isBindableFloat(t->dtype), std::string(names[i]) == "F16" ||
                                             std::string(names[i]) == "BF16" ||
                                             std::string(names[i]) == "F32" ||
                                             std::string(names[i]) == "F64");
  }
}

TEST(SafeTensorsTest, RejectsUnknownDtype) {
  EXPECT_NE(
      errorOf(craft(R"({"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})",
                    std::string(8, '\0')))
          .find("tensor 'w' has unknown dtype \"C64\""),
      std::string::npos);
}

TEST(SafeTensorsTest, RejectsShapesWhoseSizeOverflows) {
  // 2^40 x 2^40 x 4 bytes wraps to 0 in 64 bits: must not pass as empty.
  EXPECT_NE(errorOf(craft(R"({"w":{"dtype":"F32","shape":[1099511627776,)"
                          R"(1099511627776],"data_offsets":[0,0]}})",
                          ""))
                .find("tensor 'w' has a shape whose byte size overflows"),
            std::string::npos);
}

TEST(SafeTensorsTest, RejectsHeaderPastTheEnd) {
  std::string bytes(8, '\0');
  llvm::support::endian::write64le(bytes.data(), 1000);
  bytes += "{}";
  auto buffer = std::shared_ptr<llvm::MemoryBuffer>(
      llvm::MemoryBuffer::getMemBufferCopy(bytes, "short.safetensors"));
  EXPECT_NE(errorOf(buffer).find("header length 1000 runs past the end of the "
                                 "file (10 bytes)"),
            std::string::npos);
  auto tiny = std::shared_ptr<llvm::MemoryBuffer>(
      llvm::MemoryBuffer::getMemBufferCopy("abc", "tiny.safetensors"));
  EXPECT_NE(errorOf(tiny).find("too short"), std::string::npos);
}

TEST(SafeTensorsTest, RejectsBadJson) {
  EXPECT_NE(errorOf(craft("{not json", "")).find("header is not valid JSON"),
            std::string::npos);
  EXPECT_NE(errorOf(craft("[1, 2]", "")).find("header is not a JSON object"),
            std::string::npos);
}

TEST(SafeTensorsTest, RejectsMissingFields) {
  EXPECT_NE(
      errorOf(craft(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", floats({1})))
          .find("tensor 'w' has no \"dtype\" string"),
      std::string::npos);
  EXPECT_NE(errorOf(craft(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})",
                          floats({1})))
                .find("tensor 'w' has no \"shape\" array"),
            std::string::npos);
  EXPECT_NE(errorOf(craft(R"({"w":{"dtype":"F32","shape":[1]}})", floats({1})))
                .find("tensor 'w' has no \"data_offsets\" pair"),
            std::string::npos);
  EXPECT_NE(
      errorOf(
          craft(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})",
                floats({1})))
          .find("not a non-negative integer"),
      std::string::npos);
  EXPECT_NE(errorOf(craft(R"({"w":7})", "")).find("is not a JSON object"),
            std::string::npos);
}

TEST(SafeTensorsTest, RejectsBadOffsets) {
  // Out of range: the data is truncated.
  EXPECT_NE(
      errorOf(
          craft(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
                floats({1, 2})))
          .find("tensor 'w' data_offsets [0, 16] run past the end of the "
                "data (8 bytes)"),
      std::string::npos);
  // begin > end.
  EXPECT_NE(
      errorOf(craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})",
                    floats({1, 2})))
          .find("invalid data_offsets"),
      std::string::npos);
  // Size does not match shape x dtype.
  EXPECT_NE(
      errorOf(craft(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                    floats({1, 2})))
          .find("tensor 'w' holds 8 bytes, but its shape and dtype need 12"),
      std::string::npos);
  // Overlap.
  EXPECT_NE(
      errorOf(craft(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                    floats({1, 2, 3})))
          .find("tensors 'a' and 'b' have overlapping data_offsets"),
      std::string::npos);
}

TEST(SafeTensorsTest, MissingFileIsAnError) {
  auto file = SafeTensorsFile::open("/nonexistent/weights.safetensors");
  ASSERT_FALSE(static_cast<bool>(file));
  EXPECT_NE(llvm::toString(file.takeError()).find("cannot open weights file"),
            std::string::npos);
}

} // namespace
