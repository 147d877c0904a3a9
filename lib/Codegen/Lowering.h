//===- Lowering.h - cnn IR to one Halide pipeline per stage -----*- C++ -*-===//
//
// Each top-level op or fused group becomes a stage with its own Halide
// pipeline: it reads the activations it needs and its weights as
// parameters and writes one activation. Activations between stages live in
// one arena (MemoryPlan.h).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_LOWERING_H
#define CNNC_LIB_CODEGEN_LOWERING_H

#include "Stage.h"
#include "cnnc/Codegen/Codegen.h"

#include "llvm/Support/Error.h"

#include <map>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace cnnc::codegen {

/// An activation passed from one stage to the next, in the internal layout.
struct Activation {
  /// NCHW (or [N, K]) shape.
  std::vector<int64_t> shape;
  /// Its elements' type: f32, or u8 for a quantized activation.
  Halide::Type type = Halide::Float(32);
  /// What consumers read: bounded to `extents`, dense strides over them.
  Halide::ImageParam param;
  /// The stage that writes it and the last stage that reads it.
  int producer = -1, lastUse = -1;
  /// Per Halide dimension: the extents of its buffer, which its producer
  /// computes whole (schedules round tiles up) and which cover what every
  /// consumer reads.
  std::vector<int> extents;
  /// Byte offset in the arena.
  int64_t offset = 0;
  /// Written in place into channels [channelOffset, +C) of activation
  /// `parent` (a concatenation's inputs); -1: its own memory.
  int parent = -1;
  int64_t channelOffset = 0;
  /// A concatenation whose inputs all write into it: no stage produces it.
  bool writtenInSlices = false;
  /// Per Halide dimension; empty: dense over `extents`.
  std::vector<int> strides;
  int64_t bytes() const;
  /// `strides`, or the dense strides over `extents`.
  std::vector<int> strideList() const;
};

struct LoweredModel {
  /// NCHW input: Halide dims (w, h, c, n).
  Halide::ImageParam input;
  /// NCHW (or [N, K]) output: Halide dims reversed from the shape; the
  /// exit stage's output.
  Halide::Func output;
  std::vector<int64_t> inputShape, outputShape;
  /// In run order: the entry (NCHW to the internal layout), one per
  /// top-level op or fused group, the exit (back to NCHW).
  std::vector<Stage> stages;
  std::vector<Activation> activations;
  /// The repacked weights, each a parameter of its stage's pipeline: AOT
  /// embeds them in a data section.
  std::vector<std::pair<Halide::ImageParam, Halide::Buffer<>>> weights;
};

/// Byte alignment of every weight in the embedded data and of every
/// activation in the arena.
constexpr int kWeightAlignment = 64;

struct LoweringOptions {
  /// Which stride-1 3x3 convs use Winograd's algorithm: GPU targets pass
  /// Off (their schedules are direct).
  WinogradMode winograd = WinogradMode::Auto;
  /// Winograd tiles that override `winograd`: for every eligible conv
  /// (when not -1), or for the last conv of a stage, by stage index.
  int winogradForAll = -1;
  std::map<int, int> winogradByStage;
  /// Whether a stage that is one table lookup (u8 to u8 or to f32) calls
  /// the model runtime's kernel (runtime/cnnc_lookup_table.c) instead of
  /// Halide's gather: CPU targets, where the wrapper runs on the same memory.
  bool runtimeTableLookups = false;
  /// Whether a dense int8 conv that is a stage of its own calls the model
  /// runtime's AMX kernel (runtime/cnnc_qconv_amx.c).
  bool amxConvs = false;
  /// Whether a LayerNorm that is a stage of its own computes in double, as
  /// the reference interpreter does (Lowerer::lowerLayerNorm): CPU targets
  /// (OpenCL devices need not have doubles).
  bool doubleLayerNorms = false;
  /// Whether an int8 stem of 9 to 24 taps folds its kernel columns into
  /// its channels too where its input rows are whole 16-byte vectors
  /// (Lowerer::foldsColumns): x86 targets with VNNI. Without VNNI it ran
  /// slower than its f32 form.
  bool foldSmallStems = false;
};

/// Lowers a function whose weights are bound (constants) and which takes
/// one 4-D input and returns one tensor. Constants are repacked into
/// Halide buffers in the order the schedules read them.
llvm::Expected<LoweredModel> lowerToHalide(mlir::func::FuncOp func,
                                           const LoweringOptions &options);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_LOWERING_H
