//===- Schedules.cpp - CPU schedules applied from a plan ------------------===//
//
// The plan (SchedulePlan.h) says how each stage is computed, chosen by
// ChooseSchedule.cpp; this file turns it into Halide schedules and decides
// nothing. Convolutions are register-tiled: the output is tiled by a few
// vectors of channels times a few pixels, the conv is computed per tile so
// its accumulators stay in registers, and the reduction runs over input
// channels innermost of the kernel taps.
//
//===----------------------------------------------------------------------===//

#include "CpuModel.h"
#include "Stage.h"

using namespace cnnc::codegen;
using Halide::Expr;
using Halide::Func;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

/// The parallel loop of a conv computed a row of all channel tiles per
/// task: rows and images fused, so that a batch's images share one
/// parallel loop (each image's few rows of a 7x7 or 14x14 map alone
/// balance badly over the cores).
const Var kRowTask("row_task");

/// Images of at most this many channels (RGB, RGBA) are copied a vector
/// of pixels per channel: vectors of channels would waste lanes.
constexpr int64_t kFewChannels = 4;

/// Schedules `f`, a (c, x, y, n) Func of few channels stored channels
/// innermost, as a vector of pixels per channel with the channels
/// unrolled (their count a constant of the buffer): loads of each
/// channel's row and one interleaved store.
void pixelsPerChannel(Func f, int vec) {
  // A boundary condition names its own arguments: take them from `f`.
  std::vector<Var> a = f.args();
  f.unroll(a[0]).vectorize(a[1], vec, TailStrategy::GuardWithIf);
}

/// Computes the zero-padded input a conv task reads, for a kernel wider
/// than 1x1, in a buffer of the task's own before the task's tiles read
/// it: read through the boundary condition, every load in the register
/// tile's innermost loop carried a compare and a select (RegNetX's stride-2
/// grouped convs: 0.140 ms, 0.087 ms from a copy; ResNeXt-50's layer1
/// grouped convs 0.37 ms, 0.22 ms; an RGB stem's few multiply-adds per
/// value). `allChannels`: a task computes all output channels. A dense conv
/// whose task is one channel tile would copy all input channels per tile,
/// which cost more than the selects (ResNet-18's layer3.0.conv1); a grouped
/// one copies only its tile's groups.
void padInputPerTask(Func out, const ConvInfo &info, Var task, int vec,
                     bool allChannels) {
  if (info.kernelW * info.kernelH == 1 || info.depthwise ||
      !(info.groups > 1 || allChannels))
    return;
  Func padded = info.padded;
  padded.compute_at(out, task);
  if (info.groups == 1 && info.inChannels <= kFewChannels)
    pixelsPerChannel(padded, vec);
  else
    padded.vectorize(padded.args()[0], vec, TailStrategy::GuardWithIf);
}

