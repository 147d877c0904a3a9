//===- KernelCache.cpp - Compiling a model's kernels, cached, in parallel -===//
//
// Kernels are compiled in forked worker processes: Halide's compiler keeps
// global state (LLVM's option registry, its unique-name counters) that it
// does not promise is thread-safe, and a process per worker also returns
// LLVM's memory when it exits (docs/decisions.md). Workers take kernels
// from a shared counter, largest first, and report on a pipe.
//
// A cache entry is a small header (magic, size, hash of the payload) and
// the object. Entries are written to a temporary name and renamed, so two
// cnnc processes never see each other's half-written files; an entry that
// fails its check is rebuilt.
//
//===----------------------------------------------------------------------===//

#include "KernelCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace cnnc;

namespace cnnc::codegen {

llvm::Error writeFile(llvm::StringRef path, llvm::StringRef data) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return failure("cannot write " + path + ": " + ec.message());
  os << data;
  os.close();
  if (os.has_error())
    return failure("cannot write " + path + ": " + os.error().message());
  return llvm::Error::success();
}

std::string cacheDirectory(const CompileOptions &options) {
  if (!options.cacheDir.empty())
    return options.cacheDir;
  llvm::SmallString<256> dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    dir = xdg;
  else if (const char *home = std::getenv("HOME"); home && *home)
    llvm::sys::path::append(dir, home, ".cache");
  else
    return "";
  llvm::sys::path::append(dir, "cnnc");
  return std::string(dir);
}

/// The identity of the binary holding `symbol`: a hash of its contents,
/// or, for large libraries, of its path, size and modification time.
static std::string binaryIdentity(const void *symbol) {
  Dl_info info;
  if (!dladdr(symbol, &info) || !info.dli_fname)
    return "";
  // The main program may be named as it was typed (`cnnc`, found on PATH).
  std::string path = info.dli_fname;
  if (path.find('/') == std::string::npos)
    path = "/proc/self/exe";
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status))
    return "";
  if (status.getSize() > (64u << 20))
    return path + ":" + std::to_string(status.getSize()) + ":" +
           std::to_string(llvm::sys::toTimeT(status.getLastModificationTime()));
  auto binary = llvm::MemoryBuffer::getFile(path);
  if (!binary)
    return "";
  return llvm::utohexstr(
      llvm::xxh3_64bits(llvm::arrayRefFromStringRef((*binary)->getBuffer())));
}

/// What compiled code depends on besides a kernel's key: this build of
/// CNNC (the binary holding this code) and of Halide.
static const std::string &buildIdentity() {
  static const std::string identity = [] {
    std::string cnnc =
        binaryIdentity(reinterpret_cast<const void *>(&buildIdentity));
    std::string halide =
        binaryIdentity(reinterpret_cast<const void *>(&Halide::load_plugin));
    // Unknown binaries: a key no other process shares, so nothing stale is
    // ever reused.
    if (cnnc.empty() || halide.empty())
      return "pid " + std::to_string(getpid());
    return "cnnc " + cnnc + " halide " + halide;
  }();
  return identity;
}

