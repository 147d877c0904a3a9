//===- Stage.h - What lowering hands to the schedule library ----*- C++ -*-===//
//
// Lowering turns each top-level op or fused group into a stage: one output
// Func, computed at the root, and the reductions inside it that need a
// schedule (convolutions, norms, pools). The schedule library decides loop
// order, tiling, vectorization and where inner reductions are computed.
//
// Activations use a channel-innermost layout: a 4-D tensor [N, C, H, W] is
// a Func over (c, x, y, n); a 2-D tensor [N, K] is a Func over (k, n).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_STAGE_H
#define CNNC_LIB_CODEGEN_STAGE_H

#include "GpuPlan.h"
#include "cnnc/Support/Quantization.h"

#include "Halide.h"

namespace mlir {
class Operation;
} // namespace mlir

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace cnnc::codegen {

/// The variables of the internal layout.
struct Vars {
  Halide::Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, k{"k"};
};

/// The Funcs of a conv computed as Winograd's F(m x m, 3 x 3) (Winograd.h),
/// over tiles t = tx + ty * tilesX of m x m outputs.
struct WinogradFuncs {
  int m = 0; // 0: direct convolution
  int64_t tilesX = 0, tilesY = 0;
  /// inputX(c, t, ax, y, n): input tiles transformed along x; input(c, t,
  /// ax, ay, n): V, transformed along y too.
  Halide::Func inputX, input;
  /// product(co, t, ax, ay, n): M, the sum of U V over input channels
  /// (`r`), accumulated in `accumulator`.
  Halide::Func accumulator, product;
  /// outputX(co, t, x, ay, n): M transformed back along x; output(co, t,
  /// x, y, n): the tile's outputs, before the bias.
  Halide::Func outputX, output;
  Halide::RDom r;
  Halide::Var t{"wt"}, ax{"wax"}, ay{"way"};
};

/// What a tuning record (Tuning.h) or `--tune` asks of a stage, overriding
/// the rules: Winograd's tile for its last conv (a lowering choice) and a
/// whole plan (a schedule choice).
struct StageChoice {
  /// The Winograd tile m of a stride-1 3x3 dense conv: 0 for direct
  /// convolution, 2 or 4; -1: as the defaults choose.
  int winograd = -1;
  /// The plan to apply, which fits the stage (planMisfit); none: as the
  /// rules choose.
  std::optional<StagePlan> plan;
  /// Whether a tuning record chose this.
  bool tuned = false;
};

/// A convolution's reduction Func and its shape.
struct ConvInfo {
  Halide::Func conv;
  /// The value the conv reads (before zero padding), and the zero-padded
  /// Func the reduction reads.
  Halide::Func input, padded;
  /// The repacked weights the reduction reads.
  Halide::Func weights;
  /// r.x: input channels per group, r.y: kernel column, r.z: kernel row.
  Halide::RDom r;
  int64_t outChannels = 0, inChannels = 0, kernelW = 1, kernelH = 1;
  int64_t outW = 1, outH = 1;
  bool depthwise = false;
  int64_t groups = 1;
  /// Whether `input` is computed in the conv's own stage, not read from an
  /// activation: a squeeze-excitation scale (--cnn-fuse-conv-prologue),
  /// which a conv stage computes per row of its output, or an inner conv
  /// of a depthwise->pointwise block, which that block's schedule places.
  bool prologue = false;
  /// Whether the conv multiplies the integers of an int8 conv, in f32 and
  /// exactly (Lowerer::lowerQConvInFloat).
  bool integerValues = false;
  /// Whether Winograd's algorithm applies (stride-1 3x3 dense, not inside
  /// a depthwise->pointwise block).
  bool winogradEligible = false;
  /// Set when the conv is computed with Winograd's algorithm: `conv` is
  /// then a pure Func (bias plus the output transform), with no update.
  WinogradFuncs winograd;
};

/// An int8 conv (cnn.qconv2d): its int32 accumulator over (c in the
/// channel tile, x, y, n, tile),
/// initialised with the bias and the input zero point's correction, and its
/// reduction r: r.x the 4 input channels of one dot product, r.y groups of
/// 4 input channels, r.z the kernel column, r.w its row.
struct QuantizedConvInfo {
  Halide::Func accumulator;
  /// Its input with the padding (the zero point) around it, over
  /// (c, x, y, n).
  Halide::Func paddedInput;
  Halide::RDom r;
  int64_t outChannels = 0, outW = 0, outH = 0;
  /// Output channels per register tile, and per tile of the packed weights;
  /// pixels of a row per register tile.
  int channelTile = 16, pixels = 6;
  /// Input channels the dot products read: a multiple of 4.
  int inChannels = 4;
  /// Whether the dot products read a few-channel input with the kernel's
  /// columns folded into its channels (a stem's): `paddedInput` is then
  /// the input padded, planar, and a dot product reads 4 columns of it.
  bool foldedColumns = false;
  /// The input's width.
  int64_t inW = 0;
  /// Whether `paddedInput` is the input itself (no border to pad): it is
  /// then inlined, not copied.
  bool readsInputDirectly = false;
  /// The activation the conv reads through its reduction (others, such as
  /// a fused residual, are read at the stage's own coordinates).
  int inputActivation = -1;
  /// One channel per group: the accumulator is over (c, x, y, n), its RDom
  /// over the kernel's taps (kx, ky), no dot products.
  bool depthwise = false;
  /// An extern stage on AMX tiles (runtime/cnnc_qconv_amx.c): no
  /// accumulator, padded input or schedule of Halide's.
  bool amx = false;
};

/// Channels per vector of an int8 depthwise conv: 32 16-bit products.
constexpr int kInt8DepthwiseLanes = 32;

/// Int32 lanes per dot-product vector of a dense int8 conv: 512 bits.
/// Narrower vectors would let LLVM encode vpdpbusd as AVX-VNNI (VEX), which
/// AVX-512 CPUs such as Zen 4 lack. Its padded input copy moves whole
/// vectors of this many channels.
constexpr int kInt8Lanes = static_cast<int>(quant::kAccumulatorLanes);

/// An int8 conv's register tile: output channels (up to 4 vectors of 16
/// int32 lanes) by pixels of a row.
struct Int8Tile {
  int channels = 16, pixels = 6;
};
/// The best register tile for a conv of `outChannels` outputs on rows of
/// `outW` pixels; with groups of `outPerGroup` channels (0: dense), one
/// whose channels are a group's divisor or, for groups narrower than a
/// vector, one vector.
Int8Tile chooseInt8Tile(int64_t outChannels, int64_t outW,
                        int64_t outPerGroup = 0);

struct Stage {
  using Kind = StageKind;
  Kind kind = Kind::Elementwise;
  std::string name;
  /// The op or group it computes (none for the layout entry and exit).
  mlir::Operation *op = nullptr;
  /// The model's entry (NCHW input to the internal layout) and exit (back
  /// to NCHW, into the caller's output).
  bool layoutEntry = false, layoutExit = false;
  /// Whether its kernel is compiled without fast math (Halide's
  /// strict_float target feature): a LayerNorm stage of its own, computed
  /// in double in the reference interpreter's order (Lowerer::lowerLayerNorm).
  bool strictFloat = false;
  /// What the user knows it by: the module path of its first weight
  /// (`layer4.1.conv2`), or its op kind after the layer before it.
  std::string layer;
  /// Its ops' kinds, `conv2d+add+relu`.
  std::string ops;
  /// Multiply-accumulates (or elements touched, for ops without MACs).
  int64_t macs = 0;
  /// The activations it reads, in the order its kernel takes them, and the
  /// one it writes (-1 for the exit, which writes the model's output).
  std::vector<int> inputs;
  int outputActivation = -1;
  /// For a concatenation along channels: the activation each operand is
  /// (-1 where an operand is not one), in order.
  std::vector<int> concatSources;
  /// Indices of its weights in LoweredModel::weights, in kernel order.
  std::vector<int> weights;
  /// What its kernel depends on besides weight values: ops, attributes,
  /// shapes. Stages with equal keys (and buffer bounds) share a kernel.
  std::string structure;
  /// The Vars the stage's Funcs are defined over; schedules split these.
  Vars vars;
  /// The stage's result (compute_root), in the internal layout.
  Halide::Func output;
  /// NCHW (or [N, K]) shape of the output.
  std::vector<int64_t> shape;
  /// Convolutions inside, in program order; the last one feeds the output.
  std::vector<ConvInfo> convs;
  /// Other Funcs with reductions inside (norm statistics, pool sums),
  /// over (x, y, n): computed per row of the output.
  std::vector<Halide::Func> reductions;
  /// Funcs over (part, i, x, y, n) that the stage reads at channel
  /// i * parts + part (a channel shuffle): computed per pixel with the
  /// parts unrolled, so that Halide stores them interleaved and the stage
  /// reads whole vectors, where reading the input at shuffled channels
  /// gathered lane by lane.
  std::vector<Halide::Func> channelInterleaves;
  /// Funcs over (c, [y,] n) that reduce whole images (GroupNorm's
  /// statistics and the per-channel scale and shift made of them):
  /// computed at the root before the output, parallel over c.
  std::vector<Halide::Func> imageStatistics;
  /// Set for a stage that is one int8 conv (scheduleQuantizedConv).
  std::optional<QuantizedConvInfo> quantizedConv;
  /// For Linear: the reduction Func and its RDom over input features.
  Halide::Func linear;
  Halide::RDom linearDomain;
  /// What a tuning record or `--tune` asks of its last conv.
  StageChoice choice;
  /// The CPU schedule chosen for it (chooseCpuPlan), which the schedule
  /// library applied.
  StagePlan cpuPlan;
  /// The GPU schedule chosen for it (chooseGpuPlan), on GPU targets.
  GpuStagePlan gpuPlan;
  /// What the schedule chose, one line per decision, in words
  /// (`cnnc --emit=schedule`), filled by the schedule library.
  std::vector<std::string> plan;
};

/// Whether `a` and `b` are the same Func (not just equal names).
inline bool sameFunc(const Halide::Func &a, const Halide::Func &b) {
  return a.function().same_as(b.function());
}

/// A conv's shape, what its schedule depends on.
ConvShape shapeOf(const ConvInfo &info);
/// What the schedule chooser knows of a stage.
StageShape stageShapeOf(const Stage &s);

/// Schedules every stage for a CPU target (schedule "cnnc") whose
/// registers and caches `cpu` describes.
void scheduleForCpu(std::vector<Stage> &stages, const CpuModel &cpu);

/// Schedules an int8 conv stage for a CPU whose vectors hold `vec` floats:
/// register tiles of output channels by pixels, whose dot products over 4
/// input channels Halide emits as VNNI's vpdpbusd where the target has it.
void scheduleQuantizedConv(Stage &s, int vec);

/// Schedules every stage for a GPU target (CUDA or OpenCL): each stage is
/// one or a few kernels, and activations stay in device memory.
void scheduleForGpu(std::vector<Stage> &stages);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_STAGE_H
