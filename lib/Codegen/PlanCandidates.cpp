//===- PlanCandidates.cpp - The plans tuning measures, and which fit ------===//
//
// `cnnc --tune` measures, for every distinct kernel, the plan the rules
// chose and a few others (candidateCpuPlans); a tuning record stores the
// winner, and a later compile applies it only where it fits the stage
// (planMisfit): a record is a file users may edit, and a plan that reads
// weights past their padding or spills the accumulators must be an error,
// not wrong code.
//
//===----------------------------------------------------------------------===//

#include "SchedulePlan.h"

#include <algorithm>
#include <set>

using namespace cnnc::codegen;

namespace {

/// The loops conv `index` of a plan computed by `method` may run.
bool loopAllowed(StageMethod method, const ConvShape &c, ConvLoop loop) {
  if (method == StageMethod::BlockStrips)
    return loop == ConvLoop::PerStrip;
  if (c.winogradM)
    return loop == ConvLoop::WinogradStrips || loop == ConvLoop::WinogradPhases;
  if (c.depthwise)
    return loop == ConvLoop::WholeRows || loop == ConvLoop::Rows;
  return loop == ConvLoop::Rows || loop == ConvLoop::WholeRows ||
         loop == ConvLoop::Blocked;
}

/// Why conv plan `p` cannot compute shape `c` ("" if it can).
std::string convMisfit(StageMethod method, const ConvPlan &p,
                       const ConvShape &c, const CpuModel &cpu) {
  const std::string what = "conv " + c.describe() + ": ";
  if (p.shape.describe() != c.describe() || p.shape.winogradM != c.winogradM)
    return what + "the plan is for conv " + p.shape.describe();
  if (!loopAllowed(method, c, p.loop))
    return what + "it cannot run loop '" + convLoopName(p.loop) + "'";
  const int64_t padded =
      (c.outChannels + kChannelPad - 1) / kChannelPad * kChannelPad;
  const RegisterTile &t = p.tile;
  if (t.vectors < 1 || t.pixels < 1 ||
      padded % (int64_t(t.vectors) * cpu.lanes) != 0)
    return what + "a tile of " + std::to_string(t.vectors) +
           " vectors must divide its " + std::to_string(padded) +
           " padded channels";
  if (t.vectors * t.pixels > cpu.maxAccumulators())
    return what + "a tile of " + std::to_string(t.vectors) + " x " +
           std::to_string(t.pixels) + " needs more than the " +
           std::to_string(cpu.maxAccumulators()) + " accumulators this CPU has";
  if (p.loop == ConvLoop::Blocked &&
      (p.taskRows < 1 || p.taskRows > c.outH || p.reductionBlock < 1 ||
       p.reductionBlock > c.inChannels))
    return what + "rows per task must be in 1.." + std::to_string(c.outH) +
           " and the reduction block in 1.." + std::to_string(c.inChannels);
  if (p.loop == ConvLoop::WinogradStrips &&
      (p.stripRows < 1 || p.stripRows > c.winogradTilesY))
    return what + "strips must have 1.." + std::to_string(c.winogradTilesY) +
           " tile rows";
  return "";
}

/// `plan` with its last conv's register tile `vectors` wide.
StagePlan withTileVectors(StagePlan plan, int vectors, const CpuModel &cpu) {
  ConvPlan &last = plan.convs.back();
  const int64_t width = last.loop == ConvLoop::WinogradStrips
                            ? last.stripRows * last.shape.winogradTilesX
                        : last.shape.winogradM
                            ? last.shape.winogradTilesX *
                                  last.shape.winogradTilesY
                            : last.shape.outW;
  last.tile = RegisterTile{vectors, registerTilePixels(vectors, width, cpu)};
  return plan;
}

} // namespace

