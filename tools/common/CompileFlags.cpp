//===- CompileFlags.cpp - Command-line flags of tools that compile --------===//

#include "CompileFlags.h"
#include "cnnc/Support/ByteSize.h"

#include "llvm/Support/Process.h"

using namespace llvm;

namespace cnnc {

cl::OptionCategory &compileFlagsCategory() {
  static cl::OptionCategory category("Code generation");
  return category;
}

static cl::opt<std::string>
    target("target",
           cl::desc("Halide target string, or host, host-cuda, host-opencl"),
           cl::init("host"), cl::cat(compileFlagsCategory()));
static cl::opt<std::string> cacheDir(
    "cache-dir",
    cl::desc("Compile cache (default: $XDG_CACHE_HOME/cnnc or ~/.cache/cnnc)"),
    cl::value_desc("dir"), cl::cat(compileFlagsCategory()));
static cl::opt<bool> noCache("no-cache",
                             cl::desc("Compile every kernel, keep none"),
                             cl::cat(compileFlagsCategory()));
static cl::opt<unsigned>
    jobs("j",
         cl::desc("Compile kernels in N processes (default: one per core)"),
         cl::value_desc("N"), cl::init(0), cl::Prefix,
         cl::cat(compileFlagsCategory()));
static cl::opt<WinogradMode> winograd(
    "winograd",
    cl::desc("Stride-1 3x3 convs with Winograd's algorithm (CPU targets)"),
    cl::values(clEnumValN(WinogradMode::Auto, "auto",
                          "where it was measured faster (default)"),
               clEnumValN(WinogradMode::All, "all", "every one"),
               clEnumValN(WinogradMode::Off, "off",
                          "none: exact direct convolution")),
    cl::init(WinogradMode::Auto), cl::cat(compileFlagsCategory()));
static cl::opt<bool>
    noAmx("no-amx",
          cl::desc("Dense int8 convs with AVX512-VNNI dot products even "
                   "where the target has AMX tiles"),
          cl::Hidden, cl::cat(compileFlagsCategory()));
static cl::opt<std::string> caches(
    "caches",
    cl::desc("Per-core L1 data and L2 cache sizes to derive CPU schedules "
             "from, like 48K,2M (default: this machine's)"),
    cl::value_desc("L1,L2"), cl::Hidden, cl::cat(compileFlagsCategory()));
static cl::opt<unsigned>
    cores("cores",
          cl::desc("Cores to spread a kernel's tasks over, which CPU schedules "
                   "are derived from (default: this machine's)"),
          cl::value_desc("N"), cl::init(0), cl::Hidden,
          cl::cat(compileFlagsCategory()));
static cl::opt<std::string> tuning(
    "tuning",
    cl::desc("Tuning records to follow (default: the compile cache's; none: "
             "the defaults)"),
    cl::value_desc("file"), cl::cat(compileFlagsCategory()));
static cl::opt<bool>
    quiet("quiet", cl::desc("No progress on the terminal while compiling"),
          cl::cat(compileFlagsCategory()));

Expected<CompileOptions> compileOptionsFromFlags() {
  CompileOptions options;
  if (!caches.empty()) {
    auto [l1, l2] = StringRef(caches).split(',');
    options.l1CacheBytes = parseByteSize(l1);
    options.l2CacheBytes = parseByteSize(l2);
    if (!options.l1CacheBytes || !options.l2CacheBytes)
      return createStringError(inconvertibleErrorCode(),
                               "--caches=" + caches +
                                   ": expected the L1 and L2 sizes, like "
                                   "48K,2M");
  }
  if (cores > 1024)
    return createStringError(inconvertibleErrorCode(),
                             "--cores=" + std::to_string(cores) +
                                 ": expected at most 1024");
  options.cores = static_cast<int>(cores);
  options.target = target;
  options.cacheDir = cacheDir;
  options.useCache = !noCache;
  options.jobs = static_cast<int>(jobs);
  options.winograd = winograd;
  options.amx = !noAmx;
  options.tuningFile = tuning;
  options.progress = !quiet && sys::Process::StandardErrIsDisplayed();
  return options;
}

} // namespace cnnc
