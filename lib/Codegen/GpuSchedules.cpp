//===- GpuSchedules.cpp - CUDA and OpenCL schedules for each stage --------===//
//
// Every stage becomes one or a few kernels; activations stay in device
// memory between them (Halide copies only the input in and the output out).
//
// A block of threads covers a tile of output channels x pixels. Threads run
// along channels first, so that a warp reads 32 consecutive weights and
// writes 32 consecutive outputs (channels are innermost in memory), and
// each thread accumulates a few pixels in registers. Dense convolutions are
// computed per block with the reduction split into chunks of input
// channels: each chunk's input window and weights are first copied into
// shared memory by all threads of the block, then read from there. In a
// fused depthwise->pointwise group, the depthwise result the pointwise conv
// reads is computed per block, for all its channels, in shared memory.
//
// All thread loops of a kernel must map onto one block shape (Halide takes
// the largest extent per dimension), so every Func computed inside a block
// spreads its work over the same (channels, x, rows) thread grid.
//
//===----------------------------------------------------------------------===//

#include "Stage.h"

#include <algorithm>

using namespace cnnc::codegen;
using Halide::Func;
using Halide::MemoryType;
using Halide::RVar;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

constexpr int kWarp = 32;
constexpr int kMaxThreads = 256;
/// Shared memory a block may fill with per-block results (bytes); the
/// staged chunks of a conv take at most another 16 KB, under the 48 KB
/// every CUDA device and OpenCL implementation offers.
constexpr int64_t kSharedBudget = 24 << 10;
constexpr int64_t kChunkBudget = 16 << 10;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The thread grid of a block: `channels` x `columns` x `rows` threads,
/// each computing `pixels` consecutive outputs along x.
struct Grid {
  int channels = kWarp, columns = 1, rows = 1, pixels = 1;
  int threads() const { return channels * columns * rows; }
};

/// The per-thread pixel count that wastes the least of a row of `width`.
int pixelsFor(int64_t width, int most) {
  return leastPaddedTile(width, 1, most);
}

/// A grid for `channels` outputs per pixel on maps `width` x `height`.
Grid gridFor(int64_t channels, int64_t width, int64_t height, int pixels) {
  Grid g;
  g.channels = static_cast<int>(
      channels < kWarp ? channels : std::min<int64_t>(kWarp, channels));
  g.pixels = pixelsFor(width, pixels);
  const int64_t tiles = ceilDiv(width, g.pixels);
  const int64_t maxColumns = std::max(1, kMaxThreads / g.channels / 2);
  // Equal column groups so that rounding up wastes little.
  g.columns = static_cast<int>(
      ceilDiv(tiles, ceilDiv(tiles, std::min(tiles, maxColumns))));
  g.rows = static_cast<int>(std::min<int64_t>(
      height, std::max(1, kMaxThreads / (g.channels * g.columns))));
  return g;
}

/// The loops of a Func tiled over a grid: `block` is the innermost block
/// loop (per-block work is computed there), `thread` the innermost thread
/// loop (per-thread work).
struct Tiled {
  Var block, thread;
};

/// Tiles a (c, x, y, n) Func over `g`: blocks over channel tiles, x tiles
/// and rows x batch; threads over the grid; each thread's pixels unrolled.
Tiled tile(Func f, const Vars &v, const Grid &g, TailStrategy tail) {
  Var co("co"), ci("ci"), xo("xo"), xi("xi"), xt("xt"), xr("xr"), yo("yo"),
      yi("yi"), b("b");
  f.split(v.c, co, ci, g.channels, tail)
      .split(v.x, xo, xi, g.columns * g.pixels, tail)
      .split(xi, xt, xr, g.pixels, tail)
      .split(v.y, yo, yi, g.rows, tail)
      .reorder(xr, ci, xt, yi, co, xo, yo, v.n)
      .fuse(yo, v.n, b)
      .gpu_blocks(co, xo, b)
      .gpu_threads(ci, xt, yi);
  if (tail == TailStrategy::RoundUp)
    f.unroll(xr);
  return {co, ci};
}

