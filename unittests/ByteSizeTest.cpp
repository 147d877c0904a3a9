//===- ByteSizeTest.cpp - Cache sizes as sysfs and --caches write them ----===//

#include "cnnc/Support/ByteSize.h"

#include <gtest/gtest.h>

using cnnc::parseByteSize;

TEST(ByteSize, SysfsSizes) {
  EXPECT_EQ(parseByteSize("48K"), 48 << 10);
  EXPECT_EQ(parseByteSize("2048K"), 2 << 20);
  EXPECT_EQ(parseByteSize("32M"), int64_t(32) << 20);
}

TEST(ByteSize, FlagSizes) {
  EXPECT_EQ(parseByteSize("2m"), 2 << 20);
  EXPECT_EQ(parseByteSize("32k"), 32 << 10);
  EXPECT_EQ(parseByteSize("65536"), 65536);
}

TEST(ByteSize, MemoryLimits) {
  EXPECT_EQ(parseByteSize("8G"), int64_t(8) << 30);
  EXPECT_EQ(parseByteSize("1g"), int64_t(1) << 30);
  EXPECT_EQ(parseByteSize("512M"), int64_t(512) << 20);
}

TEST(ByteSize, NotSizes) {
  for (const char *text : {"", "K", "x", "48KB", "-1K", "0K", "1.5M",
                           "2097152M", "2097152G", "8GB", "99999999999999999999"})
    EXPECT_EQ(parseByteSize(text), 0) << text;
}