/// Tiles the pure func `out` over (c, x) and computes `info.conv` per tile
/// with its accumulators in registers. Returns the loop over channel
/// tiles. `outer` orders the loops outside the x tiles; it must hold `co`,
/// the loop over channel tiles, and by default is (y, co, n).
Var registerTile(Func out, const ConvInfo &info, const RegisterTile &tile,
                 int vec, const Vars &v, Var co = Var("co"),
                 std::vector<VarOrRVar> outer = {}) {
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

/// A blocked conv: a task per block of rows and channel tile, the
/// reduction in blocks of input channels, each over all pixel tiles.
void applyBlockedConv(Func out, const ConvInfo &info, const ConvPlan &p,
                      int vec, const Vars &v) {
  const int tileC = p.tile.vectors * vec;
  Var co("co"), ci("ci"), yo("yo"), yi("yi"), t("t"), task("task");
  out.split(v.c, co, ci, tileC, TailStrategy::RoundUp)
      .split(v.y, yo, yi, static_cast<int>(p.taskRows), TailStrategy::RoundUp)
      .reorder(ci, v.x, yi, yo, co, v.n)
      .vectorize(ci, vec)
      .fuse(yo, co, t)
      .fuse(t, v.n, task)
      .parallel(task);
  padInputPerTask(out, info, task, vec, false);
  Func conv = info.conv;
  conv.compute_at(out, task).vectorize(v.c, vec);
  Var xo("xo"), xi("xi");
  Halide::RVar rxo("rxo"), rxi("rxi");
  std::vector<VarOrRVar> order = {v.c, xi, rxi};
  for (int d = 1; d < info.r.dimensions(); ++d)
    order.push_back(info.r[d]);
  order.insert(order.end(), {xo, v.y, rxo});
  conv.update()
      .split(v.x, xo, xi, p.tile.pixels, TailStrategy::RoundUp)
      .split(info.r.x, rxo, rxi, static_cast<int>(p.reductionBlock),
             TailStrategy::GuardWithIf)
      .reorder(order)
      .vectorize(v.c, vec)
      .unroll(v.c)
      .unroll(xi);
}

/// A Winograd conv (Winograd.h): per strip of tile rows, strips in
/// parallel, or in three whole-layer phases, each parallel: the input
/// transform per tile; for each point of the tile, the product of U
/// (output x input channels) with V (input channels x tiles), whose slices
/// for one point stay in L2 while all tiles stream through; the output
/// transform per tile.
void applyWinogradConv(Func out, const ConvInfo &info, const ConvPlan &p,
                       int vec, const Vars &v) {
  // Funcs are handles: copies schedule the same functions.
  WinogradFuncs w = info.winograd;
  const int m = w.m;
  const bool strips = p.loop == ConvLoop::WinogradStrips;
  const int tileC = p.tile.vectors * vec;
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
    out.split(yo, ys, yo, static_cast<int>(p.stripRows),
              TailStrategy::GuardWithIf)
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
      .split(t, to, ti, p.tile.pixels, TailStrategy::RoundUp)
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

/// `out`, a root Func that computes `info.conv` (and its inlined
/// epilogue), as plan `p` says.
void applyConvInto(Func out, const ConvInfo &info, const ConvPlan &p, int vec,
                   const Vars &v) {
  switch (p.loop) {
  case ConvLoop::WinogradStrips:
  case ConvLoop::WinogradPhases:
    applyWinogradConv(out, info, p, vec, v);
    return;
  case ConvLoop::Blocked:
    applyBlockedConv(out, info, p, vec, v);
    return;
  case ConvLoop::WholeRows: {
    Var co("co");
    registerTile(out, info, p.tile, vec, v, co, {co, v.y, v.n});
    out.fuse(v.y, v.n, kRowTask).parallel(kRowTask);
    padInputPerTask(out, info, kRowTask, vec, true);
    return;
  }
  default: {
    Var co = registerTile(out, info, p.tile, vec, v);
    // Rows and channel tiles together feed all cores even at 7x7.
    Var t("t"), task("task");
    out.fuse(v.y, co, t).fuse(t, v.n, task).parallel(task);
    padInputPerTask(out, info, task, vec, false);
    return;
  }
  }
}

/// The value a conv computes in its own stage before reading it (a
/// squeeze-excitation scale): per output row where a task is a row of all
/// channel tiles, so each scaled row is made once, in cache, right before
/// the conv reads it. Inlined, it would be recomputed in the register
/// tile's inner loop for every channel tile; with other loops, where a
/// task is a row of one channel tile, it is computed whole first.
void applyPrologue(Stage &s, const ConvPlan &p, int vec, const Vars &v) {
  const ConvInfo &info = s.convs.back();
  if (!info.prologue)
    return;
  Func prologue = info.input;
  const bool perRow = p.loop == ConvLoop::WholeRows;
  if (perRow)
    prologue.compute_at(s.output, kRowTask);
  else
    prologue.compute_root().parallel(v.y);
  prologue.vectorize(v.c, vec, TailStrategy::GuardWithIf);
  s.plan.push_back(std::string("its input computed in this stage, ") +
                   (perRow ? "a row at a time" : "whole first"));
}

/// A depthwise->pointwise block layer by layer: each inner conv's
/// activated output at the root with its own conv schedule, the epilogues
/// still fused into the conv tiles.
void applyBlockLayers(Stage &s, const StagePlan &plan, int vec, const Vars &v) {
  for (size_t i = 0; i + 1 < s.convs.size(); ++i) {
    const ConvInfo &inner = s.convs[i];
    Func conv = inner.conv;
    Func next = s.convs[i + 1].input;
    if (sameFunc(next, conv)) {
      Func stored = conv.in();
      stored.compute_root();
      applyConvInto(stored, inner, plan.convs[i], vec, v);
    } else if (inner.depthwise && !s.reductions.empty()) {
      // A LayerNorm between: the depthwise output at the root, the
      // statistics per row of the normalized values.
      Func stored = conv.in();
      stored.compute_root();
      applyConvInto(stored, inner, plan.convs[i], vec, v);
      next.compute_root()
          .vectorize(v.c, vec, TailStrategy::RoundUp)
          .parallel(v.y);
      for (Func f : s.reductions)
        f.compute_at(next, v.y).vectorize(v.x, vec, TailStrategy::GuardWithIf);
    } else {
      next.compute_root();
      applyConvInto(next, inner, plan.convs[i], vec, v);
    }
  }
  applyConvInto(s.output, s.convs.back(), plan.convs.back(), vec, v);
}

/// A depthwise->pointwise block per strip of output rows: the inner convs
/// are computed per strip, for all channels, and stay in cache; the last
/// conv is register-tiled into the output.
void applyBlockStrips(Stage &s, const StagePlan &plan, int vec, const Vars &v) {
  Var yo("yo"), yi("yi"), strip("strip");
  Func out = s.output;
  out.split(v.y, yo, yi, static_cast<int>(plan.stripRows),
            TailStrategy::RoundUp);
  Var co("co");
  registerTile(out, s.convs.back(), plan.convs.back().tile, vec, v, co,
               {co, yi, yo, v.n});
  // Strips of all images in one parallel loop.
  out.fuse(yo, v.n, strip).parallel(strip);

  // The inner convs, materialized per strip with their epilogue applied
  // (what the next conv reads), each register-tiled. Reading an
  // activation inline would recompute it (GELU's erf, say) for every
  // output channel tile of the next conv.
  for (size_t i = 0; i + 1 < s.convs.size(); ++i) {
    const ConvInfo &inner = s.convs[i];
    Func conv = inner.conv;
    Func next = s.convs[i + 1].input;
    if (sameFunc(next, conv)) {
      Func stored = conv.in();
      stored.compute_at(out, strip);
      registerTile(stored, inner, plan.convs[i].tile, vec, v);
    } else if (!s.reductions.empty() && inner.depthwise) {
      // A LayerNorm between: the depthwise conv, the statistics and the
      // normalized values are each computed once per strip.
      conv.compute_at(out, strip).vectorize(v.c, vec);
      conv.update().vectorize(v.c, vec);
      next.compute_at(out, strip).vectorize(v.c, vec);
    } else {
      next.compute_at(out, strip);
      registerTile(next, inner, plan.convs[i].tile, vec, v);
    }
  }
  for (Func f : s.reductions)
    f.compute_at(out, strip).vectorize(v.x, vec, TailStrategy::GuardWithIf);
}

void applyLinear(Stage &s, const StagePlan &plan, int vec, const Vars &v) {
  Var ko("ko"), ki("ki");
  // Images inside the tile of outputs: each task reads its rows of the
  // weights once for the whole batch, not once per image.
  s.output.split(v.k, ko, ki, plan.linearTile, TailStrategy::RoundUp)
      .reorder(ki, v.n, ko)
      .vectorize(ki, vec)
      .unroll(ki)
      .parallel(ko);
  s.linear.compute_at(s.output, ko).vectorize(v.k, vec).unroll(v.k);
  s.linear.update()
      .reorder(v.k, s.linearDomain.x)
      .vectorize(v.k, vec)
      .unroll(v.k);
}

/// The updates of an elementwise stage's Func (a concatenation: one update
/// per input, each writing its range of one axis; a transposed conv: its
/// sum): each vectorized along the innermost dimension (its reduction
/// variable where the slices run along it), rows in parallel where rows
/// are a pure loop.
void applySliceUpdates(Func out, int vec, const Vars &v) {
  for (int u = 0; u < out.num_update_definitions(); ++u) {
    Halide::Stage update = out.update(u);
    const std::vector<Expr> args = out.update_args(u);
    auto pure = [&](size_t i) {
      const auto *var = args[i].as<Halide::Internal::Variable>();
      return var && !var->reduction_domain.defined() ? var : nullptr;
    };
    if (const auto *inner = pure(0))
      update.vectorize(Var(inner->name), vec, TailStrategy::GuardWithIf);
    else
      update.vectorize(out.rvars(u)[0], vec, TailStrategy::GuardWithIf);
    if (args.size() == 4 && pure(2))
      update.parallel(v.y);
  }
}

void applySimple(Stage &s, const StagePlan &plan, int vec, const Vars &v) {
  Func out = s.output;
  applySliceUpdates(out, vec, v);
  switch (plan.method) {
  case StageMethod::LayoutEntry: {
    // NCHW rows in, channels innermost out. Many channels are vectors
    // themselves.
    // A quantizing entry's u8 buffer is rounded to whole vectors, as every
    // u8 producer's is: int8 convs read their input channels so.
    Var rows("rows");
    if (s.shape.size() == 4 && s.shape[1] <= kFewChannels)
      pixelsPerChannel(out, vec);
    else
      out.vectorize(v.c, vec,
                    out.output_types().front().bits() == 8
                        ? TailStrategy::RoundUp
                        : TailStrategy::GuardWithIf);
    out.fuse(v.y, v.n, rows).parallel(rows);
    return;
  }
  case StageMethod::ChannelsAndRows:
    // An image's few channels (an int8 model's quantized input): a vector
    // of channels would be mostly lanes past the last.
    if (s.kind == StageKind::Elementwise && s.shape.size() == 4 &&
        s.shape[1] <= kFewChannels)
      pixelsPerChannel(out, vec);
    else
      out.vectorize(v.c, vec, TailStrategy::RoundUp);
    out.parallel(v.y);
    for (Func f : s.channelInterleaves) {
      std::vector<Var> a = f.args(); // (part, i, x, y, n)
      f.compute_at(out, v.x)
          .reorder(a[0], a[1])
          .unroll(a[0])
          .vectorize(a[1], vec, TailStrategy::RoundUp);
    }
    break;
  case StageMethod::Features:
    out.vectorize(v.k, vec, TailStrategy::GuardWithIf);
    for (Func f : s.reductions)
      f.compute_root();
    return;
  default:
    return;
  }
  for (Func f : s.reductions)
    f.compute_at(out, v.y).vectorize(v.x, vec, TailStrategy::GuardWithIf);
}

} // namespace

StageShape cnnc::codegen::stageShapeOf(const Stage &s) {
  StageShape shape;
  shape.kind = s.kind;
  shape.rank = s.shape.size();
  shape.layoutEntry = s.layoutEntry;
  for (const ConvInfo &conv : s.convs) {
    shape.convs.push_back(shapeOf(conv));
    if (shape.rank == 4)
      shape.convs.back().images = s.shape[0];
  }
  return shape;
}

ConvShape cnnc::codegen::shapeOf(const ConvInfo &info) {
  ConvShape c;
  c.outChannels = info.outChannels;
  c.inChannels = info.inChannels;
  c.kernelW = info.kernelW;
  c.kernelH = info.kernelH;
  c.outW = info.outW;
  c.outH = info.outH;
  c.depthwise = info.depthwise;
  c.winogradM = info.winograd.m;
  c.winogradTilesX = info.winograd.tilesX;
  c.winogradTilesY = info.winograd.tilesY;
  return c;
}

void cnnc::codegen::scheduleForCpu(std::vector<Stage> &stages,
                                   const CpuModel &cpu) {
  const int vec = cpu.lanes;
  for (Stage &s : stages) {
    if (s.layoutExit)
      continue; // the caller's output: scheduled with the model
    const Vars &v = s.vars;
    if (s.output.function().has_extern_definition()) {
      s.plan.push_back(
          s.quantizedConv
              ? "int8 conv on AMX-INT8 tiles (tdpbusd) by the model "
                "runtime's kernel (cnnc_qconv_amx.c): 32 pixels x 32 "
                "channels per step, pixel and channel blocks in parallel"
              : "table lookup by the model runtime's kernel "
                "(cnnc_lookup_table.c), parallel over rows");
      continue;
    }
    s.output.compute_root();
    for (Func f : s.imageStatistics) {
      f.compute_root().parallel(v.c);
      for (int u = 0; u < f.num_update_definitions(); ++u)
        f.update(u).parallel(v.c);
    }
    if (s.quantizedConv) {
      scheduleQuantizedConv(s, vec);
      continue;
    }
    StagePlan plan =
        s.choice.plan ? *s.choice.plan : chooseCpuPlan(stageShapeOf(s), cpu);
    plan.tuned = s.choice.tuned;
    switch (plan.method) {
    case StageMethod::Conv:
      applyConvInto(s.output, s.convs.back(), plan.convs.back(), vec, v);
      break;
    case StageMethod::BlockLayers:
      applyBlockLayers(s, plan, vec, v);
      break;
    case StageMethod::BlockStrips:
      applyBlockStrips(s, plan, vec, v);
      break;
    case StageMethod::Linear:
      applyLinear(s, plan, vec, v);
      break;
    default:
      applySimple(s, plan, vec, v);
      break;
    }
    std::vector<std::string> words = describePlan(plan, vec);
    s.plan.insert(s.plan.end(), words.begin(), words.end());
    if (plan.method == StageMethod::Conv)
      applyPrologue(s, plan.convs.back(), vec, v);
    if (!s.convs.empty() && s.convs.back().integerValues)
      s.plan.push_back("int8 conv as f32 multiply-adds of its u8 and i8 "
                       "values: exact, every partial sum under 2^24");
    s.cpuPlan = std::move(plan);
  }
}