/// Spreads the pure loops `vars` of a Func (or an update's loops) computed
/// inside a block over the block's thread grid `g`.
/// Returns the innermost thread loop.
template <typename StageLike>
Var spreadOverGrid(StageLike s, std::vector<VarOrRVar> vars, const Grid &g) {
  Var fused("fused"), outer("outer"), inner("inner"), t0("t0"), t1("t1"),
      t2("t2"), rest("rest");
  Var all = fused;
  s.fuse(vars[0], vars[1], all);
  for (size_t i = 2; i < vars.size(); ++i) {
    Var next("fused" + std::to_string(i));
    s.fuse(all, vars[i], next);
    all = next;
  }
  s.split(all, outer, inner, g.threads(), TailStrategy::GuardWithIf)
      .split(inner, rest, t0, g.channels)
      .split(rest, t2, t1, g.columns)
      .gpu_threads(t0, t1, t2);
  return t0;
}

/// The pure loops of a (c, x, y, n) Func.
std::vector<VarOrRVar> pureLoops(const Vars &v) { return {v.c, v.x, v.y}; }

std::string gridText(const Grid &g) {
  return "blocks of " + std::to_string(g.channels) + " channels x " +
         std::to_string(g.columns * g.pixels) + " columns x " +
         std::to_string(g.rows) + " rows, " + std::to_string(g.pixels) +
         " pixels per thread";
}

/// A conv computed per block into `out`, tiled by `g`: accumulators in
/// registers (each thread its own pixels), the reduction in chunks of input
/// channels whose input window (unless `stageInput` is false: it is already
/// in shared memory) and weights are copied to shared memory first.
void blockConv(Func out, const ConvInfo &info, const Grid &g, const Vars &v,
               const Tiled &loops, bool stageInput,
               std::vector<std::string> &plan) {
  Func conv = info.conv;
  const int64_t taps = info.kernelW * info.kernelH;
  int64_t chunk = std::min<int64_t>(info.inChannels, 16);
  while (chunk > 1 && (info.inChannels % chunk != 0 ||
                       g.channels * chunk * taps * 4 > kChunkBudget))
    --chunk;
  plan.push_back("conv " + shapeOf(info).describe() + ": " + gridText(g) +
                 ", accumulators in registers, input channels in chunks of " +
                 std::to_string(chunk) + ", " +
                 (stageInput ? "input window and weights" : "weights") +
                 " staged in shared memory");
  Var cc("cc"), xt("xt"), yb("yb");
  conv.compute_at(out, loops.block).store_in(MemoryType::Register);
  conv.split(v.c, cc, v.c, g.channels)
      .split(v.x, xt, v.x, g.pixels)
      .reorder(v.x, v.c, xt, v.y, cc, v.n)
      .gpu_threads(v.c, xt, v.y)
      .unroll(v.x);
  RVar rxo("rxo"), rxi("rxi");
  std::vector<VarOrRVar> order = {v.x, rxi};
  for (int d = 1; d < info.r.dimensions(); ++d)
    order.push_back(info.r[d]);
  order.insert(order.end(), {v.c, xt, v.y, cc, v.n, rxo});
  conv.update()
      .split(info.r.x, rxo, rxi, static_cast<int>(chunk))
      .split(v.c, cc, v.c, g.channels)
      .split(v.x, xt, v.x, g.pixels)
      .reorder(order)
      .gpu_threads(v.c, xt, v.y)
      .unroll(v.x);
  if (stageInput) {
    Func padded = info.padded;
    Func window = padded.in(conv);
    window.compute_at(conv, rxo);
    std::vector<Var> a = window.args();
    spreadOverGrid(window, {a[0], a[1], a[2]}, g);
  }
  Func repacked = info.weights;
  Func weights = repacked.in(conv);
  weights.compute_at(conv, rxo);
  std::vector<Var> w = weights.args();
  spreadOverGrid(weights, std::vector<VarOrRVar>(w.begin(), w.end()), g);
}