namespace {

constexpr char kMagic[8] = {'C', 'N', 'N', 'C', 'K', 'E', 'R', '1'};

struct EntryHeader {
  char magic[8];
  uint64_t size;
  uint64_t hash;
};

/// The payload of a valid entry, or nothing (absent, truncated, corrupt).
std::optional<std::string> readEntry(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return std::nullopt;
  llvm::StringRef data = (*file)->getBuffer();
  EntryHeader header;
  if (data.size() < sizeof header)
    return std::nullopt;
  std::memcpy(&header, data.data(), sizeof header);
  llvm::StringRef payload = data.drop_front(sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 ||
      header.size != payload.size() ||
      header.hash != llvm::xxh3_64bits(llvm::arrayRefFromStringRef(payload)))
    return std::nullopt;
  return payload.str();
}

/// Stores `object` as the entry `path`: written beside it, then renamed.
/// A cache that cannot be written is not an error: the object is still
/// there for this compile.
void storeEntry(llvm::StringRef path, llvm::StringRef objectPath) {
  auto object = llvm::MemoryBuffer::getFile(objectPath, false, false);
  if (!object)
    return;
  llvm::StringRef payload = (*object)->getBuffer();
  EntryHeader header;
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.size = payload.size();
  header.hash = llvm::xxh3_64bits(llvm::arrayRefFromStringRef(payload));
  std::string tmp =
      (path + ".tmp." + llvm::Twine(getpid()) + "." + llvm::Twine(std::rand()))
          .str();
  std::string data(reinterpret_cast<const char *>(&header), sizeof header);
  data += payload;
  if (llvm::Error e = writeFile(tmp, data)) {
    llvm::consumeError(std::move(e));
    llvm::sys::fs::remove(tmp);
    return;
  }
  if (llvm::sys::fs::rename(tmp, path))
    llvm::sys::fs::remove(tmp);
}

/// A job: compile kernel `kernel` (or the runtime, -1) to `path`.
struct Job {
  int kernel;
  std::string path;
  std::string entry; // its cache entry, or "" without a cache
};

llvm::Error compileJob(const Built &b, const Job &job) {
  return guarded([&]() -> llvm::Error {
    if (job.kernel < 0) {
      Halide::compile_standalone_runtime(job.path, b.target);
    } else {
      const Kernel &k = b.kernels[job.kernel];
      Halide::Target target =
          b.stageTarget(k.stage).with_feature(Halide::Target::NoRuntime);
      Halide::Pipeline(b.model.stages[k.stage].output)
          .compile_to_object(job.path, b.arguments(k.stage), k.symbol, target);
    }
    if (!job.entry.empty())
      storeEntry(job.entry, job.path);
    return llvm::Error::success();
  });
}

/// Shows "compiling kernels k/N: layer" on a terminal once a compile has
/// taken a moment.
class Progress {
public:
  Progress(bool enabled, size_t total) : enabled(enabled), total(total) {}
  ~Progress() {
    if (shown)
      llvm::errs() << "\r\x1b[K";
  }
  void update(size_t done, llvm::StringRef layer) {
    if (!enabled || std::chrono::steady_clock::now() - start <
                        std::chrono::milliseconds(1500))
      return;
    shown = true;
    llvm::errs() << "\r\x1b[Kcnnc: compiling kernels " << done << "/" << total
                 << ": " << layer;
    llvm::errs().flush();
  }

private:
  bool enabled, shown = false;
  size_t total;
  std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
};

int workerCount(const CompileOptions &options, size_t jobs) {
  int n = options.jobs > 0
              ? options.jobs
              : static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, std::min<int>(n, static_cast<int>(jobs)));
}

