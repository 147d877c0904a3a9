//===- Scratch.cpp - A compile's private temporary directory --------------===//
//
// Why a directory and a handler of our own rather than LLVM's
// RemoveFileOnSignal for each file: a build system's timeout sends SIGTERM
// to cnnc and then to its whole process group, so cnnc receives it twice.
// LLVM's handler restores the default action and unblocks every signal
// before it removes its files, so the second SIGTERM could end cnnc halfway
// through the removal; and ld or objcopy, ended by the same signal, leave
// their own temporaries beside their outputs. Here every signal stays
// blocked until the whole directory is gone (docs/decisions.md).
//
//===----------------------------------------------------------------------===//

#include "Scratch.h"

#include "Build.h"
#include "cnnc/Codegen/Codegen.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

/// The directories of the Scratches alive in this process. A fixed table
/// of atomics, so the signal handler reads it without locks or allocation.
constexpr int kSlots = 32;
std::atomic<char *> liveDirectories[kSlots];

/// Removes what the directory open as `fd` holds, subdirectories
/// `depth` levels down. Async-signal-safe: getdents64 and *at() calls only.
void removeContents(int fd, int depth) {
  // Entries vanish while the directory is read: read it again until a
  // pass removes nothing.
  for (int pass = 0; pass < 4; ++pass) {
    bool removed = false;
    lseek(fd, 0, SEEK_SET);
    alignas(8) char buffer[2048];
    for (ssize_t n; (n = getdents64(fd, buffer, sizeof buffer)) > 0;) {
      for (ssize_t at = 0; at < n;) {
        const auto *entry = reinterpret_cast<const dirent64 *>(buffer + at);
        at += entry->d_reclen;
        const char *name = entry->d_name;
        if (!std::strcmp(name, ".") || !std::strcmp(name, ".."))
          continue;
        if (unlinkat(fd, name, 0) == 0) {
          removed = true;
          continue;
        }
        if (errno != EISDIR || depth == 0)
          continue;
        int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (sub >= 0) {
          removeContents(sub, depth - 1);
          close(sub);
        }
        removed |= unlinkat(fd, name, AT_REMOVEDIR) == 0;
      }
    }
    if (!removed)
      return;
  }
}

void removeTree(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (fd < 0)
    return;
  removeContents(fd, /*depth=*/1);
  close(fd);
  rmdir(path);
}

/// Runs with every signal blocked, so a second SIGTERM waits until the
/// files are gone; then the process ends of the signal, as it would have.
void onTermination(int sig) {
  for (std::atomic<char *> &slot : liveDirectories)
    if (char *path = slot.exchange(nullptr))
      removeTree(path);
  llvm::sys::RunInterruptHandlers(); // files LLVM was asked to remove
  std::signal(sig, SIG_DFL);
  std::raise(sig);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
}

} // namespace

void cnnc::removeScratchOnTermination() {
  struct sigaction action = {};
  action.sa_handler = onTermination;
  sigfillset(&action.sa_mask);
  for (int sig : {SIGHUP, SIGINT, SIGTERM})
    sigaction(sig, &action, nullptr);
}

Scratch::~Scratch() {
  if (directory.empty())
    return;
  // Removed while still registered: a signal arriving meanwhile finishes
  // the job.
  (void)llvm::sys::fs::remove_directories(directory);
  if (slot >= 0)
    std::free(liveDirectories[slot].exchange(nullptr));
}

llvm::Error Scratch::ensureDirectory() {
  if (!directory.empty())
    return llvm::Error::success();
  std::error_code ec;
  for (int attempt = 0; attempt < 128; ++attempt) {
    llvm::SmallString<128> path;
    llvm::sys::fs::createUniquePath("cnnc-%%%%%%%%", path,
                                    /*MakeAbsolute=*/true);
    // Registered before it exists, so no signal falls between its creation
    // and its registration. With every slot taken (32 compiles at once in
    // one process) it is still removed on return, not on a signal.
    char *name = strdup(path.c_str());
    slot = -1;
    for (int s = 0; s < kSlots && slot < 0 && name; ++s) {
      char *expected = nullptr;
      if (liveDirectories[s].compare_exchange_strong(expected, name))
        slot = s;
    }
    if (slot < 0)
      std::free(name);
    ec = llvm::sys::fs::create_directory(path, /*IgnoreExisting=*/false,
                                         llvm::sys::fs::perms::owner_all);
    if (!ec) {
      directory = std::string(path);
      return llvm::Error::success();
    }
    if (slot >= 0)
      std::free(liveDirectories[slot].exchange(nullptr));
    slot = -1;
    if (ec != std::errc::file_exists)
      break;
  }
  return failure("cannot create a temporary directory: " + ec.message());
}

llvm::Expected<std::string> Scratch::make(llvm::StringRef suffix) {
  if (llvm::Error e = ensureDirectory())
    return std::move(e);
  std::error_code ec;
  for (int attempt = 0; attempt < 128; ++attempt) {
    llvm::SmallString<128> path;
    llvm::sys::fs::createUniquePath(directory + "/cnnc-%%%%%%%%." + suffix,
                                    path, /*MakeAbsolute=*/false);
    int fd = -1;
    ec = llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_CreateNew);
    if (!ec) {
      llvm::sys::Process::SafelyCloseFileDescriptor(fd);
      return std::string(path);
    }
    if (ec != std::errc::file_exists)
      break;
  }
  return failure("cannot create a temporary file: " + ec.message());
}

llvm::Expected<std::string> Scratch::makeDirectory(llvm::StringRef name) {
  if (llvm::Error e = ensureDirectory())
    return std::move(e);
  llvm::SmallString<128> path(directory);
  llvm::sys::path::append(path, name);
  if (std::error_code ec =
          llvm::sys::fs::create_directory(path, /*IgnoreExisting=*/false))
    return failure("cannot create a temporary directory: " + ec.message());
  return std::string(path);
}
