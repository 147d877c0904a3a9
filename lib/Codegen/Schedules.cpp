//===- Schedules.cpp - CPU schedules for each kind of stage ---------------===//
//
// Convolutions follow the register-tiled recipe in docs/measurements.md: the
// output is tiled by a few vectors of channels times a few pixels, the
// conv is computed per tile so its accumulators stay in registers, and the
// reduction runs over input channels innermost of the kernel taps. Tile
// sizes come from the shapes and the CPU model (CpuModel.h): accumulators
// for three quarters of the vector registers (24 of AVX-512's 32; 12 of
// AVX2's 16, where 24 spill), the pixel tile that wastes the least of a
// row; blocks come from the caches. The measurements behind each rule are
// in docs/decisions.md.
//
//===----------------------------------------------------------------------===//

#include "CpuModel.h"
#include "Stage.h"

#include <algorithm>

using namespace cnnc::codegen;
using Halide::Func;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

/// Output maps of at most this many pixels get the blocked conv schedule,
/// and maps up to kMediumMap pixels when the weights of a tile of 64
/// output channels do not fit in L2: there the row schedule would stream
/// them from memory once per row. Where they fit, rows read them from L2
/// as fast as the blocked schedule does, without its reloads of the
/// accumulator block.
constexpr int64_t kSmallMap = 64;
constexpr int64_t kMediumMap = 784;

/// Rows a conv needs for a task per row to keep the cores busy (two cores:
/// 7 rows each at 14x14); fewer rows are split by channel tiles too.
constexpr int64_t kMinRowTasks = 14;

struct Tile {
  int vectors = 1; // vectors of channels per tile
  int pixels = 1;  // output pixels along x per tile
};

/// The pixel count of a tile of `vectors` channel vectors on rows of
/// `width`: at least half the accumulator budget, and two (with fewer pixels
/// each loaded weight vector serves too few FMAs: a 1-pixel tile on 7- and
/// 14-wide maps ran at a quarter of peak), padding the row least, the
/// larger on a tie.
int pixelsFor(int vectors, int64_t width, int maxAccumulators) {
  int maxPixels = std::max(1, maxAccumulators / vectors);
  if (width <= maxPixels / 2)
    return static_cast<int>(width);
  return leastPaddedTile(width, std::min(maxPixels, std::max(2, maxPixels / 2)),
                         maxPixels);
}

/// Chooses the register tile of a conv with `channels` outputs per pixel
/// and `width` output pixels per row. Besides the widest channel tile,
/// three vectors are tried where they divide the padded channels exactly (a
/// tile must not read weights past their 64-channel padding): 3 x 7 pixels fits
/// 7- and 14-wide rows with no padding, where 4 x 4 and 4 x 5 waste 12% and
/// 7%.
Tile chooseTile(int64_t channels, int64_t width, const CpuModel &cpu,
                int maxVectors) {
  const int vec = cpu.lanes, accumulators = cpu.maxAccumulators();
  // The output may be computed for more channels than it has, up to the
  // 64-channel padding (a consumer's tiles round it up, and the memory
  // plan widens it), so a tile must divide the padded count: 3 x 16
  // channels on 240 (padded to 256) read biases up to 287.
  const int64_t padded =
      (channels + kChannelPad - 1) / kChannelPad * kChannelPad;
  Tile t;
  t.vectors = static_cast<int>(
      std::min<int64_t>(maxVectors, (channels + vec - 1) / vec));
  while (padded % (t.vectors * vec) != 0)
    --t.vectors;
  t.pixels = pixelsFor(t.vectors, width, accumulators);
  auto paddedRow = [&](const Tile &c) {
    return (width + c.pixels - 1) / c.pixels * c.pixels;
  };
  if (t.vectors == 4 && padded % (3 * vec) == 0) {
    Tile three{3, pixelsFor(3, width, accumulators)};
    if (paddedRow(three) < paddedRow(t))
      t = three;
  }
  return t;
}

/// A register tile in words; `unit` is what its second side counts.
std::string tileText(const Tile &t, int vec, const char *unit = "pixels") {
  return std::to_string(t.vectors) + " vectors (" +
         std::to_string(t.vectors * vec) + " channels) x " +
         std::to_string(t.pixels) + " " + unit;
}

