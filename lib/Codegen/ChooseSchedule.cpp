//===- ChooseSchedule.cpp - The CPU schedule rules, as a pure function ----===//
//
// Convolutions follow the register-tiled recipe in docs/measurements.md: the
// output is tiled by a few vectors of channels times a few pixels, the
// conv is computed per tile so its accumulators stay in registers, and the
// reduction runs over input channels innermost of the kernel taps. Tile
// sizes come from the shapes and the CPU model (CpuModel.h): accumulators
// for three quarters of the vector registers (24 of AVX-512's 32; 12 of
// AVX2's 16, where 24 spill), the pixel tile that wastes the least of a
// row; blocks come from the caches and task counts from the cores. The
// measurements behind each rule are in docs/decisions.md. Nothing here
// knows Halide: Schedules.cpp applies the plan.
//
//===----------------------------------------------------------------------===//

#include "SchedulePlan.h"

#include <algorithm>

using namespace cnnc::codegen;

namespace {

/// Output maps of at most this many pixels get the blocked conv schedule,
/// and maps up to kMediumMap pixels when the weights of a tile of 64
/// output channels do not fit in L2: there the row schedule would stream
/// them from memory once per row. Where they fit, rows read them from L2
/// as fast as the blocked schedule does, without its reloads of the
/// accumulator block.
constexpr int64_t kSmallMap = 64;
constexpr int64_t kMediumMap = 784;

/// Rows per core a conv needs for a task per row to keep the cores busy
/// (7 each at 14x14 on two cores); fewer rows are split by channel tiles
/// too.
constexpr int64_t kRowTasksPerCore = 7;

/// Winograd convs whose transformed weights take at most 1.5 times L2 are
/// computed per strip of at least kWinogradStripTiles tiles: a strip's
/// transformed inputs and products, at most L2, stay there while the
/// product for each point streams through that point's slice of the
/// weights. A strip must also reuse each transformed weight often:
/// ResNet-50's 28x28 maps (strips of 7 tiles) ran at half the speed of
/// whole phases. Others are computed in whole-layer phases.
constexpr int64_t kWinogradStripTiles = 32;

/// Depthwise->pointwise blocks of fewer output pixels are fused layer by
/// layer, not per strip: every strip would stream all of the block's
/// weights again (ConvNeXt's last stage: 19 MB per strip) for few pixels.
constexpr int64_t kStripMinPixels = 56 * 56;

/// The pixel count of a tile of `vectors` channel vectors on rows of
/// `width`: at least half the accumulator budget, and two (with fewer pixels
/// each loaded weight vector serves too few FMAs), padding the row least,
/// the larger on a tie.
int pixelsFor(int vectors, int64_t width, int maxAccumulators) {
  int maxPixels = std::max(1, maxAccumulators / vectors);
  if (width <= maxPixels / 2)
    return static_cast<int>(width);
  return leastPaddedTile(width, std::min(maxPixels, std::max(2, maxPixels / 2)),
                         maxPixels);
}

/// A register tile and what it costs (chooseTile's measure).
struct TileChoice {
  RegisterTile tile;
  double cost = 0;
};

/// The register tiles of a conv with `channels` outputs per pixel and
/// `width` output pixels per row, widest first: 1 to `maxVectors` vectors
/// of channels (each with pixelsFor's pixels), each with the work it
/// computes, counting the channels and columns its rounding up adds, and
/// the loads (times `loadWeight`) where they outnumber the FMAs they
/// feed. The output may be computed for more channels than it has, up to
/// the 64-channel padding (a consumer's tiles round it up, and the memory
/// plan widens it), so a tile must divide the padded count: 3 x 16
/// channels on 240 (padded to 256) would read biases up to 287.
std::vector<TileChoice> tileChoices(int64_t channels, int64_t width,
                                    const CpuModel &cpu, int maxVectors,
                                    double loadWeight) {
  const int vec = cpu.lanes, accumulators = cpu.maxAccumulators();
  const int64_t padded =
      (channels + kChannelPad - 1) / kChannelPad * kChannelPad;
  std::vector<TileChoice> choices;
  for (int v = std::min<int64_t>(maxVectors, (channels + vec - 1) / vec);
       v >= 1; --v) {
    if (padded % (v * vec) != 0)
      continue;
    RegisterTile t{v, pixelsFor(v, width, accumulators)};
    const int64_t tileC = int64_t(v) * vec;
    const double computed =
        double((channels + tileC - 1) / tileC * tileC) *
        double((width + t.pixels - 1) / t.pixels * t.pixels);
    const double loadsPerFma = double(v + t.pixels) / double(v * t.pixels);
    choices.push_back({t, computed * std::max(1.0, loadWeight * loadsPerFma)});
  }
  return choices;
}

/// The cheapest of tileChoices (the wider on a tie). Loads weigh twice
/// where the channels are a multiple of 64 (there tiles differ only in
/// columns, and ResNet's 4 x 5 and 4 x 4 tiles measured faster than 2 x 7
/// ones that compute 7% less), once elsewhere (EfficientNet's, RegNet's
/// and MobileNetV3's odd channel counts, where narrower tiles measured
/// faster: docs/decisions.md).
RegisterTile chooseTile(int64_t channels, int64_t width, const CpuModel &cpu,
                        int maxVectors) {
  RegisterTile best;
  double bestCost = -1;
  const double loadWeight = channels % kChannelPad ? 1.0 : 2.0;
  for (const TileChoice &choice :
       tileChoices(channels, width, cpu, maxVectors, loadWeight))
    if (bestCost < 0 || choice.cost < bestCost) {
      best = choice.tile;
      bestCost = choice.cost;
    }
  return best;
}

/// A blocked conv: each task computes a tile of output channels for a
/// block of rows whose accumulators fit in two thirds of L1; the reduction
/// is split into blocks of input channels whose weights fit in an eighth
/// of L2, each block running over all pixel tiles of the task. Small
/// layers (7x7, 512 channels) then reuse each weight across every pixel
/// instead of streaming all weights once per row. Such a layer has few
/// tasks, so the tile's cost counts how unevenly they share the cores:
/// MNASNet's 1152->320 1x1 conv on 7x7 in five tiles of 64 channels kept
/// one core idle for a fifth of the time (0.146-0.149 ms for its block;
/// 0.133-0.140 in ten tiles of 32). Loads weigh twice for every channel
/// count: one-vector tiles for an even count of tasks measured slower
/// than the idle core they would fill (MobileNetV2's 960->160 on 7x7 in
/// ten tiles of 1 x 7: 0.078-0.080 ms, in five of 2 x 7: 0.076). A conv
/// on a single pixel (squeeze-excitation) is too little work to share.
ConvPlan blockedPlan(const ConvShape &c, const CpuModel &cpu) {
  auto rowsPerTask = [&](const RegisterTile &tile) {
    const int64_t tileC = int64_t(tile.vectors) * cpu.lanes;
    const int64_t maxRows = std::max<int64_t>(
        1,
        std::min<int64_t>(c.outH, cpu.l1Bytes * 2 / 3 / (4 * tileC * c.outW)));
    // Equal blocks, so rounding up wastes at most one row per block.
    const int64_t blocks = (c.outH + maxRows - 1) / maxRows;
    return (c.outH + blocks - 1) / blocks;
  };
  ConvPlan p{c, ConvLoop::Blocked, chooseTile(c.outChannels, c.outW, cpu, 4)};
  double bestCost = -1;
  if (c.outW * c.outH > 1)
    for (const TileChoice &choice :
         tileChoices(c.outChannels, c.outW, cpu, 4, /*loadWeight=*/2.0)) {
      const int64_t tileC = int64_t(choice.tile.vectors) * cpu.lanes;
      const int64_t rows = rowsPerTask(choice.tile);
      const int64_t tasks = (c.outChannels + tileC - 1) / tileC *
                            ((c.outH + rows - 1) / rows) * c.images;
      const int64_t rounds = (tasks + cpu.cores - 1) / cpu.cores;
      const double cost =
          choice.cost * double(rounds * cpu.cores) / double(tasks);
      if (bestCost < 0 || cost < bestCost) {
        p.tile = choice.tile;
        bestCost = cost;
      }
    }
  p.taskRows = rowsPerTask(p.tile);
  const int tileC = p.tile.vectors * cpu.lanes;
  const int64_t taps = c.kernelW * c.kernelH;
  int64_t block = 16;
  while (block * 2 <= c.inChannels &&
         tileC * block * 2 * taps * 4 <= cpu.l2Bytes / 8)
    block *= 2;
  p.reductionBlock = std::min<int64_t>(block, c.inChannels);
  return p;
}

/// A Winograd conv: with few channels (VGG's 64->64 at 224x224: 590 KB of
/// transformed weights, but 29 MB of transformed inputs), every phase per
/// strip of tile rows, strips in parallel; otherwise whole-layer phases.
ConvPlan winogradPlan(const ConvShape &c, const CpuModel &cpu) {
  const int alpha = c.winogradM + 2;
  const int64_t tiles = c.winogradTilesX * c.winogradTilesY;
  const int64_t weightBytes = c.outChannels * c.inChannels * alpha * alpha * 4;
  // Tile rows per strip: transformed inputs and products of at most L2
  // (half of it left a 1 MB L2 too few tiles per strip), and at least two
  // strips per core.
  const int64_t rowBytes =
      (c.inChannels + c.outChannels) * c.winogradTilesX * alpha * alpha * 4;
  const int64_t rows = std::max<int64_t>(
      1, std::min(cpu.l2Bytes / rowBytes, c.winogradTilesY / (2 * cpu.cores)));
  const bool strips = weightBytes <= cpu.l2Bytes * 3 / 2 &&
                      rows * c.winogradTilesX >= kWinogradStripTiles;
  ConvPlan p{c, strips ? ConvLoop::WinogradStrips : ConvLoop::WinogradPhases,
             chooseTile(c.outChannels, strips ? rows * c.winogradTilesX : tiles,
                        cpu, 4)};
  if (strips)
    p.stripRows = rows;
  return p;
}

/// A conv that writes a root Func: Winograd by its rule; a direct conv by
/// `requested`, else by the rules. Small feature maps (7x7 at 224x224
/// input), and medium ones whose channel tiles' weights exceed L2, are
/// weight-bound: blocked. Others run a row per task with the whole
/// reduction per register tile: for all channel tiles where the layer's
/// weights stay in L2 and there are rows enough for the cores, else per
/// channel tile. A task for all tiles reads and writes whole rows (the
/// residual of a fused add too), where a task per tile touched a strided
/// quarter of each. Depthwise convs always run by whole rows: a task per
/// row and channel tile is a few microseconds of work, and the tasks'
/// overhead took most of a stride-2 depthwise conv's time.
ConvPlan convPlan(const ConvShape &c, const CpuModel &cpu, ConvLoop requested) {
  if (c.winogradM)
    return winogradPlan(c, cpu);
  const int64_t pixels = c.outW * c.outH;
  const int64_t tileWeightBytes =
      kChannelPad * c.inChannels * c.kernelW * c.kernelH * 4;
  const int64_t layerWeightBytes =
      c.outChannels * c.inChannels * c.kernelW * c.kernelH * 4;
  const bool weightBound =
      pixels <= kSmallMap ||
      (pixels <= kMediumMap && tileWeightBytes > cpu.l2Bytes);
  const bool wholeRows = c.outH >= kRowTasksPerCore * cpu.cores &&
                         layerWeightBytes <= cpu.l2Bytes / 2;
  ConvLoop loop = requested;
  if (c.depthwise)
    loop = ConvLoop::WholeRows;
  else if (loop == ConvLoop::Auto)
    loop = weightBound ? ConvLoop::Blocked
           : wholeRows ? ConvLoop::WholeRows
                       : ConvLoop::Rows;
  if (loop == ConvLoop::Blocked)
    return blockedPlan(c, cpu);
  return ConvPlan{c, loop,
                  chooseTile(c.outChannels, c.outW, cpu, c.depthwise ? 2 : 4)};
}

/// A depthwise->pointwise block on maps of at least kStripMinPixels: strips
/// of output rows of a sixth of L1, at least two per core, of equal height
/// so rounding up wastes little; every conv register-tiled, the inner ones
/// per strip. A strip's rows of each inner conv's output (the expansion
/// before a stride-2 depthwise conv: twice the rows, six times the
/// channels) must also fit in half of L2.
StagePlan blockPlan(const StageShape &stage, const CpuModel &cpu,
                    ConvLoop requested) {
  const ConvShape &last = stage.convs.back();
  StagePlan plan;
  if (last.outW * last.outH < kStripMinPixels) {
    plan.method = StageMethod::BlockLayers;
    for (size_t i = 0; i + 1 < stage.convs.size(); ++i)
      plan.convs.push_back(convPlan(stage.convs[i], cpu, ConvLoop::Auto));
    plan.convs.push_back(convPlan(last, cpu, requested));
    return plan;
  }
  plan.method = StageMethod::BlockStrips;
  int64_t maxRows = std::max<int64_t>(
      1, cpu.l1Bytes / 6 / 4 /
             std::max<int64_t>(1, last.outW * last.outChannels / 16));
  for (size_t i = 0; i + 1 < stage.convs.size(); ++i) {
    const ConvShape &inner = stage.convs[i];
    const int64_t scale = std::max<int64_t>(1, inner.outH / last.outH);
    const int64_t rowBytes = inner.outW * inner.outChannels * 4;
    // rows * scale + 2 rows of halo per strip
    const int64_t fit = (cpu.l2Bytes / 2 / rowBytes - 2) / scale;
    maxRows = std::max<int64_t>(1, std::min(maxRows, fit));
  }
  const int64_t strips = std::min<int64_t>(
      last.outH,
      std::max<int64_t>(2 * cpu.cores, (last.outH + maxRows - 1) / maxRows));
  plan.stripRows = (last.outH + strips - 1) / strips;
  for (size_t i = 0; i + 1 < stage.convs.size(); ++i) {
    const ConvShape &inner = stage.convs[i];
    plan.convs.push_back(ConvPlan{inner, ConvLoop::PerStrip,
                                  chooseTile(inner.outChannels, inner.outW, cpu,
                                             inner.depthwise ? 2 : 4)});
  }
  plan.convs.push_back(
      ConvPlan{last, ConvLoop::PerStrip,
               chooseTile(last.outChannels, last.outW, cpu, 4)});
  return plan;
}

} // namespace