/// Compiles `jobs` in `workers` forked processes.
llvm::Error compileForked(const Built &b, const std::vector<Job> &jobs,
                          int workers, Progress &progress) {
  auto *next = static_cast<std::atomic<int> *>(
      mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE,
           MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  if (next == MAP_FAILED)
    return failure("cannot share memory with worker processes");
  new (next) std::atomic<int>(0);
  int fds[2];
  if (pipe(fds) != 0) {
    munmap(next, sizeof *next);
    return failure("cannot open a pipe to worker processes");
  }
  llvm::errs().flush();
  std::vector<pid_t> pids;
  for (int w = 0; w < workers; ++w) {
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      int status = 0;
      for (int i; (i = next->fetch_add(1)) < static_cast<int>(jobs.size());) {
        std::string line;
        if (llvm::Error e = compileJob(b, jobs[i])) {
          line = "F" + std::to_string(i) + " " + llvm::toString(std::move(e));
          std::replace(line.begin(), line.end(), '\n', ' ');
          status = 1;
        } else {
          line = "D" + std::to_string(i);
        }
        line = line.substr(0, 4000) + "\n";
        (void)!write(fds[1], line.data(), line.size());
      }
      _exit(status);
    }
    if (pid < 0)
      break;
    pids.push_back(pid);
  }
  close(fds[1]);
  std::string errors, buffer;
  size_t done = 0;
  char chunk[4096];
  for (ssize_t n; (n = read(fds[0], chunk, sizeof chunk)) != 0;) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    buffer.append(chunk, n);
    for (size_t eol; (eol = buffer.find('\n')) != std::string::npos;) {
      std::string line = buffer.substr(0, eol);
      buffer.erase(0, eol + 1);
      ++done;
      if (line[0] == 'F' && errors.empty())
        errors = line.substr(line.find(' ') + 1);
      int i = std::atoi(line.c_str() + 1);
      int kernel = jobs[i].kernel;
      progress.update(
          done, kernel < 0 ? "runtime"
                           : b.model.stages[b.kernels[kernel].stage].layer);
    }
  }
  close(fds[0]);
  bool crashed = pids.empty();
  for (pid_t pid : pids) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
    if (!WIFEXITED(status))
      crashed = true;
  }
  munmap(next, sizeof *next);
  if (!errors.empty())
    return failure(errors);
  if (crashed || done != jobs.size())
    return failure("a kernel compiler process failed (" + llvm::Twine(done) +
                   " of " + llvm::Twine(jobs.size()) + " kernels compiled)");
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<std::string>>
kernelObjects(const Built &b, const CompileOptions &options, Scratch &scratch) {
  std::string dir = options.useCache ? cacheDirectory(options) : "";
  if (!dir.empty())
    if (llvm::sys::fs::create_directories(dir))
      dir.clear(); // an unwritable cache: compile without one
  std::vector<std::string> objects;
  std::vector<Job> jobs;
  size_t invalid = 0;
  for (int k = -1; k < static_cast<int>(b.kernels.size()); ++k) {
    llvm::Expected<std::string> path = scratch.make("o");
    if (!path)
      return path.takeError();
    objects.push_back(*path);
    Job job{k, *path, ""};
    if (!dir.empty()) {
      std::string key =
          (k < 0 ? "runtime\n" + b.target.to_string() : b.kernels[k].key) +
          "\n" + buildIdentity();
      llvm::SmallString<256> entry(dir);
      llvm::sys::path::append(
          entry, llvm::utohexstr(llvm::xxh3_64bits(key), true, 16) + ".kernel");
      job.entry = std::string(entry);
      if (std::optional<std::string> cached = readEntry(job.entry)) {
        if (llvm::Error e = writeFile(job.path, *cached))
          return std::move(e);
        continue;
      }
      if (llvm::sys::fs::exists(job.entry))
        ++invalid; // truncated or corrupt: compiled again and replaced
    }
    jobs.push_back(std::move(job));
  }
  // The runtime went first; the rest of the objects in kernel order.
  std::rotate(objects.begin(), objects.begin() + 1, objects.end());
  // Largest first, so no worker is left with a big kernel at the end.
  std::stable_sort(jobs.begin(), jobs.end(), [&](const Job &x, const Job &y) {
    auto macs = [&](const Job &j) {
      return j.kernel < 0 ? 0 : b.model.stages[b.kernels[j.kernel].stage].macs;
    };
    return macs(x) > macs(y);
  });
  if (options.verbose)
    llvm::errs() << "cnnc: kernels and runtime: "
                 << objects.size() - jobs.size() << " from the cache, "
                 << jobs.size() << " to compile"
                 << (invalid ? " (" + std::to_string(invalid) +
                                   " invalid cache entries replaced)"
                             : std::string())
                 << (dir.empty() ? ", no cache" : "") << "\n";
  Progress progress(options.progress, jobs.size());
  int workers = workerCount(options, jobs.size());
  if (workers <= 1) {
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (llvm::Error e = compileJob(b, jobs[i]))
        return std::move(e);
      progress.update(i + 1, "");
    }
  } else if (llvm::Error e = compileForked(b, jobs, workers, progress)) {
    return std::move(e);
  }
  return objects;
}

} // namespace cnnc::codegen