/// Tiles the pure func `out` over (c, x) and computes `info.conv` per tile
/// with its accumulators in registers. Returns the loop over x tiles.
/// `outer` orders the loops outside the x tiles; it must hold `co`, the
/// loop over channel tiles, and by default is (y, co, n).
Var registerTile(Func out, const ConvInfo &info, const Tile &tile,
                 const CpuModel &cpu, const Vars &v, Var co = Var("co"),
                 std::vector<VarOrRVar> outer = {}) {
  const int vec = cpu.lanes;
  Var ci("ci"), xo("xo"), xi("xi");
  if (outer.empty())
    outer = {v.y, co, v.n};
  std::vector<VarOrRVar> order = {ci, xi, xo};
  order.insert(order.end(), outer.begin(), outer.end());
  const int tileC = tile.vectors * vec;
  out.split(v.c, co, ci, tileC, TailStrategy::RoundUp)
      .split(v.x, xo, xi, tile.pixels, TailStrategy::RoundUp)
      .reorder(order)
      .vectorize(ci, vec)
      .unroll(ci)
      .unroll(xi);
  Func conv = info.conv;
  conv.compute_at(out, xo).vectorize(v.c, vec).unroll(v.c).unroll(v.x);
  std::vector<VarOrRVar> reduction = {v.c, v.x};
  for (int d = 0; d < info.r.dimensions(); ++d)
    reduction.push_back(info.r[d]);
  conv.update().reorder(reduction).vectorize(v.c, vec).unroll(v.c).unroll(v.x);
  return co;
}

/// A dense conv: each task computes a tile of output channels for a block
/// of rows whose accumulators fit in L1; the reduction is split into
/// blocks of input channels whose weights fit in L2, and each block runs
/// over all pixel tiles of the task with the tile's accumulators in
/// registers. Small layers (7x7, 512 channels) then reuse each weight
/// across every pixel instead of streaming all weights once per row.
void scheduleBlockedConv(Func out, const ConvInfo &info, const CpuModel &cpu,
                         const Vars &v, std::vector<std::string> &plan) {
  const int vec = cpu.lanes;
  Tile tile = chooseTile(info.outChannels, info.outW, cpu, 4);
  const int tileC = tile.vectors * vec;
  // Accumulator block of two thirds of L1 (32 KB of the Xeon's 48 KB):
  // tileC x width x rows floats.
  const int64_t maxRows = std::max<int64_t>(
      1, std::min<int64_t>(info.outH,
                           cpu.l1Bytes * 2 / 3 / (4 * tileC * info.outW)));
  // Equal blocks, so rounding up wastes at most one row per block.
  const int64_t blocks = (info.outH + maxRows - 1) / maxRows;
  const int64_t rows = (info.outH + blocks - 1) / blocks;
  // Weight block of an eighth of L2 (256 KB of the Xeon's 2 MB): tileC x
  // block x taps floats.
  const int64_t taps = info.kernelW * info.kernelH;
  int64_t block = 16;
  while (block * 2 <= info.inChannels &&
         tileC * block * 2 * taps * 4 <= cpu.l2Bytes / 8)
    block *= 2;
  block = std::min<int64_t>(block, info.inChannels);
  plan.push_back("conv " + describeConv(info) + ": blocked, register tile " +
                 tileText(tile, vec) + ", " + std::to_string(rows) +
                 " rows x one channel tile per task, input channels in "
                 "blocks of " +
                 std::to_string(block));

  Var co("co"), ci("ci"), yo("yo"), yi("yi"), t("t");
  out.split(v.c, co, ci, tileC, TailStrategy::RoundUp)
      .split(v.y, yo, yi, static_cast<int>(rows), TailStrategy::RoundUp)
      .reorder(ci, v.x, yi, yo, co, v.n)
      .vectorize(ci, vec)
      .fuse(yo, co, t)
      .parallel(t);
  Func conv = info.conv;
  conv.compute_at(out, t).vectorize(v.c, vec);
  Var xo("xo"), xi("xi");
  Halide::RVar rxo("rxo"), rxi("rxi");
  std::vector<VarOrRVar> order = {v.c, xi, rxi};
  for (int d = 1; d < info.r.dimensions(); ++d)
    order.push_back(info.r[d]);
  order.insert(order.end(), {xo, v.y, rxo});
  conv.update()
      .split(v.x, xo, xi, tile.pixels, TailStrategy::RoundUp)
      .split(info.r.x, rxo, rxi, static_cast<int>(block),
             TailStrategy::GuardWithIf)
      .reorder(order)
      .vectorize(v.c, vec)
      .unroll(v.c)
      .unroll(xi);
}

