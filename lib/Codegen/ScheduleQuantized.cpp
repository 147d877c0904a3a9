//===- ScheduleQuantized.cpp - The schedule of an int8 conv ---------------===//
//
// A register tile of 16-lane int32 vectors of output channels by pixels of
// a row, accumulated over kernel taps and groups of 4 input channels: each
// step broadcasts 4 input bytes per pixel and multiplies them with 64
// weight bytes per vector (vpdpbusd on AVX512-VNNI; vpmaddwd pairs
// elsewhere, which cannot saturate). Rows (and images) run in parallel.
//
//===----------------------------------------------------------------------===//

#include "Stage.h"

using Halide::Func;
using Halide::TailStrategy;
using Halide::Var;

namespace cnnc::codegen {

/// Accumulators past this many add nothing: they already hide the
/// latency of vpdpbusd at two per cycle. ResNet-18's int8 3x3 convs ran
/// 6% faster in exact 4 x 4 tiles on 56- and 28-wide maps than in 4 x 6
/// ones that compute 60 columns for 56, and in exact 2 x 7 tiles on
/// 14-wide maps than in 4 x 5 ones (docs/decisions.md).
constexpr int kUsefulInt8Accumulators = 14;

Int8Tile chooseInt8Tile(int64_t outChannels, int64_t outW,
                        int64_t outPerGroup) {
  // The useful accumulators per step (vectors x pixels, up to
  // kUsefulInt8Accumulators), discounted by the channels and columns that
  // rounding up to whole tiles wastes; on a tie, the fewest loads per
  // useful dot product. The tile and one vector of weights per channel vector
  // and a broadcast must fit the 32 vector registers. Channel tiles divide
  // kChannelPad: the memory plan may widen the conv's input to its
  // rounded-up channels, and an f32 producer of that input computes at
  // most a multiple of kChannelPad (RegNet's 400 channels in tiles of 48
  // made one read past its bias).
  Int8Tile best;
  double bestScore = 0, bestLoads = 0;
  const int64_t maxVectors = (outChannels + kInt8Lanes - 1) / kInt8Lanes;
  for (int vectors : {1, 2, 4})
    for (int pixels = 1; pixels <= 8; ++pixels) {
      if (vectors > std::max<int64_t>(1, maxVectors))
        continue;
      if (vectors * pixels + vectors + 1 > 30)
        continue;
      const int64_t channels = kInt8Lanes * vectors;
      if (outPerGroup > 0 && outPerGroup % channels != 0 &&
          channels != kInt8Lanes)
        continue;
      const double usedChannels =
          double(outChannels) /
          double((outChannels + channels - 1) / channels * channels);
      const double usedColumns =
          double(outW) / double((outW + pixels - 1) / pixels * pixels);
      const double score = std::min(vectors * pixels, kUsefulInt8Accumulators) *
                           usedChannels * usedColumns;
      const double loads = double(vectors + pixels) /
                           (vectors * pixels * usedChannels * usedColumns);
      if (score > bestScore + 1e-9 ||
          (score > bestScore - 1e-9 && loads < bestLoads)) {
        bestScore = score;
        bestLoads = loads;
        best = {static_cast<int>(channels), pixels};
      }
    }
  return best;
}

/// How a row's last tile of `pixels` columns is computed: shifted back over
/// columns already computed, so that the stage computes (and its producers
/// write) exactly the map's columns. A producer computes its whole buffer
/// (MemoryPlan.cpp), so a tile rounded up widened the map for every stage
/// before it, each rounding up again: chains of 5- and 7-pixel tiles
/// widened ResNeXt's and RegNet's 14-wide maps to 35 columns.
static TailStrategy columnTail(int64_t width, int pixels) {
  return width >= pixels ? TailStrategy::ShiftInwards : TailStrategy::RoundUp;
}

/// A depthwise int8 conv: vectors of 32 channels by 4 pixels of a row,
/// accumulated over the kernel's taps, each tap's weights loaded once per
/// tile. Bands of rows run in parallel, and each band pads the input rows
/// as it reaches them, keeping the rows its window still reads (a sliding
/// window): the whole padded input computed first, then read back, took 3
/// to 6 times as long in MobileNetV2 (docs/decisions.md).
static void scheduleQuantizedDepthwise(Stage &s) {
  const QuantizedConvInfo &q = *s.quantizedConv;
  const Vars &v = s.vars;
  Func out = s.output;
  const int band = std::max<int>(2, static_cast<int>(q.outH / 4));
  Var co("qco"), ci("qci"), xo("qxo"), xi("qxi"), yo("qyo"), yi("qyi");
  Func padded = q.paddedInput;
  Func acc = q.accumulator;
  // Maps of 14 rows and fewer: tiles of channels in parallel, each padding
  // its channels of the whole map once; bands of 2-3 rows there padded
  // most rows twice (a 7x7 map: 0.030 ms by bands, 0.017 by channels).
  if (q.outH <= 14) {
    out.compute_root()
        .split(v.c, co, ci, kInt8DepthwiseLanes, TailStrategy::RoundUp)
        .split(v.x, xo, xi, q.pixels, columnTail(q.outW, q.pixels))
        .reorder(ci, xi, xo, v.y, co, v.n)
        .parallel(co)
        .vectorize(ci)
        .unroll(xi);
    padded.compute_at(out, co).vectorize(v.c, kInt8DepthwiseLanes,
                                         TailStrategy::RoundUp);
    acc.compute_at(out, xo).vectorize(v.c).unroll(v.x);
  } else {
    out.compute_root()
        .split(v.c, co, ci, kInt8DepthwiseLanes, TailStrategy::RoundUp)
        .split(v.x, xo, xi, q.pixels, columnTail(q.outW, q.pixels))
        .split(v.y, yo, yi, band, TailStrategy::GuardWithIf)
        .reorder(ci, xi, co, xo, yi, yo, v.n)
        .parallel(yo)
        .vectorize(ci)
        .unroll(xi);
    padded.store_at(out, yo).compute_at(out, yi).vectorize(
        v.c, kInt8DepthwiseLanes, TailStrategy::RoundUp);
    acc.compute_at(out, co).vectorize(v.c).unroll(v.x);
  }
  acc.update()
      .reorder(v.c, v.x, q.r.x, q.r.y)
      .vectorize(v.c)
      .unroll(v.x)
      .unroll(q.r.x);
  s.plan.push_back(
      "int8 depthwise conv: " + std::to_string(kInt8DepthwiseLanes) +
      " channels x " + std::to_string(q.pixels) +
      " pixels per tile, bands of " + std::to_string(band) +
      " rows in parallel, 16-bit products summed in int32");
}

void scheduleQuantizedConv(Stage &s, int vec) {
  (void)vec;
  if (s.quantizedConv->depthwise)
    return scheduleQuantizedDepthwise(s);
  const QuantizedConvInfo &q = *s.quantizedConv;
  const Vars &v = s.vars;
  const int pixels = q.pixels;
  Func out = s.output;
  // Each tile of output channels sweeps the whole map, so its weights are
  // read from cache once per pixel tile, not from memory: ResNet-18's
  // layer4 weights (2.4 MB) streamed once per 6 pixels ran at 15% of the
  // f32 peak.
  // Rows and channel tiles are one parallel loop: a parallel loop over
  // rows inside each channel tile started the thread pool once per tile.
  Var co("qco"), ci("qci"), xo("qxo"), xi("qxi"), tiles("qtiles");
  out.compute_root()
      .split(v.c, co, ci, q.channelTile, TailStrategy::RoundUp)
      .split(v.x, xo, xi, pixels, columnTail(q.outW, pixels))
      .reorder(ci, xi, xo, v.y, co, v.n)
      .fuse(v.y, co, tiles)
      .parallel(tiles)
      .vectorize(ci, kInt8Lanes)
      .unroll(ci)
      .unroll(xi);
  // The padded input whole, first: a boundary select on each broadcast
  // load made the dot products 3-5x slower on 28x28 and smaller maps, where
  // most register tiles touch the border.
  Func padded = q.paddedInput;
  if (q.foldedColumns) {
    // Planar, as its input is (MemoryPlan.cpp): a dot product's 4 folded
    // channels are 4 neighbouring bytes of one row. Copied in vectors of
    // 16 columns from column 0, so a row of whole vectors is copied in
    // whole vectors (a part moved 16-bit pieces, as below: Build.cpp);
    // folded into pixels, copied byte by byte, this took half of
    // ResNet-50's stem.
    padded.compute_root()
        .reorder_storage(v.x, v.y, v.c, v.n)
        .reorder(v.x, v.c, v.y, v.n)
        .parallel(v.y)
        .align_bounds(v.x, kInt8Lanes)
        .vectorize(v.x, kInt8Lanes, TailStrategy::RoundUp);
  } else if (!q.readsInputDirectly) {
    padded.compute_root().parallel(v.y);
    // Whole vectors only (a guarded tail moved 16-bit pieces, with an
    // instruction Zen 4 lacks under the VNNI target; Build.cpp): the
    // channels past the last group of 4 are read from the input's rounded
    // buffer (every u8 producer rounds channels to whole vectors) and meet
    // zero weights.
    if (q.inChannels >= kInt8Lanes)
      padded.vectorize(v.c, kInt8Lanes, TailStrategy::RoundUp);
  }
  Func acc = q.accumulator;
  const Halide::RDom &r = q.r;
  Var cl("qcl"), cv("qcv");
  acc.compute_at(out, xo)
      .split(v.c, cv, cl, kInt8Lanes)
      .reorder(cl, cv, v.x)
      .vectorize(cl)
      .unroll(cv)
      .unroll(v.x);
  acc.update()
      .atomic()
      .split(v.c, cv, cl, kInt8Lanes)
      .reorder(r.x, cl, cv, v.x, r.y, r.z, r.w)
      .vectorize(r.x)
      .vectorize(cl)
      .unroll(cv)
      .unroll(v.x);
  s.plan.push_back("int8 conv: register tile of " +
                   std::to_string(q.channelTile) + " output channels x " +
                   std::to_string(pixels) +
                   " pixels, int32 dot products over 4 input channels; each "
                   "channel tile sweeps the map, rows in parallel");
  if (q.foldedColumns)
    s.plan.push_back("the kernel's columns folded into the input channels: "
                     "a dot product reads 4 columns of one channel from a "
                     "planar padded copy of the input");
}

} // namespace cnnc::codegen