/// A conv computed per thread into `out` (depthwise convs: no reduction
/// over channels to share).
void threadConv(Func out, const ConvInfo &info, const Vars &v,
                const Tiled &loops) {
  Func conv = info.conv;
  conv.compute_at(out, loops.thread).unroll(v.x);
  std::vector<VarOrRVar> order = {v.x};
  for (int d = 0; d < info.r.dimensions(); ++d)
    order.push_back(info.r[d]);
  conv.update().reorder(order).unroll(v.x);
}

/// Schedules `out` (a root Func computing `info.conv` and its epilogue).
void convInto(Func out, const ConvInfo &info, const Vars &v,
              std::vector<std::string> &plan) {
  Grid g = gridFor(info.outChannels, info.outW, info.outH, 4);
  if (info.depthwise) {
    plan.push_back("conv " + shapeOf(info).describe() + ": " + gridText(g) +
                   ", per thread");
    threadConv(out, info, v, tile(out, v, g, TailStrategy::RoundUp));
    return;
  }
  blockConv(out, info, g, v, tile(out, v, g, TailStrategy::RoundUp),
            /*stageInput=*/true, plan);
}

/// The Func holding the value conv `i + 1` of `s` reads, computed at the
/// root (a wrapper when that value is the conv itself).
Func rootValueAfter(Stage &s, size_t i) {
  Func next = s.convs[i + 1].input;
  if (sameFunc(next, s.convs[i].conv))
    next = s.convs[i].conv.in();
  next.compute_root();
  return next;
}

void scheduleDepthwisePointwise(Stage &s, const Vars &v) {
  size_t d = 0;
  while (d < s.convs.size() && !s.convs[d].depthwise)
    ++d;
  if (d + 1 >= s.convs.size()) {
    // No pointwise conv after a depthwise one: each conv its own kernel.
    for (size_t i = 0; i + 1 < s.convs.size(); ++i)
      convInto(rootValueAfter(s, i), s.convs[i], v, s.plan);
    convInto(s.output, s.convs.back(), v, s.plan);
    return;
  }
  const size_t p = d + 1;
  // Convs before the depthwise one (MobileNetV2's expansion): own kernels.
  for (size_t i = 0; i < d; ++i)
    convInto(rootValueAfter(s, i), s.convs[i], v, s.plan);

  // The pointwise conv, with the depthwise result per block in shared
  // memory: all its channels for the block's pixels, so the block's threads
  // cover as many output channels as they can and few pixels.
  const ConvInfo &dw = s.convs[d], &pw = s.convs[p];
  Func pwOut = p + 1 == s.convs.size() ? s.output : rootValueAfter(s, p);
  // Equal channel tiles of whole warps, within the zero-padded weights.
  Grid g;
  const int64_t channelTiles =
      ceilDiv(ceilDiv(pw.outChannels, kWarp) * kWarp, kMaxThreads);
  g.channels = static_cast<int>(
      ceilDiv(ceilDiv(pw.outChannels, channelTiles), kWarp) * kWarp);
  if (g.channels * channelTiles >
      ceilDiv(pw.outChannels, kChannelPad) * kChannelPad)
    g.channels = kWarp;
  // With a LayerNorm between, the depthwise output is kept as well.
  const int64_t copies = s.reductions.empty() ? 1 : 2;
  const int64_t pixels =
      std::clamp<int64_t>(kSharedBudget / (4 * copies * dw.outChannels), 1, 64);
  g.pixels = pixelsFor(pw.outW, static_cast<int>(std::min<int64_t>(pixels, 8)));
  g.columns = static_cast<int>(std::clamp<int64_t>(
      std::min(pixels / g.pixels, ceilDiv(pw.outW, g.pixels)), 1,
      std::max(1, kMaxThreads / g.channels)));
  g.rows = 1;
  Tiled loops = tile(pwOut, v, g, TailStrategy::RoundUp);
  // The value the pointwise conv reads, for all channels of the block's
  // pixels. (Halide 14 may reuse shared memory too early when per-block
  // statistics are only read by a staged copy, so the normalized values
  // are materialized here rather than while staging.)
  Func mid = pw.input;
  Func dwConv = dw.conv;
  if (sameFunc(mid, dwConv))
    mid = dwConv.in();
  s.plan.push_back("the depthwise result for the block's pixels, all " +
                   std::to_string(dw.outChannels) +
                   " channels, in shared memory");
  blockConv(pwOut, pw, g, v, loops, /*stageInput=*/false, s.plan);
  mid.compute_at(pwOut, loops.block);
  Var midThread = spreadOverGrid(mid, pureLoops(v), g);
  if (!s.reductions.empty()) {
    // A LayerNorm between (ConvNeXt): the depthwise output and the
    // statistics per block too.
    dwConv.compute_at(pwOut, loops.block);
    spreadOverGrid(dwConv, pureLoops(v), g);
    spreadOverGrid(dwConv.update(), pureLoops(v), g);
    for (Func f : s.reductions) {
      f.compute_at(pwOut, loops.block);
      spreadOverGrid(f, {v.x, v.y}, g);
    }
  } else {
    dwConv.compute_at(mid, midThread);
  }
  // Convs after the pointwise one (ConvNeXt's second 1x1): own kernels.
  for (size_t i = p + 1; i < s.convs.size(); ++i)
    convInto(i + 1 == s.convs.size() ? s.output : rootValueAfter(s, i),
             s.convs[i], v, s.plan);
}

