//===- Build.h - Scheduled Halide pipelines, one per stage ------*- C++ -*-===//
//
// Private to lib/Codegen: what the ahead-of-time compiler (Compile.cpp),
// the artifacts it writes (Artifacts.cpp) and the in-process runner
// (Jit.cpp) share.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_BUILD_H
#define CNNC_LIB_CODEGEN_BUILD_H

#include "CpuModel.h"
#include "Lowering.h"
#include "cnnc/Codegen/Codegen.h"

namespace cnnc::codegen {

inline llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// One compiled function, shared by every stage with the same key.
struct Kernel {
  /// What it depends on: the stage's structure, its buffers' bounds, the
  /// target. Stages with equal keys run the same code.
  std::string key;
  /// Its C symbol, `cnnc_k_<hash of key>`.
  std::string symbol;
  /// The first stage that uses it: the pipeline that is compiled.
  int stage = 0;
};

/// A model lowered, scheduled and planned.
struct Built {
  LoweredModel model;
  Halide::Target target;
  /// What the CPU schedules were derived from (CPU targets).
  CpuModel cpu;
  std::string name;
  std::vector<Kernel> kernels;
  /// For each stage, the index of its kernel.
  std::vector<int> stageKernel;
  int64_t arenaBytes = 0;
  /// Whether int8 stages may use AVX512-VNNI: the target names it
  /// (avx512_sapphirerapids), or it is the host's and the host has it.
  bool vnni = false;
  /// Whether dense int8 convs run on AMX-INT8 tiles (the model runtime's
  /// cnnc_qconv_amx.c): the target names Sapphire Rapids, or it is the
  /// host's and the host has AMX.
  bool amx = false;

  /// The target stage `s` compiles for: int8 stages on a VNNI CPU add
  /// Halide's avx512_sapphirerapids (its dot-product instructions); the
  /// others keep the model's, whose code and tuning they were measured with.
  Halide::Target stageTarget(int s) const;

  /// The arguments of stage `s`'s kernel, in order: the activations it
  /// reads (or the model's input), then its weights.
  std::vector<Halide::Argument> arguments(int s) const;
};

/// Whether int8 kernels for `resolved` (what `requested` resolved to) may
/// use AVX512-VNNI.
bool targetHasVnni(llvm::StringRef requested, const Halide::Target &resolved);

/// Whether int8 convs for `resolved` may use AMX-INT8 tiles.
bool targetHasAmx(llvm::StringRef requested, const Halide::Target &resolved);

/// One of `--tune`'s candidates, asked of every CPU stage it applies to:
/// a Winograd tile (-1: the defaults'), and the index of a plan among each
/// stage's candidateCpuPlans (-1: the chosen plan; stages with fewer
/// candidates keep theirs).
struct TuneCandidate {
  int winograd = -1;
  int plan = -1;
};

/// Lowers `func`, schedules every stage for the resolved target with the
/// schedule library (CPU or GPU), plans the activations' memory and groups
/// stages into kernels. CPU stages follow the tuning records, or
/// `candidate` (the tuner's) wherever it applies.
llvm::Expected<Built> build(mlir::func::FuncOp func,
                            const CompileOptions &options,
                            const TuneCandidate *candidate = nullptr);

/// Per stage: its name, shape, kind, layer, the activations it reads and
/// writes, its kernel, and the schedule's choices (`--emit=schedule`).
std::string describeBuilt(const Built &b);

/// Writes what `options.emit` asks for from a built model to `outputPath`
/// (and its header beside it). Files appear whole or not at all.
llvm::Error emitBuilt(const Built &b, const CompileOptions &options,
                      llvm::StringRef outputPath);

/// A built model compiled to a shared library and loaded into this
/// process, with its entry points. The library stays loaded until the
/// process ends: its Halide runtime keeps per-thread arenas, block caches
/// and a thread pool, which unloading would leak rather than free (LSan
/// showed it for the five libraries `--tune` loads).
struct LoadedModel {
  void *library = nullptr;
  int (*run)(const float *, float *) = nullptr;
  int (*runProfiled)(const float *, float *, double *) = nullptr;
};

/// `options` for a model to load: a shared library whose entries are
/// model_run and model_run_profiled. Build with these, then loadBuilt.
CompileOptions jitOptions(const CompileOptions &options);

/// Compiles `b` (built with jitOptions) through the compile cache and
/// loads it.
llvm::Expected<std::unique_ptr<LoadedModel>>
loadBuilt(const Built &b, const CompileOptions &options);

/// Runs Halide work, turning its exceptions into errors.
template <typename Fn> llvm::Error guarded(Fn fn) {
  try {
    return fn();
  } catch (const Halide::Error &e) {
    return failure(llvm::Twine("Halide: ") + e.what());
  }
}

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_BUILD_H
