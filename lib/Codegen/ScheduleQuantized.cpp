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

/// Int32 lanes per dot-product vector: 512 bits. Narrower vectors would let
/// LLVM encode vpdpbusd as AVX-VNNI (VEX), which AVX-512 CPUs such as Zen 4
/// lack.
constexpr int kInt8Lanes = 16;

void scheduleQuantizedConv(Stage &s, int vec) {
  (void)vec;
  const QuantizedConvInfo &q = *s.quantizedConv;
  const Vars &v = s.vars;
  const int vectors = q.outChannels > kInt8Lanes ? 2 : 1;
  const int pixels = static_cast<int>(std::min<int64_t>(q.outW, 6));
  Func out = s.output;
  Var co("qco"), ci("qci"), xo("qxo"), xi("qxi"), rows("qrows");
  out.compute_root()
      .split(v.c, co, ci, kInt8Lanes * vectors, TailStrategy::RoundUp)
      .split(v.x, xo, xi, pixels, TailStrategy::RoundUp)
      .reorder(ci, xi, co, xo, v.y, v.n)
      .fuse(v.y, v.n, rows)
      .parallel(rows)
      .vectorize(ci, kInt8Lanes)
      .unroll(ci)
      .unroll(xi);
  Func acc = q.accumulator;
  const Halide::RDom &r = q.r;
  Var cl("qcl"), cv("qcv");
  acc.compute_at(out, co)
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
                   std::to_string(kInt8Lanes * vectors) +
                   " output channels x " + std::to_string(pixels) +
                   " pixels, int32 dot products over 4 input channels");
}

} // namespace cnnc::codegen