void scheduleLinear(Stage &s, const Vars &v) {
  Var ko("ko"), ki("ki");
  s.plan.push_back("a thread per output, blocks of 64");
  s.output.gpu_tile(v.k, ko, ki, 64, TailStrategy::GuardWithIf);
  s.linear.compute_at(s.output, ki);
}

/// Elementwise stages, pools and norms: a thread per output.
void scheduleSimple(Stage &s, const Vars &v) {
  Func out = s.output;
  s.plan.push_back("a thread per output");
  if (s.shape.size() == 4) {
    Grid g = gridFor(s.shape[1], s.shape[3], s.shape[2], 1);
    tile(out, v, g, TailStrategy::GuardWithIf);
    for (Func f : s.reductions) {
      Var xo("xo"), yo("yo"), xi("xi"), yi("yi");
      f.compute_root().gpu_tile(v.x, v.y, xo, yo, xi, yi, 16, 8,
                                TailStrategy::GuardWithIf);
    }
    return;
  }
  Var ko("ko"), ki("ki");
  std::vector<Var> args = out.args();
  out.gpu_tile(args[0], ko, ki, 64, TailStrategy::GuardWithIf);
  for (Func f : s.reductions) {
    std::vector<Var> a = f.args();
    Var o("o"), i("i");
    f.compute_root().gpu_tile(a[0], o, i, 64, TailStrategy::GuardWithIf);
  }
}

} // namespace

void cnnc::codegen::scheduleForGpu(std::vector<Stage> &stages) {
  for (Stage &s : stages) {
    if (s.layoutExit)
      continue; // the caller's output: scheduled with the model
    const Vars &v = s.vars;
    s.output.compute_root();
    if (s.kind == Stage::Kind::DepthwisePointwise && !s.convs.empty())
      scheduleDepthwisePointwise(s, v);
    else if (s.kind == Stage::Kind::Linear)
      scheduleLinear(s, v);
    else if (!s.convs.empty())
      convInto(s.output, s.convs.back(), v, s.plan);
    else
      scheduleSimple(s, v);
  }
}