/// Winograd convs whose transformed weights take at most 1.5 times L2 (3 MB
/// on the Xeon's 2 MB) are computed per strip of at least
/// kWinogradStripTiles tiles: a strip's transformed inputs and products,
/// at most L2, stay there while the product for each point streams
/// through that point's slice of the weights. Others are computed in
/// whole-layer phases.
constexpr int64_t kWinogradStripTiles = 32;

/// A Winograd conv (Winograd.h). With few channels (VGG's 64->64 at
/// 224x224: 590 KB of transformed weights, but 29 MB of transformed
/// inputs), every phase runs per strip of tile rows, strips in parallel.
/// Otherwise in three phases over the whole layer, each parallel: the
/// input transform per tile; for each point of the tile, the product of
/// U (output x input channels) with V (input channels x tiles), whose
/// slices for one point (256 KB of U for 256 channels) stay in L2 while
/// all tiles stream through; the output transform per tile.
void scheduleWinogradConv(Func out, const ConvInfo &info, const CpuModel &cpu,
                          const Vars &v, std::vector<std::string> &plan) {
  const int vec = cpu.lanes;
  // Funcs are handles: copies schedule the same functions.
  WinogradFuncs w = info.winograd;
  const int m = w.m, alpha = m + 2;
  const int64_t tiles = w.tilesX * w.tilesY;
  const int64_t weightBytes =
      info.outChannels * info.inChannels * alpha * alpha * 4;
  // Tile rows per strip: transformed inputs and products of at most L2
  // (half of it left a 1 MB L2 too few tiles per strip), and at least four
  // strips for the cores.
  const int64_t rowBytes =
      (info.inChannels + info.outChannels) * w.tilesX * alpha * alpha * 4;
  const int64_t rows =
      std::max<int64_t>(1, std::min(cpu.l2Bytes / rowBytes, w.tilesY / 4));
  // A strip must also reuse each transformed weight often: ResNet-50's
  // 28x28 maps (strips of 7 tiles) ran at half the speed of whole phases.
  const bool strips = weightBytes <= cpu.l2Bytes * 3 / 2 &&
                      rows * w.tilesX >= kWinogradStripTiles;
  Tile tile =
      chooseTile(info.outChannels, strips ? rows * w.tilesX : tiles, cpu, 4);
  const int tileC = tile.vectors * vec;
  plan.push_back("conv " + describeConv(info) + ": Winograd F(" +
                 std::to_string(m) + "x" + std::to_string(m) + ", 3x3), " +
                 std::to_string(tiles) + " tiles; " +
                 (strips ? "strips of " + std::to_string(rows) +
                               " tile rows in parallel, all phases per strip"
                         : std::string("products per point in parallel")) +
                 ", register tile " + tileText(tile, vec, "tiles"));

  Var c = v.c, n = v.n, t = w.t, ax = w.ax, ay = w.ay;
  Var cv("cv"), ci("ci"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), ys("ys");
  // Guarded, not rounded up: rounding would widen this activation and,
  // through the memory plan, the one before (14x14 to 16x16), which the
  // previous stage would then compute whole.
  out.split(v.x, xo, xi, m, TailStrategy::GuardWithIf)
      .split(v.y, yo, yi, m, TailStrategy::GuardWithIf)
      .split(c, cv, ci, vec, TailStrategy::RoundUp)
      .reorder(ci, xi, yi, cv, xo, yo, n)
      .vectorize(ci)
      .unroll(xi)
      .unroll(yi);
  if (strips)
    out.split(yo, ys, yo, static_cast<int>(rows), TailStrategy::GuardWithIf)
        .parallel(ys);
  else
    out.parallel(yo);
  w.output.compute_at(out, cv).vectorize(c, vec).unroll(ax).unroll(ay);
  w.outputX.compute_at(out, cv).vectorize(c, vec).unroll(ax).unroll(ay);

  w.input.split(c, cv, ci, vec, TailStrategy::RoundUp)
      .reorder(ci, ax, ay, cv, t, n)
      .vectorize(ci)
      .unroll(ax)
      .unroll(ay);
  w.inputX.compute_at(w.input, cv).vectorize(c, vec).unroll(ax).unroll(ay);

  Var co("co"), to("to"), ti("ti"), point("point");
  w.product.split(c, co, ci, tileC, TailStrategy::RoundUp)
      .split(t, to, ti, tile.pixels, TailStrategy::RoundUp)
      .reorder(ci, ti, to, co, ax, ay, n)
      .vectorize(ci, vec)
      .unroll(ci)
      .unroll(ti);
  if (strips) {
    w.input.compute_at(out, ys);
    w.product.compute_at(out, ys);
  } else {
    w.input.compute_root().parallel(t);
    w.product.compute_root().fuse(ax, ay, point).parallel(point);
  }
  w.accumulator.compute_at(w.product, to).vectorize(c, vec).unroll(c).unroll(t);
  w.accumulator.update()
      .reorder(c, t, w.r.x)
      .vectorize(c, vec)
      .unroll(c)
      .unroll(t);
}