std::string cnnc::codegen::planMisfit(const StagePlan &plan,
                                      const StageShape &stage,
                                      const CpuModel &cpu) {
  const StagePlan chosen = chooseCpuPlan(stage, cpu);
  if (plan.method != chosen.method)
    return "the plan computes the stage another way than its kind allows";
  if (plan.convs.size() != chosen.convs.size())
    return "the plan has " + std::to_string(plan.convs.size()) +
           " convs, the stage " + std::to_string(chosen.convs.size());
  for (size_t i = 0; i < plan.convs.size(); ++i)
    if (std::string why = convMisfit(plan.method, plan.convs[i],
                                     chosen.convs[i].shape, cpu);
        !why.empty())
      return why;
  if (plan.method == StageMethod::BlockStrips &&
      (plan.stripRows < 1 || plan.stripRows > stage.convs.back().outH))
    return "strips must have 1.." + std::to_string(stage.convs.back().outH) +
           " rows";
  if (plan.method == StageMethod::Linear &&
      (plan.linearTile < cpu.lanes || plan.linearTile % cpu.lanes != 0 ||
       plan.linearTile > 16 * cpu.lanes))
    return "the linear tile must be 1 to 16 vectors of " +
           std::to_string(cpu.lanes);
  return "";
}

std::vector<StagePlan> cnnc::codegen::candidateCpuPlans(const StageShape &stage,
                                                        const CpuModel &cpu) {
  const StagePlan chosen = chooseCpuPlan(stage, cpu);
  std::vector<StagePlan> candidates;
  std::set<std::string> seen = {planJson(chosen)};
  auto add = [&](const StagePlan &plan) {
    if (candidates.size() < kMaxCandidatePlans &&
        planMisfit(plan, stage, cpu).empty() &&
        seen.insert(planJson(plan)).second)
      candidates.push_back(plan);
  };
  switch (chosen.method) {
  case StageMethod::Conv:
  case StageMethod::BlockLayers: {
    const ConvPlan &last = chosen.convs.back();
    if (last.shape.winogradM) {
      // Whole-layer phases against strips of tile rows, two heights.
      StagePlan other = chosen;
      ConvPlan &conv = other.convs.back();
      const int64_t rows = std::max<int64_t>(
          1, last.shape.winogradTilesY / (2 * cpu.cores));
      conv.loop = last.loop == ConvLoop::WinogradStrips
                      ? ConvLoop::WinogradPhases
                      : ConvLoop::WinogradStrips;
      conv.stripRows = conv.loop == ConvLoop::WinogradStrips ? rows : 0;
      add(withTileVectors(other, last.tile.vectors, cpu));
      StagePlan taller = chosen;
      taller.convs.back().loop = ConvLoop::WinogradStrips;
      taller.convs.back().stripRows =
          std::min(last.shape.winogradTilesY,
                   std::max(last.stripRows, rows) * 2);
      add(withTileVectors(taller, last.tile.vectors, cpu));
    } else if (last.shape.depthwise) {
      StagePlan rows = chosen;
      rows.convs.back().loop = ConvLoop::Rows;
      add(rows);
    } else {
      for (ConvLoop loop :
           {ConvLoop::Rows, ConvLoop::WholeRows, ConvLoop::Blocked})
        add(chooseCpuPlan(stage, cpu, loop));
    }
    // Narrower or wider register tiles (more pixels or more channels);
    // those that do not divide the padded channels do not fit.
    for (int vectors : {last.tile.vectors - 1, last.tile.vectors / 2,
                        last.tile.vectors + 1})
      if (vectors >= 1)
        add(withTileVectors(chosen, vectors, cpu));
    if (last.loop == ConvLoop::Blocked) {
      StagePlan more = chosen;
      more.convs.back().taskRows =
          std::min(last.shape.outH, last.taskRows * 2);
      add(more);
      StagePlan deeper = chosen;
      deeper.convs.back().reductionBlock =
          std::min(last.shape.inChannels, last.reductionBlock * 2);
      add(deeper);
    }
    break;
  }
  case StageMethod::BlockStrips:
    for (int64_t rows : {chosen.stripRows * 2, chosen.stripRows / 2}) {
      StagePlan other = chosen;
      other.stripRows = rows;
      add(other);
    }
    break;
  case StageMethod::Linear:
    for (int vectors : {2, 8}) {
      StagePlan other = chosen;
      other.linearTile = vectors * cpu.lanes;
      add(other);
    }
    break;
  default:
    break;
  }
  return candidates;
}