/// The tile length in [lo, hi] that pads a row of `width` least (the
/// larger on a tie), at most `width`.
int cnnc::codegen::leastPaddedTile(int64_t width, int lo, int hi) {
  int best = 0;
  int64_t bestPadded = 0;
  for (int p = lo; p <= hi; ++p) {
    int64_t padded = (width + p - 1) / p * p;
    if (best == 0 || padded <= bestPadded) {
      best = p;
      bestPadded = padded;
    }
  }
  return static_cast<int>(std::min<int64_t>(best, width));
}

int cnnc::codegen::registerTilePixels(int vectors, int64_t width,
                                      const CpuModel &cpu) {
  return pixelsFor(vectors, width, cpu.maxAccumulators());
}

StagePlan cnnc::codegen::chooseCpuPlan(const StageShape &stage,
                                       const CpuModel &cpu,
                                       ConvLoop requested) {
  StagePlan plan;
  if (stage.kind == StageKind::DepthwisePointwise && !stage.convs.empty())
    return blockPlan(stage, cpu, requested);
  if (stage.kind == StageKind::Linear) {
    plan.method = StageMethod::Linear;
    plan.linearTile = std::min(4 * cpu.lanes, 64);
    return plan;
  }
  if (!stage.convs.empty()) {
    // A group whose last op is a conv is scheduled as one, whatever the
    // kind of its other ops.
    plan.method = StageMethod::Conv;
    plan.convs.push_back(convPlan(stage.convs.back(), cpu, requested));
    return plan;
  }
  if (stage.rank == 4)
    plan.method = stage.layoutEntry ? StageMethod::LayoutEntry
                                    : StageMethod::ChannelsAndRows;
  else if (stage.rank == 2)
    plan.method = StageMethod::Features;
  return plan;
}
