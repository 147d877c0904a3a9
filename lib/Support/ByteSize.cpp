//===- ByteSize.cpp - Byte counts such as 48K, 2M, 8G ---------------------===//

#include "cnnc/Support/ByteSize.h"

#include <charconv>

int64_t cnnc::parseByteSize(std::string_view text) {
  int64_t scale = 1;
  if (!text.empty() && (text.back() == 'K' || text.back() == 'k'))
    scale = int64_t(1) << 10;
  else if (!text.empty() && (text.back() == 'M' || text.back() == 'm'))
    scale = int64_t(1) << 20;
  else if (!text.empty() && (text.back() == 'G' || text.back() == 'g'))
    scale = int64_t(1) << 30;
  if (scale != 1)
    text.remove_suffix(1);
  int64_t value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0 ||
      value > (int64_t(1) << 20))
    return 0;
  return value * scale;
}
