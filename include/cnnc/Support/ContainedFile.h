//===- ContainedFile.h - Reading a file a model file names ------*- C++ -*-===//
//
// A model file is untrusted input: a path it names (ONNX external data)
// may be a link out of the model's folder, a device, a FIFO or a
// directory. Every reader of such a path goes through readContainedFile.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_SUPPORT_CONTAINEDFILE_H
#define CNNC_SUPPORT_CONTAINEDFILE_H

#include <cstdint>
#include <string>

namespace cnnc {

/// Reads `length` bytes at `offset` of the file `name` in folder `dir`
/// into `bytes`. `name` must be relative, without `..`, and resolve (links
/// followed) to a regular file inside `dir` (resolved too) holding those
/// bytes; its size is checked before anything is allocated or read, and a
/// FIFO or device is never opened. Otherwise false, with `error` saying
/// what the path is and why it is refused.
bool readContainedFile(const std::string &dir, const std::string &name,
                       uint64_t offset, uint64_t length, std::string &bytes,
                       std::string &error);

} // namespace cnnc

#endif // CNNC_SUPPORT_CONTAINEDFILE_H