/// Schedules `out`, a root Func that computes `info.conv` (and its
/// inlined epilogue), a direct conv with `loop` unless that is Auto.
/// Returns the loop it chose (Auto for a Winograd conv).
using Loop = StageChoice::Loop;
Loop scheduleConvInto(Func out, const ConvInfo &info, const CpuModel &cpu,
                      const Vars &v, std::vector<std::string> &plan,
                      Loop loop = Loop::Auto) {
  const int vec = cpu.lanes;
  if (info.winograd.m) {
    scheduleWinogradConv(out, info, cpu, v, plan);
    return Loop::Auto;
  }
  // Small feature maps (7x7 at 224x224 input), and medium ones whose
  // channel tiles' weights exceed L2, are weight-bound: block them. Others
  // run a row per task with the whole reduction per register tile: for all
  // channel tiles where the layer's weights stay in L2 and there are rows
  // enough for the cores, else per channel tile. A task for all tiles reads
  // and writes whole rows (the residual of a fused add too), where a task
  // per tile touched a strided quarter of each. Depthwise convs always run
  // by rows.
  const int64_t pixels = info.outW * info.outH;
  const int64_t tileWeightBytes =
      kChannelPad * info.inChannels * info.kernelW * info.kernelH * 4;
  const int64_t layerWeightBytes =
      info.outChannels * info.inChannels * info.kernelW * info.kernelH * 4;
  const bool weightBound =
      pixels <= kSmallMap ||
      (pixels <= kMediumMap && tileWeightBytes > cpu.l2Bytes);
  const bool wholeRows =
      info.outH >= kMinRowTasks && layerWeightBytes <= cpu.l2Bytes / 2;
  if (info.depthwise)
    loop = Loop::Rows;
  else if (loop == Loop::Auto)
    loop = weightBound ? Loop::Blocked
           : wholeRows ? Loop::WholeRows
                       : Loop::Rows;
  if (loop == Loop::Blocked) {
    scheduleBlockedConv(out, info, cpu, v, plan);
    return loop;
  }
  Tile tile =
      chooseTile(info.outChannels, info.outW, cpu, info.depthwise ? 2 : 4);
  const std::string head =
      "conv " + describeConv(info) + ": register tile " + tileText(tile, vec);
  if (loop == Loop::WholeRows) {
    plan.push_back(head + ", one row x all channel tiles per task");
    Var co("co");
    registerTile(out, info, tile, cpu, v, co, {co, v.y, v.n});
    out.parallel(v.y);
    return loop;
  }
  plan.push_back(head + ", one row x one channel tile per task");
  Var co = registerTile(out, info, tile, cpu, v);
  // Rows and channel tiles together feed both cores even at 7x7.
  Var t("t");
  out.fuse(v.y, co, t).parallel(t);
  return loop;
}

