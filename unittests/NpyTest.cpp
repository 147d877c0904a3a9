//===- NpyTest.cpp - .npy files round-trip and reject bad input -----------===//

#include "cnnc/Weights/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace cnnc;

namespace {

std::string tempPath(const char *name) {
  llvm::SmallString<128> path;
  llvm::sys::fs::createUniquePath(std::string("cnnc-%%%%%%-") + name, path,
                                  /*MakeAbsolute=*/true);
  return std::string(path);
}

TEST(NpyTest, RoundTrip) {
  std::string path = tempPath("a.npy");
  std::vector<float> data = {1, -2, 3.5f, 4, 5, 6};
  ASSERT_FALSE(static_cast<bool>(writeNpy(path, {1, 2, 3}, data)));
  llvm::Expected<NpyArray> back = readNpy(path);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->shape, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(back->data, data);
  // A 1-D array is written as the tuple (6,).
  ASSERT_FALSE(static_cast<bool>(writeNpy(path, {6}, data)));
  back = readNpy(path);
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->shape, (std::vector<int64_t>{6}));
  llvm::sys::fs::remove(path);
}

TEST(NpyTest, RejectsOtherDtypesAndTruncation) {
  std::string path = tempPath("b.npy");
  auto writeRaw = [&](const std::string &header, size_t dataBytes) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << "\x93NUMPY" << char(1) << char(0) << char(header.size()) << char(0)
       << header << std::string(dataBytes, '\0');
  };
  writeRaw("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", 16);
  llvm::Expected<NpyArray> r = readNpy(path);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(llvm::toString(r.takeError()).find("holds dtype '<f8'"),
            std::string::npos);
  writeRaw("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }\n", 8);
  r = readNpy(path);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(llvm::toString(r.takeError()).find("not in C order"),
            std::string::npos);
  writeRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }\n", 8);
  r = readNpy(path);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(llvm::toString(r.takeError())
                .find("holds 8 data bytes, but its "
                      "shape needs 16"),
            std::string::npos);
  llvm::sys::fs::remove(path);
}

} // namespace
