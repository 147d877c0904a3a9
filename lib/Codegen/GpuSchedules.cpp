//===- GpuSchedules.cpp - CUDA and OpenCL schedules applied from a plan ---===//
//
// Every stage becomes one or a few kernels; activations stay in device
// memory between them (Halide copies only the input in and the output out).
// The plan (GpuPlan.h) says how, chosen by ChooseGpuSchedule.cpp; this
// file turns it into Halide schedules and decides nothing.
//
// All thread loops of a kernel must map onto one block shape (Halide takes
// the largest extent per dimension), so every Func computed inside a block
// spreads its work over the same (channels, x, rows) thread grid.
//
//===----------------------------------------------------------------------===//

#include "Stage.h"

using namespace cnnc::codegen;
using Halide::Func;
using Halide::MemoryType;
using Halide::RVar;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

/// The loops of a Func tiled over a grid: `block` is the innermost block
/// loop (per-block work is computed there), `thread` the innermost thread
/// loop (per-thread work).
struct Tiled {
  Var block, thread;
};

/// Tiles a (c, x, y, n) Func over `g`: blocks over channel tiles, x tiles
/// and rows x batch; threads over the grid; each thread's pixels unrolled.
Tiled tile(Func f, const Vars &v, const GpuGrid &g, TailStrategy tail) {
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
Var spreadOverGrid(StageLike s, std::vector<VarOrRVar> vars, const GpuGrid &g) {
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

/// A conv computed per block into `out`, tiled by `g`: accumulators in
/// registers (each thread its own pixels), the reduction in chunks of input
/// channels whose input window (unless `stageInput` is false: it is already
/// in shared memory) and weights are copied to shared memory first.
void blockConv(Func out, const ConvInfo &info, const GpuConvPlan &p,
               const Vars &v, const Tiled &loops) {
  const GpuGrid &g = p.grid;
  Func conv = info.conv;
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
      .split(info.r.x, rxo, rxi, static_cast<int>(p.chunk))
      .split(v.c, cc, v.c, g.channels)
      .split(v.x, xt, v.x, g.pixels)
      .reorder(order)
      .gpu_threads(v.c, xt, v.y)
      .unroll(v.x);
  if (p.stageInput) {
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

/// Schedules `out` (a root Func computing `info.conv` and its epilogue) as
/// its own kernel.
void convInto(Func out, const ConvInfo &info, const GpuConvPlan &p,
              const Vars &v) {
  Tiled loops = tile(out, v, p.grid, TailStrategy::RoundUp);
  if (p.loop == GpuConvLoop::PerThread)
    threadConv(out, info, v, loops);
  else
    blockConv(out, info, p, v, loops);
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

/// Where conv `i` of `s` writes: the stage's output for the last one.
Func convOutput(Stage &s, size_t i) {
  return i + 1 == s.convs.size() ? s.output : rootValueAfter(s, i);
}

/// The pointwise conv `p` of `s` with depthwise conv `p - 1` computed per
/// block in shared memory.
void pointwiseAfterDepthwise(Stage &s, size_t p, const GpuStagePlan &plan,
                             const Vars &v) {
  const ConvInfo &dw = s.convs[p - 1], &pw = s.convs[p];
  const GpuGrid &g = plan.convs[p].grid;
  Func pwOut = convOutput(s, p);
  Tiled loops = tile(pwOut, v, g, TailStrategy::RoundUp);
  // The value the pointwise conv reads, for all channels of the block's
  // pixels. (Halide 14 may reuse shared memory too early when per-block
  // statistics are only read by a staged copy, so the normalized values
  // are materialized here rather than while staging.)
  Func mid = pw.input;
  Func dwConv = dw.conv;
  if (sameFunc(mid, dwConv))
    mid = dwConv.in();
  blockConv(pwOut, pw, plan.convs[p], v, loops);
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
}

void scheduleDepthwisePointwise(Stage &s, const GpuStagePlan &plan,
                                const Vars &v) {
  for (size_t i = 0; i < s.convs.size(); ++i) {
    if (plan.convs[i].loop == GpuConvLoop::InBlock) {
      pointwiseAfterDepthwise(s, i + 1, plan, v);
      ++i;
      continue;
    }
    convInto(convOutput(s, i), s.convs[i], plan.convs[i], v);
  }
}

void scheduleLinear(Stage &s, const Vars &v) {
  Var ko("ko"), ki("ki");
  s.output.gpu_tile(v.k, ko, ki, 64, TailStrategy::GuardWithIf);
  s.linear.compute_at(s.output, ki);
}

/// Elementwise stages, pools and norms: a thread per output.
/// The updates of a Func built from slices (a concatenation): a thread per
/// element of the pure dimensions, each looping over its slice's axis.
void scheduleSliceUpdates(Func out) {
  for (int u = 0; u < out.num_update_definitions(); ++u) {
    std::vector<Var> pure;
    for (const Halide::Expr &arg : out.update_args(u))
      if (const auto *var = arg.as<Halide::Internal::Variable>();
          var && !var->reduction_domain.defined())
        pure.push_back(Var(var->name));
    Var o0("o0"), o1("o1"), i0("i0"), i1("i1");
    if (pure.size() >= 2)
      out.update(u).gpu_tile(pure[0], pure[1], o0, o1, i0, i1, 16, 8,
                             TailStrategy::GuardWithIf);
    else if (pure.size() == 1)
      out.update(u).gpu_tile(pure[0], o0, i0, 64, TailStrategy::GuardWithIf);
    else
      out.update(u).gpu_single_thread();
  }
}

void scheduleSimple(Stage &s, const GpuStagePlan &plan, const Vars &v) {
  Func out = s.output;
  scheduleSliceUpdates(out);
  if (plan.method == GpuMethod::Pixels) {
    tile(out, v, plan.grid, TailStrategy::GuardWithIf);
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
    // A block per element (a group's row, a group, a channel); its one
    // thread sums what the element reduces.
    for (Func f : s.imageStatistics) {
      std::vector<Var> args = f.args();
      auto blocks = [&](Halide::Stage stage) {
        if (args.size() == 3)
          stage.gpu_blocks(args[0], args[1], args[2]);
        else
          stage.gpu_blocks(args[0], args[1]);
      };
      f.compute_root();
      blocks(f);
      for (int u = 0; u < f.num_update_definitions(); ++u)
        blocks(f.update(u));
    }
    GpuStageShape shape{stageShapeOf(s), !s.reductions.empty(), s.shape};
    GpuStagePlan plan = chooseGpuPlan(shape);
    switch (plan.method) {
    case GpuMethod::DepthwisePointwise:
      scheduleDepthwisePointwise(s, plan, v);
      break;
    case GpuMethod::Linear:
      scheduleLinear(s, v);
      break;
    case GpuMethod::Conv:
      convInto(s.output, s.convs.back(), plan.convs.back(), v);
      break;
    default:
      scheduleSimple(s, plan, v);
      break;
    }
    std::vector<std::string> words = describeGpuPlan(plan);
    s.plan.insert(s.plan.end(), words.begin(), words.end());
    s.gpuPlan = std::move(plan);
  }
}