/// A stage whose last conv writes its output: the stage's choice decides
/// the loop, and records what was chosen.
void scheduleConv(Stage &s, const CpuModel &cpu, const Vars &v) {
  s.choice.loop =
      scheduleConvInto(s.output, s.convs.back(), cpu, v, s.plan, s.choice.loop);
  if (s.choice.tuned)
    s.plan.push_back("(chosen by a tuning record)");
}

/// A depthwise->pointwise block on small maps, layer by layer: each inner
/// conv's activated output at the root with its own conv schedule, the
/// epilogues still fused into the conv tiles. Per strip of rows, every
/// strip would stream all of the block's weights again (ConvNeXt's last
/// stage: 19 MB per strip) for few pixels.
void scheduleLayerByLayer(Stage &s, const CpuModel &cpu, const Vars &v) {
  const int vec = cpu.lanes;
  s.plan.push_back("layer by layer: each inner conv's output at the root");
  for (size_t i = 0; i + 1 < s.convs.size(); ++i) {
    const ConvInfo &inner = s.convs[i];
    Func conv = inner.conv;
    Func next = s.convs[i + 1].input;
    if (sameFunc(next, conv)) {
      Func stored = conv.in();
      stored.compute_root();
      scheduleConvInto(stored, inner, cpu, v, s.plan);
    } else if (inner.depthwise && !s.reductions.empty()) {
      // A LayerNorm between: the depthwise output at the root, the
      // statistics per row of the normalized values.
      Func stored = conv.in();
      stored.compute_root();
      scheduleConvInto(stored, inner, cpu, v, s.plan);
      next.compute_root()
          .vectorize(v.c, vec, TailStrategy::RoundUp)
          .parallel(v.y);
      for (Func f : s.reductions)
        f.compute_at(next, v.y).vectorize(v.x, vec, TailStrategy::GuardWithIf);
    } else {
      next.compute_root();
      scheduleConvInto(next, inner, cpu, v, s.plan);
    }
  }
  scheduleConv(s, cpu, v);
}

/// A depthwise->pointwise block: the block's inner convs are computed per
/// strip of output rows, for all channels, and stay in cache; the last
/// conv is register-tiled into the output.
/// Maps of fewer output pixels are fused layer by layer, not per strip.
constexpr int64_t kStripMinPixels = 56 * 56;

void scheduleDepthwisePointwise(Stage &s, const CpuModel &cpu, const Vars &v) {
  const int vec = cpu.lanes;
  const ConvInfo &last = s.convs.back();
  if (last.outW * last.outH < kStripMinPixels) {
    scheduleLayerByLayer(s, cpu, v);
    return;
  }
  Tile tile = chooseTile(last.outChannels, last.outW, cpu, 4);
  Var yo("yo"), yi("yi");
  // Strips of output of a sixth of L1 (8 KB of the Xeon's 48 KB), at
  // least four of them so both cores stay busy on 7x7 maps, of equal
  // height so rounding up wastes little.
  const int64_t maxRows = std::max<int64_t>(
      1, cpu.l1Bytes / 6 / 4 /
             std::max<int64_t>(1, last.outW * last.outChannels / 16));
  const int64_t strips = std::min<int64_t>(
      last.outH, std::max<int64_t>(4, (last.outH + maxRows - 1) / maxRows));
  const int rows = static_cast<int>((last.outH + strips - 1) / strips);
  s.plan.push_back("strips of " + std::to_string(rows) + " rows (" +
                   std::to_string((last.outH + rows - 1) / rows) +
                   " strips) in parallel, inner convs per strip");
  s.plan.push_back("conv " + describeConv(last) + ": register tile " +
                   tileText(tile, vec) + " into the output");
  Func out = s.output;
  out.split(v.y, yo, yi, rows, TailStrategy::RoundUp).parallel(yo);
  Var co("co");
  registerTile(out, last, tile, cpu, v, co, {co, yi, yo, v.n});

  // The inner convs, materialized per strip with their epilogue applied
  // (what the next conv reads), each register-tiled. Reading an
  // activation inline would recompute it (GELU's erf, say) for every
  // output channel tile of the next conv.
  for (size_t i = 0; i + 1 < s.convs.size(); ++i) {
    const ConvInfo &inner = s.convs[i];
    Func conv = inner.conv;
    Func next = s.convs[i + 1].input;
    Tile t =
        chooseTile(inner.outChannels, inner.outW, cpu, inner.depthwise ? 2 : 4);
    s.plan.push_back("conv " + describeConv(inner) +
                     ": per strip, register tile " + tileText(t, vec));
    if (sameFunc(next, conv)) {
      Func stored = conv.in();
      stored.compute_at(out, yo);
      registerTile(stored, inner, t, cpu, v);
    } else if (!s.reductions.empty() && inner.depthwise) {
      // A LayerNorm between: the depthwise conv, the statistics and the
      // normalized values are each computed once per strip.
      conv.compute_at(out, yo).vectorize(v.c, vec);
      conv.update().vectorize(v.c, vec);
      next.compute_at(out, yo).vectorize(v.c, vec);
    } else {
      next.compute_at(out, yo);
      registerTile(next, inner, t, cpu, v);
    }
  }
  for (Func f : s.reductions)
    f.compute_at(out, yo).vectorize(v.x, vec, TailStrategy::GuardWithIf);
}

