//===- ByteSize.h - Byte counts such as 48K, 2M, 8G -------------*- C++ -*-===//
//
// The cache sizes sysfs reports, `--caches` and $CNNC_MEMORY_LIMIT, read the
// same way.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_SUPPORT_BYTESIZE_H
#define CNNC_SUPPORT_BYTESIZE_H

#include <cstdint>
#include <string_view>

namespace cnnc {

/// Bytes, or a count of K (2^10), M (2^20) or G (2^30) in either case:
/// `48K`, `2M`, `8G`, `65536`. 0 for anything else, and for counts that are
/// 0 or over 2^20 of their unit.
int64_t parseByteSize(std::string_view text);

} // namespace cnnc

#endif // CNNC_SUPPORT_BYTESIZE_H
