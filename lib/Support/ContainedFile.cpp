//===- ContainedFile.cpp - Reading a file a model file names --------------===//

#include "cnnc/Support/ContainedFile.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace {

/// The path with every link resolved, or empty (errno set).
std::string resolved(const std::string &path) {
  std::unique_ptr<char, decltype(&std::free)> real(
      realpath(path.c_str(), nullptr), &std::free);
  return real ? std::string(real.get()) : std::string();
}

/// What a file of mode `mode` is, for messages.
const char *kindOf(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "another kind of file";
}

bool hasParentStep(const std::string &name) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos)
      end = name.size();
    if (name.compare(start, end - start, "..") == 0 && end - start == 2)
      return true;
    start = end + 1;
  }
  return false;
}

} // namespace

bool cnnc::readContainedFile(const std::string &dir, const std::string &name,
                             uint64_t offset, uint64_t length,
                             std::string &bytes, std::string &error) {
  const std::string folder = dir.empty() ? "." : dir;
  const std::string path = folder + "/" + name;
  if (name.empty() || name[0] == '/' || hasParentStep(name)) {
    error = "'" + name + "' must be a file name inside the model's folder";
    return false;
  }
  const std::string realFolder = resolved(folder);
  const std::string real = resolved(path);
  if (realFolder.empty() || real.empty()) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  if (real.compare(0, realFolder.size() + 1, realFolder + "/") != 0) {
    error = path + " resolves to " + real + ", outside the model's folder " +
            realFolder;
    return false;
  }
  struct stat before;
  if (stat(real.c_str(), &before) != 0) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(before.st_mode)) {
    error = path + " is " + kindOf(before.st_mode) +
            "; only a regular file "
            "is read";
    return false;
  }
  // Non-blocking and without following a link: a FIFO or link swapped in
  // since the check is never waited on or followed.
  int fd = open(real.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat opened;
  if (fd < 0 || fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode) ||
      opened.st_ino != before.st_ino || opened.st_dev != before.st_dev) {
    error = "cannot read " + path + ": it changed while being opened";
    if (fd >= 0)
      close(fd);
    return false;
  }
  const uint64_t size = static_cast<uint64_t>(opened.st_size);
  if (offset > size || size - offset < length) {
    close(fd);
    error = path + " holds " + std::to_string(size) + " bytes; " +
            std::to_string(length) + " are needed at offset " +
            std::to_string(offset);
    return false;
  }
  bytes.resize(length);
  uint64_t done = 0;
  while (done < length) {
    ssize_t n = pread(fd, bytes.data() + done, length - done,
                      static_cast<off_t>(offset + done));
    if (n <= 0) {
      if (n < 0 && errno == EINTR)
        continue;
      close(fd);
      error = "cannot read " + path + ": " +
              (n < 0 ? std::strerror(errno) : "it ended early");
      return false;
    }
    done += static_cast<uint64_t>(n);
  }
  close(fd);
  return true;
}