void scheduleLinear(Stage &s, const CpuModel &cpu, const Vars &v) {
  const int vec = cpu.lanes;
  Var ko("ko"), ki("ki");
  const int tile = std::min(4 * vec, 64);
  s.plan.push_back("outputs in tiles of " + std::to_string(tile) +
                   " in parallel, weights streamed once");
  s.output.split(v.k, ko, ki, tile, TailStrategy::RoundUp)
      .vectorize(ki, vec)
      .unroll(ki)
      .parallel(ko);
  s.linear.compute_at(s.output, ko).vectorize(v.k, vec).unroll(v.k);
  s.linear.update()
      .reorder(v.k, s.linearDomain.x)
      .vectorize(v.k, vec)
      .unroll(v.k);
}

void scheduleSimple(Stage &s, const CpuModel &cpu, const Vars &v) {
  const int vec = cpu.lanes;
  Func out = s.output;
  if (s.shape.size() == 4) {
    if (s.layoutEntry) {
      // Three input channels: vectorizing over them would waste lanes.
      out.reorder(v.c, v.x, v.y, v.n).parallel(v.y);
      s.plan.push_back("layout conversion, rows in parallel");
    } else {
      out.vectorize(v.c, vec, TailStrategy::RoundUp).parallel(v.y);
      s.plan.push_back("vectorized over channels, rows in parallel");
    }
    for (Func f : s.reductions)
      f.compute_at(out, v.y).vectorize(v.x, vec, TailStrategy::GuardWithIf);
    return;
  }
  if (s.shape.size() == 2) {
    s.plan.push_back("vectorized over features");
    out.vectorize(v.k, vec, TailStrategy::GuardWithIf);
    for (Func f : s.reductions)
      f.compute_root();
  }
}

} // namespace

void cnnc::codegen::scheduleForCpu(std::vector<Stage> &stages,
                                   const CpuModel &cpu) {
  for (Stage &s : stages) {
    if (s.layoutExit)
      continue; // the caller's output: scheduled with the model
    const Vars &v = s.vars;
    s.output.compute_root();
    switch (s.kind) {
    case Stage::Kind::Conv:
      if (!s.convs.empty()) {
        scheduleConv(s, cpu, v);
        break;
      }
      scheduleSimple(s, cpu, v);
      break;
    case Stage::Kind::DepthwisePointwise:
      scheduleDepthwisePointwise(s, cpu, v);
      break;
    case Stage::Kind::Linear:
      scheduleLinear(s, cpu, v);
      break;
    case Stage::Kind::Reduction:
    case Stage::Kind::Elementwise:
      // A group whose last op is a conv is still scheduled as one.
      if (!s.convs.empty())
        scheduleConv(s, cpu, v);
      else
        scheduleSimple(s, cpu, v);
      break;
    }
  }
}

std::string cnnc::codegen::describeConv(const ConvInfo &info) {
  return (info.depthwise ? "depthwise " + std::to_string(info.outChannels)
                         : std::to_string(info.inChannels) + "->" +
                               std::to_string(info.outChannels)) +
         " " + std::to_string(info.kernelH) + "x" +
         std::to_string(info.kernelW) + " to " + std::to_string(info.outH) +
         "x" + std::to_string(info.outW);
}
