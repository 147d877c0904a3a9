//===- Codegen.h - Compiling cnn models with Halide -------------*- C++ -*-===//
//
// The public face of code generation; Halide stays behind it. A model is a
// func.func whose weights are bound (constants), usually after the
// optimization pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_CODEGEN_CODEGEN_H
#define CNNC_CODEGEN_CODEGEN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace cnnc {

enum class EmitKind {
  Object,
  StaticLibrary,
  SharedLibrary,
  Stmt,
  Html,
  /// The schedule's choices per stage, in words (nothing is compiled).
  Schedule
};

/// Which stride-1 3x3 dense convs are computed with Winograd's algorithm.
enum class WinogradMode {
  /// Those where it was measured faster than direct convolution.
  Auto,
  /// Every one (for tests of the transforms).
  All,
  /// None: direct convolution, rounded as the reference rounds.
  Off
};

struct CompileOptions {
  /// A Halide target string, or host, host-cuda, host-opencl.
  std::string target = "host";
  /// The C name of the entry; the model function's name if empty.
  std::string functionName;
  EmitKind emit = EmitKind::Object;
  /// Where the compiled model was described, for the header's comment.
  std::string sourceName;
  /// The compile cache: kernels are kept there by what they depend on.
  /// Empty: $XDG_CACHE_HOME/cnnc (or ~/.cache/cnnc).
  std::string cacheDir;
  bool useCache = true;
  /// Worker processes compiling kernels; 0: one per core.
  int jobs = 0;
  /// Shows progress on stderr (callers enable it on a terminal).
  bool progress = false;
  /// Prints the kernels, the arena and the peak activation memory.
  bool verbose = false;
  /// Winograd convolutions on CPU targets (GPU targets compute directly).
  WinogradMode winograd = WinogradMode::Auto;
  /// Dense int8 convs on AMX-INT8 tiles where the target has them; false:
  /// AVX512-VNNI dot products there too.
  bool amx = true;
  /// The per-core L1 data and L2 cache sizes CPU schedules are derived
  /// from; 0: this machine's (for a target of its architecture).
  int64_t l1CacheBytes = 0, l2CacheBytes = 0;
  /// The cores a kernel's tasks spread over, which CPU schedules are
  /// derived from; 0: this machine's (for a target of its architecture).
  int cores = 0;
  /// Tuning records (`cnnc --tune`) to follow on CPU targets; empty:
  /// tuning.json in the compile cache; "none": the defaults.
  std::string tuningFile;
};

/// One stage of a compiled model, in run order, as profiles show it.
struct StageInfo {
  /// The module path of its first weight (`layer4.1.conv2`), or
  /// `<layer before>/<ops>` for stages without weights.
  std::string layer;
  /// Its ops' kinds, `conv2d+add+relu`.
  std::string ops;
  std::vector<int64_t> shape;
  int64_t macs = 0;
};

/// The Halide target string `target` stands for: `host` is this machine,
/// with a safe AVX-512 feature set where the CPU has AVX-512.
llvm::Expected<std::string> resolveTarget(llvm::StringRef target);

/// Chooses every stage's schedule for `options.target` without compiling,
/// and records it on the stage's op or group as a `cnn.schedule` string
/// attribute: the CPU plan as JSON (what `--emit=schedule` prints), a GPU
/// schedule in words (`cnnc --emit=mlir`).
llvm::Error annotateSchedules(mlir::func::FuncOp func,
                              const CompileOptions &options);

/// Compiles `func` to `outputPath` (an object, library, statement or HTML
/// file) and, for objects and libraries, a C header beside it (same stem,
/// `.h`). Files appear whole or not at all.
llvm::Error compileModel(mlir::func::FuncOp func, const CompileOptions &options,
                         llvm::StringRef outputPath);

/// Makes SIGINT, SIGTERM and SIGHUP remove every temporary file and
/// directory of the compiles in progress (and the files LLVM was asked to
/// remove) before the process ends of the signal, a second signal waiting
/// until they are gone. For command-line tools: call it after llvm::InitLLVM,
/// which installs LLVM's own handlers that this replaces.
void removeScratchOnTermination();

/// What `tuneModel` measured and kept.
struct TuneReport {
  /// Distinct conv kernels measured, and those whose winner is not the
  /// defaults' choice.
  int kernels = 0, changed = 0;
  /// Per kernel: its layer and shape, the defaults' choice and time, and
  /// the winner's where it changed.
  std::vector<std::string> lines;
  /// The whole model's median latency with the defaults and with the
  /// records, in milliseconds.
  double defaultMs = 0, tunedMs = 0;
  /// Whether the winners together were slower than the defaults, which
  /// the records then keep.
  bool keptDefaults = false;
  /// Wall time of the tuning.
  double seconds = 0;
  std::string recordsPath;
};

/// Measures candidate schedules for each distinct conv kernel of `func` on
/// this machine (CPU targets) and stores the fastest as tuning records in
/// the file `options` names (tuningFile, else the compile cache's), where
/// later compiles for this CPU and target find them.
llvm::Expected<TuneReport> tuneModel(mlir::func::FuncOp func,
                                     const CompileOptions &options);

/// A model compiled to a shared library (its kernels through the compile
/// cache) and loaded into this process.
class JitModel {
public:
  static llvm::Expected<std::unique_ptr<JitModel>>
  create(mlir::func::FuncOp func, const CompileOptions &options);
  ~JitModel();

  /// Runs on dense NCHW data.
  llvm::Error run(const float *input, float *output);
  /// Runs and measures each stage: `seconds` gets one entry per stage.
  llvm::Error runProfiled(const float *input, float *output,
                          std::vector<double> &seconds);
  const std::vector<StageInfo> &stages() const;
  const std::vector<int64_t> &inputShape() const;
  const std::vector<int64_t> &outputShape() const;

private:
  struct Impl;
  explicit JitModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace cnnc

#endif // CNNC_CODEGEN_CODEGEN_H
