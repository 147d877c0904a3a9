//===- SchedulePlan.h - A stage's CPU schedule as data ----------*- C++ -*-===//
//
// Scheduling a stage for a CPU is two steps: a pure function chooses a
// plan from the stage's shapes and the machine model (ChooseSchedule.cpp,
// no Halide), and the schedule library applies it (Schedules.cpp). The
// plan is what `cnnc --emit=schedule` prints, in words and as JSON, and
// what the stages' kernels are keyed by; the chooser's unit tests call it
// for several machines without Halide.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_SCHEDULEPLAN_H
#define CNNC_LIB_CODEGEN_SCHEDULEPLAN_H

#include "CpuModel.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm::json {
class Value;
} // namespace llvm::json

namespace cnnc::codegen {

/// Weights and per-channel values are zero-padded to a multiple of this
/// many output channels, so schedules may round channel loops up to whole
/// tiles of up to this many channels.
constexpr int64_t kChannelPad = 64;

/// Direct conv weights are stored in blocks of this many output channels
/// (WeightPacking.h), a divisor of kChannelPad and a multiple of every
/// vector width. A register tile of two AVX-512 vectors then reads whole
/// cache lines: in blocks of 64, each of two cores' tiles read half of
/// every line of a 400->400 1x1 conv's weights (RegNetX-400MF's 7x7 convs,
/// 0.049 ms; 0.043 ms in blocks of 32).
constexpr int64_t kConvWeightBlock = 32;

/// What a stage computes, as lowering made it.
enum class StageKind {
  Conv,               // a conv with its (inlined) epilogue
  DepthwisePointwise, // a fused block: inner convs per row strip
  Linear,             // a batch-1 fully connected layer
  Reduction,          // norm, pooling, softmax: reductions over small windows
  Elementwise,        // activations, adds, layout changes
};

/// How a conv's loops run. Auto (a request only): as the rules choose.
enum class ConvLoop {
  Auto,
  Rows,           // one row x one channel tile per task
  Blocked,        // blocks of rows per task, reduction blocked for L2
  WholeRows,      // one row x all channel tiles per task
  WinogradStrips, // Winograd: all phases per strip of tile rows
  WinogradPhases, // Winograd: whole-layer phases, products per point
  PerStrip,       // inside a depthwise->pointwise strip
};

/// The shape of a conv, all its schedule depends on.
struct ConvShape {
  int64_t outChannels = 0, inChannels = 0, kernelW = 1, kernelH = 1;
  int64_t outW = 1, outH = 1;
  /// The images of a batch, which share the conv's parallel loop.
  int64_t images = 1;
  bool depthwise = false;
  /// Winograd's F(m x m, 3 x 3) when m > 0 (lowering chose it), over
  /// tilesX x tilesY tiles.
  int winogradM = 0;
  int64_t winogradTilesX = 0, winogradTilesY = 0;

  /// "64->128 3x3 to 56x56", or "depthwise 96 3x3 to 56x56".
  std::string describe() const;
};

/// A register tile: vectors of output channels x pixels (or Winograd
/// tiles) whose accumulators stay in registers.
struct RegisterTile {
  int vectors = 1;
  int pixels = 1;
};

struct ConvPlan {
  ConvShape shape;
  ConvLoop loop = ConvLoop::Rows;
  RegisterTile tile;
  /// Blocked: output rows per task and input channels per reduction block.
  int64_t taskRows = 0, reductionBlock = 0;
  /// WinogradStrips: tile rows per strip.
  int64_t stripRows = 0;
};

/// How a stage is computed.
enum class StageMethod {
  Conv,            // its last conv writes the output (convs: that one)
  BlockStrips,     // depthwise->pointwise per strip of rows
  BlockLayers,     // depthwise->pointwise layer by layer
  Linear,          // output features in tiles
  LayoutEntry,     // NCHW input to channels-innermost, rows in parallel
  ChannelsAndRows, // vectorized over channels, rows in parallel
  Features,        // a [N, K] result vectorized over features
  Unscheduled,     // other ranks: Halide's defaults
};

struct StagePlan {
  StageMethod method = StageMethod::Unscheduled;
  /// Its convs in program order (the last one writes the output).
  std::vector<ConvPlan> convs;
  /// BlockStrips: output rows per strip.
  int64_t stripRows = 0;
  /// Linear: output features per task.
  int linearTile = 0;
  /// Whether a tuning record asked for the last conv's loop.
  bool tuned = false;
};

/// What the chooser knows of a stage.
struct StageShape {
  StageKind kind = StageKind::Elementwise;
  /// The result's rank (4: NCHW, 2: [N, K]).
  size_t rank = 4;
  bool layoutEntry = false;
  std::vector<ConvShape> convs;
};

/// The tile length in [lo, hi] that pads a row of `width` least (the
/// larger on a tie), at most `width`.
int leastPaddedTile(int64_t width, int lo, int hi);

/// The pixels of a register tile of `vectors` channel vectors on rows of
/// `width` on `cpu`: as many as the accumulators allow, padding the row
/// least.
int registerTilePixels(int vectors, int64_t width, const CpuModel &cpu);

/// The plan for `stage` on `cpu`. `requested` (a tuning record, or
/// `--tune`'s candidate) overrides the last conv's loop unless Auto; a
/// depthwise conv always runs by rows and a Winograd conv by its own rule.
StagePlan chooseCpuPlan(const StageShape &stage, const CpuModel &cpu,
                        ConvLoop requested = ConvLoop::Auto);

/// The plans `--tune` measures for `stage` besides the chosen one: other
/// conv loops, register tiles, row blocks and strips, each valid for the
/// stage (planFits) and distinct. At most kMaxCandidatePlans.
constexpr size_t kMaxCandidatePlans = 5;
std::vector<StagePlan> candidateCpuPlans(const StageShape &stage,
                                         const CpuModel &cpu);

/// Why `plan` cannot compute `stage` on `cpu` ("" if it can): another
/// method or conv shape than the chooser's, a loop the conv cannot run, a
/// tile that reads past the channel padding or spills, blocks or strips
/// outside the map.
std::string planMisfit(const StagePlan &plan, const StageShape &stage,
                       const CpuModel &cpu);

/// The plan planJson wrote, for `stage` on `cpu` (a tuning record's), or
/// an error that says what does not fit.
llvm::Expected<StagePlan> planFromJson(const llvm::json::Value &json,
                                       const StageShape &stage,
                                       const CpuModel &cpu);

/// The plan in words, one line per decision (`--emit=schedule`).
std::vector<std::string> describePlan(const StagePlan &plan, int lanes);
/// The plan as one line of JSON (`--emit=schedule`, kernel keys).
std::string planJson(const StagePlan &plan);
/// "rows", "blocked", "whole-rows", ...: the names records and JSON use.
const char *convLoopName(ConvLoop loop);
/// The loop `name` names, if any.
std::optional<ConvLoop> convLoopNamed(llvm::StringRef name);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_SCHEDULEPLAN_H
